import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '@parley/shared';
import { useSession } from './api/useSession.ts';
import { CallPage } from './call/CallPage.tsx';
import { AppShell } from './components/AppShell.tsx';
import { AttorneyHome } from './pages/AttorneyHome.tsx';
import { InterpreterHome } from './pages/InterpreterHome.tsx';
import { KioskEntry } from './pages/KioskEntry.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { StaffHome } from './pages/StaffHome.tsx';
import { CasePage } from './pages/cases/CasePage.tsx';
import { ConsultationPage } from './pages/consultations/ConsultationPage.tsx';
import { FacilityConfirmationPage } from './pages/consultations/FacilityConfirmationPage.tsx';
import { AvailabilityPage } from './pages/schedule/AvailabilityPage.tsx';
import { MySchedulePage } from './pages/schedule/MySchedulePage.tsx';
import { StaffSchedulePage } from './pages/schedule/StaffSchedulePage.tsx';
import { ForgotPasswordPage, ResetPasswordPage, SignUpPage } from './pages/admin/AccountPages.tsx';
import { AdminHome } from './pages/admin/AdminHome.tsx';
import { AuditPage } from './pages/admin/AuditPage.tsx';
import { ConnectionPage } from './pages/admin/ConnectionPage.tsx';
import { FacilitiesPage } from './pages/admin/FacilitiesPage.tsx';
import { FacilityPage } from './pages/admin/FacilityPage.tsx';
import { PeoplePage } from './pages/admin/PeoplePage.tsx';
import { SettingsPage } from './pages/admin/SettingsPage.tsx';

/** The admin area's screens, all for ADMIN only. */
const ADMIN_PAGES: [string, () => React.ReactNode][] = [
  ['/admin', () => <AdminHome />],
  ['/admin/people', () => <PeoplePage />],
  ['/admin/facilities', () => <FacilitiesPage />],
  ['/admin/facilities/:id', () => <FacilityPage />],
  ['/admin/connection', () => <ConnectionPage />],
  ['/admin/settings', () => <SettingsPage />],
  ['/admin/audit', () => <AuditPage />],
];

/** Where each role lands after signing in. */
export function homePath(role: Role): string {
  switch (role) {
    case 'ADMIN':
      return '/admin';
    case 'STAFF':
      return '/staff';
    case 'ATTORNEY':
      return '/attorney';
    case 'INTERPRETER':
      return '/interpreter';
  }
}

function RequireRole({
  roles,
  children,
  bare = false,
}: {
  roles: Role[];
  children: React.ReactNode;
  /** Full-screen pages (the call) go without the app's header. */
  bare?: boolean;
}) {
  const user = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  if (!roles.includes(user.role)) return <Navigate to={homePath(user.role)} replace />;
  return bare ? children : <AppShell user={user}>{children}</AppShell>;
}

export function App() {
  const user = useSession();
  return (
    <Routes>
      <Route path="/" element={<Navigate to={user ? homePath(user.role) : '/sign-in'} replace />} />
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/sign-up" element={<SignUpPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      {ADMIN_PAGES.map(([path, page]) => (
        <Route key={path} path={path} element={<RequireRole roles={['ADMIN']}>{page()}</RequireRole>} />
      ))}
      <Route
        path="/staff"
        element={
          <RequireRole roles={['ADMIN', 'STAFF']}>
            <StaffHome />
          </RequireRole>
        }
      />
      <Route
        path="/attorney"
        element={
          <RequireRole roles={['ATTORNEY']}>
            <AttorneyHome />
          </RequireRole>
        }
      />
      <Route
        path="/interpreter"
        element={
          <RequireRole roles={['INTERPRETER']}>
            <InterpreterHome />
          </RequireRole>
        }
      />
      <Route
        path="/staff/schedule"
        element={
          <RequireRole roles={['ADMIN', 'STAFF']}>
            <StaffSchedulePage />
          </RequireRole>
        }
      />
      <Route
        path="/my-schedule"
        element={
          <RequireRole roles={['ATTORNEY', 'INTERPRETER']}>
            <MySchedulePage />
          </RequireRole>
        }
      />
      <Route
        path="/interpreter/availability"
        element={
          <RequireRole roles={['INTERPRETER']}>
            <AvailabilityPage />
          </RequireRole>
        }
      />
      <Route
        path="/calls/:id"
        element={
          <RequireRole roles={['ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER']} bare>
            <CallPage />
          </RequireRole>
        }
      />
      <Route
        path="/cases/:id"
        element={
          <RequireRole roles={['ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER']}>
            <CasePage />
          </RequireRole>
        }
      />
      <Route
        path="/consultations/:id"
        element={
          <RequireRole roles={['ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER']}>
            <ConsultationPage />
          </RequireRole>
        }
      />
      {/* The facility's scheduling contact, from the mailed link: no account. */}
      <Route path="/facility-confirmation/:id" element={<FacilityConfirmationPage />} />
      <Route path="/kiosk/*" element={<KioskEntry />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
