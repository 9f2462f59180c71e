import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LANGUAGES,
  type BookedInterpretersResponse,
  type ConsultationView,
  type LanguageCode,
  type SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import { invalidateSchedule, queryClient, useServerQuery } from '../../components/schedule/serverState.ts';
import { zonedDate } from '../../components/schedule/zonedTime.ts';
import { useLanguageName } from '../../i18n/languageName.ts';

/**
 * Everyone who interprets a call (issue 17) with their role — the call's own interpreter, a relay
 * through a pivot language, booth partners — and, for staff while the call can change, adding one
 * (chosen among the interpreters free for the whole call) or taking one off.
 */
export function InterpretersPanel({
  consultation,
  canEdit,
}: {
  consultation: ConsultationView;
  canEdit: boolean;
}) {
  const { t } = useTranslation('staff');
  const languageName = useLanguageName();
  const path = `/consultations/${consultation.id}/interpreters`;
  const list = useServerQuery<BookedInterpretersResponse>(path);
  const [kind, setKind] = useState<'RELAY' | 'PARTNER'>('PARTNER');
  const [pivot, setPivot] = useState<LanguageCode>('es');
  const [partnerOf, setPartnerOf] = useState('');
  const [picked, setPicked] = useState('');
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const interpreters = list.data?.interpreters ?? [];
  const hasRelay = interpreters.some((i) => i.kind === 'RELAY');
  const relieved = interpreters.find((i) => i.interpreterId === partnerOf) ?? interpreters[0];
  // Who can cover the languages needed, free for the whole call: the booking suggestions of its day.
  const needed: string | undefined =
    kind === 'RELAY' ? pivot : (relieved?.pair.find((l) => l !== 'en') ?? consultation.language);
  const zone = consultation.facility.timeZone;
  const params = new URLSearchParams({
    caseId: consultation.case.id,
    attorneyId: consultation.attorney.id,
    date: zonedDate(Date.parse(consultation.startsAt), zone),
    durationMinutes: String((Date.parse(consultation.endsAt) - Date.parse(consultation.startsAt)) / 60_000),
    stepMinutes: '15',
    consultationId: consultation.id,
    ...(needed ? { language: needed } : {}),
  });
  const free = useServerQuery<SuggestionResponse>(
    canEdit && interpreters.length > 0 ? `/scheduling/suggestions?${params.toString()}` : null,
  );
  const onIt = new Set(interpreters.map((i) => i.interpreterId));
  const candidates = (
    free.data?.slots.find((s) => s.startsAt === consultation.startsAt)?.interpreters ?? []
  ).filter((i) => !onIt.has(i.id));

  const change = async (run: () => Promise<BookedInterpretersResponse>) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      queryClient.setQueryData(['api', path], await run());
      setPicked('');
      void invalidateSchedule();
    } catch (err) {
      setRefusal(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="interpreters-heading">
      <h2 id="interpreters-heading">{t('interpreters.heading')}</h2>
      <ErrorNotice error={list.error} />
      {interpreters.length === 0 && !list.error && <p className="muted">{t('consultation.noInterpreter')}</p>}
      <ul className="interpreter-roles" aria-label={t('interpreters.heading')}>
        {interpreters.map((i) => (
          <li key={i.interpreterId}>
            <strong>{i.name}</strong> · {t(`interpreters.kind.${i.kind}`)} ·{' '}
            {i.pair.map((l) => languageName(l)).join(' ↔ ')}
            {canEdit && i.kind !== 'FIRST' && (
              <>
                {' '}
                <button
                  type="button"
                  className="button ghost"
                  disabled={busy}
                  aria-label={t('interpreters.removeNamed', { name: i.name })}
                  onClick={() =>
                    void change(() =>
                      api<BookedInterpretersResponse>(`${path}/${i.interpreterId}`, { method: 'DELETE' }),
                    )
                  }
                >
                  {t('interpreters.remove')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {canEdit && interpreters.length > 0 && (
        <form
          className="form-row"
          aria-label={t('interpreters.add')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!picked) return;
            const body =
              kind === 'RELAY'
                ? { interpreterId: picked, kind, pivotLanguage: pivot }
                : { interpreterId: picked, kind, ...(relieved ? { partnerOf: relieved.interpreterId } : {}) };
            void change(() => api<BookedInterpretersResponse>(path, { method: 'POST', body }));
          }}
        >
          <label className="field">
            {t('interpreters.role')}
            <select value={kind} onChange={(e) => setKind(e.target.value as 'RELAY' | 'PARTNER')}>
              <option value="PARTNER">{t('interpreters.kind.PARTNER')}</option>
              {!hasRelay && interpreters.length === 1 && (
                <option value="RELAY">{t('interpreters.kind.RELAY')}</option>
              )}
            </select>
          </label>
          {kind === 'RELAY' ? (
            <label className="field">
              {t('relay.pivot')}
              <select value={pivot} onChange={(e) => setPivot(e.target.value as LanguageCode)}>
                {LANGUAGES.filter((l) => l.code !== 'en' && l.code !== consultation.language).map((l) => (
                  <option key={l.code} value={l.code}>
                    {languageName(l.code)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            interpreters.length > 1 && (
              <label className="field">
                {t('interpreters.partnerOf')}
                <select value={relieved?.interpreterId ?? ''} onChange={(e) => setPartnerOf(e.target.value)}>
                  {interpreters.map((i) => (
                    <option key={i.interpreterId} value={i.interpreterId}>
                      {i.name}
                    </option>
                  ))}
                </select>
              </label>
            )
          )}
          <label className="field">
            {t('interpreters.who')}
            <select value={picked} onChange={(e) => setPicked(e.target.value)}>
              <option value="">
                {candidates.length > 0 ? t('interpreters.choose') : t('interpreters.noneFree')}
              </option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <div className="field">
            <button type="submit" className="button primary" disabled={busy || !picked}>
              {t('interpreters.addButton')}
            </button>
          </div>
        </form>
      )}
      <RefusalNotice error={refusal} />
    </section>
  );
}
