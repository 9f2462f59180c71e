import { useTranslation } from 'react-i18next';
import './admin.css';
import { useMemo, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { LANGUAGES } from '@parley/shared';

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

export function TimeZoneSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
}) {
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(value) ? all : [value, ...all];
  }, [value]);
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
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
          {language.englishName}
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

export function formatDateTime(iso: string | null, zone?: string): string {
  if (!iso) return '—';
  // dateStyle/timeStyle cannot be combined with timeZoneName: the fields are spelled out.
  return new Date(iso).toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(zone ? { timeZone: zone, timeZoneName: 'short' } : {}),
  });
}
