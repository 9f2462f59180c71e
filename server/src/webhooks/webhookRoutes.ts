import { Router } from 'express';
import { ErrorCode, WebhookConfigRequestSchema, WebhookDeliveryQuerySchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { AppError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { checkWebhookUrl } from './webhookUrlPolicy.ts';
import { WebhookRepository } from './WebhookRepository.ts';

/** `/api/webhooks`: an administrator sets the organisation's case-note webhook and reads its log. */
export function webhookRoutes(ctx: AppContext): Router {
  const router = Router();
  const webhooks = new WebhookRepository(ctx.db);
  router.use(requireRole('ADMIN'));

  router.get('/', async (req, res) => {
    res.json({ webhook: await webhooks.view(caller(req).organizationId) });
  });

  router.put('/', async (req, res) => {
    const input = parseInput(WebhookConfigRequestSchema, req.body, 'webhook');
    // Case notes are personal data (https, in production), and Parley must not be made to post
    // them inside its own network. Host names are checked again, resolved, at every delivery.
    const verdict = checkWebhookUrl(input.url, ctx.config.webhooks);
    if (!verdict.ok) {
      throw new AppError(
        ErrorCode.WEBHOOK_URL_NOT_ALLOWED,
        `This webhook URL is not allowed: ${verdict.reason}`,
        400,
        [{ path: 'url', message: verdict.reason }],
      );
    }
    const { organizationId } = caller(req);
    await webhooks.upsert(organizationId, input);
    res.json({ webhook: await webhooks.view(organizationId) });
  });

  router.delete('/', async (req, res) => {
    if (!(await webhooks.remove(caller(req).organizationId))) {
      throw new AppError(ErrorCode.WEBHOOK_NOT_CONFIGURED, 'No webhook is configured', 404);
    }
    res.status(204).end();
  });

  router.get('/deliveries', async (req, res) => {
    const { limit } = parseInput(WebhookDeliveryQuerySchema, req.query, 'delivery log query');
    res.json({ items: await webhooks.deliveries(caller(req).organizationId, limit) });
  });

  return router;
}
