import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import type { UserSessions } from '../auth/UserSessions.ts';
import type { CallSignaling } from '../calls/callSignaling.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { CallRelay } from './CallRelay.ts';
import { NodeBus } from './NodeBus.ts';
import { NodeRegistry } from './NodeRegistry.ts';
import { connectRedis, type RedisConnections } from './redis.ts';
import { redisSharedState } from './RedisSharedState.ts';
import type { SharedState } from './SharedState.ts';

/**
 * Set while this process replays another node's revocation: its listeners must not send it back
 * out. Process-wide, since test clusters run several nodes over one UserSessions.
 */
let replayingRevocation = false;

/**
 * This process as one node of several (REDIS_URL set): Redis connections, the shared state, the
 * socket.io adapter, the room registry with this node's heartbeat, and the call relay.
 */
export class ClusterNode {
  readonly shared: SharedState;
  /**
   * socket.io's Redis Streams adapter, not the PUB/SUB one: a stream is read from the last id a
   * node saw, so a Redis restart or a node's short disconnection delays broadcasts (call state,
   * routing, 'ended') instead of losing them, and one stream keeps a namespace's messages in order.
   */
  readonly adapter: ServerOptions['adapter'];
  readonly registry: NodeRegistry;
  private relay: CallRelay | undefined;
  private signaling: CallSignaling | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private stopRevocations: (() => void) | undefined;
  private url = '';
  private readonly logger: Logger;

  private constructor(
    private readonly redis: RedisConnections,
    private readonly bus: NodeBus,
    private readonly config: Config,
    logger: Logger,
  ) {
    const { keyPrefix, nodeId, heartbeatMs } = config.cluster;
    this.logger = logger.child({ component: 'cluster', nodeId });
    this.shared = redisSharedState(redis.command, keyPrefix);
    this.adapter = createAdapter(redis.command, {
      streamName: `${keyPrefix}socket.io`,
      channelPrefix: `${keyPrefix}socket.io`,
      sessionKeyPrefix: `${keyPrefix}socket.io:session:`,
      onlyPlaintext: true,
    });
    this.registry = new NodeRegistry(redis.command, keyPrefix, nodeId, heartbeatMs);
  }

  /** Connects to Redis (a wrong REDIS_URL fails the start) and listens for relayed messages. */
  static async connect(config: Config, logger: Logger): Promise<ClusterNode> {
    const { redisUrl, keyPrefix, nodeId } = config.cluster;
    if (!redisUrl) throw new Error('REDIS_URL is not set');
    const redis = await connectRedis(redisUrl, keyPrefix, logger);
    const bus = await NodeBus.open(redis.command, redis.subscriber, keyPrefix, nodeId, logger);
    return new ClusterNode(redis, bus, config, logger);
  }

  get nodeId(): string {
    return this.config.cluster.nodeId;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Whether this node can serve: Redis answers and it is not draining. */
  get isReady(): boolean {
    return !this.draining && this.redis.command.status === 'ready';
  }

  /**
   * Joins the registry once the server listens at `url`, relays calls between nodes, and shares
   * revocations: a user's sessions ended on one node end on every node at once (the session cache
   * forgets them and their call sockets close), not when the cache entry expires.
   */
  async start(signaling: CallSignaling, url: string, sessions: UserSessions): Promise<void> {
    this.signaling = signaling;
    this.url = url;
    this.relay = new CallRelay(
      signaling.io.of('/call'),
      signaling,
      this.bus,
      this.registry,
      this.config.jwtSecret,
      this.logger,
    );
    this.stopRevocations = sessions.onRevoked((userId, reason) => {
      this.relay?.disconnectUser(userId);
      if (!replayingRevocation) this.bus.broadcast({ type: 'revoked', from: this.nodeId, userId, reason });
    });
    this.bus.onMessage((message) => {
      if (message.type !== 'revoked' || message.from === this.nodeId) return;
      replayingRevocation = true;
      try {
        sessions.revokedElsewhere(message.userId, message.reason);
      } finally {
        replayingRevocation = false;
      }
    });
    await this.beat();
    this.timer = setInterval(() => {
      void this.beat()
        .then(() => this.relay?.checkPeers())
        .catch((err: unknown) => this.logger.warn({ err }, 'heartbeat failed'));
    }, this.config.cluster.heartbeatMs);
    this.timer.unref();
    this.logger.info({ url }, 'node joined the cluster');
  }

  private async beat(): Promise<void> {
    const calls = this.signaling?.liveCalls;
    await this.registry.heartbeat({
      url: this.url,
      mediaAddress: this.config.media.announcedAddress ?? null,
      load: calls?.size ?? 0,
      draining: this.draining,
    });
    // The node record first: the claims below check that the owner is alive.
    const elsewhere = await this.registry.reassert(calls?.keys() ?? []);
    if (elsewhere.length > 0)
      this.logger.warn({ consultationIds: elsewhere }, 'calls held here are registered to another live node');
  }

  /** A call on this node ended: its room is free. */
  callEnded(consultationId: string): void {
    this.registry.release(consultationId).catch((err: unknown) => {
      this.logger.warn({ err, consultationId }, 'could not free a room in the registry');
    });
  }

  /**
   * Takes no new calls (the registry places them elsewhere; /ready answers 503 so the load balancer
   * sends new connections elsewhere too) and waits until this node's calls have ended, or until
   * `timeoutMs` passed. Returns how many calls were still going.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    await this.beat().catch(() => undefined);
    const calls = () => this.signaling?.liveCalls.size ?? 0;
    this.logger.info({ calls: calls(), timeoutMs }, 'draining: no new calls here');
    const deadline = Date.now() + timeoutMs;
    while (calls() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(1, deadline - Date.now()))));
    }
    if (calls() > 0) this.logger.warn({ calls: calls() }, 'drain timed out with calls in progress');
    return calls();
  }

  /** Leaves the registry (its rooms may be placed elsewhere at once) and closes Redis. Idempotent. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopRevocations?.();
    await this.registry.leave().catch(() => undefined);
    await this.redis.close();
  }
}
