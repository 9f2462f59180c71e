import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { FacilityDetail, FacilitySummary } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateApi } from '../../api/apiQueries.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { AdminNav, TimeZoneSelect } from './adminWidgets.tsx';

export function FacilitiesPage() {
  const { t } = useTranslation('admin');
  const facilities = useServerQuery<{ items: FacilitySummary[] }>('/facilities');
  return (
    <div className="page">
      <AdminNav />
      <h1>{t('facilities.title')}</h1>
      <section className="panel">
        <ErrorNotice error={facilities.error} />
        <table className="table" aria-label={t('facilities.title')}>
          <thead>
            <tr>
              <th>{t('facilities.name')}</th>
              <th>{t('facilities.code')}</th>
              <th>{t('facilities.timeZone')}</th>
              <th>{t('facilities.booths')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {facilities.data?.items.map((f) => (
              <tr key={f.id}>
                <td>{f.name}</td>
                <td className="mono">{f.code}</td>
                <td>{f.timeZone}</td>
                <td>{f.booths}</td>
                <td>
                  <Link to={`/admin/facilities/${f.id}`} aria-label={`${t('facilities.open')} ${f.name}`}>
                    {t('facilities.open')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NewFacilityForm />
    </div>
  );
}

function NewFacilityForm() {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [address, setAddress] = useState('');
  const [timeZone, setTimeZone] = useState('America/Chicago');
  const [booths, setBooths] = useState(1);
  const [leadHours, setLeadHours] = useState(24);
  const [maxCallMinutes, setMaxCallMinutes] = useState(60);
  const [dailyLimit, setDailyLimit] = useState(1);
  const [error, setError] = useState<ApiError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const { facility } = await api<{ facility: FacilityDetail }>('/facilities', {
        method: 'POST',
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
      await invalidateApi('/facilities');
      void navigate(`/admin/facilities/${facility.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    }
  }

  return (
    <section className="panel" aria-labelledby="new-facility">
      <h2 id="new-facility">{t('facilities.newTitle')}</h2>
      <p className="muted">{t('facilities.newLede')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label className="field">
            <span>{t('facilities.name')}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('facilities.code')}</span>
            <input required value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('facilities.address')}</span>
            <input value={address} onChange={(e) => setAddress(e.target.value)} />
          </label>
          <TimeZoneSelect label={t('facilities.timeZone')} value={timeZone} onChange={setTimeZone} />
          <NumberField label={t('facilities.booths')} value={booths} min={1} max={50} onChange={setBooths} />
          <NumberField
            label={t('facilities.leadTime')}
            value={leadHours}
            min={0}
            max={720}
            onChange={setLeadHours}
          />
          <NumberField
            label={t('facilities.maxLength')}
            value={maxCallMinutes}
            min={5}
            max={480}
            onChange={setMaxCallMinutes}
          />
          <NumberField
            label={t('facilities.dailyLimit')}
            value={dailyLimit}
            min={1}
            max={20}
            onChange={setDailyLimit}
          />
        </div>
        <ErrorNotice error={error} />
        <button type="submit" className="button primary">
          {t('facilities.create')}
        </button>
      </form>
    </section>
  );
}

export function NumberField({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        required
        min={min}
        max={max}
        value={Number.isFinite(value) ? value : ''}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
    </label>
  );
}
