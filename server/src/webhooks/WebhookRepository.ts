import type { WebhookConfigRequest, WebhookDeliveryView, WebhookView } from '@parley/shared';
import type { Db } from '../db/types.ts';

export interface WebhookEndpointRow {
  id: string;
  organizationId: string;
  url: string;
  secret: string;
  active: boolean;
}

export interface DeliveryToSend {
  id: string;
  event: string;
  body: string;
  attempts: number;
  endpoint: { url: string; secret: string; active: boolean };
}

/** Webhook endpoints (one per organisation) and the delivery log. */
export class WebhookRepository {
  constructor(private readonly db: Db) {}

  async view(organizationId: string): Promise<WebhookView | null> {
    const row = await this.db.webhookEndpoint.findUnique({
      where: { organizationId },
      select: { url: true, active: true, createdAt: true, updatedAt: true },
    });
    return row
      ? {
          url: row.url,
          active: row.active,
          secretSet: true,
          createdAt: row.createdAt.toISOString(),
          updatedAt: row.updatedAt.toISOString(),
        }
      : null;
  }

  async upsert(organizationId: string, input: WebhookConfigRequest): Promise<void> {
    await this.db.webhookEndpoint.upsert({
      where: { organizationId },
      create: { organizationId, ...input },
      update: input,
      select: { id: true },
    });
  }

  /** Changes the URL and on/off switch, keeping the secret. */
  async updateSettings(organizationId: string, input: { url: string; active: boolean }): Promise<void> {
    await this.db.webhookEndpoint.update({ where: { organizationId }, data: input, select: { id: true } });
  }

  /** Removes the endpoint and its delivery log. Returns whether there was one. */
  async remove(organizationId: string): Promise<boolean> {
    const { count } = await this.db.webhookEndpoint.deleteMany({ where: { organizationId } });
    return count > 0;
  }

  /** Replaces the signing secret; false when no webhook is configured. */
  async rotateSecret(organizationId: string, secret: string): Promise<boolean> {
    const { count } = await this.db.webhookEndpoint.updateMany({
      where: { organizationId },
      data: { secret },
    });
    return count > 0;
  }

  /** A delivery without a consultation: the admin screen's test event. */
  async createTestDelivery(delivery: {
    id: string;
    organizationId: string;
    endpointId: string;
    event: string;
    body: string;
  }): Promise<void> {
    await this.db.webhookDelivery.create({ data: delivery, select: { id: true } });
  }

  /**
   * Puts a FAILED delivery back in the queue for one more try of the same message. False when the
   * delivery is not in the organisation's log or is not FAILED.
   */
  async requeueFailed(organizationId: string, id: string): Promise<'requeued' | 'not-failed' | 'unknown'> {
    const { count } = await this.db.webhookDelivery.updateMany({
      where: { id, organizationId, status: 'FAILED' },
      data: { status: 'PENDING' },
    });
    if (count === 1) return 'requeued';
    const exists = await this.db.webhookDelivery.count({ where: { id, organizationId } });
    return exists > 0 ? 'not-failed' : 'unknown';
  }

  async activeEndpoint(organizationId: string): Promise<WebhookEndpointRow | null> {
    return this.db.webhookEndpoint.findFirst({
      where: { organizationId, active: true },
      select: { id: true, organizationId: true, url: true, secret: true, active: true },
    });
  }

  /**
   * Creates the delivery of `event` for a consultation, once: a second end of the same call (a
   * retried write, a second server) finds the existing row and returns null.
   */
  async createDelivery(delivery: {
    id: string;
    organizationId: string;
    endpointId: string;
    consultationId: string;
    event: string;
    body: string;
  }): Promise<string | null> {
    const { count } = await this.db.webhookDelivery.createMany({ data: [delivery], skipDuplicates: true });
    return count === 1 ? delivery.id : null;
  }

  async deliveryToSend(id: string): Promise<DeliveryToSend | null> {
    return this.db.webhookDelivery.findFirst({
      where: { id, status: 'PENDING' },
      select: {
        id: true,
        event: true,
        body: true,
        attempts: true,
        endpoint: { select: { url: true, secret: true, active: true } },
      },
    });
  }

  async recordAttempt(
    id: string,
    outcome: { status: 'PENDING' | 'DELIVERED' | 'FAILED'; statusCode: number | null; error: string | null },
  ): Promise<void> {
    const now = new Date();
    await this.db.webhookDelivery.update({
      where: { id },
      data: {
        status: outcome.status,
        attempts: { increment: 1 },
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        lastAttemptAt: now,
        ...(outcome.status === 'DELIVERED' ? { deliveredAt: now } : {}),
      },
      select: { id: true },
    });
  }

  async pendingIds(limit = 100): Promise<string[]> {
    const rows = await this.db.webhookDelivery.findMany({
      where: { status: 'PENDING' },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async deliveries(organizationId: string, limit: number): Promise<WebhookDeliveryView[]> {
    const rows = await this.db.webhookDelivery.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: limit,
      select: {
        id: true,
        consultationId: true,
        event: true,
        status: true,
        attempts: true,
        lastStatusCode: true,
        lastError: true,
        lastAttemptAt: true,
        deliveredAt: true,
        createdAt: true,
      },
    });
    return rows.map((r) => ({
      ...r,
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
