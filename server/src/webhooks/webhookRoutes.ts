import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  EmptyRequestSchema,
  ErrorCode,
  IdParamsSchema,
  WEBHOOK_TEST_EVENT,
  WebhookConfigRequestSchema,
  WebhookDeliveryQuerySchema,
  WebhookSettingsRequestSchema,
  type WebhookConfigRequest,
  type WebhookSecretIssued,
  type WebhookTestBody,
} from '@parley/shared';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { AppError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { sessionLogFor } from '../sessionLog/sessionLogFor.ts';
import { newWebhookSecret } from './webhookSignature.ts';
import { checkWebhookUrl } from './webhookUrlPolicy.ts';
import { WebhookRepository } from './WebhookRepository.ts';

/** `/api/webhooks`: an administrator sets the organisation's case-note webhook and reads its log. */
export function webhookRoutes(ctx: AppContext): Router {
  const router = Router();
  const webhooks = new WebhookRepository(ctx.db);
  const audit = new AdminAuditRepository(ctx.db);
  router.use(requireRole('ADMIN'));
  const notConfigured = () => new AppError(ErrorCode.WEBHOOK_NOT_CONFIGURED, 'No webhook is configured', 404);

  router.get('/', async (req, res) => {
    res.json({ webhook: await webhooks.view(caller(req).organizationId) });
  });

  /**
   * Saves the URL. A body without `secret` (the admin screen) keeps the current secret, or makes a
   * new one and returns it this once; a body with one (older API clients) sets it.
   */
  router.put('/', async (req, res) => {
    const withSecret = typeof req.body === 'object' && req.body !== null && 'secret' in req.body;
    const given: WebhookConfigRequest | undefined = withSecret
      ? parseInput(WebhookConfigRequestSchema, req.body, 'webhook')
      : undefined;
    const settings = given ?? parseInput(WebhookSettingsRequestSchema, req.body, 'webhook');
    // Case notes are personal data (https, in production), and Parley must not be made to post
    // them inside its own network. Host names are checked again, resolved, at every delivery.
    const verdict = checkWebhookUrl(settings.url, ctx.config.webhooks);
    if (!verdict.ok) {
      throw new AppError(
        ErrorCode.WEBHOOK_URL_NOT_ALLOWED,
        `This webhook URL is not allowed: ${verdict.reason}`,
        400,
        [{ path: 'url', message: verdict.reason }],
      );
    }
    const { organizationId, userId } = caller(req);
    const existing = await webhooks.view(organizationId);
    const newSecret = given || existing ? undefined : newWebhookSecret();
    if (given) await webhooks.upsert(organizationId, given);
    else if (newSecret) await webhooks.upsert(organizationId, { ...settings, secret: newSecret });
    else await webhooks.updateSettings(organizationId, settings);
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'WEBHOOK_SAVED',
      targetType: 'WEBHOOK',
      targetId: null,
      details: {
        url: settings.url,
        active: settings.active,
        secretChanged: newSecret !== undefined || withSecret,
      },
    });
    res.json({ webhook: await webhooks.view(organizationId), ...(newSecret ? { secret: newSecret } : {}) });
  });

  /** A new signing secret, shown this once. Receivers must switch to it; old signatures stop. */
  router.post('/secret', async (req, res) => {
    parseInput(EmptyRequestSchema, req.body, 'request');
    const { organizationId, userId } = caller(req);
    const secret = newWebhookSecret();
    if (!(await webhooks.rotateSecret(organizationId, secret))) throw notConfigured();
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'WEBHOOK_SECRET_ROTATED',
      targetType: 'WEBHOOK',
      targetId: null,
    });
    const body: WebhookSecretIssued = { secret };
    res.status(201).json(body);
  });

  /** Sends a signed test event through the same sender and delivery log as case notes. */
  router.post('/test', async (req, res) => {
    parseInput(EmptyRequestSchema, req.body, 'request');
    const { organizationId, userId } = caller(req);
    const endpoint = await webhooks.activeEndpoint(organizationId);
    if (!endpoint) throw notConfigured();
    const id = randomUUID();
    const body: WebhookTestBody = {
      event: WEBHOOK_TEST_EVENT,
      deliveryId: id,
      organizationId,
      sentAt: new Date().toISOString(),
    };
    await webhooks.createTestDelivery({
      id,
      organizationId,
      endpointId: endpoint.id,
      event: WEBHOOK_TEST_EVENT,
      body: JSON.stringify(body),
    });
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'WEBHOOK_TEST_SENT',
      targetType: 'WEBHOOK',
      targetId: id,
    });
    sessionLogFor(ctx).webhooks.send(id);
    res.status(202).json({ deliveryId: id });
  });

  /** One more try of a FAILED delivery, with the same message and webhook-id. */
  router.post('/deliveries/:id/retry', async (req, res) => {
    parseInput(EmptyRequestSchema, req.body, 'request');
    const { id } = parseInput(IdParamsSchema, req.params, 'delivery id');
    const { organizationId, userId } = caller(req);
    const outcome = await webhooks.requeueFailed(organizationId, id);
    if (outcome === 'unknown') throw new NotFoundError('Delivery');
    if (outcome === 'not-failed') {
      throw new AppError(ErrorCode.DELIVERY_NOT_RETRYABLE, 'Only a failed delivery can be retried', 409);
    }
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'WEBHOOK_DELIVERY_RETRIED',
      targetType: 'WEBHOOK',
      targetId: id,
    });
    sessionLogFor(ctx).webhooks.send(id);
    res.status(202).json({ deliveryId: id });
  });

  router.delete('/', async (req, res) => {
    const { organizationId, userId } = caller(req);
    if (!(await webhooks.remove(organizationId))) throw notConfigured();
    await audit.record({
      organizationId,
      actorUserId: userId,
      action: 'WEBHOOK_REMOVED',
      targetType: 'WEBHOOK',
      targetId: null,
    });
    res.status(204).end();
  });

  router.get('/deliveries', async (req, res) => {
    const { limit } = parseInput(WebhookDeliveryQuerySchema, req.query, 'delivery log query');
    res.json({ items: await webhooks.deliveries(caller(req).organizationId, limit) });
  });

  return router;
}
