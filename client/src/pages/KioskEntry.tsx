import {
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import {
  CLIENT_LANGUAGES,
  findLanguage,
  type KioskConsultation,
  type KioskJoinRequest,
  type KioskJoinResponse,
  type KioskPromptId,
  type KioskSession,
  type LanguageCode,
} from '@parley/shared';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http.ts';
import { i18n } from '../i18n/i18n.ts';
import { useClientText, type ClientStringKey } from '../i18n/clientText.ts';
import { useErrorText } from '../i18n/errorText.ts';
import {
  forgetKioskSession,
  joinFromKiosk,
  listTodaysCalls,
  signInDevice,
  storeSeat,
  storedKioskSession,
  storedSeat,
} from '../kiosk/kioskApi.ts';
import { Icon } from '../components/Icon.tsx';
import { KioskCall } from '../kiosk/KioskCall.tsx';
import { KioskIcon } from '../kiosk/KioskIcons.tsx';
import { PromptSources, sayFirst } from '../kiosk/promptSources.ts';
import { PromptSourcesContext, SpokenPrompt } from '../kiosk/SpokenPrompt.tsx';
import '../kiosk/kiosk.css';

const LANGUAGE_KEY = 'parley.kiosk.language';
const IDLE_RESET_MS = 2 * 60 * 1000;

/**
 * The facility tablet. The person using it may read little and share no language with the staff
 * around them: every visit starts from a grid of languages in their own script (each says its name
 * when touched), and every screen after that is in the chosen language, spoken aloud, with pictures
 * and large targets. They prove a call is theirs with its 6-digit code, or by tapping it and typing
 * the last three digits of their A-Number.
 */
export function KioskEntry() {
  const [session, setSession] = useState<KioskSession | null>(storedKioskSession);
  const [language, setLanguage] = useState<LanguageCode | null>(
    () => storedSeat()?.language ?? (sessionStorage.getItem(LANGUAGE_KEY) as LanguageCode | null) ?? null,
  );
  const [joined, setJoined] = useState<KioskJoinResponse | null>(null);
  // A reload mid-call: return to the same seat before showing anything else.
  const [rejoining, setRejoining] = useState(() => storedSeat() !== null);
  const sources = useMemo(() => new PromptSources(session), [session]);

  const chooseLanguage = useCallback((code: LanguageCode | null) => {
    if (code) sessionStorage.setItem(LANGUAGE_KEY, code);
    else sessionStorage.removeItem(LANGUAGE_KEY);
    setLanguage(code);
  }, []);

  const onJoined = useCallback((response: KioskJoinResponse, lang: LanguageCode) => {
    storeSeat({ consultationId: response.consultation.id, seatToken: response.seatToken, language: lang });
    setJoined(response);
  }, []);

  useEffect(() => {
    const seat = storedSeat();
    // Without a device session the setup screen shows; the seat is tried once the device is set up.
    if (!session || !seat) return;
    let cancelled = false;
    joinFromKiosk(session, { consultationId: seat.consultationId, seatToken: seat.seatToken }).then(
      (response) => {
        if (cancelled) return;
        onJoined(response, seat.language);
        setRejoining(false);
      },
      () => {
        // The call is over, or the seat has lapsed: start the visit again.
        if (cancelled) return;
        storeSeat(null);
        setRejoining(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session, onJoined]);

  let screen: ReactNode;
  if (!session) screen = <DeviceSetup onReady={setSession} />;
  else if (rejoining && language) {
    screen = (
      <KioskScreen language={language}>
        <KioskText language={language} className="kiosk-message" role="status" text="reconnecting" />
      </KioskScreen>
    );
  } else if (!language) screen = <LanguageGrid onChoose={chooseLanguage} />;
  else if (joined) {
    screen = (
      <KioskCall
        session={session}
        ticket={joined}
        seatToken={joined.seatToken}
        language={language}
        onDone={() => {
          storeSeat(null);
          setJoined(null);
          chooseLanguage(null);
        }}
      />
    );
  } else {
    screen = (
      <CallPicker
        session={session}
        language={language}
        onBack={() => chooseLanguage(null)}
        onJoined={(response) => onJoined(response, language)}
        onDeviceRemoved={() => {
          forgetKioskSession();
          setSession(null);
        }}
      />
    );
  }
  return <PromptSourcesContext.Provider value={sources}>{screen}</PromptSourcesContext.Provider>;
}

/**
 * True where the language's screen text is still the Spanish stand-in (the Mayan languages): the
 * text is then marked as Spanish, so nothing presents it as K'iche', Mam or Q'anjob'al.
 */
function textIsSpanishStandIn(language: LanguageCode): boolean {
  // Its own catalog has no sentences: the text shown comes down the fallback chain from Spanish.
  return language !== 'es' && i18n.getResource(language, 'client', 'chooseCall') === undefined;
}

/** One client-facing sentence, as a paragraph. */
function KioskText({
  language,
  text,
  className,
  role,
}: {
  language: LanguageCode;
  text: ClientStringKey;
  className?: string;
  role?: string;
}) {
  const t = useClientText(language);
  return (
    <p className={className} role={role}>
      {t(text)}
    </p>
  );
}

/**
 * One kiosk screen on a 1280×800 tablet: the notice and the prompt's speaker on top, the screen's
 * content in the middle (which scrolls if it must), and the message and Back always at the bottom,
 * never pushed off the screen.
 */
function KioskScreen({
  language,
  prompt,
  message,
  onBack,
  children,
}: {
  language: LanguageCode;
  prompt?: KioskPromptId;
  message?: ClientStringKey | null;
  onBack?: () => void;
  children: ReactNode;
}) {
  const t = useClientText(language);
  const direction = findLanguage(language)?.direction ?? 'ltr';
  const spoken: KioskPromptId | undefined =
    message === 'pinWrong' || message === 'digitsWrong' || message === 'tooManyTries' ? message : prompt;
  return (
    <div
      className="kiosk kiosk-screen"
      lang={textIsSpanishStandIn(language) ? 'es' : language}
      data-language={language}
      dir={direction}
    >
      <header className="kiosk-head">
        <p className="kiosk-notice">
          <span className="kiosk-icon">
            <Icon name="lock" size={32} />
          </span>
          {t('privateNotice')}
        </p>
        {spoken && <SpokenPrompt key={spoken} language={language} prompt={spoken} />}
      </header>
      <main className="kiosk-main">{children}</main>
      <footer className="kiosk-foot">
        {message && (
          <p className="kiosk-message kiosk-alert" role="alert">
            <KioskIcon name="help" size={28} /> {t(message)}
          </p>
        )}
        {onBack && (
          <button type="button" className="button kiosk-big ghost kiosk-back" onClick={onBack}>
            <KioskIcon name="back" size={32} /> {t('back')}
          </button>
        )}
      </footer>
    </div>
  );
}

function LanguageGrid({ onChoose }: { onChoose: (code: LanguageCode) => void }) {
  const sources = useContext(PromptSourcesContext);
  const english = useClientText('en');
  const spanish = useClientText('es');
  return (
    <div className="kiosk">
      <h1 className="kiosk-title">
        {english('chooseLanguage')} · {spanish('chooseLanguage')}
      </h1>
      <ul className="language-grid" aria-label={`${english('languages')} · ${spanish('languages')}`}>
        {CLIENT_LANGUAGES.map((l) => (
          <li key={l.code}>
            <button
              type="button"
              className="language-button"
              lang={l.code}
              dir={l.direction}
              // Said as soon as a finger lands, so a person can listen before choosing.
              onPointerDown={() => sayFirst(sources.source(l.code, 'languageName'), { language: l.code })}
              onClick={() => onChoose(l.code)}
            >
              <span className="native">{l.nativeName}</span>
              <span className="english" lang="en" dir="ltr">
                {l.englishName}
              </span>
              <KioskIcon name="speaker" size={24} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function formatTime(iso: string, timeZone: string, language: string): string {
  // Western digits in every language, as the keypad shows them (see i18n/README.md).
  const options = { hour: 'numeric', minute: '2-digit', timeZone, numberingSystem: 'latn' } as const;
  try {
    return new Intl.DateTimeFormat(language, options).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(new Date(iso));
  }
}

function messageFor(err: unknown): ClientStringKey {
  if (!(err instanceof ApiError)) return 'help';
  if (err.code === 'NOT_FOUND') return 'pinWrong';
  if (err.code === 'KIOSK_DIGITS_WRONG') return 'digitsWrong';
  if (err.code === 'RATE_LIMITED') return 'tooManyTries';
  return 'help';
}

function CallPicker({
  session,
  language,
  onBack,
  onJoined,
  onDeviceRemoved,
}: {
  session: KioskSession;
  language: LanguageCode;
  onBack: () => void;
  onJoined: (response: KioskJoinResponse) => void;
  onDeviceRemoved: () => void;
}) {
  const t = useClientText(language);
  const [calls, setCalls] = useState<KioskConsultation[] | null>(null);
  const [chosen, setChosen] = useState<KioskConsultation | null>(null);
  const [message, setMessage] = useState<ClientStringKey | null>(null);
  const [busy, setBusy] = useState(false);

  const handleError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) onDeviceRemoved();
      else setMessage(messageFor(err));
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
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [session, handleError]);

  useEffect(() => {
    // A visit left half-way returns to the language grid for the next person.
    const idle = setTimeout(onBack, IDLE_RESET_MS);
    return () => clearTimeout(idle);
  }, [onBack, chosen, message]);

  async function join(request: KioskJoinRequest): Promise<boolean> {
    setBusy(true);
    setMessage(null);
    try {
      onJoined(await joinFromKiosk(session, request));
      return true;
    } catch (err) {
      handleError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const time = (call: KioskConsultation) => formatTime(call.startsAt, session.facility.timeZone, language);

  if (chosen) {
    return (
      <KioskScreen
        language={language}
        prompt="enterDigits"
        message={message}
        onBack={() => {
          setChosen(null);
          setMessage(null);
        }}
      >
        <section className="kiosk-panel kiosk-digits" aria-labelledby="digits-title">
          <p className="kiosk-chosen">
            <KioskIcon name="clock" size={40} /> <bdi>{time(chosen)}</bdi>
          </p>
          <h2 id="digits-title">
            <KioskIcon name="idCard" size={48} /> {t('enterDigits')}
          </h2>
          <CodePad
            length={3}
            label={t('enterDigits')}
            busy={busy}
            prefix="A-•••-•••-"
            submitLabel={t('join')}
            eraseLabel={t('erase')}
            onSubmit={(digits) => join({ consultationId: chosen.id, aNumberDigits: digits })}
          />
        </section>
      </KioskScreen>
    );
  }

  return (
    <KioskScreen language={language} prompt="chooseCall" message={message} onBack={onBack}>
      <h1 className="kiosk-title kiosk-instruction">{t('chooseCall')}</h1>
      <div className="kiosk-columns">
        <section className="kiosk-panel" aria-labelledby="todays-calls">
          <h2 id="todays-calls">
            <KioskIcon name="clock" size={36} /> {t('todaysCalls')}
          </h2>
          {calls?.length === 0 && <p>{t('noCallsToday')}</p>}
          <ul className="kiosk-calls" aria-labelledby="todays-calls">
            {calls?.map((call) => (
              <li key={call.id}>
                <button
                  type="button"
                  className="kiosk-call"
                  disabled={busy}
                  aria-label={[t('startsAt', { time: time(call) }), call.clientInitials]
                    .filter(Boolean)
                    .join(' · ')}
                  onClick={() => {
                    setMessage(null);
                    setChosen(call);
                  }}
                >
                  <KioskIcon name="person" size={40} />
                  {/* A time reads as the language writes it ("1:50 م"); its digits stay in order. */}
                  <bdi className="kiosk-call-time">{time(call)}</bdi>
                  {call.clientInitials && (
                    <bdi className="kiosk-call-initials" dir="ltr">
                      {call.clientInitials}
                    </bdi>
                  )}
                  {call.language && (
                    <span className="kiosk-call-language" lang={call.language}>
                      {findLanguage(call.language)?.nativeName}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="kiosk-panel" aria-labelledby="pin-title">
          <h2 id="pin-title">
            <KioskIcon name="keypad" size={36} /> {t('enterPin')}
          </h2>
          <CodePad
            length={6}
            label={t('enterPin')}
            busy={busy}
            submitLabel={t('join')}
            eraseLabel={t('erase')}
            onSubmit={(pin) => join({ pin })}
          />
        </section>
      </div>
    </KioskScreen>
  );
}

/**
 * A keypad and the digits typed so far. Digits read left to right in every language (dir="ltr"
 * and one box per digit), so 246810 typed on an Arabic screen shows as 246810.
 */
function CodePad({
  length,
  label,
  busy,
  prefix,
  submitLabel,
  eraseLabel,
  onSubmit,
}: {
  length: number;
  label: string;
  busy: boolean;
  /** Shown before the boxes, e.g. the A-Number's hidden first six digits. */
  prefix?: string;
  submitLabel: string;
  eraseLabel: string;
  /** Resolves true when the code was accepted; on false the pad is cleared for another try. */
  onSubmit: (code: string) => Promise<boolean>;
}) {
  const [code, setCode] = useState('');
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (code.length !== length) return;
    void onSubmit(code).then((accepted) => {
      if (!accepted && mounted.current) setCode('');
    });
  }
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'erase', '0', 'ok'];
  return (
    <form onSubmit={submit} className="code-pad">
      <output className="pin-display code-display" dir="ltr" aria-live="polite" aria-label={label}>
        {prefix && <span className="code-prefix">{prefix}</span>}
        {Array.from({ length }, (_, i) => (
          <span key={i} className={`pin-slot${code[i] ? ' filled' : ''}`} data-slot={i}>
            {code[i] ?? '•'}
          </span>
        ))}
      </output>
      <div className="pin-pad" dir="ltr">
        {keys.map((k) =>
          k === 'ok' ? (
            <button
              key={k}
              type="submit"
              className="pin-key pin-ok"
              aria-label={submitLabel}
              disabled={busy || code.length !== length}
            >
              <KioskIcon name="check" size={40} />
            </button>
          ) : k === 'erase' ? (
            <button
              key={k}
              type="button"
              className="pin-key"
              aria-label={eraseLabel}
              disabled={busy || code.length === 0}
              onClick={() => setCode((c) => c.slice(0, -1))}
            >
              <KioskIcon name="erase" size={36} />
            </button>
          ) : (
            <button
              key={k}
              type="button"
              className="pin-key"
              disabled={busy}
              onClick={() => setCode((c) => (c.length < length ? c + k : c))}
            >
              {k}
            </button>
          ),
        )}
      </div>
    </form>
  );
}

/** Staff-facing, once per device: English is right here, and the client sees a translated note. */
function DeviceSetup({ onReady }: { onReady: (session: KioskSession) => void }) {
  const { t } = useTranslation('auth');
  const english = useClientText('en');
  const spanish = useClientText('es');
  const errorText = useErrorText();
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
          ? t('kioskSetup.invalid')
          : errorText(err),
      );
    }
  }
  return (
    <div className="kiosk">
      <p className="kiosk-message">
        {spanish('deviceNotSetUp')}
        <br />
        {english('deviceNotSetUp')}
      </p>
      <form className="kiosk-setup" onSubmit={(e) => void submit(e)}>
        <h1>{t('kioskSetup.title')}</h1>
        <p>{t('kioskSetup.lede')}</p>
        <label className="field">
          <span>{t('kioskSetup.credential')}</span>
          <input value={credential} onChange={(e) => setCredential(e.target.value)} autoComplete="off" />
        </label>
        {error && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="button primary wide" disabled={credential.trim().length < 8}>
          {t('kioskSetup.submit')}
        </button>
      </form>
    </div>
  );
}
