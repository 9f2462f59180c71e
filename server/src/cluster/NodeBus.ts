import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.ts';

/**
 * Messages between the node a browser's socket is connected to (the entry node) and the node that
 * holds its call (the owner). Client messages go entry → owner with an ack id; the owner's answer
 * comes back owner → entry. Everything else the owner tells the socket (state, routing, 'replaced',
 * joining rooms, disconnecting) goes through socket.io's adapter, which reaches every node.
 */
const RelayMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), sid: z.string(), from: z.string() }),
  z.object({
    type: z.literal('event'),
    sid: z.string(),
    from: z.string(),
    event: z.string(),
    args: z.array(z.unknown()),
    ackId: z.number().optional(),
  }),
  z.object({ type: z.literal('closed'), sid: z.string() }),
  z.object({ type: z.literal('ack'), sid: z.string(), ackId: z.number(), result: z.unknown() }),
  /** The owner has no such socket (it restarted): the entry node drops the route. */
  z.object({ type: z.literal('unknown'), sid: z.string() }),
  /** To every node: a user's sessions ended (their cached session state and call sockets go). */
  z.object({
    type: z.literal('revoked'),
    from: z.string(),
    userId: z.string(),
    reason: z.enum(['DEACTIVATED', 'PASSWORD_CHANGED', 'REFRESH_TOKEN_REUSED', 'SIGNED_OUT_EVERYWHERE']),
  }),
]);
export type RelayMessage = z.infer<typeof RelayMessageSchema>;

/** How long a message to one node is offered again while nobody listens on its channel. */
export const REDELIVER_FOR_MS = 5_000;

/**
 * One Redis PUB/SUB channel per node. PUB/SUB, not a stream: these messages are worth nothing once
 * their socket is gone. PUBLISH says how many listeners got a message: when a message to one node
 * reached nobody (its subscription is not back yet after a Redis restart), it is offered again
 * for REDELIVER_FOR_MS, with the messages to that node behind it waiting their turn, so a relayed
 * message is not lost to a restart; a node that stays silent that long is dead, and the relay
 * closes its sockets (the page rejoins on a live node).
 */
export class NodeBus {
  private readonly handlers = new Set<(message: RelayMessage) => void>();
  /**
   * Per node, messages that reached nobody (`failed`, in the order they were sent) and those sent
   * since, queued behind them (`queued`): all of `failed` was sent before any of `queued`.
   */
  private readonly backlog = new Map<string, { failed: string[]; queued: string[] }>();

  private constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  static async open(publisher: Redis, subscriber: Redis, prefix: string, nodeId: string, logger: Logger) {
    const bus = new NodeBus(publisher, prefix, logger);
    const own = bus.channel(nodeId);
    const everyone = bus.channel('*');
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== own && channel !== everyone) return;
      let parsed: RelayMessage;
      try {
        parsed = RelayMessageSchema.parse(JSON.parse(text));
      } catch {
        bus.logger.warn({ channel }, 'a relay message was not valid; dropped');
        return;
      }
      for (const handler of bus.handlers) {
        try {
          handler(parsed);
        } catch (err) {
          bus.logger.error({ err, type: parsed.type }, 'handling a relay message failed');
        }
      }
    });
    await subscriber.subscribe(own, everyone);
    return bus;
  }

  private channel(nodeId: string): string {
    return `${this.prefix}relay:${nodeId}`;
  }

  onMessage(handler: (message: RelayMessage) => void): void {
    this.handlers.add(handler);
  }

  /** To every node, this one included (a message carries `from` when a node must skip its own). */
  broadcast(message: RelayMessage): void {
    this.send('*', message);
  }

  send(nodeId: string, message: RelayMessage): void {
    const text = JSON.stringify(message);
    const waiting = this.backlog.get(nodeId);
    if (waiting) {
      waiting.queued.push(text);
      return;
    }
    this.publisher
      .publish(this.channel(nodeId), text)
      .then((listeners) => {
        if (listeners > 0 || nodeId === '*') return;
        // Replies come in the order the messages went out: `failed` keeps that order.
        const backlog = this.backlog.get(nodeId);
        if (backlog) backlog.failed.push(text);
        else {
          this.backlog.set(nodeId, { failed: [text], queued: [] });
          void this.redeliver(nodeId);
        }
      })
      .catch((err: unknown) => {
        this.logger.warn({ err, nodeId, type: message.type }, 'could not send a relay message');
      });
  }

  /** Offers `nodeId`'s backlog again, oldest first, until it is delivered or REDELIVER_FOR_MS pass. */
  private async redeliver(nodeId: string): Promise<void> {
    const backlog = this.backlog.get(nodeId)!;
    const next = () => backlog.failed[0] ?? backlog.queued[0];
    const delivered = () => (backlog.failed.length > 0 ? backlog.failed : backlog.queued).shift();
    const left = () => backlog.failed.length + backlog.queued.length;
    const giveUpAt = Date.now() + REDELIVER_FOR_MS;
    let delay = 50;
    try {
      while (left() > 0) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        while (left() > 0 && (await this.publisher.publish(this.channel(nodeId), next()!)) > 0) delivered();
        if (left() > 0 && Date.now() >= giveUpAt) {
          this.logger.warn({ nodeId, messages: left() }, 'relay messages reached nobody; dropped');
          return;
        }
        delay = Math.min(delay * 2, 500);
      }
    } catch (err) {
      this.logger.warn({ err, nodeId, messages: left() }, 'could not send relay messages; dropped');
    } finally {
      this.backlog.delete(nodeId);
    }
  }
}
