import type { Namespace, Socket } from 'socket.io';
import { ErrorCode } from '@parley/shared';
import { verifyCallToken } from '../calls/callTokens.ts';
import type { CallSignaling } from '../calls/callSignaling.ts';
import { AppError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import type { NodeBus, RelayMessage } from './NodeBus.ts';
import type { NodeRegistry } from './NodeRegistry.ts';
import { RemoteCallSocket } from './RemoteCallSocket.ts';

type Ack = (result: unknown) => void;

/** A socket of this node whose call another node holds. */
interface Route {
  owner: string;
  socket: Socket;
  /** Acks of messages relayed to the owner, waiting for its answer. */
  pending: Map<number, Ack>;
}

/**
 * Gets a call's signalling to the node that holds the call: proxying, not redirecting. Browsers
 * reach Parley at one public address and a load balancer puts their socket on any node; that
 * node (the entry) reads the join's token, finds or places the room in the registry, and when
 * another node owns it relays the socket's messages to the owner over Redis. The owner runs the
 * same signalling code on a stand-in socket (RemoteCallSocket) and answers through socket.io's
 * adapter. Media never takes this path: the owner's SFU offers its own address (MEDIA_ANNOUNCED_IP),
 * and the browser sends its packets there directly, as with LiveKit's and mediasoup's deployments.
 *
 * A redirect would need the browser to reach each node by its own address (or the proxy to route
 * by node), and the client to reconnect mid-join; relaying keeps the client as it is.
 */
export class CallRelay {
  /** Entry side: sockets of this node relayed to their call's owner, by socket id. */
  private readonly routes = new Map<string, Route>();
  /** Owner side: stand-ins for sockets of other nodes, by socket id. */
  private readonly remotes = new Map<string, RemoteCallSocket>();
  private nextAckId = 1;
  /** Peers whose record was missing at the last check. */
  private missingBefore = new Set<string>();
  private readonly logger: Logger;

  constructor(
    private readonly nsp: Namespace,
    private readonly signaling: CallSignaling,
    private readonly bus: NodeBus,
    private readonly registry: NodeRegistry,
    private readonly jwtSecret: string,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'call-relay' });
    bus.onMessage((message) => this.received(message));
    nsp.on('connection', (socket: Socket) => this.attachEntry(socket));
  }

  private get nodeId(): string {
    return this.registry.nodeId;
  }

  /** Sockets relayed to other nodes now, and stand-ins for other nodes' sockets: for tests and logs. */
  get counts(): { relayed: number; standIns: number } {
    return { relayed: this.routes.size, standIns: this.remotes.size };
  }

  private attachEntry(socket: Socket): void {
    // One message at a time per socket: a join still being placed keeps what follows behind it.
    let chain = Promise.resolve();
    let local = false;
    socket.use((packet, next) => {
      chain = chain
        .then(async () => {
          const route = this.routes.get(socket.id);
          if (route) return this.forward(route, packet);
          if (local || packet[0] !== 'join') return next();
          const owner = await this.placeJoin(packet);
          if (owner === undefined || socket.disconnected) return next();
          if (owner === null) {
            const ack: unknown = packet.at(-1);
            if (typeof ack === 'function') {
              const refusal = new AppError(
                ErrorCode.TIMEOUT,
                'Parley is restarting; try again in a moment',
                503,
              ).toBody();
              (ack as Ack)({ ok: false, ...refusal });
            }
            return;
          }
          if (owner === this.nodeId) {
            local = true;
            return next();
          }
          const created: Route = { owner, socket, pending: new Map() };
          this.routes.set(socket.id, created);
          this.bus.send(owner, { type: 'open', sid: socket.id, from: this.nodeId });
          this.forward(created, packet);
        })
        .catch((err: unknown) => {
          this.logger.error({ err }, 'routing a call message failed');
          next();
        });
    });
    socket.on('disconnect', () => {
      const route = this.routes.get(socket.id);
      if (!route) return;
      this.routes.delete(socket.id);
      this.bus.send(route.owner, { type: 'closed', sid: socket.id });
    });
  }

  /**
   * The node that holds the join's call: undefined when the join is not one this relay can read
   * (the signalling refuses it with its own error), null when no node takes new calls.
   */
  private async placeJoin(packet: unknown[]): Promise<string | null | undefined> {
    const message = packet[1];
    const token =
      typeof message === 'object' && message !== null && 'token' in message ? message.token : undefined;
    if (typeof token !== 'string') return undefined;
    let consultationId: string;
    try {
      consultationId = verifyCallToken(token, this.jwtSecret).consultationId;
    } catch {
      return undefined;
    }
    return this.registry.place(consultationId);
  }

  private forward(route: Route, packet: unknown[]): void {
    const [event, ...args] = packet;
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    let ackId: number | undefined;
    if (ack) {
      ackId = this.nextAckId++;
      route.pending.set(ackId, ack);
    }
    this.bus.send(route.owner, {
      type: 'event',
      sid: route.socket.id,
      from: this.nodeId,
      event: String(event),
      args,
      ...(ackId === undefined ? {} : { ackId }),
    });
  }

  private received(message: RelayMessage): void {
    switch (message.type) {
      case 'open': {
        const standIn = new RemoteCallSocket(message.sid, message.from, this.nsp);
        this.remotes.set(message.sid, standIn);
        standIn.on('disconnect', () => this.remotes.delete(message.sid));
        this.signaling.attachRemote(standIn as unknown as Parameters<CallSignaling['attachRemote']>[0]);
        return;
      }
      case 'event': {
        const standIn = this.remotes.get(message.sid);
        if (!standIn) {
          this.bus.send(message.from, { type: 'unknown', sid: message.sid });
          return;
        }
        const { ackId } = message;
        standIn.dispatch(
          message.event,
          message.args,
          ackId === undefined
            ? undefined
            : (result) => this.bus.send(message.from, { type: 'ack', sid: message.sid, ackId, result }),
        );
        return;
      }
      case 'closed':
        this.remotes.get(message.sid)?.closed('transport close');
        this.remotes.delete(message.sid);
        return;
      case 'ack': {
        const route = this.routes.get(message.sid);
        const ack = route?.pending.get(message.ackId);
        if (!route || !ack) return;
        route.pending.delete(message.ackId);
        ack(message.result);
        return;
      }
      case 'unknown':
        // The owner restarted and forgot this socket: start over on a new connection (the page rejoins).
        this.dropRoute(message.sid);
        return;
      case 'revoked':
        return;
    }
  }

  /** Closes the sockets of other nodes seated here as `userId` (their sessions ended). */
  disconnectUser(userId: string): void {
    for (const standIn of this.remotes.values()) {
      const seat = standIn.data.seat as { participantId?: string } | undefined;
      if (seat?.participantId === userId) standIn.disconnect(true);
    }
  }

  private dropRoute(sid: string): void {
    const route = this.routes.get(sid);
    if (!route) return;
    this.routes.delete(sid);
    route.socket.disconnect(true);
  }

  /**
   * Checks the nodes at the other end: a relayed socket whose owner died is closed (the page
   * reconnects, rejoins and the room is placed on a live node, within the reconnection grace); a
   * stand-in whose entry node died is closed (its person's grace period starts, as on a lost network).
   */
  async checkPeers(): Promise<void> {
    const nodes = new Set([
      ...[...this.routes.values()].map((r) => r.owner),
      ...[...this.remotes.values()].map((r) => r.entryNodeId),
    ]);
    // Missing at two checks in a row: one late heartbeat of a busy node is not a death.
    const missing = new Set<string>();
    for (const node of nodes) if (!(await this.registry.isAlive(node))) missing.add(node);
    const dead = new Set([...missing].filter((node) => this.missingBefore.has(node)));
    this.missingBefore = missing;
    if (dead.size === 0) return;
    for (const [sid, route] of this.routes) {
      if (dead.has(route.owner)) {
        this.logger.warn({ owner: route.owner }, 'the node holding a call is gone; the page reconnects');
        this.dropRoute(sid);
      }
    }
    for (const [sid, standIn] of this.remotes) {
      if (dead.has(standIn.entryNodeId)) {
        standIn.closed('transport close');
        this.remotes.delete(sid);
      }
    }
  }
}
