import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLIENT_LANGUAGES,
  KIOSK_PROMPT_IDS,
  KIOSK_PROMPT_MAX_BYTES,
  KIOSK_PROMPT_MIME_TYPES,
  MAX_BOOKING_HORIZON_DAYS,
  MIN_BOOKING_HORIZON_DAYS,
  type KioskPromptId,
  type KioskPromptManifest,
  type KioskPromptMimeType,
  type KioskRecordedPrompts,
  type KioskSettings,
  type LanguageCode,
  type SchedulingSettingsView,
} from '@parley/shared';
import { accessToken, api, ApiError } from '../../api/http.ts';
import { invalidateApi, markStale } from '../../api/apiQueries.ts';
import { useLanguageName } from '../../i18n/languageName.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useClientText } from '../../i18n/clientText.ts';
import { AdminNav } from './adminWidgets.tsx';

const toApiError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);

/** The organisation's own settings: what kiosks show, how far ahead calls are booked, recorded prompts. */
export function SettingsPage() {
  const { t } = useTranslation('admin');
  return (
    <div className="page">
      <AdminNav />
      <h1>{t('settings.title')}</h1>
      <KioskDisplay />
      <BookingHorizon />
      <RecordedPrompts />
    </div>
  );
}

function KioskDisplay() {
  const { t } = useTranslation('admin');
  const settings = useServerQuery<KioskSettings>('/kiosk/admin/settings');
  return (
    <section className="panel" aria-labelledby="kiosk-display-title">
      <h2 id="kiosk-display-title">{t('settings.kioskTitle')}</h2>
      <ErrorNotice error={settings.error} />
      {settings.data && <KioskDisplayForm key={String(settings.data.showInitials)} initial={settings.data} />}
    </section>
  );
}

function KioskDisplayForm({ initial }: { initial: KioskSettings }) {
  const { t } = useTranslation('admin');
  const [showInitials, setShowInitials] = useState(initial.showInitials);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api('/kiosk/admin/settings', { method: 'PUT', body: { showInitials } });
      // Stale, not refetched: the form is keyed by the value it opened with, and would reopen.
      void markStale('/kiosk');
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  return (
    <form onSubmit={(e) => void save(e)}>
      <p className="muted">{t('settings.kioskLede')}</p>
      <label className="check">
        <input type="checkbox" checked={showInitials} onChange={(e) => setShowInitials(e.target.checked)} />
        {t('settings.showInitials')}
      </label>
      <ErrorNotice error={error} />
      {saved && <p role="status">{t('settings.saved')}</p>}
      <button type="submit" className="button primary">
        {t('settings.saveKiosk')}
      </button>
    </form>
  );
}

function BookingHorizon() {
  const { t } = useTranslation('admin');
  const settings = useServerQuery<SchedulingSettingsView>('/scheduling/settings');
  return (
    <section className="panel" aria-labelledby="horizon-title">
      <h2 id="horizon-title">{t('settings.horizonTitle')}</h2>
      <ErrorNotice error={settings.error} />
      {settings.data && (
        <BookingHorizonForm
          key={settings.data.bookingHorizonDays}
          initial={settings.data.bookingHorizonDays}
        />
      )}
    </section>
  );
}

function BookingHorizonForm({ initial }: { initial: number }) {
  const { t } = useTranslation('admin');
  const [days, setDays] = useState(String(initial));
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api('/scheduling/settings', { method: 'PUT', body: { bookingHorizonDays: Number(days) } });
      void markStale('/scheduling');
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    }
  }
  return (
    <form onSubmit={(e) => void save(e)}>
      <p className="muted">{t('settings.horizonLede')}</p>
      <label className="field">
        <span>{t('settings.horizonDays')}</span>
        <input
          type="number"
          required
          min={MIN_BOOKING_HORIZON_DAYS}
          max={MAX_BOOKING_HORIZON_DAYS}
          step={1}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <ErrorNotice error={error} />
      {saved && <p role="status">{t('settings.saved')}</p>}
      <button type="submit" className="button primary">
        {t('settings.saveHorizon')}
      </button>
    </form>
  );
}

function isPromptMimeType(type: string): type is KioskPromptMimeType {
  return (KIOSK_PROMPT_MIME_TYPES as readonly string[]).includes(type);
}

/** The file's bytes as base64, as the upload API takes them. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Recordings an interpreter made of the kiosk's sentences, per language: they replace the generated
 * voice, and give a voice to languages that have none (Mam, Q'anjob'al, Tigrinya, Wolof).
 */
function RecordedPrompts() {
  const { t } = useTranslation('admin');
  const languageName = useLanguageName();
  const [language, setLanguage] = useState<LanguageCode>('mam');
  const recorded = useServerQuery<KioskRecordedPrompts>(`/kiosk/admin/prompts?language=${language}`);
  const [manifest, setManifest] = useState<KioskPromptManifest | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState<KioskPromptId | null>(null);
  useEffect(() => {
    // Which prompts ship generated with the client (written by the prompt generator).
    let current = true;
    const none: KioskPromptManifest = { format: 'ogg', languages: {} };
    fetch('/prompts/manifest.json')
      .then((r) => (r.ok ? (r.json() as Promise<KioskPromptManifest>) : none))
      .then(
        (loaded) => current && setManifest(loaded),
        () => current && setManifest(none),
      );
    return () => {
      current = false;
    };
  }, []);
  const generated = manifest?.languages[language]?.prompts ?? {};

  async function run(prompt: KioskPromptId, action: () => Promise<unknown>) {
    setError(undefined);
    setBusy(prompt);
    try {
      await action();
      await invalidateApi('/kiosk/admin/prompts');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  function upload(prompt: KioskPromptId, file: File) {
    void run(prompt, async () => {
      if (!isPromptMimeType(file.type) || file.size === 0 || file.size > KIOSK_PROMPT_MAX_BYTES) {
        throw new ApiError('PROMPT_FILE_INVALID', file.name, 400);
      }
      const body = { mimeType: file.type, audioBase64: await base64Of(file) };
      await api(`/kiosk/admin/prompts/${language}/${prompt}`, { method: 'PUT', body });
    });
  }

  async function listen(prompt: KioskPromptId) {
    const response = await fetch(`/api/kiosk/admin/prompts/${language}/${prompt}`, {
      headers: { Authorization: `Bearer ${accessToken() ?? ''}` },
    });
    if (!response.ok) {
      setError(new ApiError('NOT_FOUND', prompt, response.status));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const audio = new Audio(url);
    audio.onended = () => URL.revokeObjectURL(url);
    await audio.play().catch(() => URL.revokeObjectURL(url));
  }

  return (
    <section className="panel" aria-labelledby="prompts-title">
      <h2 id="prompts-title">{t('settings.promptsTitle')}</h2>
      <p className="muted">{t('settings.promptsLede')}</p>
      <label className="field">
        <span>{t('settings.promptLanguage')}</span>
        <select value={language} onChange={(e) => setLanguage(e.target.value as LanguageCode)}>
          {CLIENT_LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {languageName(l.code)} · {l.nativeName}
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={error ?? recorded.error} />
      <PromptTable
        language={language}
        recorded={recorded.data?.language === language ? recorded.data.recorded : []}
        generated={generated}
        busy={busy}
        onUpload={upload}
        onListen={(prompt) => void listen(prompt)}
        onRemove={(prompt) =>
          void run(prompt, () => api(`/kiosk/admin/prompts/${language}/${prompt}`, { method: 'DELETE' }))
        }
      />
    </section>
  );
}

function PromptTable({
  language,
  recorded,
  generated,
  busy,
  onUpload,
  onListen,
  onRemove,
}: {
  language: LanguageCode;
  recorded: KioskPromptId[];
  generated: Partial<Record<KioskPromptId, string>>;
  busy: KioskPromptId | null;
  onUpload: (prompt: KioskPromptId, file: File) => void;
  onListen: (prompt: KioskPromptId) => void;
  onRemove: (prompt: KioskPromptId) => void;
}) {
  const { t } = useTranslation('admin');
  // What the kiosk shows in this language: the sentence to read aloud when recording.
  const text = useClientText(language);
  const nativeName = CLIENT_LANGUAGES.find((l) => l.code === language)?.nativeName ?? language;
  return (
    <table className="table" aria-label={t('settings.promptsTitle')}>
      <thead>
        <tr>
          <th>{t('settings.promptText')}</th>
          <th>{t('settings.promptNow')}</th>
          <th>{t('settings.promptActions')}</th>
        </tr>
      </thead>
      <tbody>
        {KIOSK_PROMPT_IDS.map((prompt) => {
          const isRecorded = recorded.includes(prompt);
          const sentence = prompt === 'languageName' ? nativeName : text(prompt);
          return (
            <tr key={prompt} data-prompt={prompt}>
              <td lang={language}>{sentence}</td>
              <td>
                {isRecorded
                  ? t('settings.promptRecorded')
                  : generated[prompt]
                    ? t('settings.promptGenerated')
                    : t('settings.promptNone')}
              </td>
              <td className="actions">
                <label className="button ghost">
                  {t('settings.promptUpload')}
                  <input
                    type="file"
                    className="visually-hidden"
                    accept={KIOSK_PROMPT_MIME_TYPES.join(',')}
                    aria-label={`${t('settings.promptUpload')}: ${sentence}`}
                    disabled={busy !== null}
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file) onUpload(prompt, file);
                    }}
                  />
                </label>
                {isRecorded && (
                  <>
                    <button type="button" className="button ghost" onClick={() => onListen(prompt)}>
                      {t('settings.promptListen')}
                    </button>
                    <button
                      type="button"
                      className="button ghost"
                      disabled={busy !== null}
                      aria-label={`${t('settings.promptRemove')}: ${sentence}`}
                      onClick={() => onRemove(prompt)}
                    >
                      {t('settings.promptRemove')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
