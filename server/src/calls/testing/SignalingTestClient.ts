import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  CallEndReason,
  CallState,
  ClientToServerEvents,
  JoinResult,
  ListenerRouting,
  MediaRestartResult,
  ServerToClientEvents,
} from '@parley/shared';
import type { ConsumerParameters, MediaNegotiation, ProduceResult } from '@parley/shared';
import { waitUntil } from '../../media/testing/callHarness.ts';
import { MediasoupTestPeer, type MediasoupSteps } from '../../media/testing/MediasoupTestPeer.ts';
import { WeriftTestPeer } from '../../media/testing/WeriftTestPeer.ts';

/** A headless peer behind the socket: werift answering SDP, or a mediasoup client's steps. */
export type SignalingTestPeer = WeriftTestPeer | MediasoupTestPeer;

/** How long a test waits for an acknowledgement before failing with the event's name. */
const ACK_TIMEOUT_MS = 10_000;

type CallClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A headless call participant for integration tests: a socket.io connection to the `/call`
 * namespace that records every message the server pushes, and, once joined with media, a peer that
 * sends stamped packets — on the werift engine a werift peer answering the server's offer, on
 * mediasoup a headless mediasoup client (MediasoupTestPeer) whose connect, produce and
 * receive-capabilities steps go over this socket and which consumes what the server's `consumers`
 * messages list. Messages can be sent raw, so a test can send what a well-behaved client never would.
 */
export class SignalingTestClient {
  readonly states: CallState[] = [];
  readonly routings: ListenerRouting[] = [];
  readonly ended: CallEndReason[] = [];
  /** Why the socket disconnected ('io server disconnect' when the server closed it), once it has. */
  disconnectReason: string | undefined;
  /** 'replaced' and 'disconnect: <reason>', in the order they came. */
  readonly lifecycle: string[] = [];
  joined: JoinResult | undefined;
  peer: SignalingTestPeer | undefined;
  /** The latest `consumers` message (mediasoup), for a peer made after it arrived. */
  private consumers: ConsumerParameters[] = [];

  private constructor(
    readonly name: string,
    readonly socket: CallClientSocket,
  ) {
    socket.on('state', (state) => this.states.push(state));
    socket.on('routing', (routing) => this.routings.push(routing));
    socket.on('ended', ({ reason }) => this.ended.push(reason));
    socket.on('replaced', () => this.lifecycle.push('replaced'));
    socket.on('consumers', ({ consumers }) => {
      this.consumers = consumers;
      if (this.peer instanceof MediasoupTestPeer)
        this.peer
          .consume(consumers)
          .catch((err: unknown) => this.lifecycle.push(`consume failed: ${String(err)}`));
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.lifecycle.push(`disconnect: ${reason}`);
    });
  }

  /** Opens a socket to `baseUrl`'s call namespace; `name` labels failures. */
  static async connect(baseUrl: string, name: string): Promise<SignalingTestClient> {
    const socket: CallClientSocket = io(`${baseUrl}/call`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const client = new SignalingTestClient(name, socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: socket did not connect`)), ACK_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    return client;
  }

  /** The state the server last pushed, or the join's. */
  get state(): CallState | undefined {
    return this.states.at(-1) ?? this.joined?.state;
  }

  /** The routing the server last pushed, or the join's. */
  get routing(): ListenerRouting | null | undefined {
    return this.routings.at(-1) ?? this.joined?.routing;
  }

  /** Sends any event with any payload (unchecked by TypeScript) and returns the server's ack. */
  async send<T = null>(event: string, message?: unknown): Promise<Ack<T>> {
    const loose = this.socket as unknown as {
      timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<T>> };
    };
    try {
      return await loose.timeout(ACK_TIMEOUT_MS).emitWithAck(event, message);
    } catch (err) {
      throw new Error(`${this.name}: no ack for ${event} (${(err as Error).message})`);
    }
  }

  /** Joins without media: returns the ack as it is, success or error. */
  async join(token: string): Promise<Ack<JoinResult>> {
    const ack = await this.send<JoinResult>('join', { token });
    if (ack.ok) this.joined = ack.data;
    return ack;
  }

  /**
   * Joins and connects media: the peer answers the server's offer, the answer goes back over the
   * socket, and both ICE ends connect. `peerIndex` is stamped into every packet the peer sends.
   */
  async joinWithMedia(token: string, peerIndex: number): Promise<JoinResult> {
    const ack = await this.join(token);
    if (!ack.ok) throw new Error(`${this.name}: join refused: ${ack.error.code} ${ack.error.message}`);
    await this.connectMedia(ack.data, peerIndex);
    return ack.data;
  }

  /**
   * Connects media for a join that succeeded: answers its offer (werift), or connects, produces and
   * declares what it receives (mediasoup), and waits for ICE and DTLS.
   */
  async connectMedia(joined: Pick<JoinResult, 'media'>, peerIndex: number): Promise<void> {
    const media = joined.media;
    if (!media) throw new Error(`${this.name}: the server sent no media negotiation`);
    if (media.kind === 'mediasoup') return this.connectMediasoup(media, peerIndex);
    this.peer = new WeriftTestPeer(peerIndex);
    const answer = await this.peer.answer(media);
    const answered = await this.send('answer', { answer });
    if (!answered.ok) throw new Error(`${this.name}: answer refused: ${answered.error.code}`);
    await withTimeout(this.peer.connected(), `${this.name}'s media connects`);
  }

  private async connectMediasoup(media: MediaNegotiation, peerIndex: number): Promise<void> {
    const peer = new MediasoupTestPeer(peerIndex);
    this.peer = peer;
    this.consumers = [];
    const step = async <T>(event: string, message: unknown): Promise<T> => {
      const ack = await this.send<T>(event, message);
      if (!ack.ok) throw new Error(`${this.name}: ${event} refused: ${ack.error.code} ${ack.error.message}`);
      return ack.data;
    };
    const steps: MediasoupSteps = {
      connectTransport: (message) => step<null>('connectTransport', message).then(() => undefined),
      produce: (message) => step<ProduceResult>('produce', message),
      receiveCapabilities: (message) => step<null>('receiveCapabilities', message).then(() => undefined),
    };
    await peer.connect(media, steps);
    // Consumers listed while the steps were acknowledged.
    if (this.consumers.length > 0) await peer.consume(this.consumers);
    await withTimeout(peer.connected(), `${this.name}'s media connects`);
  }

  /** The media connection dies as after an ICE failure: the peer is closed, the socket stays. */
  async failMedia(): Promise<void> {
    await this.peer?.close();
  }

  /** Asks for a new media connection on this socket: returns the ack as it is. */
  async requestMediaRestart(): Promise<Ack<MediaRestartResult>> {
    const ack = await this.send<MediaRestartResult>('restartMedia', {});
    if (ack.ok && this.joined) {
      this.joined = {
        ...this.joined,
        media: ack.data.media,
        state: ack.data.state,
        routing: ack.data.routing,
      };
    }
    return ack;
  }

  /**
   * Recovers media as the browser does after an ICE failure: asks for a new media connection on the
   * same socket, answers it with a new peer stamped `peerIndex`, and waits for ICE.
   */
  async restartMedia(peerIndex: number): Promise<MediaRestartResult> {
    const ack = await this.requestMediaRestart();
    if (!ack.ok)
      throw new Error(`${this.name}: restartMedia refused: ${ack.error.code} ${ack.error.message}`);
    await this.peer?.close();
    await this.connectMedia(ack.data, peerIndex);
    return ack.data;
  }

  /** Waits until the latest state satisfies `predicate`. */
  async waitForState(predicate: (state: CallState) => boolean, what: string): Promise<CallState> {
    await waitUntil(() => {
      const state = this.state;
      return state !== undefined && predicate(state);
    }, `${this.name} sees ${what}`);
    return this.state!;
  }

  /** Drops the signalling connection as a lost network would (the peer is left as it is). */
  dropSocket(): void {
    this.socket.disconnect();
  }

  /** Closes the socket and the peer. Idempotent. */
  async close(): Promise<void> {
    this.socket.disconnect();
    await this.peer?.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out waiting until ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
