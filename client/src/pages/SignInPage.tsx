import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, signIn } from '../api/http.ts';
import { useSession } from '../api/useSession.ts';
import { homePath } from '../App.tsx';

const MESSAGES: Partial<Record<string, string>> = {
  INVALID_CREDENTIALS: 'That email and password do not match. Check them and try again.',
  RATE_LIMITED: 'Too many attempts. Wait a few minutes, then try again.',
  ACCOUNT_LOCKED:
    'Too many failed attempts on this account. Try again in 15 minutes, or ask an administrator to unlock it.',
  VALIDATION_FAILED: 'Enter your email address and password.',
};

export function SignInPage() {
  const user = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user) return <Navigate to={homePath(user.role)} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(MESSAGES.VALIDATION_FAILED ?? null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const signedIn = await signIn(email.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      void navigate(from && from !== '/sign-in' ? from : homePath(signedIn.role), { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError
          ? (MESSAGES[err.code] ?? err.message)
          : 'Parley cannot be reached. Check your connection and try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <div className="signin-card">
        <div className="signin-brand">
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <h1>Parley</h1>
        </div>
        <p className="lede">Interpreted legal consultations with people in immigration detention.</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          {error && (
            <div className="notice error" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted small">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p className="muted small">
          Setting up a facility tablet? <Link to="/kiosk">Open the kiosk</Link>
        </p>
      </div>
    </div>
  );
}
