import type { AdminUserView, InviteView, Page, PageQuery, Role, UserListQuery } from '@parley/shared';
import { signInKey } from '../auth/AttemptThrottleRepository.ts';
import { lockedUntil } from '../auth/attemptPolicy.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/types.ts';
import { linkState } from './roleProfile.ts';

const adminUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  barNumber: true,
  barState: true,
  languages: true,
  phone: true,
  timeZone: true,
  createdAt: true,
} as const satisfies Prisma.UserSelect;

type AdminUserRow = Prisma.UserGetPayload<{ select: typeof adminUserSelect }>;

function toAdminUser(row: AdminUserRow, locks: ReadonlyMap<string, Date>): AdminUserView {
  const locked = locks.get(signInKey(row.email));
  return { ...row, createdAt: row.createdAt.toISOString(), signInLockedUntil: locked?.toISOString() ?? null };
}

const inviteSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
} as const satisfies Prisma.UserInviteSelect;

type InviteRow = Prisma.UserInviteGetPayload<{ select: typeof inviteSelect }>;

export function toInviteView(row: InviteRow, now: Date): InviteView {
  const state = linkState(
    { expiresAt: row.expiresAt, usedAt: row.acceptedAt, revokedAt: row.revokedAt },
    now,
  );
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: state === 'USABLE' ? 'PENDING' : state === 'USED' ? 'ACCEPTED' : state,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

type Client = Db | Prisma.TransactionClient;

/** People of an organisation, their invites and password-reset links. Explicit selects throughout. */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  async list(organizationId: string, query: UserListQuery): Promise<Page<AdminUserView>> {
    const where: Prisma.UserWhereInput = {
      organizationId,
      ...(query.role ? { role: query.role } : {}),
      ...(query.status === 'ALL' ? {} : { active: query.status === 'ACTIVE' }),
      ...(query.q
        ? {
            OR: [
              { name: { contains: query.q, mode: 'insensitive' } },
              { email: { contains: query.q, mode: 'insensitive' } },
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.user.findMany({
        where,
        select: adminUserSelect,
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        skip: query.offset,
        take: query.limit,
      }),
      this.db.user.count({ where }),
    ]);
    const locks = await this.signInLocks(rows, new Date());
    return {
      items: rows.map((row) => toAdminUser(row, locks)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async find(organizationId: string, id: string, client: Client = this.db): Promise<AdminUserView | null> {
    const row = await client.user.findFirst({ where: { id, organizationId }, select: adminUserSelect });
    return row ? toAdminUser(row, await this.signInLocks([row], new Date(), client)) : null;
  }

  /** The sign-in locks in force now on these people's accounts, by attempt key. */
  private async signInLocks(
    rows: readonly { email: string }[],
    now: Date,
    client: Client = this.db,
  ): Promise<Map<string, Date>> {
    if (rows.length === 0) return new Map();
    const states = await client.attemptThrottle.findMany({
      where: { key: { in: rows.map((row) => signInKey(row.email)) }, lockedUntil: { gt: now } },
      select: { key: true, failures: true, windowStartedAt: true, lockedUntil: true },
    });
    const locks = new Map<string, Date>();
    for (const state of states) {
      const until = lockedUntil(state, now);
      if (until) locks.set(state.key, until);
    }
    return locks;
  }

  /** Attorneys with their bar cards, for staff booking a call. */
  attorneys(organizationId: string) {
    return this.db.user.findMany({
      where: { organizationId, role: 'ATTORNEY', active: true },
      select: { id: true, name: true, barNumber: true, barState: true },
      orderBy: { name: 'asc' },
    });
  }

  async emailTaken(email: string, client: Client = this.db): Promise<boolean> {
    return (await client.user.count({ where: { email } })) > 0;
  }

  async update(id: string, data: Prisma.UserUpdateInput, client: Client): Promise<void> {
    await client.user.update({ where: { id }, data, select: { id: true } });
  }

  async createUser(
    data: {
      organizationId: string;
      email: string;
      name: string;
      role: Role;
      passwordHash: string;
      barNumber: string | null;
      barState: string | null;
      languages: string[];
      phone: string | null;
      timeZone: string;
    },
    client: Client,
  ): Promise<string> {
    return (await client.user.create({ data, select: { id: true } })).id;
  }

  organizationName(organizationId: string): Promise<string> {
    return this.db.organization
      .findUniqueOrThrow({ where: { id: organizationId }, select: { name: true } })
      .then((o) => o.name);
  }

  // Invites

  async createInvite(
    data: {
      organizationId: string;
      email: string;
      name: string;
      role: Role;
      tokenHash: string;
      expiresAt: Date;
      createdById: string;
    },
    now: Date,
  ): Promise<InviteRow> {
    return this.db.$transaction(async (tx) => {
      // One working link per address: a new invite replaces the one before.
      await tx.userInvite.updateMany({
        where: { organizationId: data.organizationId, email: data.email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
      return tx.userInvite.create({ data, select: inviteSelect });
    });
  }

  /** The organisation's invites, newest first, a page at a time. */
  async invites(organizationId: string, now: Date, page: PageQuery): Promise<Page<InviteView>> {
    const where = { organizationId };
    const [rows, total] = await Promise.all([
      this.db.userInvite.findMany({
        where,
        select: inviteSelect,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: page.offset,
        take: page.limit,
      }),
      this.db.userInvite.count({ where }),
    ]);
    return {
      items: rows.map((row) => toInviteView(row, now)),
      total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async revokeInvite(organizationId: string, id: string, now: Date): Promise<InviteRow | null> {
    const { count } = await this.db.userInvite.updateMany({
      where: { id, organizationId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return null;
    return this.db.userInvite.findUnique({ where: { id }, select: inviteSelect });
  }

  inviteExists(organizationId: string, id: string): Promise<boolean> {
    return this.db.userInvite.count({ where: { id, organizationId } }).then((n) => n > 0);
  }

  inviteByTokenHash(tokenHash: string) {
    return this.db.userInvite.findUnique({
      where: { tokenHash },
      select: { ...inviteSelect, organizationId: true, organization: { select: { name: true } } },
    });
  }

  /** Marks the invite accepted if it still can be; false when another request got there first. */
  async claimInvite(id: string, now: Date, client: Client): Promise<boolean> {
    const { count } = await client.userInvite.updateMany({
      where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    return count === 1;
  }

  // Password resets

  async createReset(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.passwordResetToken.create({ data: { userId, tokenHash, expiresAt }, select: { id: true } });
  }

  activeUserByEmail(email: string) {
    return this.db.user.findFirst({
      where: { email, active: true },
      select: { id: true, name: true, email: true, organizationId: true },
    });
  }

  /**
   * Uses the reset link once: marks it used and returns its active user, or null when it is
   * unknown, used, expired or its user deactivated.
   */
  async claimReset(tokenHash: string, now: Date, client: Client) {
    const row = await client.passwordResetToken.findUnique({
      where: { tokenHash },
      select: { id: true, user: { select: { id: true, organizationId: true, active: true, email: true } } },
    });
    if (!row || !row.user.active) return null;
    const { count } = await client.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    // Any other open link of the same person stops working too.
    await client.passwordResetToken.updateMany({
      where: { userId: row.user.id, usedAt: null },
      data: { usedAt: now },
    });
    return row.user;
  }
}
