import type { Role } from '@parley/shared';
import type { Db } from '../db/types.ts';

const sessionUserSelect = {
  id: true,
  organizationId: true,
  email: true,
  name: true,
  role: true,
  languages: true,
  timeZone: true,
  active: true,
  sessionVersion: true,
  organization: { select: { name: true } },
} as const;

export interface SessionUserRow {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  name: string;
  role: Role;
  languages: string[];
  timeZone: string;
  active: boolean;
  sessionVersion: number;
}

type RawSessionUser = {
  organization: { name: string };
} & Omit<SessionUserRow, 'organizationName'>;

function toSessionUser({ organization, ...row }: RawSessionUser): SessionUserRow {
  return { ...row, organizationName: organization.name };
}

/** Users as the sign-in flow sees them. Explicit selects: a password hash never leaves here by accident. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async findCredentialsByEmail(
    email: string,
  ): Promise<{ id: string; passwordHash: string; active: boolean } | null> {
    return this.db.user.findUnique({
      where: { email: email.toLowerCase() },
      select: { id: true, passwordHash: true, active: true },
    });
  }

  async findSessionUser(id: string): Promise<SessionUserRow | null> {
    const row = await this.db.user.findUnique({ where: { id }, select: sessionUserSelect });
    return row ? toSessionUser(row) : null;
  }
}
