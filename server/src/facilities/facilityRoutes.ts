import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import {
  CreateBlackoutRequestSchema,
  CreateFacilityRequestSchema,
  CreateKioskDeviceRequestSchema,
  ErrorCode,
  FacilityChildParamsSchema,
  IdParamsSchema,
  UpdateFacilityRequestSchema,
  type KioskDeviceCreated,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { hashSecretToken } from '../auth/tokens.ts';
import { ConflictError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { FacilityAdminRepository, FacilityRepository } from './FacilityRepository.ts';

/**
 * Detention facilities of the caller's organisation. Every signed-in role may read them; staff
 * read their rules; admins create and change them and register kiosk devices.
 */
export function facilityRoutes(ctx: AppContext): Router {
  const router = Router();
  const facilities = new FacilityRepository(ctx.db);
  const admin = new FacilityAdminRepository(ctx.db);
  const adminOnly = requireRole('ADMIN');
  const staffOnly = requireRole('ADMIN', 'STAFF');

  router.get('/', async (req, res) => {
    res.json({ items: await facilities.list(caller(req).organizationId) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const facility = await facilities.findById(caller(req).organizationId, id);
    if (!facility) throw new NotFoundError('Facility');
    res.json({ facility });
  });

  const detailOrThrow = async (organizationId: string, id: string) => {
    const detail = await admin.detail(organizationId, id);
    if (!detail) throw new NotFoundError('Facility');
    return detail;
  };

  router.get('/:id/rules', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    res.json({ facility: await detailOrThrow(caller(req).organizationId, id) });
  });

  router.post('/', adminOnly, async (req, res) => {
    const input = parseInput(CreateFacilityRequestSchema, req.body, 'new facility');
    const { organizationId } = caller(req);
    if (await admin.codeTaken(organizationId, input.code)) {
      throw new ConflictError(ErrorCode.CONFLICT, `Another facility already uses the code ${input.code}`);
    }
    const id = await admin.create(organizationId, input);
    res.status(201).json({ facility: await detailOrThrow(organizationId, id) });
  });

  router.patch('/:id', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const patch = parseInput(UpdateFacilityRequestSchema, req.body, 'facility change');
    const { organizationId } = caller(req);
    if (patch.code && (await admin.codeTaken(organizationId, patch.code, id))) {
      throw new ConflictError(ErrorCode.CONFLICT, `Another facility already uses the code ${patch.code}`);
    }
    if (!(await admin.update(organizationId, id, patch))) throw new NotFoundError('Facility');
    res.json({ facility: await detailOrThrow(organizationId, id) });
  });

  router.post('/:id/blackouts', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const input = parseInput(CreateBlackoutRequestSchema, req.body, 'blackout');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    if (await admin.blackoutExists(id, input.date)) {
      throw new ConflictError(ErrorCode.CONFLICT, `${input.date} is already a blackout date`);
    }
    await admin.addBlackout(id, input);
    res.status(201).json({ facility: await detailOrThrow(organizationId, id) });
  });

  router.delete('/:id/blackouts/:childId', adminOnly, async (req, res) => {
    const { id, childId } = parseInput(FacilityChildParamsSchema, req.params, 'blackout id');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    if (!(await admin.removeBlackout(id, childId))) throw new NotFoundError('Blackout');
    res.json({ facility: await detailOrThrow(organizationId, id) });
  });

  /** Registers a kiosk; the credential is returned this once and only its SHA-256 is kept. */
  router.post('/:id/kiosk-devices', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const input = parseInput(CreateKioskDeviceRequestSchema, req.body, 'kiosk device');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    const credential = `kiosk-${randomBytes(24).toString('base64url')}`;
    const device = await admin.addKioskDevice(organizationId, id, input.label, hashSecretToken(credential));
    const body: KioskDeviceCreated = { device, credential };
    res.status(201).json(body);
  });

  router.delete('/:id/kiosk-devices/:childId', adminOnly, async (req, res) => {
    const { id, childId } = parseInput(FacilityChildParamsSchema, req.params, 'kiosk device id');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    if (!(await admin.revokeKioskDevice(id, childId, new Date()))) throw new NotFoundError('Kiosk device');
    res.json({ facility: await detailOrThrow(organizationId, id) });
  });

  return router;
}
