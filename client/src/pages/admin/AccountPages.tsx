/**
 * The pages people reach from Parley's emails without being signed in: accepting an invite, asking
 * for a password-reset link, and choosing a new password with it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { BAR_STATES, type AcceptInviteRequest, type InvitePreview } from '@parley/shared';
import { ApiError, signIn } from '../../api/http.ts';
import { homePath } from '../../App.tsx';
import { LanguagePicker, TimeZoneSelect } from './adminWidgets.tsx';

const STRINGS = {
  signUpTitle: 'Finish signing up',
  invitedAs: 'You were invited to',
  as: 'as',
  checking: 'Checking your invite…',
  name: 'Your name',
  email: 'Email',
  password: 'Choose a password (at least 12 characters)',
  confirm: 'Type the password again',
  mismatch: 'The two passwords are not the same.',
  barNumber: 'Bar number',
  barState: 'Bar state',
  chooseState: 'Choose…',
  languages: 'Languages you interpret',
  phone: 'Phone number for dial-out (e.g. +15045550123)',
  timeZone: 'Your time zone',
  create: 'Create my account',
  inviteInvalid: 'This invite link has expired or was already used. Ask your administrator for a new one.',
  forgotTitle: 'Forgot your password?',
  forgotLede:
    'Enter your email address. If it belongs to an account, we send a link to choose a new password.',
  sendLink: 'Send me a link',
  forgotSent: 'If that address belongs to an account, a link is on its way. It works once, for one hour.',
  resetTitle: 'Choose a new password',
  newPassword: 'New password (at least 12 characters)',
  setPassword: 'Set my new password',
  resetDone: 'Your password is changed and every other sign-in has ended. You can sign in now.',
  resetInvalid: 'This reset link has expired or was already used. Ask for a new one.',
  backToSignIn: 'Back to sign-in',
  unreachable: 'Parley cannot be reached. Check your connection and try again.',
} as const;

const ROLE_NAMES = {
  ADMIN: 'an administrator',
  STAFF: 'a staff member',
  ATTORNEY: 'an attorney',
  INTERPRETER: 'an interpreter',
} as const;

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

function messageOf(err: unknown): string {
  if (!(err instanceof ApiError)) return STRINGS.unreachable;
  const details = err.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
  return details ? `${err.message} (${details})` : err.message;
}

export function SignUpPage() {
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
      setError(STRINGS.mismatch);
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
      setError(
        err instanceof ApiError && err.code === 'INVITE_INVALID' ? STRINGS.inviteInvalid : messageOf(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1>{STRINGS.signUpTitle}</h1>
        {invalid && (
          <div className="notice error" role="alert">
            {STRINGS.inviteInvalid}
          </div>
        )}
        {!invite && !invalid && <p className="muted">{STRINGS.checking}</p>}
        {invite && (
          <>
            <p>
              {STRINGS.invitedAs} <strong>{invite.organizationName}</strong> {STRINGS.as}{' '}
              {ROLE_NAMES[invite.role]}.
            </p>
            <label className="field">
              <span>{STRINGS.email}</span>
              <input value={invite.email} readOnly />
            </label>
            <label className="field">
              <span>{STRINGS.name}</span>
              <input required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="field">
              <span>{STRINGS.password}</span>
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
              <span>{STRINGS.confirm}</span>
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
                  <span>{STRINGS.barNumber}</span>
                  <input required value={barNumber} onChange={(e) => setBarNumber(e.target.value)} />
                </label>
                <label className="field">
                  <span>{STRINGS.barState}</span>
                  <select required value={barState} onChange={(e) => setBarState(e.target.value)}>
                    <option value="">{STRINGS.chooseState}</option>
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
              <LanguagePicker legend={STRINGS.languages} value={languages} onChange={setLanguages} />
            )}
            {(invite.role === 'INTERPRETER' || invite.role === 'ATTORNEY') && (
              <label className="field">
                <span>{STRINGS.phone}</span>
                <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
              </label>
            )}
            <TimeZoneSelect label={STRINGS.timeZone} value={timeZone} onChange={setTimeZone} />
            {error && (
              <div className="notice error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="button primary" disabled={busy}>
              {STRINGS.create}
            </button>
          </>
        )}
      </form>
    </div>
  );
}

export function ForgotPasswordPage() {
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
        <h1>{STRINGS.forgotTitle}</h1>
        {sent ? (
          <p role="status">{STRINGS.forgotSent}</p>
        ) : (
          <>
            <p className="muted">{STRINGS.forgotLede}</p>
            <label className="field">
              <span>{STRINGS.email}</span>
              <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            {error && (
              <div className="notice error" role="alert">
                {error}
              </div>
            )}
            <button type="submit" className="button primary">
              {STRINGS.sendLink}
            </button>
          </>
        )}
        <Link to="/sign-in">{STRINGS.backToSignIn}</Link>
      </form>
    </div>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setError(STRINGS.mismatch);
      return;
    }
    setError(null);
    try {
      await postJson('/account/reset-password', { token, password });
      setDone(true);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'RESET_LINK_INVALID' ? STRINGS.resetInvalid : messageOf(err),
      );
    }
  }

  return (
    <div className="signin-page">
      <form className="signin-card" onSubmit={(e) => void submit(e)}>
        <h1>{STRINGS.resetTitle}</h1>
        {done ? (
          <p role="status">{STRINGS.resetDone}</p>
        ) : (
          <>
            <label className="field">
              <span>{STRINGS.newPassword}</span>
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
              <span>{STRINGS.confirm}</span>
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
              {STRINGS.setPassword}
            </button>
          </>
        )}
        <Link to="/sign-in">{STRINGS.backToSignIn}</Link>
      </form>
    </div>
  );
}
