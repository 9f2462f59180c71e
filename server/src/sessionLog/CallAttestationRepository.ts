import type { CallAttestation } from '@parley/shared';
import type { Db } from '../db/types.ts';

/** Stored call attestations: one per consultation, insert-only (the database refuses changes). */
export class CallAttestationRepository {
  constructor(private readonly db: Db) {}

  /** Stores the attestation unless the consultation has one already; returns the stored one. */
  async store(
    ids: { consultationId: string; organizationId: string },
    attestation: CallAttestation,
  ): Promise<CallAttestation> {
    await this.db.$executeRaw`
      INSERT INTO "CallAttestation" ("consultationId", "organizationId", "keyId", "statement", "signature")
      VALUES (${ids.consultationId}::uuid, ${ids.organizationId}::uuid, ${attestation.keyId},
              ${attestation.statement}, ${attestation.signature})
      ON CONFLICT ("consultationId") DO NOTHING`;
    return (await this.find(ids.consultationId, ids.organizationId))!;
  }

  /** The consultation's attestation; `organizationId` scopes the read when given. */
  async find(consultationId: string, organizationId?: string): Promise<CallAttestation | null> {
    const row = await this.db.callAttestation.findFirst({
      where: { consultationId, ...(organizationId ? { organizationId } : {}) },
      select: { keyId: true, statement: true, signature: true },
    });
    return row ? { ...row, alg: 'EdDSA' } : null;
  }
}
