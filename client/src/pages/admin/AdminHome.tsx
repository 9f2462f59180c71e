import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AdminNav } from './adminWidgets.tsx';

export function AdminHome() {
  const { t } = useTranslation('admin');
  return (
    <div className="page">
      <AdminNav />
      <h1>{t('home.title')}</h1>
      <p className="lede">{t('home.lede')}</p>
      <div className="cards">
        <Link to="/admin/people" className="card">
          <h2>{t('home.people')}</h2>
          <p>{t('home.peopleText')}</p>
        </Link>
        <Link to="/admin/facilities" className="card">
          <h2>{t('home.facilities')}</h2>
          <p>{t('home.facilitiesText')}</p>
        </Link>
        <Link to="/admin/connection" className="card">
          <h2>{t('home.connection')}</h2>
          <p>{t('home.connectionText')}</p>
        </Link>
        <Link to="/admin/settings" className="card">
          <h2>{t('home.settings')}</h2>
          <p>{t('home.settingsText')}</p>
        </Link>
        <Link to="/admin/audit" className="card">
          <h2>{t('home.audit')}</h2>
          <p>{t('home.auditText')}</p>
        </Link>
      </div>
    </div>
  );
}
