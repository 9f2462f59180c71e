import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  type FacilityConfirmationAnswer,
  type FacilityConfirmationView,
  type FacilityConfirmationState,
} from '@parley/shared';
import type { AccessClaims } from '../auth/tokens.ts';
import type { Db } from '../db/types.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/Mailer.ts';
import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import { SchedulingRepository } from '../scheduling/SchedulingRepository.ts';
import { confirmationAnswerMail, confirmationRequestMail } from './confirmationMail.ts';
import {
  confirmationExpiry,
  confirmationState,
  judgeAnswer,
  MAX_REMINDERS,
  REMINDER_AFTER_MS,
  reminderDue,
} from './confirmationState.ts';
import {
  confirmationLink,
  confirmationToken,
  hashConfirmationToken,
  tokenSignsRequest,
} from './confirmationToken.ts';
import { FacilityConfirmationRepository, type StoredConfirmation } from './FacilityConfirmationRepository.ts';

const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;
const REMINDER_BATCH = 100;

/** Mail to send once the transaction that opened or answered a request has committed. */
export type ConfirmationMail =
  | { kind: 'request'; requestId: string; reminder: number }
  | { kind: 'answer'; consultationId: string; answer: 'CONFIRMED' | 'DECLINED' | 'PROPOSED' };

export interface ConfirmationOptions {
  /** Signs the links (the server's JWT secret: links outlive no secret rotation). */
  secret: string;
  mailer?: Mailer;
  /** PUBLIC_URL, the origin of links when set. */
  publicUrl?: string;
}

type Tx = Prisma.TransactionClient;

function linkInvalid(message = 'This confirmation link is not valid for this call'): AppError {
  return new AppError(ErrorCode.CONFIRMATION_LINK_INVALID, message, 404);
}

/**
 * The facility's confirmation of booked calls. A booking at a facility that needs it starts
 * REQUESTED and opens a request here: the scheduling contact is mailed a signed link to confirm,
 * decline with a reason, or propose another time, without an account. Every answer changes the call
 * under the same advisory lock bookings take, is written to the session log in that transaction, and
 * is mailed to the staff member who booked. A reschedule or cancellation supersedes the request.
 */
export class FacilityConfirmations {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: ConfirmationOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Inside a booking's transaction (the consultation's locks held): closes any open request of the
   * call and opens one for its current time. Returns the mail to send after commit.
   */
  async openInTx(
    tx: Tx,
    input: {
      organizationId: string;
      consultationId: string;
      facilityId: string;
      contactEmail: string;
      startsAt: Date;
      endsAt: Date;
      linkOrigin: string;
      actor: { userId: string; role: string } | null;
    },
  ): Promise<ConfirmationMail> {
    const repo = new FacilityConfirmationRepository(tx);
    const now = this.now();
    await repo.supersedeOpen(input.consultationId, now);
    const requestId = randomUUID();
    const token = confirmationToken(this.options.secret, requestId);
    await repo.create({
      id: requestId,
      organizationId: input.organizationId,
      consultationId: input.consultationId,
      facilityId: input.facilityId,
      tokenHash: hashConfirmationToken(token),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      sentTo: input.contactEmail,
      linkOrigin: this.options.publicUrl ?? input.linkOrigin,
      expiresAt: confirmationExpiry(now, input.startsAt),
      now,
    });
    await appendSessionEvent(tx, {
      organizationId: input.organizationId,
      consultationId: input.consultationId,
      type: 'FACILITY_CONFIRMATION_REQUESTED',
      actorUserId: input.actor?.userId ?? null,
      actorRole: input.actor?.role ?? null,
      occurredAt: now,
      payload: {
        requestId,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        mailed: this.mails(input.contactEmail),
      },
    });
    return { kind: 'request', requestId, reminder: 0 };
  }

  /**
   * Inside a reschedule's transaction: when the new time is the one the facility itself proposed
   * for this call, the facility has agreed to it already. Records that and returns true.
   */
  async acceptProposalInTx(
    tx: Tx,
    input: {
      organizationId: string;
      consultationId: string;
      facilityId: string;
      startsAt: Date;
      endsAt: Date;
      linkOrigin: string;
      actor: { userId: string; role: string };
    },
  ): Promise<boolean> {
    const repo = new FacilityConfirmationRepository(tx);
    const latest = await repo.latest(input.organizationId, input.consultationId);
    if (
      latest?.answer !== 'PROPOSED' ||
      latest.supersededAt !== null ||
      latest.proposedStartsAt?.getTime() !== input.startsAt.getTime()
    ) {
      return false;
    }
    const now = this.now();
    await repo.supersedeOpen(input.consultationId, now);
    const requestId = randomUUID();
    await repo.create({
      id: requestId,
      organizationId: input.organizationId,
      consultationId: input.consultationId,
      facilityId: input.facilityId,
      tokenHash: hashConfirmationToken(confirmationToken(this.options.secret, requestId)),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      sentTo: latest.sentTo,
      linkOrigin: latest.linkOrigin,
      expiresAt: confirmationExpiry(now, input.startsAt),
      now,
    });
    await repo.record(requestId, { answer: 'CONFIRMED', answeredAt: now });
    await appendSessionEvent(tx, {
      organizationId: input.organizationId,
      consultationId: input.consultationId,
      type: 'FACILITY_CONFIRMED',
      actorUserId: input.actor.userId,
      actorRole: input.actor.role,
      occurredAt: now,
      payload: { requestId, startsAt: input.startsAt.toISOString(), via: 'PROPOSAL' },
    });
    return true;
  }

  /** Inside a cancellation's transaction: the open request is moot. */
  async closeInTx(tx: Tx, consultationId: string): Promise<void> {
    await new FacilityConfirmationRepository(tx).supersedeOpen(consultationId, this.now());
  }

  /** Sends mail queued by a committed transaction. Failures are logged: the request stands. */
  async send(mail: ConfirmationMail | null | undefined): Promise<void> {
    if (!mail || !this.options.mailer?.configured) return;
    try {
      if (mail.kind === 'request') await this.sendRequest(mail.requestId, mail.reminder);
      else await this.sendAnswerNotice(mail.consultationId, mail.answer);
    } catch (err) {
      this.logger.warn({ err, mail: mail.kind }, 'confirmation mail not sent');
    }
  }

  /** What the facility's contact sees through the link. */
  async view(consultationId: string, token: string): Promise<FacilityConfirmationView> {
    const request = await this.requestForLink(this.db, consultationId, token);
    return this.viewOf(this.db, request);
  }

  /** The facility's answer through its link. */
  async answer(consultationId: string, input: FacilityConfirmationAnswer): Promise<FacilityConfirmationView> {
    const proposedStartsAt = input.answer === 'PROPOSE' ? new Date(input.proposedStartsAt) : undefined;
    const now = this.now();
    if (proposedStartsAt && proposedStartsAt.getTime() <= now.getTime()) {
      throw new ValidationError('Propose a time in the future', [
        { path: 'proposedStartsAt', message: 'Must be in the future' },
      ]);
    }
    const { view, mail } = await this.db.$transaction(async (tx) => {
      await new SchedulingRepository(tx).lock([`consultation:${consultationId}`]);
      const request = await this.requestForLink(tx, consultationId, input.token);
      const verdict = judgeAnswer(
        request,
        {
          kind: input.answer,
          ...(proposedStartsAt ? { proposedStartsAt } : {}),
        },
        now,
      );
      if (verdict === 'superseded') {
        throw new AppError(
          ErrorCode.CONFIRMATION_LINK_INVALID,
          'This request was replaced: the call was moved or cancelled',
          410,
        );
      }
      if (verdict === 'expired') {
        throw new AppError(ErrorCode.CONFIRMATION_LINK_EXPIRED, 'This confirmation link has expired', 410);
      }
      if (verdict === 'conflict') {
        throw new ConflictError(
          ErrorCode.CONFIRMATION_ALREADY_ANSWERED,
          'This request was already answered differently; contact the organisation to change it',
        );
      }
      if (verdict === 'repeat') return { view: await this.viewOf(tx, request), mail: null };
      const repo = new FacilityConfirmationRepository(tx);
      const call = await repo.call(consultationId);
      if (!call || call.status !== 'REQUESTED') throw linkInvalid('This call no longer waits for an answer');
      const event = {
        organizationId: request.organizationId,
        consultationId,
        actorUserId: null,
        actorRole: 'FACILITY',
        occurredAt: now,
      };
      const startsAt = call.startsAt.toISOString();
      let answer: 'CONFIRMED' | 'DECLINED' | 'PROPOSED';
      if (input.answer === 'CONFIRM') {
        answer = 'CONFIRMED';
        await repo.record(request.id, { answer, answeredAt: now });
        await setStatus(tx, consultationId, 'SCHEDULED');
        await appendSessionEvent(tx, {
          ...event,
          type: 'FACILITY_CONFIRMED',
          payload: { requestId: request.id, startsAt, via: 'LINK' },
        });
      } else if (input.answer === 'DECLINE') {
        answer = 'DECLINED';
        await repo.record(request.id, { answer, answeredAt: now, declineReason: input.reason });
        await setStatus(
          tx,
          consultationId,
          'CANCELLED',
          `Declined by ${call.facility.name}: ${input.reason}`,
        );
        await appendSessionEvent(tx, {
          ...event,
          type: 'FACILITY_DECLINED',
          payload: { requestId: request.id, startsAt },
        });
        await appendSessionEvent(tx, {
          ...event,
          type: 'CONSULTATION_CANCELLED',
          payload: { startsAt, previousStatus: 'REQUESTED', reasonCode: 'FACILITY_UNAVAILABLE' },
        });
      } else {
        answer = 'PROPOSED';
        await repo.record(request.id, { answer, answeredAt: now, proposedStartsAt: proposedStartsAt! });
        await appendSessionEvent(tx, {
          ...event,
          type: 'FACILITY_PROPOSED_TIME',
          payload: { requestId: request.id, startsAt, proposedStartsAt: proposedStartsAt!.toISOString() },
        });
      }
      const fresh = await this.requestForLink(tx, consultationId, input.token);
      return {
        view: await this.viewOf(tx, fresh),
        mail: { kind: 'answer', consultationId, answer } as const,
      };
    }, TX_OPTIONS);
    this.logger.info({ consultationId, answer: input.answer }, 'facility answered a confirmation request');
    await this.send(mail);
    return view;
  }

  /** Staff record that the facility confirmed another way (by phone). */
  async confirmByStaff(who: AccessClaims, consultationId: string): Promise<void> {
    const orgId = who.organizationId;
    await this.db.$transaction(async (tx) => {
      const scheduling = new SchedulingRepository(tx);
      await scheduling.lock([`consultation:${consultationId}`]);
      const current = await scheduling.findForEdit(orgId, consultationId);
      if (!current) throw new NotFoundError('Consultation');
      if (current.status !== 'REQUESTED') {
        throw new ConflictError(
          ErrorCode.CONFIRMATION_NOT_PENDING,
          'This call is not waiting for confirmation',
        );
      }
      const repo = new FacilityConfirmationRepository(tx);
      const latest = await repo.latest(orgId, consultationId);
      if (!latest || latest.supersededAt !== null) {
        throw new ConflictError(
          ErrorCode.CONFIRMATION_NOT_PENDING,
          'This call has no open confirmation request',
        );
      }
      if (latest.answer !== null) {
        throw new ConflictError(
          ErrorCode.CONFIRMATION_ALREADY_ANSWERED,
          'The facility already answered this request: move the call or cancel it',
        );
      }
      const now = this.now();
      await repo.record(latest.id, { answer: 'CONFIRMED', answeredAt: now, answeredById: who.userId });
      await setStatus(tx, consultationId, 'SCHEDULED');
      await appendSessionEvent(tx, {
        organizationId: orgId,
        consultationId,
        type: 'FACILITY_CONFIRMED',
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: now,
        payload: { requestId: latest.id, startsAt: current.startsAt.toISOString(), via: 'STAFF' },
      });
    }, TX_OPTIONS);
  }

  /**
   * Mails a reminder for every open request unanswered for REMINDER_AFTER_MS, at most MAX_REMINDERS
   * times, across organisations. Each counts in its own transaction under the consultation's lock
   * with a conditional UPDATE, so concurrent sweeps remind once. Returns how many it sent.
   */
  async sweepReminders(): Promise<number> {
    const now = this.now();
    const sentBefore = new Date(now.getTime() - REMINDER_AFTER_MS);
    const repo = new FacilityConfirmationRepository(this.db);
    let reminded = 0;
    let afterId: string | undefined;
    for (;;) {
      const candidates = await repo.reminderCandidates(sentBefore, now, REMINDER_BATCH, afterId);
      for (const candidate of candidates) {
        if (!reminderDue(candidate, now)) continue;
        const mail = await this.db.$transaction(async (tx) => {
          await new SchedulingRepository(tx).lock([`consultation:${candidate.consultationId}`]);
          const locked = new FacilityConfirmationRepository(tx);
          if (!(await locked.markReminded(candidate.id, sentBefore, now, MAX_REMINDERS))) return null;
          const reminder = await locked.remindersSent(candidate.id);
          await appendSessionEvent(tx, {
            organizationId: candidate.organizationId,
            consultationId: candidate.consultationId,
            type: 'FACILITY_CONFIRMATION_REMINDED',
            actorUserId: null,
            actorRole: null,
            occurredAt: now,
            payload: { requestId: candidate.id, reminder, mailed: this.mails(candidate.sentTo) },
          });
          return { kind: 'request', requestId: candidate.id, reminder } as const;
        }, TX_OPTIONS);
        if (mail) {
          reminded++;
          await this.send(mail);
        }
      }
      if (candidates.length < REMINDER_BATCH) break;
      afterId = candidates[candidates.length - 1]?.id;
    }
    if (reminded > 0) this.logger.info({ reminded }, 'confirmation reminders sent');
    return reminded;
  }

  /** What staff see: the latest request of the call. */
  async stateFor(
    organizationId: string,
    consultationId: string,
    showReason: boolean,
  ): Promise<FacilityConfirmationState | null> {
    const latest = await new FacilityConfirmationRepository(this.db).latest(organizationId, consultationId);
    return latest ? confirmationState(latest, this.now(), showReason) : null;
  }

  private mails(contactEmail: string): boolean {
    return contactEmail !== '' && this.options.mailer?.configured === true;
  }

  private async requestForLink(
    db: Db | Tx,
    consultationId: string,
    token: string,
  ): Promise<StoredConfirmation> {
    const request = await new FacilityConfirmationRepository(db).findByTokenHash(
      hashConfirmationToken(token),
    );
    if (
      !request ||
      request.consultationId !== consultationId ||
      !tokenSignsRequest(this.options.secret, request.id, token)
    ) {
      throw linkInvalid();
    }
    return request;
  }

  private async viewOf(db: Db | Tx, request: StoredConfirmation): Promise<FacilityConfirmationView> {
    // A moved or cancelled call's old request says so, whatever it was answered.
    if (request.supersededAt !== null) {
      throw new AppError(
        ErrorCode.CONFIRMATION_LINK_INVALID,
        'This request was replaced: the call was moved or cancelled',
        410,
      );
    }
    // Past its expiry (never later than the call's start) the link shows nothing, answered or not:
    // an old mail must not keep the client's name and A-Number readable for ever.
    if (this.now().getTime() >= request.expiresAt.getTime()) {
      throw new AppError(ErrorCode.CONFIRMATION_LINK_EXPIRED, 'This confirmation link has expired', 410);
    }
    const call = await new FacilityConfirmationRepository(db).call(request.consultationId);
    if (!call) throw linkInvalid();
    return {
      consultationId: call.id,
      facility: { name: call.facility.name, timeZone: call.facility.timeZone },
      clientName: `${call.client.firstName} ${call.client.lastName}`,
      aNumber: call.client.aNumber.trim(),
      attorneyName: call.attorney.name,
      language: call.language,
      // The request is about the time it was made for.
      startsAt: request.startsAt.toISOString(),
      endsAt: request.endsAt.toISOString(),
      status: call.status,
      confirmation: confirmationState(request, this.now(), true),
    };
  }

  private async sendRequest(requestId: string, reminder: number): Promise<void> {
    const repo = new FacilityConfirmationRepository(this.db);
    const request = await repo.forMail(requestId);
    if (!request || request.sentTo === '') return;
    const token = confirmationToken(this.options.secret, request.id);
    if (hashConfirmationToken(token) !== request.tokenHash) {
      // The signing secret changed since the request was made: its link cannot be sent again.
      this.logger.warn({ requestId }, 'confirmation link cannot be re-signed; staff must confirm by phone');
      return;
    }
    const call = await repo.call(request.consultationId);
    if (!call) return;
    const sent = await this.options.mailer!.send(
      confirmationRequestMail({
        to: request.sentTo,
        contactName: call.facility.contactName,
        organizationName: await repo.organizationName(call.organizationId),
        facilityName: call.facility.name,
        timeZone: call.facility.timeZone,
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        link: confirmationLink(request.linkOrigin, call.id, token),
        expiresAt: request.expiresAt,
        reminder,
      }),
    );
    this.logger.info({ consultationId: call.id, requestId, reminder, sent }, 'confirmation request mailed');
  }

  private async sendAnswerNotice(consultationId: string, answer: 'CONFIRMED' | 'DECLINED' | 'PROPOSED') {
    const repo = new FacilityConfirmationRepository(this.db);
    const call = await repo.call(consultationId);
    if (!call) return;
    const latest = await repo.latest(call.organizationId, consultationId);
    await this.options.mailer!.send(
      confirmationAnswerMail({
        to: call.createdBy.email,
        staffName: call.createdBy.name,
        facilityName: call.facility.name,
        timeZone: call.facility.timeZone,
        startsAt: latest?.startsAt ?? call.startsAt,
        answer,
        proposedStartsAt: latest?.proposedStartsAt ?? null,
        link: `${latest?.linkOrigin ?? this.options.publicUrl ?? ''}/consultations/${consultationId}`,
      }),
    );
  }
}

async function setStatus(
  tx: Tx,
  consultationId: string,
  status: 'SCHEDULED' | 'CANCELLED',
  cancelReason?: string,
): Promise<void> {
  const changed = await new FacilityConfirmationRepository(tx).settleCall(
    consultationId,
    status,
    cancelReason,
  );
  if (!changed) throw linkInvalid('This call no longer waits for an answer');
}
