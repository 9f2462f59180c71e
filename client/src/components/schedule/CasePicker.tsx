import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatANumber, type CaseSummary, type Page } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';

const PAGE_SIZE = 10;
const TYPING_PAUSE_MS = 250;

/** How a case reads in the picker: reference, client, A-Number. */
export function caseLabel(c: CaseSummary): string {
  return `${c.reference} — ${c.client.lastName}, ${c.client.firstName}`;
}

interface Results {
  term: string;
  items: CaseSummary[];
  total: number;
}

/**
 * Picks an open case by typing part of its reference, the client's name or A-Number: the server
 * searches (no cap), ten at a time, and "more" loads the next ten. An ARIA 1.2 combobox: arrows
 * move through the list (aria-activedescendant), Enter picks, Escape closes.
 */
export function CasePicker({
  label,
  value,
  onChange,
}: {
  label: string;
  value: CaseSummary | null;
  onChange: (c: CaseSummary | null) => void;
}) {
  const { t } = useTranslation('staff');
  const listId = useId();
  const [text, setText] = useState(value ? caseLabel(value) : '');
  const [term, setTerm] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);

  const load = (q: string, offset: number) => {
    const mine = ++request.current;
    const params = new URLSearchParams({ status: 'OPEN', limit: String(PAGE_SIZE), offset: String(offset) });
    if (q) params.set('q', q);
    api<Page<CaseSummary>>(`/cases?${params.toString()}`).then(
      (page) => {
        if (mine !== request.current) return;
        setError(null);
        setResults((previous) => ({
          term: q,
          items: offset > 0 && previous?.term === q ? [...previous.items, ...page.items] : page.items,
          total: page.total,
        }));
      },
      (err: unknown) => {
        if (mine === request.current) setError(err instanceof ApiError ? err.message : String(err));
      },
    );
  };

  // Search once typing pauses.
  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => load(term, 0), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [term, open]);

  const items = results?.term === term ? results.items : [];
  const more = results?.term === term && results.total > items.length;
  const optionCount = items.length + (more ? 1 : 0);
  const optionId = (i: number) => `${listId}-option-${i}`;

  const choose = (i: number) => {
    if (i === items.length && more) {
      load(term, items.length);
      return;
    }
    const picked = items[i];
    if (!picked) return;
    onChange(picked);
    setText(caseLabel(picked));
    setOpen(false);
    setActive(-1);
  };

  return (
    <div className="case-picker">
      <label className="field">
        {label}
        <input
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          autoComplete="off"
          placeholder={t('picker.hint')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setTerm(e.target.value.trim());
            setOpen(true);
            setActive(-1);
            if (value) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setActive((a) => (optionCount === 0 ? -1 : (a + 1) % optionCount));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setOpen(true);
              setActive((a) => (optionCount === 0 ? -1 : a <= 0 ? optionCount - 1 : a - 1));
            } else if (e.key === 'Enter' && open && active >= 0) {
              e.preventDefault();
              choose(active);
            } else if (e.key === 'Escape') {
              setOpen(false);
              setActive(-1);
            }
          }}
        />
      </label>
      <ul
        id={listId}
        role="listbox"
        aria-label={t('picker.results', { label })}
        className="case-picker-list"
        hidden={!open}
      >
        {items.map((c, i) => (
          <li
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(i);
            }}
          >
            {caseLabel(c)} <span className="muted small mono">{formatANumber(c.client.aNumber)}</span>
          </li>
        ))}
        {more && (
          <li
            id={optionId(items.length)}
            role="option"
            aria-selected={active === items.length}
            className={active === items.length ? 'active more' : 'more'}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(items.length);
            }}
          >
            {t('picker.more', { shown: items.length, total: results?.total ?? 0 })}
          </li>
        )}
        {results?.term === term && results.total === 0 && (
          <li role="option" aria-selected={false} aria-disabled="true" className="muted">
            {t('picker.none', { term })}
          </li>
        )}
      </ul>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
    </div>
  );
}
