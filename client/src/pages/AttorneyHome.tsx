import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary, Page } from '@parley/shared';
import { useSession } from '../api/useSession.ts';
import { ConsultationList } from '../components/schedule/ConsultationList.tsx';
import { useServerQuery } from '../components/schedule/serverState.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { useLanguageName } from '../i18n/languageName.ts';

export function AttorneyHome() {
  const user = useSession();
  const { t } = useTranslation();
  const languageName = useLanguageName();
  const cases = useServerQuery<Page<CaseSummary>>('/cases?status=OPEN&limit=50');
  return (
    <div className="page">
      <h1>{t('homePage.welcome', { name: user?.name.split(' ')[0] ?? '' })}</h1>
      <ConsultationList title={t('homePage.yourCalls')} canCancel={false} />
      <section className="panel">
        <h2>{t('homePage.openCases')}</h2>
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
                {languageName(c.client.preferredLanguage)} ·{' '}
                {c.facility?.name ?? t('homePage.facilityUnknown')}
              </span>
            </li>
          ))}
        </ul>
        {cases.data?.items.length === 0 && <p className="muted">{t('homePage.noOpenCases')}</p>}
      </section>
    </div>
  );
}
