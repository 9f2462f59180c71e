import { useTranslation } from 'react-i18next';
import { findLanguage } from '@parley/shared';
import { useSession } from '../api/useSession.ts';
import { ConsultationList } from '../components/schedule/ConsultationList.tsx';
import { useLanguageName } from '../i18n/languageName.ts';

export function InterpreterHome() {
  const user = useSession();
  const { t } = useTranslation();
  const languageName = useLanguageName();
  if (!user) return null;
  return (
    <div className="page">
      <h1>{t('homePage.welcome', { name: user.name.split(' ')[0] ?? '' })}</h1>
      <section className="panel">
        <h2>{t('homePage.yourLanguages')}</h2>
        <ul className="chips" aria-label={t('homePage.yourLanguages')}>
          {user.languages.map((code) => {
            const language = findLanguage(code);
            return (
              <li key={code} className="chip" lang={code} dir={language?.direction}>
                {language ? `${languageName(code)} · ${language.nativeName}` : code}
              </li>
            );
          })}
        </ul>
        <p className="muted small">{t('homePage.timesShownIn', { zone: user.timeZone.replace('_', ' ') })}</p>
      </section>
      <ConsultationList title={t('homePage.yourCalls')} canCancel={false} />
    </div>
  );
}
