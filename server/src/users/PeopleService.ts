import {
  ErrorCode,
  type AcceptInviteRequest,
  type AdminUserView,
  type InviteCreated,
  type InvitePreview,
  type InviteUserRequest,
  type PasswordResetIssued,
  type UpdateUserRequest,
} from '@parley/shared';
import { hashPassword } from '../auth/passwords.ts';
import type { AccessClaims } from '../auth/tokens.ts';
import type { UserSessions } from '../auth/UserSessions.ts';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { Db } from '../db/types.ts';
import { AppError, ConflictError, NotFoundError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/Mailer.ts';
import { inviteMail, passwordResetMail } from '../mail/messages.ts';
import { hashLinkToken, INVITE_TTL_MS, newLinkToken, RESET_TTL_MS } from './linkTokens.ts';
import { PeopleRepository, toInviteView } from './PeopleRepository.ts';
import { missingProfileFields, profileForRole, type RoleProfile } from './roleProfile.ts';

function incomplete(missing: string[]): AppError {
  return new AppError(
    ErrorCode.PROFILE_INCOMPLETE,
    `Still needed for this role: ${missing.join(', ')}`,
    400,
    missing.map((path) => ({ path, message: 'Required for this role' })),
  );
}

const inviteInvalid = () =>
  new AppError(
    ErrorCode.INVITE_INVALID,
    'This invite link has expired or was already used; ask for a new one',
    410,
  );

/** People: invites, sign-up, roles and profiles, deactivation and password resets. Every change is audited. */
export class PeopleService {
  readonly repo: PeopleRepository;
  private readonly audit: AdminAuditRepository;

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    /** Sign-in state (server/src/auth): deactivation and new passwords end sessions through it. */
    private readonly sessions: UserSessions,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repo = new PeopleRepository(db);
    this.audit = new AdminAuditRepository(db);
  }

  private async userOrThrow(organizationId: string, id: string): Promise<AdminUserView> {
    const user = await this.repo.find(organizationId, id);
    if (!user) throw new NotFoundError('Person');
    return user;
  }

  async invite(actor: AccessClaims, input: InviteUserRequest, linkBase: string): Promise<InviteCreated> {
    if (await this.repo.emailTaken(input.email)) {
      throw new ConflictError(ErrorCode.EMAIL_TAKEN, 'Someone already signs in with this email address');
    }
    const now = this.now();
    const { token, tokenHash } = newLinkToken();
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
    const row = await this.repo.createInvite(
      { organizationId: actor.organizationId, ...input, tokenHash, expiresAt, createdById: actor.userId },
      now,
    );
    await this.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'USER_INVITED',
      targetType: 'INVITE',
      targetId: row.id,
      details: { label: input.email, role: input.role },
    });
    const link = `${linkBase}/sign-up?token=${token}`;
    const inviter = await this.repo.find(actor.organizationId, actor.userId);
    const emailed = await this.mailer.send(
      inviteMail({
        to: input.email,
        name: input.name,
        role: input.role,
        organizationName: await this.repo.organizationName(actor.organizationId),
        invitedBy: inviter?.name ?? 'An administrator',
        link,
        expiresAt,
      }),
    );
    return { invite: toInviteView(row, now), link, emailed };
  }

  async revokeInvite(actor: AccessClaims, id: string): Promise<void> {
    const row = await this.repo.revokeInvite(actor.organizationId, id, this.now());
    if (!row) {
      if (await this.repo.inviteExists(actor.organizationId, id)) throw inviteInvalid();
      throw new NotFoundError('Invite');
    }
    await this.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'INVITE_REVOKED',
      targetType: 'INVITE',
      targetId: id,
      details: { label: row.email },
    });
  }

  async previewInvite(token: string): Promise<InvitePreview> {
    const row = await this.repo.inviteByTokenHash(hashLinkToken(token));
    if (!row || toInviteView(row, this.now()).status !== 'PENDING') throw inviteInvalid();
    return {
      email: row.email,
      name: row.name,
      role: row.role,
      organizationName: row.organization.name,
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /** Creates the invited person's account; the link then stops working. Returns their email. */
  async acceptInvite(input: AcceptInviteRequest): Promise<{ email: string }> {
    const invite = await this.repo.inviteByTokenHash(hashLinkToken(input.token));
    const now = this.now();
    if (!invite || toInviteView(invite, now).status !== 'PENDING') throw inviteInvalid();
    const profile = profileForRole(invite.role, {
      barNumber: input.barNumber ?? null,
      barState: input.barState ?? null,
      languages: input.languages ?? [],
      phone: input.phone ?? null,
    });
    const missing = missingProfileFields(invite.role, profile);
    if (missing.length > 0) throw incomplete(missing);
    const passwordHash = await hashPassword(input.password);
    await this.db.$transaction(async (tx) => {
      if (!(await this.repo.claimInvite(invite.id, now, tx))) throw inviteInvalid();
      if (await this.repo.emailTaken(invite.email, tx)) {
        throw new ConflictError(ErrorCode.EMAIL_TAKEN, 'Someone already signs in with this email address');
      }
      const userId = await this.repo.createUser(
        {
          organizationId: invite.organizationId,
          email: invite.email,
          name: input.name,
          role: invite.role,
          passwordHash,
          ...profile,
          timeZone: input.timeZone ?? 'America/Chicago',
        },
        tx,
      );
      await this.audit.record(
        {
          organizationId: invite.organizationId,
          actorUserId: userId,
          action: 'INVITE_ACCEPTED',
          targetType: 'USER',
          targetId: userId,
          details: { label: invite.email, role: invite.role },
        },
        tx,
      );
    });
    this.logger.info({ inviteId: invite.id, role: invite.role }, 'invite accepted');
    return { email: invite.email };
  }

  async update(actor: AccessClaims, id: string, patch: UpdateUserRequest): Promise<AdminUserView> {
    const user = await this.userOrThrow(actor.organizationId, id);
    if (id === actor.userId && patch.role !== undefined && patch.role !== user.role) {
      throw new AppError(ErrorCode.OWN_ACCOUNT, 'You cannot change your own role', 403);
    }
    const role = patch.role ?? user.role;
    const merged: RoleProfile = {
      barNumber: patch.barNumber !== undefined ? patch.barNumber : user.barNumber,
      barState: patch.barState !== undefined ? patch.barState : user.barState,
      languages: patch.languages ?? user.languages,
      phone: patch.phone !== undefined ? patch.phone : user.phone,
    };
    const profile = profileForRole(role, merged);
    const missing = missingProfileFields(role, profile);
    if (missing.length > 0) throw incomplete(missing);
    await this.db.$transaction(async (tx) => {
      await this.repo.update(
        id,
        {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          role,
          ...profile,
          ...(patch.timeZone ? { timeZone: patch.timeZone } : {}),
        },
        tx,
      );
      await this.audit.record(
        {
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          action: 'USER_UPDATED',
          targetType: 'USER',
          targetId: id,
          details: {
            label: user.email,
            fields: Object.keys(patch),
            ...(patch.role ? { role: patch.role } : {}),
          },
        },
        tx,
      );
    });
    return this.userOrThrow(actor.organizationId, id);
  }

  /** Deactivating ends every sign-in of the person at once; reactivating lets them sign in again. */
  async setActive(actor: AccessClaims, id: string, active: boolean): Promise<AdminUserView> {
    const user = await this.userOrThrow(actor.organizationId, id);
    if (id === actor.userId) {
      throw new AppError(ErrorCode.OWN_ACCOUNT, 'You cannot deactivate or reactivate yourself', 403);
    }
    if (user.active !== active) {
      // Deactivation bumps the session version: the person's next request is refused.
      const changed = active
        ? await this.sessions.reactivate(actor.organizationId, id)
        : await this.sessions.deactivate(actor.organizationId, id);
      if (!changed) throw new NotFoundError('Person');
      await this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: active ? 'USER_REACTIVATED' : 'USER_DEACTIVATED',
        targetType: 'USER',
        targetId: id,
        details: { label: user.email },
      });
    }
    return this.userOrThrow(actor.organizationId, id);
  }

  /** An administrator's reset: a link for the person (emailed, and shown to the admin once). */
  async issueReset(actor: AccessClaims, id: string, linkBase: string): Promise<PasswordResetIssued> {
    const user = await this.userOrThrow(actor.organizationId, id);
    if (id === actor.userId) {
      throw new AppError(ErrorCode.OWN_ACCOUNT, 'Use "Forgot password" to reset your own password', 403);
    }
    if (!user.active) throw new ConflictError(ErrorCode.CONFLICT, 'Reactivate this person first');
    const { link, expiresAt } = await this.newResetLink(user.id, linkBase);
    await this.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'PASSWORD_RESET_ISSUED',
      targetType: 'USER',
      targetId: id,
      details: { label: user.email },
    });
    const emailed = await this.mailer.send(
      passwordResetMail({ to: user.email, name: user.name, link, expiresAt }),
    );
    return { link, emailed };
  }

  /**
   * "Forgot password": mails a link when the address belongs to an active person, and does nothing
   * otherwise. The caller answers the same either way and does not wait for this.
   */
  async forgotPassword(email: string, linkBase: string | undefined): Promise<void> {
    const user = await this.repo.activeUserByEmail(email);
    if (!user) return;
    if (!linkBase) {
      this.logger.warn('forgot-password link not sent: set PUBLIC_URL');
      return;
    }
    const { link, expiresAt } = await this.newResetLink(user.id, linkBase);
    await this.mailer.send(passwordResetMail({ to: user.email, name: user.name, link, expiresAt }));
  }

  /** Sets a new password with a reset link and ends every other sign-in of the person. */
  async resetPassword(token: string, password: string): Promise<{ email: string }> {
    const passwordHash = await hashPassword(password);
    const now = this.now();
    const user = await this.db.$transaction((tx) => this.repo.claimReset(hashLinkToken(token), now, tx));
    if (!user) {
      throw new AppError(
        ErrorCode.RESET_LINK_INVALID,
        'This reset link has expired or was already used; ask for a new one',
        410,
      );
    }
    // A new password ends every session, as any password change does.
    await this.sessions.changePassword(user.id, passwordHash);
    await this.audit.record({
      organizationId: user.organizationId,
      actorUserId: user.id,
      action: 'PASSWORD_RESET_BY_LINK',
      targetType: 'USER',
      targetId: user.id,
      details: { label: user.email },
    });
    return { email: user.email };
  }

  private async newResetLink(userId: string, linkBase: string): Promise<{ link: string; expiresAt: Date }> {
    const { token, tokenHash } = newLinkToken();
    const expiresAt = new Date(this.now().getTime() + RESET_TTL_MS);
    await this.repo.createReset(userId, tokenHash, expiresAt);
    return { link: `${linkBase}/reset-password?token=${token}`, expiresAt };
  }
}
