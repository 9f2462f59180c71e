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

/**
 * One Redis PUB/SUB channel per node. PUB/SUB, not a stream: these messages are worth nothing once
 * their socket is gone, and a message lost while Redis restarts costs one ack the browser times
 * out on and retries (it rejoins on a new connection).
 */
export class NodeBus {
  private readonly handlers = new Set<(message: RelayMessage) => void>();

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
    this.publisher.publish(this.channel(nodeId), JSON.stringify(message)).catch((err: unknown) => {
      this.logger.warn({ err, nodeId, type: message.type }, 'could not send a relay message');
    });
  }
}
