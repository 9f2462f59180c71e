import { Router } from 'express';
import {
  ErrorCode,
  KIOSK_PROMPT_MAX_BYTES,
  KioskPromptLanguageSchema,
  KioskPromptParamsSchema,
  KioskPromptUploadSchema,
  KioskSettingsSchema,
  type KioskRecordedPrompts,
  type KioskSettings,
} from '@parley/shared';
import { z } from 'zod';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { AppError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { KioskRepository } from './KioskRepository.ts';
import { sniffPromptAudio } from './promptAudio.ts';

/**
 * The organisation's kiosk settings and recorded prompts, for signed-in staff (mounted behind
 * requireAuth). ADMIN changes them; STAFF may read and listen. Everything is scoped to the caller's
 * organisation. Recorded prompts are short sentences an interpreter speaks for the kiosk — never call
 * audio, which Parley does not record.
 */
export function kioskAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const kiosks = new KioskRepository(ctx.db);
  const audit = new AdminAuditRepository(ctx.db);
  const log = ctx.logger.child({ component: 'kiosk-admin' });
  const readers = requireRole('ADMIN', 'STAFF');
  const adminOnly = requireRole('ADMIN');

  router.get('/settings', readers, async (req, res) => {
    const body: KioskSettings = { showInitials: await kiosks.showInitials(caller(req).organizationId) };
    res.json(body);
  });

  router.put('/settings', adminOnly, async (req, res) => {
    const input = parseInput(KioskSettingsSchema, req.body, 'kiosk settings');
    const who = caller(req);
    await kiosks.setShowInitials(who.organizationId, input.showInitials);
    await audit.record({
      organizationId: who.organizationId,
      actorUserId: who.userId,
      action: 'KIOSK_SETTINGS_UPDATED',
      targetType: 'ORGANIZATION',
      targetId: who.organizationId,
      details: { showInitials: input.showInitials },
    });
    log.info({ userId: who.userId, showInitials: input.showInitials }, 'kiosk settings changed');
    res.json(input);
  });

  router.get('/prompts', readers, async (req, res) => {
    const { language } = parseInput(
      z.object({ language: KioskPromptLanguageSchema }).strict(),
      req.query,
      'prompt query',
    );
    const body: KioskRecordedPrompts = {
      language,
      recorded: await kiosks.recordedPrompts(caller(req).organizationId, language),
    };
    res.json(body);
  });

  router.get('/prompts/:language/:prompt', readers, async (req, res) => {
    const { language, prompt } = parseInput(KioskPromptParamsSchema, req.params, 'prompt');
    const found = await kiosks.findPrompt(caller(req).organizationId, language, prompt);
    if (!found) throw new NotFoundError('Recorded prompt');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.type(found.mimeType).send(Buffer.from(found.audio));
  });

  // The file travels base64-encoded in JSON (KioskPromptUploadSchema); what it really is, is checked.
  router.put('/prompts/:language/:prompt', adminOnly, async (req, res) => {
    const { language, prompt } = parseInput(KioskPromptParamsSchema, req.params, 'prompt');
    const upload = parseInput(KioskPromptUploadSchema, req.body, 'prompt file');
    const audio = Buffer.from(upload.audioBase64, 'base64');
    if (audio.length === 0 || audio.length > KIOSK_PROMPT_MAX_BYTES) {
      throw new AppError(ErrorCode.PROMPT_FILE_INVALID, 'A prompt file is at most 64 KiB', 400);
    }
    const actual = sniffPromptAudio(audio);
    if (actual !== upload.mimeType) {
      throw new AppError(
        ErrorCode.PROMPT_FILE_INVALID,
        `The file is not ${upload.mimeType} audio${actual ? ` (it looks like ${actual})` : ''}`,
        415,
      );
    }
    const who = caller(req);
    await kiosks.savePrompt({
      organizationId: who.organizationId,
      language,
      prompt,
      mimeType: actual,
      audio,
      uploadedById: who.userId,
    });
    await audit.record({
      organizationId: who.organizationId,
      actorUserId: who.userId,
      action: 'KIOSK_PROMPT_RECORDED',
      targetType: 'ORGANIZATION',
      targetId: who.organizationId,
      details: { label: `${language}/${prompt}`, mimeType: actual, bytes: audio.length },
    });
    log.info({ userId: who.userId, language, prompt, bytes: audio.length }, 'kiosk prompt recorded');
    res.status(201).json({ language, prompt, mimeType: actual, bytes: audio.length });
  });

  router.delete('/prompts/:language/:prompt', adminOnly, async (req, res) => {
    const { language, prompt } = parseInput(KioskPromptParamsSchema, req.params, 'prompt');
    const who = caller(req);
    if (!(await kiosks.deletePrompt(who.organizationId, language, prompt))) {
      throw new NotFoundError('Recorded prompt');
    }
    await audit.record({
      organizationId: who.organizationId,
      actorUserId: who.userId,
      action: 'KIOSK_PROMPT_REMOVED',
      targetType: 'ORGANIZATION',
      targetId: who.organizationId,
      details: { label: `${language}/${prompt}` },
    });
    log.info({ userId: who.userId, language, prompt }, 'kiosk prompt removed');
    res.status(204).end();
  });

  return router;
}
