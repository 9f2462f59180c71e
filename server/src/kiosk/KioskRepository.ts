import type { KioskPromptId, KioskPromptMimeType, LanguageCode } from '@parley/shared';
import type { Db } from '../db/types.ts';

/** What the kiosk reads beyond the call itself: the organisation's setting, the A-Number check, prompts. */
export class KioskRepository {
  constructor(private readonly db: Db) {}

  async showInitials(organizationId: string): Promise<boolean> {
    const org = await this.db.organization.findUnique({
      where: { id: organizationId },
      select: { kioskShowInitials: true },
    });
    return org?.kioskShowInitials ?? false;
  }

  async setShowInitials(organizationId: string, showInitials: boolean): Promise<void> {
    await this.db.organization.update({
      where: { id: organizationId },
      data: { kioskShowInitials: showInitials },
      select: { id: true },
    });
  }

  /**
   * The last three digits of the A-Number of the consultation's client, or null for an unknown
   * consultation. Only these three digits leave this module: the full number is personal data the
   * kiosk has no business with.
   */
  async aNumberSuffix(organizationId: string, consultationId: string): Promise<string | null> {
    const row = await this.db.consultation.findFirst({
      where: { id: consultationId, organizationId },
      select: { client: { select: { aNumber: true } } },
    });
    return row ? row.client.aNumber.trim().slice(-3) : null;
  }

  async recordedPrompts(organizationId: string, language: LanguageCode): Promise<KioskPromptId[]> {
    const rows = await this.db.kioskPrompt.findMany({
      where: { organizationId, language },
      select: { prompt: true },
      orderBy: { prompt: 'asc' },
    });
    return rows.map((r) => r.prompt as KioskPromptId);
  }

  findPrompt(organizationId: string, language: LanguageCode, prompt: KioskPromptId) {
    return this.db.kioskPrompt.findUnique({
      where: { organizationId_language_prompt: { organizationId, language, prompt } },
      select: { mimeType: true, audio: true, updatedAt: true },
    });
  }

  async savePrompt(input: {
    organizationId: string;
    language: LanguageCode;
    prompt: KioskPromptId;
    mimeType: KioskPromptMimeType;
    audio: Uint8Array;
    uploadedById: string;
  }): Promise<void> {
    const { organizationId, language, prompt, mimeType, audio, uploadedById } = input;
    const data = { mimeType, audio: new Uint8Array(audio), uploadedById };
    await this.db.kioskPrompt.upsert({
      where: { organizationId_language_prompt: { organizationId, language, prompt } },
      create: { organizationId, language, prompt, ...data },
      update: data,
      select: { id: true },
    });
  }

  /** True when there was a recording to remove. */
  async deletePrompt(
    organizationId: string,
    language: LanguageCode,
    prompt: KioskPromptId,
  ): Promise<boolean> {
    const { count } = await this.db.kioskPrompt.deleteMany({ where: { organizationId, language, prompt } });
    return count > 0;
  }
}
