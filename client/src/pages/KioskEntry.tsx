import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  CLIENT_LANGUAGES,
  clientText,
  findLanguage,
  type CallTicket,
  type ClientStringKey,
  type KioskConsultation,
  type KioskSession,
  type LanguageCode,
} from '@parley/shared';
import { ApiError } from '../api/http.ts';
import {
  forgetKioskSession,
  joinFromKiosk,
  listTodaysCalls,
  signInDevice,
  storedKioskSession,
} from '../kiosk/kioskApi.ts';
import { Icon } from '../components/Icon.tsx';
import { KioskCall } from '../kiosk/KioskCall.tsx';

const LANGUAGE_KEY = 'parley.kiosk.language';
const IDLE_RESET_MS = 2 * 60 * 1000;

/**
 * The facility tablet. The person using it may read little and share no language with the staff
 * around them: every visit starts from a grid of languages in their own script, and every screen
 * after that is in the chosen language with large targets.
 */
export function KioskEntry() {
  const [session, setSession] = useState<KioskSession | null>(storedKioskSession);
  const [language, setLanguage] = useState<LanguageCode | null>(
    () => (sessionStorage.getItem(LANGUAGE_KEY) as LanguageCode | null) ?? null,
  );
  const [ticket, setTicket] = useState<CallTicket | null>(null);

  const chooseLanguage = useCallback((code: LanguageCode | null) => {
    if (code) sessionStorage.setItem(LANGUAGE_KEY, code);
    else sessionStorage.removeItem(LANGUAGE_KEY);
    setLanguage(code);
  }, []);

  if (!session) return <DeviceSetup onReady={setSession} />;
  if (!language) return <LanguageGrid onChoose={chooseLanguage} />;
  if (ticket) {
    return (
      <KioskCall
        session={session}
        ticket={ticket}
        language={language}
        onDone={() => {
          setTicket(null);
          chooseLanguage(null);
        }}
      />
    );
  }
  return (
    <CallPicker
      session={session}
      language={language}
      onBack={() => chooseLanguage(null)}
      onTicket={setTicket}
      onDeviceRemoved={() => {
        forgetKioskSession();
        setSession(null);
      }}
    />
  );
}

function LanguageGrid({ onChoose }: { onChoose: (code: LanguageCode) => void }) {
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
              onClick={() => onChoose(l.code)}
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

function formatTime(iso: string, timeZone: string, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(
      new Date(iso),
    );
  }
}

function CallPicker({
  session,
  language,
  onBack,
  onTicket,
  onDeviceRemoved,
}: {
  session: KioskSession;
  language: LanguageCode;
  onBack: () => void;
  onTicket: (ticket: CallTicket) => void;
  onDeviceRemoved: () => void;
}) {
  const t = (key: ClientStringKey, vars?: Record<string, string | number>) => clientText(language, key, vars);
  const direction = findLanguage(language)?.direction ?? 'ltr';
  const [calls, setCalls] = useState<KioskConsultation[] | null>(null);
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<ClientStringKey | null>(null);
  const [busy, setBusy] = useState(false);

  const handleError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) onDeviceRemoved();
      else setMessage(err instanceof ApiError && err.code === 'NOT_FOUND' ? 'pinWrong' : 'help');
    },
    [onDeviceRemoved],
  );

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      listTodaysCalls(session).then(
        (r) => !cancelled && setCalls(r.items),
        (err: unknown) => !cancelled && handleError(err),
      );
    void load();
    const timer = setInterval(() => void load(), 30_000);
    // A visit left half-way returns to the language grid for the next person.
    const idle = setTimeout(onBack, IDLE_RESET_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
      clearTimeout(idle);
    };
  }, [session, handleError, onBack]);

  async function join(request: { pin: string } | { consultationId: string }) {
    setBusy(true);
    setMessage(null);
    try {
      onTicket(await joinFromKiosk(session, request));
    } catch (err) {
      handleError(err);
      setPin('');
    } finally {
      setBusy(false);
    }
  }

  function submitPin(event: FormEvent) {
    event.preventDefault();
    if (/^[0-9]{6}$/.test(pin)) void join({ pin });
  }

  const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', '✓'];
  return (
    <div className="kiosk" lang={language} dir={direction}>
      <p className="kiosk-notice">
        <span className="kiosk-icon">
          <Icon name="lock" size={32} />
        </span>
        {t('privateNotice')}
      </p>
      <div className="kiosk-columns">
        <section className="kiosk-panel" aria-labelledby="todays-calls">
          <h2 id="todays-calls">{t('todaysCalls')}</h2>
          {calls?.length === 0 && <p>{t('noCallsToday')}</p>}
          <ul className="kiosk-calls">
            {calls?.map((call) => (
              <li key={call.id}>
                <button
                  type="button"
                  className="kiosk-call"
                  disabled={busy}
                  onClick={() => void join({ consultationId: call.id })}
                >
                  <span className="kiosk-call-time">
                    {formatTime(call.startsAt, session.facility.timeZone, language)}
                  </span>
                  <span className="kiosk-call-initials">{call.clientInitials}</span>
                  <span className="kiosk-call-language" lang={call.language}>
                    {findLanguage(call.language)?.nativeName}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="kiosk-panel" aria-labelledby="pin-title">
          <h2 id="pin-title">{t('enterPin')}</h2>
          <form onSubmit={submitPin}>
            <output className="pin-display" aria-live="polite" aria-label={t('enterPin')}>
              {pin.padEnd(6, '•').split('').join(' ')}
            </output>
            <div className="pin-pad" dir="ltr">
              {digits.map((d) => (
                <button
                  key={d}
                  type={d === '✓' ? 'submit' : 'button'}
                  className={`pin-key${d === '✓' ? ' pin-ok' : ''}`}
                  aria-label={d === '⌫' ? t('back') : d === '✓' ? t('join') : d}
                  disabled={busy || (d === '✓' && pin.length !== 6)}
                  onClick={
                    d === '✓'
                      ? undefined
                      : () => setPin((p) => (d === '⌫' ? p.slice(0, -1) : p.length < 6 ? p + d : p))
                  }
                >
                  {d}
                </button>
              ))}
            </div>
          </form>
        </section>
      </div>
      {message && (
        <p className="kiosk-message kiosk-alert" role="alert">
          {t(message)}
        </p>
      )}
      <button type="button" className="button kiosk-big ghost" onClick={onBack}>
        ← {t('back')}
      </button>
    </div>
  );
}

/** Staff-facing, once per device: English is right here, and the client sees a translated note. */
function DeviceSetup({ onReady }: { onReady: (session: KioskSession) => void }) {
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      onReady(await signInDevice(credential.trim()));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'INVALID_CREDENTIALS'
          ? 'That device credential is not valid. Check it with your Parley administrator.'
          : err instanceof ApiError
            ? err.message
            : 'Parley cannot be reached. Check the network and try again.',
      );
    }
  }
  return (
    <div className="kiosk">
      <p className="kiosk-message">
        {clientText('es', 'deviceNotSetUp')}
        <br />
        {clientText('en', 'deviceNotSetUp')}
      </p>
      <form className="kiosk-setup" onSubmit={(e) => void submit(e)}>
        <h1>Set up this tablet</h1>
        <p>Facility staff: enter the device credential your Parley administrator gave you.</p>
        <label className="field">
          <span>Device credential</span>
          <input value={credential} onChange={(e) => setCredential(e.target.value)} autoComplete="off" />
        </label>
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="button primary wide" disabled={credential.trim().length < 8}>
          Set up tablet
        </button>
      </form>
    </div>
  );
}
