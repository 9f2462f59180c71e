import { Router } from 'express';
import {
  ClientListQuerySchema,
  ClientTransferRequestSchema,
  CreateClientRequestSchema,
  ErrorCode,
  IdParamsSchema,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { FacilityRepository } from '../facilities/FacilityRepository.ts';
import { ConflictError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { ClientRepository } from './ClientRepository.ts';
import { ClientTransferRepository } from './ClientTransferRepository.ts';
import { ClientTransferService } from './ClientTransferService.ts';

/** Detained clients. Staff manage them; attorneys and interpreters reach them through cases. */
export function clientRoutes(ctx: AppContext): Router {
  const router = Router();
  const clients = new ClientRepository(ctx.db);
  const facilities = new FacilityRepository(ctx.db);
  const staffOnly = requireRole('ADMIN', 'STAFF');
  const transfers = new ClientTransferService(ctx.db, ctx.logger.child({ component: 'clients' }));
  const transferRows = new ClientTransferRepository(ctx.db);

  router.get('/', staffOnly, async (req, res) => {
    const query = parseInput(ClientListQuerySchema, req.query, 'client search');
    res.json(await clients.list(caller(req).organizationId, query));
  });

  router.get('/:id', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'client id');
    const client = await clients.findById(caller(req).organizationId, id);
    if (!client) throw new NotFoundError('Client');
    res.json({ client });
  });

  router.post('/', staffOnly, async (req, res) => {
    const input = parseInput(CreateClientRequestSchema, req.body, 'new client');
    const { organizationId } = caller(req);
    if (input.facilityId && !(await facilities.existsInOrganization(organizationId, input.facilityId))) {
      throw new NotFoundError('Facility');
    }
    if (await clients.aNumberExists(organizationId, input.aNumber)) {
      throw new ConflictError(ErrorCode.A_NUMBER_TAKEN, 'A client with this A-Number already exists');
    }
    res.status(201).json({ client: await clients.create(organizationId, input) });
  });

  /** The client's moves between facilities, newest first. */
  router.get('/:id/transfers', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'client id');
    const { organizationId } = caller(req);
    if (!(await clients.findById(organizationId, id))) throw new NotFoundError('Client');
    res.json({ items: await transferRows.listForClient(organizationId, id) });
  });

  /**
   * The client was moved to another facility: recorded, audited, and their calls still to come
   * elsewhere cancelled (CLIENT_TRANSFERRED), to be rebooked at the new facility.
   */
  router.post('/:id/transfers', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'client id');
    const input = parseInput(ClientTransferRequestSchema, req.body, 'transfer');
    res.status(201).json(await transfers.transfer(caller(req), id, input));
  });

  return router;
}
