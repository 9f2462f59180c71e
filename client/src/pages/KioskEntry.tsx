import { useState } from 'react';
import { CLIENT_LANGUAGES, clientText, findLanguage, type LanguageCode } from '@parley/shared';

const LANGUAGE_KEY = 'parley.kiosk.language';

/**
 * The facility tablet. The person using it may read little and share no language with the staff
 * around them: every screen starts from a grid of languages in their own script.
 */
export function KioskEntry() {
  const [language, setLanguage] = useState<LanguageCode | null>(
    () => (sessionStorage.getItem(LANGUAGE_KEY) as LanguageCode | null) ?? null,
  );

  if (!language) {
    return (
      <div className="kiosk">
        <h1 className="kiosk-title">
          {clientText('en', 'chooseLanguage')} · {clientText('es', 'chooseLanguage')}
        </h1>
        <ul className="language-grid" aria-label="Languages">
          {CLIENT_LANGUAGES.map((l) => (
            <li key={l.code}>
              <button
                type="button"
                className="language-button"
                lang={l.code}
                dir={l.direction}
                onClick={() => {
                  sessionStorage.setItem(LANGUAGE_KEY, l.code);
                  setLanguage(l.code);
                }}
              >
                <span className="native">{l.nativeName}</span>
                <span className="english">{l.englishName}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  const direction = findLanguage(language)?.direction ?? 'ltr';
  const t = (key: Parameters<typeof clientText>[1]) => clientText(language, key);
  return (
    <div className="kiosk" lang={language} dir={direction}>
      <h1 className="kiosk-title">{t('welcome')}</h1>
      <p className="kiosk-notice">
        <span aria-hidden="true" className="kiosk-icon">
          🔒
        </span>
        {t('privateNotice')}
      </p>
      <p className="kiosk-message">{t('deviceNotSetUp')}</p>
      <button
        type="button"
        className="button kiosk-big ghost"
        onClick={() => {
          sessionStorage.removeItem(LANGUAGE_KEY);
          setLanguage(null);
        }}
      >
        ← {t('back')}
      </button>
    </div>
  );
}
