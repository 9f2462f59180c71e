import { Link } from 'react-router-dom';
import { AdminNav } from './adminWidgets.tsx';

const STRINGS = {
  title: 'Administration',
  lede: 'Set up your organisation: the people who use Parley, the facilities you call into, their kiosks, and where case notes go.',
  people: 'People',
  peopleText: 'Invite staff, attorneys and interpreters; change roles; deactivate; reset passwords.',
  facilities: 'Facilities',
  facilitiesText:
    'Visiting windows, booths and limits, blackout dates, the scheduling contact and kiosk devices.',
  connection: 'Case-system connection',
  connectionText: 'Where Parley posts case notes, its signing secret, a test event and the delivery log.',
  audit: 'Audit',
  auditText: 'Who read which case record and who changed what here, with a CSV export.',
} as const;

export function AdminHome() {
  return (
    <div className="page">
      <AdminNav />
      <h1>{STRINGS.title}</h1>
      <p className="lede">{STRINGS.lede}</p>
      <div className="cards">
        <Link to="/admin/people" className="card">
          <h2>{STRINGS.people}</h2>
          <p>{STRINGS.peopleText}</p>
        </Link>
        <Link to="/admin/facilities" className="card">
          <h2>{STRINGS.facilities}</h2>
          <p>{STRINGS.facilitiesText}</p>
        </Link>
        <Link to="/admin/connection" className="card">
          <h2>{STRINGS.connection}</h2>
          <p>{STRINGS.connectionText}</p>
        </Link>
        <Link to="/admin/audit" className="card">
          <h2>{STRINGS.audit}</h2>
          <p>{STRINGS.auditText}</p>
        </Link>
      </div>
    </div>
  );
}
