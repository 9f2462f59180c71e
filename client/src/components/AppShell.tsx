import { NavLink, useNavigate } from 'react-router-dom';
import type { SessionUser } from '@parley/shared';
import { signOut } from '../api/http.ts';

const ROLE_LABEL: Record<SessionUser['role'], string> = {
  ADMIN: 'Administrator',
  STAFF: 'Staff',
  ATTORNEY: 'Attorney',
  INTERPRETER: 'Interpreter',
};

export function AppShell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  const navigate = useNavigate();
  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="Parley home">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Parley</span>
        </NavLink>
        <span className="org">{user.organizationName}</span>
        <nav aria-label="Sections">
          {user.role === 'ADMIN' && <NavLink to="/admin">Administration</NavLink>}
          {(user.role === 'ADMIN' || user.role === 'STAFF') && (
            <NavLink to="/staff/schedule">Schedule</NavLink>
          )}
          {(user.role === 'ATTORNEY' || user.role === 'INTERPRETER') && (
            <NavLink to="/my-schedule">My schedule</NavLink>
          )}
          {user.role === 'INTERPRETER' && <NavLink to="/interpreter/availability">Availability</NavLink>}
        </nav>
        <div className="who">
          <span className="who-name">{user.name}</span>
          <span className="badge">{ROLE_LABEL[user.role]}</span>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in'));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
