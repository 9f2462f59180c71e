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
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import {
  AdminNav,
  formatDateTime,
  minutesToTime,
  OneTimeValue,
  timeToMinutes,
  TimeZoneSelect,
} from './adminWidgets.tsx';
import { monthGrid, monthsFrom, todayIn } from './blackoutCalendar.ts';
import { NumberField } from './FacilitiesPage.tsx';

const STRINGS = {
  rulesTitle: 'Rules',
  name: 'Name',
  code: 'Code',
  address: 'Address',
  timeZone: 'Time zone',
  booths: 'Booths (calls at the same time)',
  leadTime: 'Minimum lead time (hours)',
  maxLength: 'Longest call (minutes)',
  dailyLimit: 'Calls per attorney and client per day',
  saveRules: 'Save rules',
  saved: 'Saved.',
  windowsTitle: 'Weekly visiting windows',
  windowsIn: 'Times are the facility’s own time:',
  weekday: 'Day',
  from: 'From',
  to: 'To',
  remove: 'Remove',
  addWindow: 'Add a window',
  saveWindows: 'Save windows',
  badWindow: 'Each window needs a start before its end.',
  noWindows: 'No visiting windows yet: nothing can be booked here.',
  blackoutsTitle: 'Blackout dates',
  blackoutsLede:
    'Days the facility takes no calls (holidays, lockdowns). Dates are the facility’s local dates.',
  date: 'Date',
  reason: 'Reason',
  addBlackout: 'Add blackout',
  noBlackouts: 'No blackout dates.',
  calendar: 'The next three months',
  blackoutDay: 'blackout',
  contactTitle: 'Scheduling contact',
  contactLede: 'Who at the facility confirms booked calls.',
  contactName: 'Contact name',
  contactEmail: 'Contact email',
  contactPhone: 'Contact phone (e.g. +19725550100)',
  saveContact: 'Save contact',
  kiosksTitle: 'Kiosk devices',
  kiosksLede:
    'Register each tablet or kiosk. Its credential is shown once: type it on the device’s setup screen or scan the QR code.',
  label: 'Label',
  lastSeen: 'Last seen',
  registered: 'Registered',
  status: 'Status',
  active: 'Active',
  revoked: 'Revoked',
  revoke: 'Revoke',
  register: 'Register device',
  credential: 'Device credential',
  credentialNote: 'Shown only now. Enter it on the kiosk (open /kiosk on the device) or scan the QR code.',
  qrAlt: 'QR code of the device credential',
  confirmRevoke: 'Revoke this device? It is signed out and cannot join calls any more.',
  never: 'Never',
} as const;

function toError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

export function FacilityPage() {
  const { id = '' } = useParams();
  const detail = useApi<{ facility: FacilityDetail }>(`/facilities/${id}/rules`);
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
          <RulesForm key={`rules-${facility.id}`} facility={facility} onSaved={detail.reload} />
          <WindowsEditor key={`windows-${facility.id}`} facility={facility} onSaved={detail.reload} />
          <Blackouts facility={facility} onChanged={detail.reload} />
          <ContactForm facilityId={facility.id} />
          <KioskDevices facility={facility} onChanged={detail.reload} />
        </>
      )}
    </div>
  );
}

function RulesForm({ facility, onSaved }: { facility: FacilityDetail; onSaved: () => void }) {
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
      <h2 id="rules-title">{STRINGS.rulesTitle}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label className="field">
            <span>{STRINGS.name}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{STRINGS.code}</span>
            <input required value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <label className="field">
            <span>{STRINGS.address}</span>
            <input value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>
          <TimeZoneSelect label={STRINGS.timeZone} value={timeZone} onChange={setTimeZone} />
          <NumberField label={STRINGS.booths} value={booths} min={1} max={50} onChange={setBooths} />
          <NumberField label={STRINGS.leadTime} value={leadHours} min={0} max={720} onChange={setLeadHours} />
          <NumberField
            label={STRINGS.maxLength}
            value={maxCallMinutes}
            min={5}
            max={480}
            onChange={setMaxCallMinutes}
          />
          <NumberField
            label={STRINGS.dailyLimit}
            value={dailyLimit}
            min={1}
            max={20}
            onChange={setDailyLimit}
          />
        </div>
        <ErrorNotice error={error} />
        {saved && <p role="status">{STRINGS.saved}</p>}
        <button type="submit" className="button primary">
          {STRINGS.saveRules}
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
        setLocal(STRINGS.badWindow);
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
      <h2 id="windows-title">{STRINGS.windowsTitle}</h2>
      <p className="muted">
        {STRINGS.windowsIn} <strong>{facility.timeZone}</strong> ({zoneNow(facility.timeZone)})
      </p>
      {rows.length === 0 && <p>{STRINGS.noWindows}</p>}
      <table className="table" aria-label={STRINGS.windowsTitle}>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td>
                <select
                  aria-label={`${STRINGS.weekday} ${index + 1}`}
                  value={row.weekday}
                  onChange={(e) => update(index, { weekday: Number(e.target.value) })}
                >
                  {WEEKDAY_NAMES.map((day, weekday) => (
                    <option key={day} value={weekday}>
                      {day}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${STRINGS.from} ${index + 1}`}
                  value={row.start}
                  onChange={(e) => update(index, { start: e.target.value })}
                />
              </td>
              <td>
                <input
                  type="time"
                  aria-label={`${STRINGS.to} ${index + 1}`}
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
                  {STRINGS.remove}
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
          {STRINGS.addWindow}
        </button>
        <button type="button" className="button primary" onClick={() => void save()}>
          {STRINGS.saveWindows}
        </button>
      </div>
      {local && (
        <div className="notice error" role="alert">
          {local}
        </div>
      )}
      <ErrorNotice error={error} />
      {saved && <p role="status">{STRINGS.saved}</p>}
    </section>
  );
}

function Blackouts({ facility, onChanged }: { facility: FacilityDetail; onChanged: () => void }) {
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
      <h2 id="blackouts-title">{STRINGS.blackoutsTitle}</h2>
      <p className="muted">{STRINGS.blackoutsLede}</p>
      <BlackoutMonths facility={facility} onPick={setDate} />
      {facility.blackouts.length === 0 ? (
        <p>{STRINGS.noBlackouts}</p>
      ) : (
        <table className="table" aria-label={STRINGS.blackoutsTitle}>
          <thead>
            <tr>
              <th>{STRINGS.date}</th>
              <th>{STRINGS.reason}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {facility.blackouts.map((b) => (
              <tr key={b.id}>
                <td>
                  {new Date(`${b.date}T12:00:00Z`).toLocaleDateString('en-US', {
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
                    aria-label={`${STRINGS.remove} ${b.date}`}
                    onClick={() => void remove(b.id)}
                  >
                    {STRINGS.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form-row" onSubmit={(e) => void add(e)}>
        <label className="field">
          <span>{STRINGS.date}</span>
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>{STRINGS.reason}</span>
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" className="button primary">
          {STRINGS.addBlackout}
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

/** Three months of the facility's calendar: blackout days marked with their reasons; a click picks a day. */
function BlackoutMonths({ facility, onPick }: { facility: FacilityDetail; onPick: (date: string) => void }) {
  const reasons = new Map(facility.blackouts.map((b) => [b.date, b.reason]));
  const today = todayIn(facility.timeZone);
  return (
    <div className="blackout-months" aria-label={STRINGS.calendar}>
      {monthsFrom(today, 3).map(({ year, month }) => (
        <table key={`${year}-${month}`} className="month">
          <caption>
            {new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-US', {
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
                        aria-label={reason ? `${date}, ${STRINGS.blackoutDay}: ${reason}` : date}
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
  const loaded = useApi<{ contact: FacilityContact }>(`/facilities/${facilityId}/contact`);
  return loaded.data ? (
    <ContactFields facilityId={facilityId} initial={loaded.data.contact} />
  ) : (
    <ErrorNotice error={loaded.error} />
  );
}

function ContactFields({ facilityId, initial }: { facilityId: string; initial: FacilityContact }) {
  const [contact, setContact] = useState(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api(`/facilities/${facilityId}/contact`, { method: 'PUT', body: contact });
      setSaved(true);
    } catch (err) {
      setError(toError(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="contact-title">
      <h2 id="contact-title">{STRINGS.contactTitle}</h2>
      <p className="muted">{STRINGS.contactLede}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label className="field">
            <span>{STRINGS.contactName}</span>
            <input
              value={contact.contactName}
              onChange={(e) => setContact({ ...contact, contactName: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{STRINGS.contactEmail}</span>
            <input
              type="email"
              value={contact.contactEmail}
              onChange={(e) => setContact({ ...contact, contactEmail: e.target.value })}
            />
          </label>
          <label className="field">
            <span>{STRINGS.contactPhone}</span>
            <input
              type="tel"
              value={contact.contactPhone}
              onChange={(e) => setContact({ ...contact, contactPhone: e.target.value })}
            />
          </label>
        </div>
        <ErrorNotice error={error} />
        {saved && <p role="status">{STRINGS.saved}</p>}
        <button type="submit" className="button primary">
          {STRINGS.saveContact}
        </button>
      </form>
    </section>
  );
}

function CredentialQr({ credential }: { credential: string }) {
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
  return src ? <img src={src} alt={STRINGS.qrAlt} width={240} height={240} /> : null;
}

function KioskDevices({ facility, onChanged }: { facility: FacilityDetail; onChanged: () => void }) {
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<KioskDeviceCreated | null>(null);
  const [error, setError] = useState<ApiError | undefined>();

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
    if (!window.confirm(STRINGS.confirmRevoke)) return;
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
      <h2 id="kiosks-title">{STRINGS.kiosksTitle}</h2>
      <p className="muted">{STRINGS.kiosksLede}</p>
      <table className="table" aria-label={STRINGS.kiosksTitle}>
        <thead>
          <tr>
            <th>{STRINGS.label}</th>
            <th>{STRINGS.registered}</th>
            <th>{STRINGS.lastSeen}</th>
            <th>{STRINGS.status}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {facility.kioskDevices.map((device) => (
            <tr key={device.id}>
              <td>{device.label}</td>
              <td>{formatDateTime(device.createdAt, facility.timeZone)}</td>
              <td>
                {device.lastSeenAt ? formatDateTime(device.lastSeenAt, facility.timeZone) : STRINGS.never}
              </td>
              <td>{device.revokedAt ? STRINGS.revoked : STRINGS.active}</td>
              <td>
                {!device.revokedAt && (
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`${STRINGS.revoke} ${device.label}`}
                    onClick={() => void revoke(device.id)}
                  >
                    {STRINGS.revoke}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form-row" onSubmit={(e) => void register(e)}>
        <label className="field">
          <span>{STRINGS.label}</span>
          <input required value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit" className="button primary">
          {STRINGS.register}
        </button>
      </form>
      <ErrorNotice error={error} />
      {created && (
        <div className="kiosk-credential">
          <OneTimeValue label={STRINGS.credential} value={created.credential} note={STRINGS.credentialNote} />
          <CredentialQr credential={created.credential} />
        </div>
      )}
    </section>
  );
}
