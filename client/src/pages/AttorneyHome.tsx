import { Link } from 'react-router-dom';
import { findLanguage, type CaseSummary, type Page } from '@parley/shared';
import { useApi } from '../api/useApi.ts';
import { useSession } from '../api/useSession.ts';
import { ConsultationList } from '../components/schedule/ConsultationList.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

export function AttorneyHome() {
  const user = useSession();
  const cases = useApi<Page<CaseSummary>>('/cases?status=OPEN&limit=50');
  return (
    <div className="page">
      <h1>Welcome, {user?.name.split(' ')[0]}</h1>
      <ConsultationList title="Your calls" canCancel={false} />
      <section className="panel">
        <h2>Your open cases</h2>
        <ErrorNotice error={cases.error} />
        <ul className="cards">
          {cases.data?.items.map((c) => (
            <li key={c.id} className="card">
              <strong>
                <Link to={`/cases/${c.id}`}>
                  {c.client.firstName} {c.client.lastName}
                </Link>
              </strong>
              <span className="small">
                {c.reference} · {c.title}
              </span>
              <span className="muted small">
                {findLanguage(c.client.preferredLanguage)?.englishName} ·{' '}
                {c.facility?.name ?? 'facility unknown'}
              </span>
            </li>
          ))}
        </ul>
        {cases.data?.items.length === 0 && <p className="muted">No open cases are assigned to you yet.</p>}
      </section>
    </div>
  );
}
