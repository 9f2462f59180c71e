import type { Db } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import {
  STANDARD_WEBHOOK_HEADERS,
  WEBHOOK_HEADERS,
  signStandardWebhook,
  signWebhook,
} from './webhookSignature.ts';
import { postWebhook, type ResolveHost } from './webhookTransport.ts';
import type { WebhookUrlPolicy } from './webhookUrlPolicy.ts';
import { WebhookRepository } from './WebhookRepository.ts';

export interface WebhookSenderOptions {
  db: Db;
  logger: Logger;
  /** Attempts before a delivery is marked FAILED. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles per attempt (1 s, 2 s, 4 s … by default). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
  /** Where deliveries may go (`Config.webhooks`); unset: https and public addresses only. */
  policy?: WebhookUrlPolicy;
  /** Tests: resolve host names without the system resolver. */
  resolveHost?: ResolveHost;
  now?: () => Date;
}

type Outcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string }
  | { kind: 'give-up'; statusCode: number | null; error: string };

/** 5xx, 408 and 429 are worth retrying; any other 4xx will not change by itself. */
function outcomeOf(statusCode: number): Outcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  const error = `HTTP_${statusCode}`;
  if (statusCode >= 500 || statusCode === 408 || statusCode === 429)
    return { kind: 'retry', statusCode, error };
  return { kind: 'give-up', statusCode, error };
}

/**
 * Sends webhook deliveries: signed POSTs, retried with exponential backoff, every attempt written
 * to the delivery log. Runs in the background; `idle()` resolves when nothing is in flight.
 */
export class WebhookSender {
  private readonly repo: WebhookRepository;
  private readonly logger: Logger;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly policy: WebhookUrlPolicy;
  private readonly resolveHost: ResolveHost | undefined;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(options: WebhookSenderOptions) {
    this.repo = new WebhookRepository(options.db);
    this.logger = options.logger;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.policy = options.policy ?? { allowHttp: false, allowPrivateNetworks: false };
    this.resolveHost = options.resolveHost;
    this.now = options.now ?? (() => new Date());
  }

  /** Starts sending a delivery in the background. */
  send(deliveryId: string): void {
    if (this.closed) return;
    const run = this.run(deliveryId).catch((err: unknown) => {
      this.logger.error({ err, deliveryId }, 'webhook delivery crashed');
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when every delivery started so far has finished (delivered or failed). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops retrying; deliveries still PENDING stay in the log for the next start. Idempotent. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async run(deliveryId: string): Promise<void> {
    for (;;) {
      const delivery = await this.repo.deliveryToSend(deliveryId);
      if (!delivery || this.closed) return;
      if (!delivery.endpoint.active) return;
      const outcome = await this.attempt(delivery.id, delivery.event, delivery.body, delivery.endpoint);
      const attempts = delivery.attempts + 1;
      const exhausted = outcome.kind === 'retry' && attempts >= this.maxAttempts;
      const status =
        outcome.kind === 'delivered'
          ? 'DELIVERED'
          : outcome.kind === 'give-up' || exhausted
            ? 'FAILED'
            : 'PENDING';
      await this.repo.recordAttempt(delivery.id, {
        status,
        statusCode: outcome.statusCode,
        error: outcome.kind === 'delivered' ? null : outcome.error,
      });
      if (status !== 'PENDING') {
        this.logger[status === 'DELIVERED' ? 'info' : 'warn'](
          { deliveryId, attempts, status },
          'webhook delivery finished',
        );
        return;
      }
      const delay = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (attempts - 1));
      this.logger.info({ deliveryId, attempts, retryInMs: delay }, 'webhook delivery will be retried');
      const slept = await this.sleep(delay);
      if (!slept) return;
    }
  }

  private async attempt(
    deliveryId: string,
    event: string,
    body: string,
    endpoint: { url: string; secret: string },
  ): Promise<Outcome> {
    const timestamp = Math.floor(this.now().getTime() / 1000);
    try {
      const result = await postWebhook(endpoint.url, {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Parley-Webhooks/1',
          [STANDARD_WEBHOOK_HEADERS.id]: deliveryId,
          [STANDARD_WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [STANDARD_WEBHOOK_HEADERS.signature]: signStandardWebhook(
            endpoint.secret,
            deliveryId,
            timestamp,
            body,
          ),
          // The X-Parley-* headers stay for one more release; README says when they go.
          [WEBHOOK_HEADERS.event]: event,
          [WEBHOOK_HEADERS.delivery]: deliveryId,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(endpoint.secret, timestamp, body),
        },
        body,
        policy: this.policy,
        timeoutMs: this.timeoutMs,
        resolveHost: this.resolveHost,
      });
      switch (result.kind) {
        case 'answered':
          return outcomeOf(result.statusCode);
        case 'refused':
          // Retrying would only ask again for somewhere we will not go: fail the delivery now.
          this.logger.warn(
            { deliveryId, error: result.error, addresses: result.addresses },
            'webhook delivery refused: its URL is not allowed',
          );
          return { kind: 'give-up', statusCode: null, error: result.error };
        case 'failed':
          return { kind: 'retry', statusCode: null, error: result.error };
      }
    } catch (err) {
      this.logger.warn({ err, deliveryId }, 'webhook request could not be made');
      return { kind: 'retry', statusCode: null, error: 'CONNECTION_FAILED' };
    }
  }

  /** Waits `ms`; false when the sender was closed meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.closed);
      }, ms);
      timer.unref();
      this.timers.add(timer);
    });
  }
}
