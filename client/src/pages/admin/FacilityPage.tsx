import { useTranslation } from 'react-i18next';
import { useEffect, useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import QRCode from 'qrcode';
import {
  WEEKDAY_NAMES,
  type FacilityContact,
  type FacilityDetail,
  type KioskDeviceCreated,
  type WeeklyWindowInput,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateApi } from '../../api/apiQueries.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import {
  AdminNav,
  adminLocale,
  formatDateTime,
  minutesToTime,
  OneTimeValue,
  timeToMinutes,
  TimeZoneSelect,
} from './adminWidgets.tsx';
import { monthGrid, monthsFrom, todayIn } from './blackoutCalendar.ts';
import { NumberField } from './FacilitiesPage.tsx';

/** Sunday (0) to Saturday (6) in the reader's language: 4 January 2026 was a Sunday. */
function weekdayName(day: number): string {
  return new Intl.DateTimeFormat(adminLocale(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 4 + day)),
  );
}

function toError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

export function FacilityPage() {
  const { id = '' } = useParams();
  const detail = useServerQuery<{ facility: FacilityDetail }>(`/facilities/${id}/rules`);
  // The facilities list, this facility's rules and its kiosks: a change may show on any of them.
  const changed = () => void invalidateApi('/facilities');
  const facility = detail.data?.facility;
  return (
    <div className="page">
      <AdminNav />
      <ErrorNotice error={detail.error} />
      {facility && (
        <>
          <h1>
            {facility.name} <span className="muted mono">{facility.code}</span>
          </h1>
          <RulesForm key={`rules-${facility.id}`} facility={facility} onSaved={changed} />
          <WindowsEditor key={`windows-${facility.id}`} facility={facility} onSaved={changed} />
          <Blackouts facility={facility} onChanged={changed} />
          <ContactForm facilityId={facility.id} />
          <KioskDevices facility={facility} onChanged={changed} />
        </>
      )}
    </div>
  );
}

function RulesForm({ facility, onSaved }: { facility: FacilityDetail; onSaved: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState(facility.name);
  const [code, setCode] = useState(facility.code);
  const [address, setAddress] = useState(facility.address);
  const [timeZone, setTimeZone] = useState(facility.timeZone);
  const [booths, setBooths] = useState(facility.booths);
  const [leadHours, setLeadHours] = useState(facility.minLeadTimeMinutes / 60);
  const [maxCallMinutes, setMaxCallMinutes] = useState(facility.maxCallMinutes);
  const [dailyLimit, setDailyLimit] = useState(facility.dailyLimitPerAttorneyClient);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api(`/facilities/${facility.id}`, {
        method: 'PATCH',
        body: {
          name,
          code,
          address,
          timeZone,
          booths,
          minLeadTimeMinutes: Math.round(leadHours * 60),
          maxCallMinutes,
          dailyLimitPerAttorneyClient: dailyLimit,
        },
      });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">{t('facility.rulesTitle')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label className="field">
            <span>{t('facility.name')}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('facility.code')}</span>
            <input required value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('facility.address')}</span>
            <input value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>
          <TimeZoneSelect label={t('facility.timeZone')} value={timeZone} onChange={setTimeZone} />
          <NumberField label={t('facility.booths')} value={booths} min={1} max={50} onChange={setBooths} />
          <NumberField
            label={t('facility.leadTime')}
            value={leadHours}
            min={0}
            max={720}
            onChange={setLeadHours}
          />
          <NumberField
            label={t('facility.maxLength')}
            value={maxCallMinutes}
            min={5}
            max={480}
            onChange={setMaxCallMinutes}
          />
          <NumberField
            label={t('facility.dailyLimit')}
            value={dailyLimit}
            min={1}
            max={20}
            onChange={setDailyLimit}
          />
        </div>
        <ErrorNotice error={error} />
        {saved && <p role="status">{t('facility.saved')}</p>}
        <button type="submit" className="button primary">
          {t('facility.saveRules')}
        </button>
      </form>
    </section>
  );
}

interface WindowRow {
  weekday: number;
  start: string;
  end: string;
}

/** What the facility's zone is called right now, e.g. "CST" or "GMT-6". */
function zoneNow(zone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

function WindowsEditor({ facility, onSaved }: { facility: FacilityDetail; onSaved: () => void }) {
  const { t } = useTranslation('admin');
  const [rows, setRows] = useState<WindowRow[]>(() =>
    facility.windows.map((w) => ({
      weekday: w.weekday,
      start: minutesToTime(w.startMinute),
      end: w.endMinute === 1440 ? '24:00' : minutesToTime(w.endMinute),
    })),
  );
  const [error, setError] = useState<ApiError | undefined>();
  const [local, setLocal] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  function update(index: number, patch: Partial<WindowRow>) {
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)));
    setSaved(false);
  }

  async function save() {
    setError(undefined);
    setLocal(null);
    const windows: WeeklyWindowInput[] = [];
    for (const row of rows) {
      const startMinute = timeToMinutes(row.start);
      const endMinute = row.end === '00:00' || row.end === '24:00' ? 1440 : timeToMinutes(row.end);
      if (startMinute === null || endMinute === null || startMinute >= endMinute) {
        setLocal(t('facility.badWindow'));
        return;
      }
      windows.push({ weekday: row.weekday, startMinute, endMinute });
    }
    try {
      await api(`/facilities/${facility.id}`, { method: 'PATCH', body: { windows } });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="windows-title">
      <h2 id="windows-title">{t('facility.windowsTitle')}</h2>
      <p className="muted">
        {t('facility.windowsIn')} <strong>{facility.timeZone}</strong> ({zoneNow(facility.timeZone)})
      </p>
      {rows.length === 0 && <p>{t('facility.noWindows')}</p>}
      <table className="table" aria-label={t('facility.windowsTitle')}>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td>
                <select
                  aria-label={`${t('facility.weekday')} ${index + 1}`}
                  value={row.weekday}
                  onChange={(e) => update(index, { weekday: Number(e.target.value) })}
                >
                  {WEEKDAY_NAMES.map((day, weekday) => (
                    <option key={day} value={weekday}>
                      {weekdayName(weekday)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${t('facility.from')} ${index + 1}`}
                  value={row.start}
                  onChange={(e) => update(index, { start: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${t('facility.to')} ${index + 1}`}
                  value={row.end === '24:00' ? '00:00' : row.end}
                  onChange={(e) => update(index, { end: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="button ghost"
                  onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
                >
                  {t('facility.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-row">
        <button
          type="button"
          className="button"
          onClick={() => setRows((current) => [...current, { weekday: 1, start: '08:00', end: '16:00' }])}
        >
          {t('facility.addWindow')}
        </button>
        <button type="button" className="button primary" onClick={() => void save()}>
          {t('facility.saveWindows')}
        </button>
      </div>
      {local && (
        <div className="notice error" role="alert">
          {local}
        </div>
      )}
      <ErrorNotice error={error} />
      {saved && <p role="status">{t('facility.saved')}</p>}
    </section>
  );
}

function Blackouts({ facility, onChanged }: { facility: FacilityDetail; onChanged: () => void }) {
  const { t } = useTranslation('admin');
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | undefined>();

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await api(`/facilities/${facility.id}/blackouts`, { method: 'POST', body: { date, reason } });
      setDate('');
      setReason('');
      onChanged();
    } catch (err) {
      setError(toError(err));
    }
  }

  async function remove(blackoutId: string) {
    setError(undefined);
    try {
      await api(`/facilities/${facility.id}/blackouts/${blackoutId}`, { method: 'DELETE' });
      onChanged();
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="blackouts-title">
      <h2 id="blackouts-title">{t('facility.blackoutsTitle')}</h2>
      <p className="muted">{t('facility.blackoutsLede')}</p>
      <BlackoutMonths facility={facility} onPick={setDate} />
      {facility.blackouts.length === 0 ? (
        <p>{t('facility.noBlackouts')}</p>
      ) : (
        <table className="table" aria-label={t('facility.blackoutsTitle')}>
          <thead>
            <tr>
              <th>{t('facility.date')}</th>
              <th>{t('facility.reason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {facility.blackouts.map((b) => (
              <tr key={b.id}>
                <td>
                  {new Date(`${b.date}T12:00:00Z`).toLocaleDateString(adminLocale(), {
                    weekday: 'short',
                    year: 'numeric',
                    month: 'short',
                    day: 'numeric',
                    timeZone: 'UTC',
                  })}
                </td>
                <td>{b.reason}</td>
                <td>
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`${t('facility.remove')} ${b.date}`}
                    onClick={() => void remove(b.id)}
                  >
                    {t('facility.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form-row" onSubmit={(e) => void add(e)}>
        <label className="field">
          <span>{t('facility.date')}</span>
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('facility.reason')}</span>
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" className="button primary">
          {t('facility.addBlackout')}
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

/** Three months of the facility's calendar: blackout days marked with their reasons; a click picks a day. */
function BlackoutMonths({ facility, onPick }: { facility: FacilityDetail; onPick: (date: string) => void }) {
  const { t } = useTranslation('admin');
  const reasons = new Map(facility.blackouts.map((b) => [b.date, b.reason]));
  const today = todayIn(facility.timeZone);
  return (
    <div className="blackout-months" aria-label={t('facility.calendar')}>
      {monthsFrom(today, 3).map(({ year, month }) => (
        <table key={`${year}-${month}`} className="month">
          <caption>
            {new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(adminLocale(), {
              month: 'long',
              year: 'numeric',
              timeZone: 'UTC',
            })}
          </caption>
          <thead>
            <tr>
              {WEEKDAY_NAMES.map((day) => (
                <th key={day} abbr={day}>
                  {day.slice(0, 2)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthGrid(year, month).map((week, index) => (
              <tr key={index}>
                {week.map((date, day) => {
                  if (!date) return <td key={day} />;
                  const reason = reasons.get(date);
                  return (
                    <td key={day}>
                      <button
                        type="button"
                        className={reason ? 'day blackout' : date < today ? 'day past' : 'day'}
                        title={reason}
                        aria-label={reason ? `${date}, ${t('facility.blackoutDay')}: ${reason}` : date}
                        onClick={() => onPick(date)}
                      >
                        {Number(date.slice(8))}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

function ContactForm({ facilityId }: { facilityId: string }) {
  const loaded = useServerQuery<{ contact: FacilityContact }>(`/facilities/${facilityId}/contact`);
  return loaded.data ? (
    <ContactFields facilityId={facilityId} initial={loaded.data.contact} />
  ) : (
    <ErrorNotice error={loaded.error} />
  );
}

function ContactFields({ facilityId, initial }: { facilityId: string; initial: FacilityContact }) {
  const { t } = useTranslation('admin');
  const [contact, setContact] = useState(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api(`/facilities/${facilityId}/contact`, { method: 'PUT', body: contact });
      void invalidateApi(`/facilities/${facilityId}/contact`);
      setSaved(true);
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="contact-title">
      <h2 id="contact-title">{t('facility.contactTitle')}</h2>
      <p className="muted">{t('facility.contactLede')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label className="field">
            <span>{t('facility.contactName')}</span>
            <input
              value={contact.contactName}
              onChange={(e) => setContact({ ...contact, contactName: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{t('facility.contactEmail')}</span>
            <input
              type="email"
              value={contact.contactEmail}
              onChange={(e) => setContact({ ...contact, contactEmail: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{t('facility.contactPhone')}</span>
            <input
              type="tel"
              value={contact.contactPhone}
              onChange={(e) => setContact({ ...contact, contactPhone: e.target.value })}
            />
          </label>
        </div>
        <ErrorNotice error={error} />
        {saved && <p role="status">{t('facility.saved')}</p>}
        <button type="submit" className="button primary">
          {t('facility.saveContact')}
        </button>
      </form>
    </section>
  );
}

function CredentialQr({ credential }: { credential: string }) {
  const { t } = useTranslation('admin');
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void QRCode.toDataURL(credential, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then((url) => {
      if (!cancelled) setSrc(url);
    });
    return () => {
      cancelled = true;
    };
  }, [credential]);
  return src ? <img src={src} alt={t('facility.qrAlt')} width={240} height={240} /> : null;
}

function KioskDevices({ facility, onChanged }: { facility: FacilityDetail; onChanged: () => void }) {
  const { t } = useTranslation('admin');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<KioskDeviceCreated | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [renaming, setRenaming] = useState<{ id: string; label: string } | null>(null);

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (!renaming) return;
    setError(undefined);
    try {
      await api(`/facilities/${facility.id}/kiosk-devices/${renaming.id}`, {
        method: 'PATCH',
        body: { label: renaming.label },
      });
      setRenaming(null);
      onChanged();
    } catch (err) {
      setError(toError(err));
    }
  }

  async function register(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setCreated(
        await api<KioskDeviceCreated>(`/facilities/${facility.id}/kiosk-devices`, {
          method: 'POST',
          body: { label },
        }),
      );
      setLabel('');
      onChanged();
    } catch (err) {
      setError(toError(err));
    }
  }

  async function revoke(deviceId: string) {
    if (!window.confirm(t('facility.confirmRevoke'))) return;
    setError(undefined);
    try {
      await api(`/facilities/${facility.id}/kiosk-devices/${deviceId}`, { method: 'DELETE' });
      onChanged();
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="kiosks-title">
      <h2 id="kiosks-title">{t('facility.kiosksTitle')}</h2>
      <p className="muted">{t('facility.kiosksLede')}</p>
      <table className="table" aria-label={t('facility.kiosksTitle')}>
        <thead>
          <tr>
            <th>{t('facility.label')}</th>
            <th>{t('facility.registered')}</th>
            <th>{t('facility.lastSeen')}</th>
            <th>{t('facility.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {facility.kioskDevices.map((device) => (
            <tr key={device.id}>
              <td>
                {renaming?.id === device.id ? (
                  <form className="form-row" onSubmit={(e) => void rename(e)}>
                    <input
                      required
                      aria-label={t('facility.newLabel')}
                      value={renaming.label}
                      onChange={(e) => setRenaming({ id: device.id, label: e.target.value })}
                    />
                    <button type="submit" className="button primary">
                      {t('facility.saveLabel')}
                    </button>
                    <button type="button" className="button ghost" onClick={() => setRenaming(null)}>
                      {t('facility.cancel')}
                    </button>
                  </form>
                ) : (
                  device.label
                )}
              </td>
              <td>{formatDateTime(device.createdAt, facility.timeZone)}</td>
              <td>
                {device.lastSeenAt
                  ? formatDateTime(device.lastSeenAt, facility.timeZone)
                  : t('facility.never')}
              </td>
              <td>{device.revokedAt ? t('facility.revoked') : t('facility.active')}</td>
              <td>
                {!device.revokedAt && renaming?.id !== device.id && (
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`${t('facility.rename')} ${device.label}`}
                    onClick={() => setRenaming({ id: device.id, label: device.label })}
                  >
                    {t('facility.rename')}
                  </button>
                )}
                {!device.revokedAt && (
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`${t('facility.revoke')} ${device.label}`}
                    onClick={() => void revoke(device.id)}
                  >
                    {t('facility.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form-row" onSubmit={(e) => void register(e)}>
        <label className="field">
          <span>{t('facility.label')}</span>
          <input required value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit" className="button primary">
          {t('facility.register')}
        </button>
      </form>
      <ErrorNotice error={error} />
      {created && (
        <div className="kiosk-credential">
          <OneTimeValue
            label={t('facility.credential')}
            value={created.credential}
            note={t('facility.credentialNote')}
          />
          <CredentialQr credential={created.credential} />
        </div>
      )}
    </section>
  );
}
