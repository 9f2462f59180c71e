/**
 * The pages people reach from Parley's emails without being signed in: accepting an invite, asking
 * for a password-reset link, and choosing a new password with it.
 */
import { useTranslation } from 'react-i18next';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { BAR_STATES, type AcceptInviteRequest, type InvitePreview } from '@parley/shared';
import { ApiError, signIn } from '../../api/http.ts';
import { homePath } from '../../App.tsx';
import { useErrorText } from '../../i18n/errorText.ts';
import { LanguagePicker, TimeZoneSelect } from './adminWidgets.tsx';

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json().catch(() => ({}))) as T & {
    error?: { code: ApiError['code']; message: string; details?: { path: string; message: string }[] };
  };
  if (!response.ok) {
    throw new ApiError(
      parsed.error?.code ?? 'INTERNAL',
      parsed.error?.message ?? `The server answered ${response.status}`,
      response.status,
      parsed.error?.details,
    );
  }
  return parsed;
}

/** The refusal in the reader's language, with the fields a VALIDATION_FAILED names. */
function useMessageOf(): (err: unknown) => string {
  const errorText = useErrorText();
  return (err) => {
    const details =
      err instanceof ApiError && err.code === 'VALIDATION_FAILED'
        ? err.details?.map((d) => `${d.path}: ${d.message}`).join('; ')
        : undefined;
    return details ? `${errorText(err)} (${details})` : errorText(err);
  };
}

export function SignUpPage() {
  const { t } = useTranslation('auth');
  const messageOf = useMessageOf();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [invite, setInvite] = useState<InvitePreview | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [barNumber, setBarNumber] = useState('');
  const [barState, setBarState] = useState('');
  const [languages, setLanguages] = useState<string[]>([]);
  const [phone, setPhone] = useState('');
  const [timeZone, setTimeZone] = useState(
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Chicago',
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetch(`/api/account/invite?token=${encodeURIComponent(token)}`)
      .then(async (response) => {
        if (!response.ok) throw new Error('invalid');
        const body = (await response.json()) as { invite: InvitePreview };
        if (!cancelled) {
          setInvite(body.invite);
          setName(body.invite.name);
        }
      })
      .catch(() => {
        if (!cancelled) setInvalid(true);
      });
    return () => {
      cancelled = true;
    };
  }, [token]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!invite) return;
    if (password !== confirm) {
      setError(t('account.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    const body: AcceptInviteRequest = {
      token,
      name,
      password,
      timeZone,
      ...(invite.role === 'ATTORNEY'
        ? { barNumber, ...(barState ? { barState: barState as AcceptInviteRequest['barState'] } : {}) }
        : {}),
      ...(invite.role === 'INTERPRETER' ? { languages: languages as AcceptInviteRequest['languages'] } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    };
    try {
      const { email } = await postJson<{ email: string }>('/account/sign-up', body);
      const user = await signIn(email, password);
      void navigate(homePath(user.role), { replace: true });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('account.signUpTitle')}</h1>
        {invalid && (
          <div className="notice error" role="alert">
            {t('account.inviteInvalid')}
          </div>
        )}
        {!invite && !invalid && <p className="muted">{t('account.checking')}</p>}
        {invite && (
          <>
            <p>
              {t('account.invited', {
                organization: invite.organizationName,
                role: t(`account.invitedRole.${invite.role}`),
              })}
            </p>
            <label className="field">
              <span>{t('account.email')}</span>
              <input value={invite.email} readOnly />
            </label>
            <label className="field">
              <span>{t('account.name')}</span>
              <input required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('account.password')}</span>
              <input
                type="password"
                required
                minLength={12}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('account.confirm')}</span>
              <input
                type="password"
                required
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            </label>
            {invite.role === 'ATTORNEY' && (
              <>
                <label className="field">
                  <span>{t('account.barNumber')}</span>
                  <input required value={barNumber} onChange={(e) => setBarNumber(e.target.value)} />
                </label>
                <label className="field">
                  <span>{t('account.barState')}</span>
                  <select required value={barState} onChange={(e) => setBarState(e.target.value)}>
                    <option value="">{t('account.chooseState')}</option>
                    {BAR_STATES.map((state) => (
                      <option key={state} value={state}>
                        {state}
                      </option>
                    ))}
                  </select>
                </label>
              </>
            )}
            {invite.role === 'INTERPRETER' && (
              <LanguagePicker legend={t('account.languages')} value={languages} onChange={setLanguages} />
            )}
            {(invite.role === 'INTERPRETER' || invite.role === 'ATTORNEY') && (
              <label className="field">
                <span>{t('account.phone')}</span>
                <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
              </label>
            )}
            <TimeZoneSelect label={t('account.timeZone')} value={timeZone} onChange={setTimeZone} />
            {error && (
              <div className="notice error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="button primary" disabled={busy}>
              {t('account.create')}
            </button>
          </>
        )}
      </form>
    </div>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const messageOf = useMessageOf();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await postJson('/account/forgot-password', { email });
      setSent(true);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('account.forgotTitle')}</h1>
        {sent ? (
          <p role="status">{t('account.forgotSent')}</p>
        ) : (
          <>
            <p className="muted">{t('account.forgotLede')}</p>
            <label className="field">
              <span>{t('account.email')}</span>
              <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            {error && (
              <div className="notice error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="button primary">
              {t('account.sendLink')}
            </button>
          </>
        )}
        <Link to="/sign-in">{t('account.backToSignIn')}</Link>
      </form>
    </div>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const messageOf = useMessageOf();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setError(t('account.mismatch'));
      return;
    }
    setError(null);
    try {
      await postJson('/account/reset-password', { token, password });
      setDone(true);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('account.resetTitle')}</h1>
        {done ? (
          <p role="status">{t('account.resetDone')}</p>
        ) : (
          <>
            <label className="field">
              <span>{t('account.newPassword')}</span>
              <input
                type="password"
                required
                minLength={12}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('account.confirm')}</span>
              <input
                type="password"
                required
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
              />
            </label>
            {error && (
              <div className="notice error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="button primary">
              {t('account.setPassword')}
            </button>
          </>
        )}
        <Link to="/sign-in">{t('account.backToSignIn')}</Link>
      </form>
    </div>
  );
}
