import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, signIn } from '../api/http.ts';
import { useSession } from '../api/useSession.ts';
import { homePath } from '../App.tsx';
import { useErrorText } from '../i18n/errorText.ts';

export function SignInPage() {
  const user = useSession();
  const { t } = useTranslation('auth');
  const errorText = useErrorText('signIn');
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
      setError(errorText(new ApiError('VALIDATION_FAILED', '', 400)));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const signedIn = await signIn(email.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      void navigate(from && from !== '/sign-in' ? from : homePath(signedIn.role), { replace: true });
    } catch (err) {
      setError(errorText(err));
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
        <p className="lede">{t('signIn.lede')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span>{t('signIn.email')}</span>
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
            <span>{t('signIn.password')}</span>
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
            {busy ? t('signIn.busy') : t('signIn.submit')}
          </button>
        </form>
        <p className="muted small">
          <Link to="/forgot-password">{t('signIn.forgot')}</Link>
        </p>
        <p className="muted small">
          {t('signIn.kioskQuestion')} <Link to="/kiosk">{t('signIn.openKiosk')}</Link>
        </p>
      </div>
    </div>
  );
}
