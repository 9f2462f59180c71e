import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="signin-page">
      <div className="signin-card">
        <h1>{t('notFound.title')}</h1>
        <p>
          {t('notFound.body')} <Link to="/">{t('notFound.home')}</Link>.
        </p>
      </div>
    </div>
  );
}
