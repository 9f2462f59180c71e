import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import {
  BAR_STATES,
  ROLES,
  type AdminUserView,
  type InviteCreated,
  type InviteView,
  type Page,
  type PasswordResetIssued,
  type Role,
  type UpdateUserRequest,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateApi } from '../../api/apiQueries.ts';
import { useLanguageName } from '../../i18n/languageName.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { AdminNav, formatDateTime, LanguagePicker, OneTimeValue, TimeZoneSelect } from './adminWidgets.tsx';

const PAGE_SIZE = 25;
const INVITE_PAGE_SIZE = 10;

function describe(user: AdminUserView, languageName: (code: string) => string): string {
  if (user.role === 'ATTORNEY') return [user.barState, user.barNumber].filter(Boolean).join(' ');
  if (user.role === 'INTERPRETER') {
    return user.languages.map(languageName).join(', ');
  }
  return '';
}

export function PeoplePage() {
  const { t } = useTranslation('admin');
  const languageName = useLanguageName();
  const [roleFilter, setRoleFilter] = useState<Role | ''>('');
  const [status, setStatus] = useState<'ALL' | 'ACTIVE' | 'INACTIVE'>('ALL');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset), status });
  if (roleFilter) params.set('role', roleFilter);
  if (query.trim()) params.set('q', query.trim());
  const people = useServerQuery<Page<AdminUserView>>(`/users?${params.toString()}`);
  const [inviteOffset, setInviteOffset] = useState(0);
  const invites = useServerQuery<Page<InviteView>>(
    `/users/invites?limit=${INVITE_PAGE_SIZE}&offset=${inviteOffset}`,
  );
  const [editing, setEditing] = useState<AdminUserView | null>(null);
  const [reset, setReset] = useState<{ name: string; issued: PasswordResetIssued } | null>(null);
  const [actionError, setActionError] = useState<ApiError | undefined>();

  async function act(run: () => Promise<unknown>) {
    setActionError(undefined);
    try {
      await run();
      await invalidateApi('/users');
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    }
  }

  return (
    <div className="page">
      <AdminNav />
      <h1>{t('people.title')}</h1>
      <InviteForm
        onInvited={() => {
          setInviteOffset(0);
          void invalidateApi('/users/invites');
        }}
      />

      <section className="panel">
        <div className="panel-head">
          <h2>{t('people.listTitle')}</h2>
          <input
            type="search"
            className="search"
            placeholder={t('people.search')}
            aria-label={t('people.search')}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOffset(0);
            }}
          />
          <select
            aria-label={t('people.role')}
            value={roleFilter}
            onChange={(e) => {
              setRoleFilter(e.target.value as Role | '');
              setOffset(0);
            }}
          >
            <option value="">{t('people.allRoles')}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`, { ns: 'common' })}
              </option>
            ))}
          </select>
          <select
            aria-label={t('people.status')}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as typeof status);
              setOffset(0);
            }}
          >
            <option value="ALL">{t('people.allStatuses')}</option>
            <option value="ACTIVE">{t('people.activeOnly')}</option>
            <option value="INACTIVE">{t('people.inactiveOnly')}</option>
          </select>
        </div>
        <ErrorNotice error={people.error ?? actionError} />
        {reset && (
          <OneTimeValue
            label={`${t('people.resetLink')}: ${reset.name}`}
            value={reset.issued.link}
            note={reset.issued.emailed ? t('people.resetEmailed') : t('people.resetNotEmailed')}
          />
        )}
        <table className="table" aria-label={t('people.listTitle')}>
          <thead>
            <tr>
              <th>{t('people.name')}</th>
              <th>{t('people.email')}</th>
              <th>{t('people.role')}</th>
              <th>{t('people.details')}</th>
              <th>{t('people.status')}</th>
              <th>{t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {people.data?.items.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>{t(`roles.${user.role}`, { ns: 'common' })}</td>
                <td>{describe(user, languageName)}</td>
                <td>
                  {user.active ? t('people.active') : t('people.deactivated')}
                  {user.signInLockedUntil && (
                    <span className="badge locked">
                      {t('people.lockedUntil', { time: formatDateTime(user.signInLockedUntil) })}
                    </span>
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="button ghost"
                    aria-label={`${t('people.edit')} ${user.name}`}
                    onClick={() => setEditing(user)}
                  >
                    {t('people.edit')}
                  </button>
                  {user.active ? (
                    <button
                      type="button"
                      className="button ghost"
                      aria-label={`${t('people.deactivate')} ${user.name}`}
                      onClick={() => {
                        if (window.confirm(t('people.confirmDeactivate'))) {
                          void act(() => api(`/users/${user.id}/deactivate`, { method: 'POST', body: {} }));
                        }
                      }}
                    >
                      {t('people.deactivate')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button ghost"
                      aria-label={`${t('people.reactivate')} ${user.name}`}
                      onClick={() =>
                        void act(() => api(`/users/${user.id}/reactivate`, { method: 'POST', body: {} }))
                      }
                    >
                      {t('people.reactivate')}
                    </button>
                  )}
                  {user.signInLockedUntil && (
                    <button
                      type="button"
                      className="button ghost"
                      aria-label={`${t('people.unlock')} ${user.name}`}
                      onClick={() =>
                        void act(() => api(`/users/${user.id}/unlock`, { method: 'POST', body: {} }))
                      }
                    >
                      {t('people.unlock')}
                    </button>
                  )}
                  {user.active && (
                    <button
                      type="button"
                      className="button ghost"
                      aria-label={`${t('people.resetPassword')} ${user.name}`}
                      onClick={() =>
                        void act(async () => {
                          const issued = await api<PasswordResetIssued>(`/users/${user.id}/password-reset`, {
                            method: 'POST',
                            body: {},
                          });
                          setReset({ name: user.name, issued });
                        })
                      }
                    >
                      {t('people.resetPassword')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {people.data && (
          <Pager total={people.data.total} limit={PAGE_SIZE} offset={offset} onChange={setOffset} />
        )}
      </section>

      {editing && (
        <EditPerson
          key={editing.id}
          user={editing}
          onDone={() => {
            setEditing(null);
            void invalidateApi('/users');
          }}
        />
      )}

      <section className="panel">
        <h2>{t('people.invitesTitle')}</h2>
        <ErrorNotice error={invites.error} />
        <table className="table" aria-label={t('people.invitesTitle')}>
          <thead>
            <tr>
              <th>{t('people.email')}</th>
              <th>{t('people.name')}</th>
              <th>{t('people.role')}</th>
              <th>{t('people.status')}</th>
              <th>{t('people.expires')}</th>
              <th>{t('people.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invites.data?.items.map((invite) => (
              <tr key={invite.id}>
                <td>{invite.email}</td>
                <td>{invite.name}</td>
                <td>{t(`roles.${invite.role}`, { ns: 'common' })}</td>
                <td>{t(`people.inviteStatus.${invite.status}`)}</td>
                <td>{formatDateTime(invite.expiresAt)}</td>
                <td>
                  {invite.status === 'PENDING' && (
                    <button
                      type="button"
                      className="button ghost"
                      aria-label={`${t('people.revoke')} ${invite.email}`}
                      onClick={() =>
                        void act(async () => {
                          await api(`/users/invites/${invite.id}`, { method: 'DELETE' });
                        })
                      }
                    >
                      {t('people.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {invites.data && (
          <Pager
            total={invites.data.total}
            limit={INVITE_PAGE_SIZE}
            offset={inviteOffset}
            onChange={setInviteOffset}
          />
        )}
      </section>
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { t } = useTranslation('admin');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('STAFF');
  const [created, setCreated] = useState<InviteCreated | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await api<InviteCreated>('/users/invites', { method: 'POST', body: { email, name, role } }));
      setEmail('');
      setName('');
      onInvited();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('people.inviteTitle')}</h2>
      <p className="muted">{t('people.inviteLede')}</p>
      <form className="form-row" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('people.email')}</span>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('people.name')}</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('people.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`, { ns: 'common' })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {t('people.sendInvite')}
        </button>
      </form>
      <ErrorNotice error={error} />
      {created && (
        <OneTimeValue
          label={t('people.inviteLink')}
          value={created.link}
          note={created.emailed ? t('people.inviteEmailed') : t('people.inviteNotEmailed')}
        />
      )}
    </section>
  );
}

function EditPerson({ user, onDone }: { user: AdminUserView; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [barNumber, setBarNumber] = useState(user.barNumber ?? '');
  const [barState, setBarState] = useState(user.barState ?? '');
  const [languages, setLanguages] = useState(user.languages);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [error, setError] = useState<ApiError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const patch: UpdateUserRequest = {
      ...(name !== user.name ? { name } : {}),
      ...(role !== user.role ? { role } : {}),
      ...(role === 'ATTORNEY' && barNumber !== (user.barNumber ?? '')
        ? { barNumber: barNumber || null }
        : {}),
      ...(role === 'ATTORNEY' && barState !== (user.barState ?? '')
        ? { barState: (barState || null) as UpdateUserRequest['barState'] }
        : {}),
      ...(role === 'INTERPRETER' && languages.join() !== user.languages.join()
        ? { languages: languages as UpdateUserRequest['languages'] }
        : {}),
      ...(phone !== (user.phone ?? '') ? { phone: phone || null } : {}),
      ...(timeZone !== user.timeZone ? { timeZone } : {}),
    };
    if (Object.keys(patch).length === 0) {
      onDone();
      return;
    }
    try {
      await api(`/users/${user.id}`, { method: 'PATCH', body: patch });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    }
  }

  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">
        {t('people.editTitle')}: {user.email}
      </h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('people.name')}</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('people.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`, { ns: 'common' })}
              </option>
            ))}
          </select>
        </label>
        {role === 'ATTORNEY' && (
          <>
            <label className="field">
              <span>{t('people.barNumber')}</span>
              <input value={barNumber} onChange={(e) => setBarNumber(e.target.value)} />
            </label>
            <label className="field">
              <span>{t('people.barState')}</span>
              <select value={barState} onChange={(e) => setBarState(e.target.value)}>
                <option value="">{t('people.chooseState')}</option>
                {BAR_STATES.map((state) => (
                  <option key={state} value={state}>
                    {state}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {role === 'INTERPRETER' && (
          <LanguagePicker legend={t('people.languages')} value={languages} onChange={setLanguages} />
        )}
        <label className="field">
          <span>{t('people.phone')}</span>
          <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <TimeZoneSelect label={t('people.timeZone')} value={timeZone} onChange={setTimeZone} />
        <ErrorNotice error={error} />
        <div className="form-row">
          <button type="submit" className="button primary">
            {t('people.save')}
          </button>
          <button type="button" className="button ghost" onClick={onDone}>
            {t('people.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
