import { randomUUID } from 'node:crypto';
import { ATTESTATION_KEYS_PATH, type CallAttestation, type CaseNoteWebhookBody } from '@parley/shared';
import type { Db } from '../db/types.ts';
import { caseNoteDate, caseNoteSubject, formatCaseNote } from '../exports/caseNote.ts';
import { CaseNoteService } from '../exports/CaseNoteService.ts';
import type { Logger } from '../logger.ts';
import { WebhookRepository } from './WebhookRepository.ts';
import type { WebhookSender } from './WebhookSender.ts';

export const CASE_NOTE_EVENT = 'consultation.case_note';

/** Posts a consultation's case note to its organisation's webhook when the call ends. */
export class CaseNoteWebhook {
  private readonly repo: WebhookRepository;
  private readonly notes: CaseNoteService;

  constructor(
    db: Db,
    private readonly sender: WebhookSender,
    private readonly logger: Logger,
    /** Origin the attestation keys are published at (PUBLIC_URL); a path alone without it. */
    private readonly publicUrl = '',
  ) {
    this.repo = new WebhookRepository(db);
    this.notes = new CaseNoteService(db);
  }

  /**
   * Queues the case note of an ended consultation, with the call's signed record when there is one;
   * does nothing without an active webhook.
   */
  async consultationEnded(
    organizationId: string,
    consultationId: string,
    attestation: CallAttestation | null = null,
  ): Promise<void> {
    const endpoint = await this.repo.activeEndpoint(organizationId);
    if (!endpoint) return;
    const note = await this.notes.factsFor(organizationId, consultationId);
    if (!note) return;
    const { facts, caseId } = note;
    const deliveryId = randomUUID();
    const subject = caseNoteSubject(facts);
    const text = formatCaseNote(facts);
    const date = caseNoteDate(facts);
    const body: CaseNoteWebhookBody = {
      event: CASE_NOTE_EVENT,
      deliveryId,
      organizationId,
      case: { id: caseId, reference: facts.case.reference },
      consultation: {
        id: consultationId,
        startsAt: facts.consultation.startsAt.toISOString(),
        endsAt: facts.consultation.endsAt.toISOString(),
        actualStart: facts.summary.actualStart,
        actualEnd: facts.summary.actualEnd,
        language: facts.consultation.language,
        interpreterMinutes: facts.summary.interpreterMinutes,
      },
      note: { subject, body: text, date, note_type: 'Remote consultation', is_html: false },
      clio: { data: { type: 'Matter', subject, detail: text, date } },
      attestation: attestation && { ...attestation, keysUrl: `${this.publicUrl}${ATTESTATION_KEYS_PATH}` },
    };
    const created = await this.repo.createDelivery({
      id: deliveryId,
      organizationId,
      endpointId: endpoint.id,
      consultationId,
      event: CASE_NOTE_EVENT,
      body: JSON.stringify(body),
    });
    if (!created) {
      this.logger.info({ consultationId }, 'case note webhook already queued');
      return;
    }
    this.sender.send(created);
  }
}
