import { ErrorCode, type CaseNoteSendResponse } from '@parley/shared';
import type { Db } from '../db/types.ts';
import { AppError, ConflictError, NotFoundError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { CallAttestationRepository } from '../sessionLog/CallAttestationRepository.ts';
import { CASE_NOTE_EVENT, CaseNoteWebhook } from '../webhooks/CaseNoteWebhook.ts';
import { WebhookRepository } from '../webhooks/WebhookRepository.ts';
import type { WebhookSender } from '../webhooks/WebhookSender.ts';

const FINAL_STATUSES = new Set(['COMPLETED', 'CANCELLED', 'NO_SHOW']);

/**
 * "Send to the case system now": the consultation's case note through the organisation's webhook,
 * by the same delivery as at a call's end (same body, signature, retries and delivery log). A note
 * is delivered once per consultation: one already queued is left to its retries, one that failed
 * is tried again, one delivered is not sent twice.
 */
export class CaseNoteSendNow {
  private readonly webhooks: WebhookRepository;
  private readonly attestations: CallAttestationRepository;
  private readonly caseNotes: CaseNoteWebhook;

  constructor(
    private readonly db: Db,
    private readonly sender: WebhookSender,
    logger: Logger,
    publicUrl = '',
  ) {
    this.webhooks = new WebhookRepository(db);
    this.attestations = new CallAttestationRepository(db);
    this.caseNotes = new CaseNoteWebhook(db, sender, logger, publicUrl);
  }

  async send(organizationId: string, consultationId: string): Promise<CaseNoteSendResponse> {
    const consultation = await this.db.consultation.findFirst({
      where: { id: consultationId, organizationId },
      select: { status: true },
    });
    if (!consultation) throw new NotFoundError('Consultation');
    // Sent before the call is over, the note would say nothing and take the place of the real one.
    if (!FINAL_STATUSES.has(consultation.status)) {
      throw new ConflictError(ErrorCode.CASE_NOTE_NOT_READY, 'The call is not over yet');
    }
    const endpoint = await this.webhooks.activeEndpoint(organizationId);
    if (!endpoint) {
      throw new AppError(ErrorCode.WEBHOOK_NOT_CONFIGURED, 'No active case-system connection is set up', 409);
    }
    const find = () =>
      this.db.webhookDelivery.findFirst({
        where: { organizationId, endpointId: endpoint.id, consultationId, event: CASE_NOTE_EVENT },
        select: { id: true, status: true },
      });
    const existing = await find();
    if (existing?.status === 'DELIVERED') return { deliveryId: existing.id, outcome: 'ALREADY_DELIVERED' };
    if (existing?.status === 'PENDING') return { deliveryId: existing.id, outcome: 'ALREADY_QUEUED' };
    if (existing) {
      await this.webhooks.requeueFailed(organizationId, existing.id);
      this.sender.send(existing.id);
      return { deliveryId: existing.id, outcome: 'QUEUED' };
    }
    const attestation = await this.attestations.find(consultationId, organizationId);
    await this.caseNotes.consultationEnded(organizationId, consultationId, attestation);
    const created = await find();
    if (!created) throw new AppError(ErrorCode.INTERNAL, 'The case note could not be queued', 500);
    return { deliveryId: created.id, outcome: 'QUEUED' };
  }
}
