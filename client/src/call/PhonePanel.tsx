import { Suspense, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  compactE164,
  type CallRole,
  type DialOutAccepted,
  type DialOutRequest,
  type PhoneAccess,
  type PhoneRole,
} from '@parley/shared';
import { api, ApiError } from '../api/http.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import './phonePanel.css';

/**
 * The seats this person may ask Parley to call, as `POST /api/calls/:id/phone/dial-out` allows:
 * staff any seat of the call, the attorney any (their own first), the interpreter only their own.
 * `pins` are the seats `GET /api/calls/:id/phone` showed; for staff they say whether there is an
 * interpreter seat at all.
 */
export function dialOutSeats(role: CallRole, pins: PhoneAccess['pins']): PhoneRole[] {
  if (role === 'STAFF') return pins.map((p) => p.role);
  if (role === 'ATTORNEY') return ['ATTORNEY', 'INTERPRETER', 'CLIENT'];
  if (role === 'INTERPRETER') return ['INTERPRETER'];
  return [];
}

/** A PIN as people read it aloud and key it in: two groups of three. */
export function formatPin(pin: string): string {
  return /^\d{6}$/.test(pin) ? `${pin.slice(0, 3)} ${pin.slice(3)}` : pin;
}

type DialOutOutcome =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'invalid' }
  | { kind: 'refused'; error: ApiError }
  | { kind: 'accepted'; number: string; answer: DialOutAccepted };

/**
 * "Join by phone" on the call screen of the attorney, the interpreter and staff: Parley's number,
 * the phone PIN of their own seat (staff: every seat's), and a form asking Parley to call a phone
 * into a seat. Shown only when this Parley has phone legs (SIP on); text in the staff language.
 * Its own Suspense: the `phone` catalog loading must not blank the call screen around it.
 */
export function PhonePanel(props: { consultationId: string; role: CallRole }) {
  return (
    <Suspense fallback={null}>
      <PhonePanelBody {...props} />
    </Suspense>
  );
}

function PhonePanelBody({ consultationId, role }: { consultationId: string; role: CallRole }) {
  const { t, i18n } = useTranslation('phone');
  const [access, setAccess] = useState<PhoneAccess | null>(null);
  useEffect(() => {
    let current = true;
    // No phone panel when the server says no (SIP off) or cannot say: the call goes on without it.
    api<PhoneAccess>(`/calls/${consultationId}/phone`).then(
      (answer) => current && setAccess(answer),
      () => current && setAccess(null),
    );
    return () => {
      current = false;
    };
  }, [consultationId]);
  if (!access?.enabled || !access.dialIn) return null;
  const seats = dialOutSeats(role, access.pins);
  return (
    <section className="panel phone-panel" aria-label={t('title')} lang={i18n.language}>
      <h2>{t('title')}</h2>
      <p className="muted small">{t('intro')}</p>
      {access.dialIn.number ? (
        <>
          <p className="phone-dial-in">{t('dialNumber', { number: access.dialIn.number })}</p>
          <p className="muted small">{t('dialSip', { address: access.dialIn.sipUri })}</p>
        </>
      ) : (
        <p className="phone-dial-in">{t('sipOnly', { address: access.dialIn.sipUri })}</p>
      )}
      <dl className="phone-pins">
        {access.pins.map(({ role: seat, pin }) => (
          <div key={seat} className="phone-pin-row">
            <dt>{role === 'STAFF' ? t(`pinOf_${seat}`) : t('yourPin')}</dt>
            <dd className="phone-pin" data-testid={`phone-pin-${seat}`}>
              {formatPin(pin)}
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t('pinHint')}</p>
      {seats.length > 0 && <DialOutForm consultationId={consultationId} role={role} seats={seats} />}
    </section>
  );
}

function DialOutForm({
  consultationId,
  role,
  seats,
}: {
  consultationId: string;
  role: CallRole;
  seats: PhoneRole[];
}) {
  const { t, i18n } = useTranslation('phone');
  const id = useId();
  const [seat, setSeat] = useState<PhoneRole>(seats[0]!);
  const [number, setNumber] = useState('');
  const [outcome, setOutcome] = useState<DialOutOutcome>({ kind: 'idle' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (outcome.kind === 'sending') return;
    if (!compactE164(number.trim())) {
      setOutcome({ kind: 'invalid' });
      return;
    }
    setOutcome({ kind: 'sending' });
    const body: DialOutRequest = { role: seat, number: number.trim() };
    try {
      const answer = await api<DialOutAccepted>(`/calls/${consultationId}/phone/dial-out`, {
        method: 'POST',
        body,
      });
      setOutcome({ kind: 'accepted', number: number.trim(), answer });
    } catch (error) {
      setOutcome({
        kind: 'refused',
        error: error instanceof ApiError ? error : new ApiError('INTERNAL', String(error), 0),
      });
    }
  }

  const seatLabel = (s: PhoneRole) => (s === role ? t('me') : t(`seat_${s}`));
  return (
    <form className="phone-dial-out" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('dialOutTitle')}</h3>
      {seats.length > 1 && (
        <label htmlFor={`${id}-seat`}>
          {t('whose')}
          <select id={`${id}-seat`} value={seat} onChange={(e) => setSeat(e.target.value as PhoneRole)}>
            {seats.map((s) => (
              <option key={s} value={s}>
                {seatLabel(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label htmlFor={`${id}-number`}>
        {t('number')}
        <input
          id={`${id}-number`}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={40}
          placeholder="+1 504 555 0142"
          aria-describedby={`${id}-hint`}
          aria-invalid={outcome.kind === 'invalid'}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
      </label>
      <span id={`${id}-hint`} className="muted small">
        {t('numberHint')}
      </span>
      <button type="submit" className="button primary" disabled={outcome.kind === 'sending'}>
        {outcome.kind === 'sending' ? t('calling') : t('call')}
      </button>
      {outcome.kind === 'invalid' && (
        <div className="notice error" role="alert">
          {t('invalidNumber')}
        </div>
      )}
      {outcome.kind === 'refused' && <ErrorNotice error={outcome.error} context="phone" />}
      {outcome.kind === 'accepted' && (
        <p className="notice" role="status">
          {outcome.answer.status === 'DIALLING'
            ? t('dialling', { number: outcome.number })
            : t('scheduled', {
                number: outcome.number,
                time: new Date(outcome.answer.at).toLocaleTimeString(i18n.language, {
                  hour: 'numeric',
                  minute: '2-digit',
                }),
              })}
        </p>
      )}
    </form>
  );
}
