import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router-dom';
import { findLanguage, type SessionUser } from '@parley/shared';
import { signOut } from '../api/http.ts';
import { chooseStaffLanguage, STAFF_LANGUAGES, type StaffLanguage } from '../i18n/i18n.ts';

export function AppShell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();
  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label={t('home')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Parley</span>
        </NavLink>
        <span className="org">{user.organizationName}</span>
        <nav aria-label={t('sections')}>
          {user.role === 'ADMIN' && <NavLink to="/admin">{t('administration')}</NavLink>}
          {(user.role === 'ADMIN' || user.role === 'STAFF') && (
            <NavLink to="/staff/schedule">{t('schedule')}</NavLink>
          )}
          {(user.role === 'ATTORNEY' || user.role === 'INTERPRETER') && (
            <NavLink to="/my-schedule">{t('mySchedule')}</NavLink>
          )}
          {user.role === 'INTERPRETER' && (
            <NavLink to="/interpreter/availability">{t('availability')}</NavLink>
          )}
        </nav>
        <div className="who">
          <select
            className="language-switch"
            aria-label={t('language')}
            value={i18n.resolvedLanguage}
            onChange={(e) => void chooseStaffLanguage(e.target.value as StaffLanguage)}
          >
            {STAFF_LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {findLanguage(code)?.nativeName}
              </option>
            ))}
          </select>
          <span className="who-name">{user.name}</span>
          <span className="badge">{t(`roles.${user.role}`)}</span>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in'));
            }}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
