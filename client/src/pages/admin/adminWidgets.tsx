import { useTranslation } from 'react-i18next';
import './admin.css';
import { useMemo, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { LANGUAGES } from '@parley/shared';
import { i18n } from '../../i18n/i18n.ts';
import { useLanguageName } from '../../i18n/languageName.ts';

/** The admin area's own tabs, under the app's header. */
export function AdminNav() {
  const { t } = useTranslation('admin');
  return (
    <nav className="chips admin-nav" aria-label={t('widgets.sections')}>
      <NavLink to="/admin" end className="chip">
        {t('widgets.overview')}
      </NavLink>
      <NavLink to="/admin/people" className="chip">
        {t('widgets.people')}
      </NavLink>
      <NavLink to="/admin/facilities" className="chip">
        {t('widgets.facilities')}
      </NavLink>
      <NavLink to="/admin/connection" className="chip">
        {t('widgets.connection')}
      </NavLink>
      <NavLink to="/admin/settings" className="chip">
        {t('widgets.settings')}
      </NavLink>
      <NavLink to="/admin/audit" className="chip">
        {t('widgets.audit')}
      </NavLink>
    </nav>
  );
}

/** The runtime's IANA zones: people choose a zone, they never type one. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'America/Chicago', 'America/New_York', 'America/Denver', 'America/Los_Angeles'];
  }
}

/**
 * The zones of the United States, where the facilities are: listed first, so nobody scrolls past
 * Africa and Asia to reach Chicago. The rest of the runtime's zones follow.
 */
export const US_TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
] as const;

/** "Central Time" (or "hora central") for America/Chicago, in the reader's language; null if unknown. */
function zoneName(zone: string, locale: string): string | null {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? null;
  } catch {
    return null;
  }
}

/**
 * The zones a select offers: the US ones, then every other zone of the runtime, with a saved zone
 * the runtime does not know kept at the top of the rest (so it is shown, not silently replaced).
 */
export function timeZoneChoices(value: string): { us: readonly string[]; others: string[] } {
  const all = timeZones();
  const known = all.includes(value) || value === '' ? all : [value, ...all];
  const us: readonly string[] = US_TIME_ZONES;
  return { us, others: known.filter((zone) => !us.includes(zone)) };
}

/** An IANA time zone chosen from a list (US zones first, named in the reader's language), never typed. */
export function TimeZoneSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { us, others } = useMemo(() => timeZoneChoices(value), [value]);
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' && <option value="">{t('timeZones.choose')}</option>}
        <optgroup label={t('timeZones.us')}>
          {us.map((zone) => {
            const name = zoneName(zone, locale);
            return (
              <option key={zone} value={zone}>
                {name ? `${zone} — ${name}` : zone}
              </option>
            );
          })}
        </optgroup>
        <optgroup label={t('timeZones.all')}>
          {others.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

/** The 20 languages (and English) as checkboxes. */
export function LanguagePicker({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: string[];
  onChange: (codes: string[]) => void;
}) {
  const languageName = useLanguageName();
  return (
    <fieldset className="field language-picker">
      <legend>{legend}</legend>
      {LANGUAGES.map((language) => (
        <label key={language.code} className="check">
          <input
            type="checkbox"
            checked={value.includes(language.code)}
            onChange={(e) =>
              onChange(
                e.target.checked ? [...value, language.code] : value.filter((code) => code !== language.code),
              )
            }
          />
          {languageName(language.code)}
        </label>
      ))}
    </fieldset>
  );
}

/** A secret or link shown once, with a copy button. */
export function OneTimeValue({ label, value, note }: { label: string; value: string; note: string }) {
  const { t } = useTranslation('admin');
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice one-time" role="status">
      <label className="field">
        <span>{label}</span>
        <input readOnly value={value} className="mono" onFocus={(e) => e.target.select()} />
      </label>
      <button
        type="button"
        className="button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? t('widgets.copied') : t('widgets.copy')}
      </button>
      <p className="muted small">{note}</p>
    </div>
  );
}

/** "14:30" ↔ minutes after midnight. */
export function minutesToTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function timeToMinutes(value: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The admin screens' dates in the reader's language (US style in English, as before). */
export function adminLocale(): string {
  return i18n.language === 'es' ? 'es-ES' : 'en-US';
}

export function formatDateTime(iso: string | null, zone?: string): string {
  if (!iso) return '—';
  // dateStyle/timeStyle cannot be combined with timeZoneName: the fields are spelled out.
  return new Date(iso).toLocaleString(adminLocale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(zone ? { timeZone: zone, timeZoneName: 'short' } : {}),
  });
}
