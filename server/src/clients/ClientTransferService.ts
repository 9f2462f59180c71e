import {
  ErrorCode,
  formatANumber,
  type ClientTransferRequest,
  type ClientTransferResponse,
} from '@parley/shared';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { AccessClaims } from '../auth/tokens.ts';
import { FacilityConfirmationRepository } from '../confirmation/FacilityConfirmationRepository.ts';
import type { Db } from '../db/types.ts';
import { ConflictError, NotFoundError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { SchedulingRepository } from '../scheduling/SchedulingRepository.ts';
import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import { ClientTransferRepository } from './ClientTransferRepository.ts';

const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;
const OPEN_STATUSES = ['REQUESTED', 'SCHEDULED'] as const;

/**
 * Records that a client was moved to another facility: the client's facility changes, the move is
 * kept (ClientTransfer, append-only) and audited, and the client's calls not yet over at any other
 * facility are cancelled with the reason CLIENT_TRANSFERRED, each with the transfer in its session
 * log. Staff then rebook them at the new facility (same rules as any booking).
 */
export class ClientTransferService {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async transfer(
    who: AccessClaims,
    clientId: string,
    input: ClientTransferRequest,
  ): Promise<ClientTransferResponse> {
    const orgId = who.organizationId;
    const openCalls = (db: Db | Parameters<Parameters<Db['$transaction']>[0]>[0], toFacilityId: string) =>
      db.consultation.findMany({
        where: {
          organizationId: orgId,
          clientId,
          status: { in: [...OPEN_STATUSES] },
          facilityId: { not: toFacilityId },
          endsAt: { gt: this.now() },
        },
        select: { id: true, startsAt: true, status: true },
        orderBy: { startsAt: 'asc' },
      });
    // The calls' locks first, then the client's: the order a reschedule takes them in.
    const seen = await openCalls(this.db, input.toFacilityId);
    const result = await this.db.$transaction(async (tx) => {
      const locked = new SchedulingRepository(tx);
      await locked.lock(seen.map((c) => `consultation:${c.id}` as const));
      await locked.lock([`client:${clientId}`]);
      const client = await tx.client.findFirst({
        where: { id: clientId, organizationId: orgId },
        select: { id: true, facilityId: true, aNumber: true },
      });
      if (!client) throw new NotFoundError('Client');
      const facility = await tx.facility.findFirst({
        where: { id: input.toFacilityId, organizationId: orgId },
        select: { id: true, name: true, code: true },
      });
      if (!facility) throw new NotFoundError('Facility');
      if (input.consultationId) {
        const own = await tx.consultation.count({
          where: { id: input.consultationId, organizationId: orgId, clientId },
        });
        if (own === 0) throw new NotFoundError('Consultation');
      }
      if (client.facilityId === facility.id) {
        throw new ConflictError(
          ErrorCode.CLIENT_ALREADY_AT_FACILITY,
          'The client is already at this facility',
        );
      }
      const now = this.now();
      const transfer = await new ClientTransferRepository(tx).create({
        organizationId: orgId,
        clientId,
        fromFacilityId: client.facilityId,
        toFacilityId: facility.id,
        recordedById: who.userId,
        recordedAt: now,
      });
      await tx.client.update({
        where: { id: clientId },
        data: { facilityId: facility.id },
        select: { id: true },
      });
      // Read again under the client's lock: a booking made meanwhile is included.
      const calls = await openCalls(tx, facility.id);
      const unlocked = calls.filter((c) => !seen.some((s) => s.id === c.id));
      await locked.lock(unlocked.map((c) => `consultation:${c.id}` as const));
      const confirmations = new FacilityConfirmationRepository(tx);
      for (const call of calls) {
        await locked.setStatus(call.id, 'CANCELLED', `The client was moved to ${facility.name}`);
        await confirmations.supersedeOpen(call.id, now);
        const actor = { actorUserId: who.userId, actorRole: who.role, occurredAt: now };
        await appendSessionEvent(tx, {
          organizationId: orgId,
          consultationId: call.id,
          type: 'CLIENT_TRANSFERRED',
          ...actor,
          payload: { transferId: transfer.id, fromFacilityId: client.facilityId, toFacilityId: facility.id },
        });
        await appendSessionEvent(tx, {
          organizationId: orgId,
          consultationId: call.id,
          type: 'CONSULTATION_CANCELLED',
          ...actor,
          payload: {
            startsAt: call.startsAt.toISOString(),
            previousStatus: call.status,
            reasonCode: 'CLIENT_TRANSFERRED',
          },
        });
      }
      await new AdminAuditRepository(this.db).record(
        {
          organizationId: orgId,
          actorUserId: who.userId,
          action: 'CLIENT_TRANSFERRED',
          targetType: 'CLIENT',
          targetId: clientId,
          details: {
            label: formatANumber(client.aNumber),
            transferId: transfer.id,
            fromFacilityId: client.facilityId,
            toFacilityId: facility.id,
            toFacility: facility.code,
            cancelledConsultations: calls.length,
          },
        },
        tx,
      );
      return { transfer, cancelledConsultationIds: calls.map((c) => c.id) };
    }, TX_OPTIONS);
    this.logger.info(
      { clientId, transferId: result.transfer.id, cancelled: result.cancelledConsultationIds.length },
      'client transferred',
    );
    return result;
  }
}
