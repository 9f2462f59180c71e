import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import {
  CreateBlackoutRequestSchema,
  CreateFacilityRequestSchema,
  CreateKioskDeviceRequestSchema,
  ErrorCode,
  FacilityChildParamsSchema,
  FacilityContactSchema,
  IdParamsSchema,
  RenameKioskDeviceRequestSchema,
  UpdateFacilityRequestSchema,
  type KioskDeviceCreated,
} from '@parley/shared';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
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
  const audit = new AdminAuditRepository(ctx.db);
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
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'FACILITY_CREATED',
      targetType: 'FACILITY',
      targetId: id,
      details: { label: input.code, name: input.name, timeZone: input.timeZone },
    });
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
    const updated = await detailOrThrow(organizationId, id);
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'FACILITY_UPDATED',
      targetType: 'FACILITY',
      targetId: id,
      details: { label: updated.code, fields: Object.keys(patch) },
    });
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
    const facility = await detailOrThrow(organizationId, id);
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'BLACKOUT_ADDED',
      targetType: 'FACILITY',
      targetId: id,
      details: { label: facility.code, date: input.date, reason: input.reason },
    });
    res.status(201).json({ facility: await detailOrThrow(organizationId, id) });
  });

  router.delete('/:id/blackouts/:childId', adminOnly, async (req, res) => {
    const { id, childId } = parseInput(FacilityChildParamsSchema, req.params, 'blackout id');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    if (!(await admin.removeBlackout(id, childId))) throw new NotFoundError('Blackout');
    const facility = await detailOrThrow(organizationId, id);
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'BLACKOUT_REMOVED',
      targetType: 'FACILITY',
      targetId: id,
      details: { label: facility.code },
    });
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
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'KIOSK_REGISTERED',
      targetType: 'KIOSK_DEVICE',
      targetId: device.id,
      details: { label: input.label, facilityId: id },
    });
    const body: KioskDeviceCreated = { device, credential };
    res.status(201).json(body);
  });

  router.patch('/:id/kiosk-devices/:childId', adminOnly, async (req, res) => {
    const { id, childId } = parseInput(FacilityChildParamsSchema, req.params, 'kiosk device id');
    const { label } = parseInput(RenameKioskDeviceRequestSchema, req.body, 'kiosk device');
    const { organizationId } = caller(req);
    const before = await detailOrThrow(organizationId, id);
    if (!(await admin.renameKioskDevice(id, childId, label))) throw new NotFoundError('Kiosk device');
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'KIOSK_RENAMED',
      targetType: 'KIOSK_DEVICE',
      targetId: childId,
      details: {
        label,
        previousLabel: before.kioskDevices.find((d) => d.id === childId)?.label ?? null,
        facilityId: id,
      },
    });
    res.json({ facility: await detailOrThrow(organizationId, id) });
  });

  router.delete('/:id/kiosk-devices/:childId', adminOnly, async (req, res) => {
    const { id, childId } = parseInput(FacilityChildParamsSchema, req.params, 'kiosk device id');
    const { organizationId } = caller(req);
    await detailOrThrow(organizationId, id);
    if (!(await admin.revokeKioskDevice(id, childId, new Date()))) throw new NotFoundError('Kiosk device');
    const facility = await detailOrThrow(organizationId, id);
    await audit.record({
      organizationId,
      actorUserId: caller(req).userId,
      action: 'KIOSK_REVOKED',
      targetType: 'KIOSK_DEVICE',
      targetId: childId,
      details: {
        label: facility.kioskDevices.find((d) => d.id === childId)?.label ?? childId,
        facilityId: id,
      },
    });
    res.json({ facility });
  });

  /** The scheduling contact who confirms booked calls: staff read it, admins set it. */
  router.get('/:id/contact', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const contact = await admin.contact(caller(req).organizationId, id);
    if (!contact) throw new NotFoundError('Facility');
    res.json({ contact });
  });

  router.put('/:id/contact', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const input = parseInput(FacilityContactSchema, req.body, 'facility contact');
    const { organizationId, userId } = caller(req);
    const facility = await detailOrThrow(organizationId, id);
    await admin.setContact(organizationId, id, input);
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'FACILITY_CONTACT_UPDATED',
      targetType: 'FACILITY',
      targetId: id,
      details: { label: facility.code, ...input },
    });
    res.json({ contact: (await admin.contact(organizationId, id)) ?? input });
  });

  return router;
}
