import { useTranslation } from 'react-i18next';

export function Pager({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <span>{t('pager.range', { first: offset + 1, last, total })}</span>
      <button
        type="button"
        className="button ghost"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        {t('pager.previous')}
      </button>
      <button
        type="button"
        className="button ghost"
        disabled={last >= total}
        onClick={() => onChange(offset + limit)}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}
