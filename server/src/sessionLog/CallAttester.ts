import type { CallAttestation } from '@parley/shared';
import type { Db } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import type { AttestationKey } from './attestationKey.ts';
import { attestationStatement, eventsThroughCallEnd, signAttestation } from './callAttestation.ts';
import { CallAttestationRepository } from './CallAttestationRepository.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';

/**
 * Signs a call's record when it ends (its CALL_ENDED is stored): reads the log, builds the
 * statement, signs it and stores it once. The case-note webhook then carries it.
 */
export class CallAttester {
  private readonly logs: SessionLogRepository;
  private readonly attestations: CallAttestationRepository;

  constructor(
    db: Db,
    private readonly key: () => AttestationKey,
    private readonly logger: Logger,
  ) {
    this.logs = new SessionLogRepository(db);
    this.attestations = new CallAttestationRepository(db);
  }

  /** The consultation's attestation, made now if the call has ended and it has none; null otherwise. */
  async attest(organizationId: string, consultationId: string): Promise<CallAttestation | null> {
    const existing = await this.attestations.find(consultationId, organizationId);
    if (existing) return existing;
    const events = eventsThroughCallEnd(await this.logs.chainOf(consultationId, organizationId));
    if (!events) return null;
    const key = this.key();
    const statement = attestationStatement({ consultationId, organizationId }, events, new Date(), key.keyId);
    const stored = await this.attestations.store(
      { consultationId, organizationId },
      signAttestation(statement, key.privateKey),
    );
    this.logger.info({ consultationId, keyId: key.keyId, headSeq: statement.log.events }, 'call attested');
    return stored;
  }
}
