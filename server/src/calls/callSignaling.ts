import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  AcknowledgePauseMessageSchema,
  AnswerMessageSchema,
  PleasePauseMessageSchema,
  BackChannelMessageSchema,
  HandoverMessageSchema,
  SetInterpreterInputMessageSchema,
  SetInterpreterOutputMessageSchema,
  SetOriginalLevelMessageSchema,
  CandidateMessageSchema,
  ConnectTransportMessageSchema,
  EmptyMessageSchema,
  ErrorCode,
  JoinMessageSchema,
  ProduceMessageSchema,
  ReceiveCapabilitiesMessageSchema,
  SetInterpretationMessageSchema,
  SetMutedMessageSchema,
  SetSidebarMessageSchema,
  type Ack,
  type CallEndReason,
  type CallRole,
  type ClientToServerEvents,
  type JoinResult,
  type LanguageCode,
  type MediaRestartResult,
  type ServerToClientEvents,
} from '@parley/shared';
import { memorySharedState, type SharedState } from '../cluster/SharedState.ts';
import type { Config } from '../config.ts';
import { AppError } from '../http/AppError.ts';
import { toAppError } from '../http/errorMiddleware.ts';
import type { Logger } from '../logger.ts';
import { MediaError, type MediaEngine, type NegotiationStep } from '../media/index.ts';
import type { CallAccessRepository } from './CallAccessRepository.ts';
import { CALL_TOKEN_TTL_SECONDS, verifyCallToken, type CallClaims } from './callTokens.ts';
import { bookedInterpreters } from './bookedInterpreters.ts';
import { assertRole, CALL_ACTION_ROLES, seatedIn } from './callActions.ts';
import { KeyedMutex, KeyedMutexTimeoutError } from './keyedMutex.ts';
import { LiveCall, type CallEventSink, type LiveCallSnapshot, type Seat } from './LiveCall.ts';

interface SocketData {
  consultationId?: string;
  seat?: Seat;
  /** A join sent on this socket is being handled. */
  joining?: boolean;
}

type CallServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type CallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface CallSignalingDeps {
  config: Config;
  logger: Logger;
  engine: MediaEngine;
  calls: CallAccessRepository;
  log: CallEventSink;
  /** How long a dropped participant keeps their place (default RECONNECT_GRACE_MS); tests shorten it. */
  reconnectGraceMs?: number;
  /**
   * How long one join, media restart, leave or disconnect of a person may hold their turn (default
   * STEP_TIMEOUT_MS). A join whose database read or media offer takes longer fails with TIMEOUT,
   * what it made so far is undone, and the person's next step goes ahead.
   */
  stepTimeoutMs?: number;
  /** Refuses a join whose ticket's holder may no longer join (auth/callSessionGuard.ts: revoked sessions). */
  admit?: (claims: CallClaims) => Promise<void>;
  /** Replayed tokens, ended calls and media restarts: in Redis with several nodes; unset, in memory. */
  shared?: SharedState;
  /** socket.io's adapter factory: Redis Streams with several nodes (cluster/); unset, in memory. */
  adapter?: ServerOptions['adapter'];
  /** Told when a call on this node ended (the cluster frees its room in the registry). */
  onCallEnded?: (consultationId: string) => void;
}

/**
 * The default of `stepTimeoutMs`. A join normally takes well under a second (one database read and
 * one offer); the client waits a little longer than this for an answer before it gives up.
 */
export const STEP_TIMEOUT_MS = 15_000;

/** Roles with a media connection, who may ask for a new one. */
const MEDIA_ROLES: CallRole[] = ['ATTORNEY', 'INTERPRETER', 'CLIENT'];

const channel = (consultationId: string) => `call:${consultationId}`;
/** One person in one call: joins, leaves and disconnects under the same key run one at a time. */
const personKey = (consultationId: string, participantId: string) => `${consultationId} ${participantId}`;

/**
 * Media restarts one person may ask for in a minute. Each closes a peer connection on the server
 * and makes a new one (ICE gathering, DTLS keys); a page whose network keeps failing asks a few
 * times a minute at most (it backs off), so more than this is a fault or an abuse.
 */
export const MEDIA_RESTARTS_PER_MINUTE = 6;

function fail(error: unknown): Ack<never> {
  if (error instanceof MediaError) {
    const status = error.code === 'ROOM_FULL' ? 409 : 400;
    return { ok: false, ...new AppError(ErrorCode.MEDIA_FAILED, error.message, status).toBody() };
  }
  if (error instanceof RangeError) {
    return { ok: false, ...new AppError(ErrorCode.VALIDATION_FAILED, error.message, 400).toBody() };
  }
  return { ok: false, ...toAppError(error).toBody() };
}

/**
 * The call's signalling: socket.io namespace `/call`. Every message is parsed with its schema from
 * shared/, checked against who the socket is (role, consultation), and acknowledged; a bad or late
 * message gets an error ack, never a crash.
 */
export class CallSignaling {
  readonly io: CallServer;
  private readonly live = new Map<string, LiveCall>();
  /**
   * Used call tokens; calls that ended, until no join that read the consultation before it was
   * marked COMPLETED can still be in flight (a ticket lives CALL_TOKEN_TTL_SECONDS): such a join
   * must not start a new call; and recent media restarts per person. Shared by every node.
   */
  private readonly shared: SharedState;
  /**
   * Joins, leaves and disconnects of one person in one call, one at a time. A join awaits the
   * database and the media offer; a second join of the same person (another tab, a kiosk
   * reconnecting) must start only once the first is over, so it finds the first seated and takes
   * the seat over, rather than both seating themselves and the engine keeping one of them.
   */
  private readonly people = new KeyedMutex();
  private readonly logger: Logger;
  /** Sockets connected to other nodes whose calls this node holds (cluster/CallRelay.ts), by id. */
  private readonly remoteSockets = new Map<string, CallSocket>();

  constructor(
    httpServer: HttpServer,
    private readonly deps: CallSignalingDeps,
  ) {
    this.logger = deps.logger.child({ component: 'signaling' });
    this.shared = deps.shared ?? memorySharedState();
    this.io = new Server(httpServer, {
      ...(deps.adapter ? { adapter: deps.adapter } : {}),
      serveClient: false,
      maxHttpBufferSize: 200_000,
      transports: ['websocket', 'polling'],
    });
    this.io.of('/call').on('connection', (socket: CallSocket) => this.attach(socket));
  }

  /** Calls in progress on this node. */
  get liveCalls(): ReadonlyMap<string, LiveCall> {
    return this.live;
  }

  /** People with a join, leave or disconnect being handled (or waiting): 0 when all is quiet. */
  get busyPeople(): number {
    return this.people.size;
  }

  /** Server shutdown: suspends every call (people rejoin after the restart) and closes the socket server. */
  async close(): Promise<void> {
    // A restart is not the end of anyone's call: suspend, and let browsers rejoin when we are back.
    for (const call of [...this.live.values()]) call.suspend();
    this.live.clear();
    await this.io.close();
  }

  /**
   * Attaches a socket connected to another node, for a call this node holds (cluster/CallRelay.ts):
   * its messages are handled exactly as a local socket's.
   */
  attachRemote(socket: CallSocket): void {
    this.remoteSockets.set(socket.id, socket);
    socket.on('disconnect', () => this.remoteSockets.delete(socket.id));
    this.attach(socket);
  }

  /** Every call socket this node acts for: its own and the remote ones. */
  private *callSockets(): Generator<CallSocket> {
    yield* this.io.of('/call').sockets.values();
    yield* this.remoteSockets.values();
  }

  private attach(socket: CallSocket): void {
    const handle = <S extends z.ZodType, T>(
      event: keyof ClientToServerEvents,
      schema: S,
      run: (message: z.infer<S>, seat: Seat | undefined) => Promise<T> | T,
    ) => {
      (socket.on as (e: string, l: (...args: unknown[]) => void) => void)(
        event,
        (...messageThenAck: unknown[]) => {
          // `emit(event, ack)` without a payload puts the ack first: the ack is the last argument,
          // and a missing payload reads as {} (only messages without fields accept it).
          const ack = messageThenAck.at(-1);
          const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
          const message = typeof ack === 'function' ? messageThenAck.slice(0, -1)[0] : messageThenAck[0];
          const parsed = schema.safeParse(message ?? {});
          if (!parsed.success) {
            const first = parsed.error.issues[0];
            reply({
              ok: false,
              error: {
                code: ErrorCode.VALIDATION_FAILED,
                message: `The ${event} message is not valid${first ? ` (${first.path.join('.') || 'message'}: ${first.message})` : ''}`,
              },
            });
            return;
          }
          Promise.resolve()
            .then(() => run(parsed.data, socket.data.seat))
            .then(
              (data) => reply({ ok: true, data }),
              (error: unknown) => {
                if (
                  !(error instanceof AppError) &&
                  !(error instanceof MediaError) &&
                  !(error instanceof RangeError)
                ) {
                  this.logger.error({ err: error, event }, 'signalling handler failed');
                }
                reply(fail(error));
              },
            );
        },
      );
    };

    handle('join', JoinMessageSchema, (message) => this.join(socket, message.token));
    // The media negotiation's client steps, whichever kind the engine negotiates (shared's
    // MediaNegotiation): the engine refuses a step of another kind with a stable code.
    const negotiate = (seat: Seat | undefined, step: NegotiationStep) => {
      const { call, seat: s } = this.requireSeat(socket, seat, MEDIA_ROLES);
      return call.negotiate(s.participantId, step);
    };
    handle('answer', AnswerMessageSchema, async (message, seat) => {
      if (message.answer.type !== 'answer') throw new RangeError('Expected an answer');
      await negotiate(seat, { step: 'answer', answer: { type: 'answer', sdp: message.answer.sdp } });
      return null;
    });
    handle('candidate', CandidateMessageSchema, async (message, seat) => {
      await negotiate(seat, { step: 'candidate', candidate: message.candidate });
      return null;
    });
    handle('connectTransport', ConnectTransportMessageSchema, async (message, seat) => {
      await negotiate(seat, { step: 'connectTransport', ...message });
      return null;
    });
    handle('produce', ProduceMessageSchema, async (message, seat) => {
      const result = await negotiate(seat, { step: 'produce', ...message });
      if (!result) throw new AppError(ErrorCode.MEDIA_FAILED, 'Nothing was produced', 400);
      return result;
    });
    handle('receiveCapabilities', ReceiveCapabilitiesMessageSchema, async (message, seat) => {
      await negotiate(seat, { step: 'receiveCapabilities', ...message });
      return null;
    });
    handle('setInterpretation', SetInterpretationMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.setInterpretation);
      await call.setInterpretation(s, message.mode, message.renderingInto);
      await this.saveState(call);
      return null;
    });
    handle('setSidebar', SetSidebarMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.setSidebar);
      await call.setSidebar(s, message.active);
      await this.saveState(call);
      return null;
    });
    handle('setMuted', SetMutedMessageSchema, (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat);
      call.setMuted(s.participantId, message);
      return null;
    });
    // "Please pause" (issue 17): an interpreter asks the speaker; the speaker acknowledges. Each is
    // rate-limited per person (RATE_LIMITED) and logged as metadata only.
    handle('pleasePause', PleasePauseMessageSchema, (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.pleasePause);
      call.pleasePause(s, message.speakerId);
      return null;
    });
    handle('acknowledgePause', AcknowledgePauseMessageSchema, (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.acknowledgePause);
      call.acknowledgePause(s, message.requestId);
      return null;
    });
    // Interpretation as language channels (issue 17): the interpreters' console and the listeners'
    // original level. Each refuses a role it is not for (FORBIDDEN_ROLE), a bad value
    // (VALIDATION_FAILED) or a handover that cannot be (CONFLICT), and then changes nothing.
    handle('setInterpreterInput', SetInterpreterInputMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.setInterpreterInput);
      await call.setInterpreterInput(s, message.input);
      await this.saveState(call);
      return null;
    });
    handle('setInterpreterOutput', SetInterpreterOutputMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.setInterpreterOutput);
      await call.setInterpreterOutput(s, message.renderingInto);
      await this.saveState(call);
      return null;
    });
    handle('handover', HandoverMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.handover);
      await call.handover(s, message.action);
      await this.saveState(call);
      return null;
    });
    handle('backChannel', BackChannelMessageSchema, (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.backChannel);
      call.backChannel(s, message.text);
      return null;
    });
    handle('setOriginalLevel', SetOriginalLevelMessageSchema, async (message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.setOriginalLevel);
      await call.setOriginalLevel(s, message.level);
      await this.saveState(call);
      return null;
    });
    // The media connection failed while signalling held: a new one in the same place, in this
    // person's turn (after any join of theirs in flight, which may take the seat from this socket).
    handle('restartMedia', EmptyMessageSchema, () =>
      this.asPerson(socket, async (signal): Promise<MediaRestartResult> => {
        const { call, seat } = this.requireSeat(socket, socket.data.seat, MEDIA_ROLES);
        const key = personKey(call.facts.consultationId, seat.participantId);
        if (!(await this.shared.mediaRestarts.take(key, MEDIA_RESTARTS_PER_MINUTE, 60_000))) {
          throw new AppError(
            ErrorCode.RATE_LIMITED,
            'Too many new media connections; try again shortly',
            429,
          );
        }
        const media = await call.restartMedia(seat.participantId, signal);
        return {
          media,
          state: call.state(seat.participantId),
          routing: call.listenerRouting(seat.participantId),
        };
      }),
    );
    handle('leave', EmptyMessageSchema, () =>
      this.asPerson(socket, () => {
        // The seat as it is now: a join of the same person may have taken it over meanwhile.
        const { call, seat } = this.requireSeat(socket, socket.data.seat);
        socket.data.seat = undefined;
        call.leave(seat.participantId, 'LEFT');
        return null;
      }),
    );
    handle('endCall', EmptyMessageSchema, (_message, seat) => {
      const { call, seat: s } = this.requireSeat(socket, seat, CALL_ACTION_ROLES.endCall);
      call.end(s.role === 'ATTORNEY' ? 'ENDED_BY_ATTORNEY' : 'ENDED_BY_STAFF', s);
      return null;
    });

    socket.on('disconnect', () => {
      // A socket still joining has no seat yet: its join sees the socket closed and deals with it.
      if (!socket.data.seat) return;
      this.asPerson(socket, () => {
        const { seat, consultationId } = socket.data;
        if (!seat || !consultationId) return;
        const call = this.live.get(consultationId);
        // Only the socket that holds the seat now may give it up (a reload's new socket may be first).
        if (call && this.holder(consultationId, seat.participantId) === undefined)
          call.disconnected(seat.participantId);
      }).catch((err: unknown) => this.logger.error({ err }, 'handling a disconnect failed'));
    });
  }

  /**
   * Runs `task` in turn with the joins, media restarts, leaves and disconnects of the person this
   * socket is seated as. A socket with no seat runs it at once (there is nobody's turn to wait for).
   */
  private asPerson<T>(socket: CallSocket, task: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const { consultationId, seat } = socket.data;
    if (!consultationId || !seat) return Promise.resolve().then(() => task(new AbortController().signal));
    return this.inTurn(consultationId, seat.participantId, task);
  }

  /**
   * Runs `task` in `participantId`'s turn, for at most the step timeout. A task past it is told
   * through its signal (it must undo what it made and change nothing more) and its caller gets
   * TIMEOUT; the person's next step does not wait for it any longer.
   */
  private async inTurn<T>(
    consultationId: string,
    participantId: string,
    task: (signal: AbortSignal) => T | Promise<T>,
  ): Promise<T> {
    try {
      return await this.people.run(personKey(consultationId, participantId), task, {
        timeoutMs: this.deps.stepTimeoutMs ?? STEP_TIMEOUT_MS,
      });
    } catch (error) {
      if (!(error instanceof KeyedMutexTimeoutError)) throw error;
      this.logger.warn(
        { consultationId, participantId, timeoutMs: error.timeoutMs },
        'a call step took too long and was abandoned',
      );
      throw new AppError(ErrorCode.TIMEOUT, 'The server took too long to answer; please try again', 503);
    }
  }

  private holder(consultationId: string, participantId: string): CallSocket | undefined {
    for (const socket of this.callSockets()) {
      if (socket.data.consultationId === consultationId && socket.data.seat?.participantId === participantId)
        return socket;
    }
    return undefined;
  }

  private requireSeat(
    socket: CallSocket,
    seat: Seat | undefined,
    roles?: readonly CallRole[],
  ): { call: LiveCall; seat: Seat } {
    const consultationId = socket.data.consultationId;
    const seated = seatedIn(consultationId ? this.live.get(consultationId) : undefined, seat);
    if (roles) assertRole(seated.seat.role, roles);
    return seated;
  }

  private async join(socket: CallSocket, token: string): Promise<JoinResult> {
    if (socket.data.seat) throw new AppError(ErrorCode.CONFLICT, 'This connection has joined already', 409);
    if (socket.data.joining)
      throw new AppError(ErrorCode.CONFLICT, 'This connection is joining already', 409);
    const claims = verifyCallToken(token, this.deps.config.jwtSecret);
    // Marked joining before anything is awaited: a second join on this socket meanwhile is refused.
    socket.data.joining = true;
    try {
      if (!(await this.shared.usedTokens.markUsed(claims.tokenId, claims.expiresAt))) {
        throw new AppError(
          ErrorCode.TOKEN_INVALID,
          'This call token was used already; open the call again',
          401,
        );
      }
      await this.deps.admit?.(claims);
      // After any join of the same person in flight: this one then finds it seated and replaces it.
      return await this.inTurn(claims.consultationId, claims.participantId, (signal) =>
        this.seat(socket, claims, signal),
      );
    } finally {
      socket.data.joining = false;
    }
  }

  /**
   * The join proper, in this person's turn. Once `signal` is aborted (the turn timed out) it changes
   * nothing more: what LiveCall.join had made is undone by the abort itself.
   */
  private async seat(socket: CallSocket, claims: CallClaims, signal: AbortSignal): Promise<JoinResult> {
    // Gone while waiting for its turn: nothing to set up, and the seat stays with whoever has it.
    if (socket.disconnected)
      throw new AppError(ErrorCode.CONFLICT, 'The connection closed while joining', 409);
    const consultation = await this.deps.calls.findConsultation(claims.organizationId, claims.consultationId);
    signal.throwIfAborted();
    if (!consultation) throw new AppError(ErrorCode.NOT_FOUND, 'Consultation was not found', 404);
    if (consultation.status !== 'SCHEDULED' && consultation.status !== 'IN_PROGRESS') {
      throw new AppError(ErrorCode.CALL_ENDED, 'This call is over', 409);
    }
    if (await this.shared.endedCalls.endedRecently(consultation.id))
      throw new AppError(ErrorCode.CALL_ENDED, 'This call is over', 409);
    const restored = await this.restoredState(consultation.id);
    signal.throwIfAborted();
    const call = this.liveCallFor(consultation, restored);
    const seat: Seat = {
      participantId: claims.participantId,
      role: claims.role,
      displayName: claims.displayName,
      device: claims.role === 'CLIENT' ? 'KIOSK' : 'BROWSER',
    };
    // A second tab or a reloaded page takes the seat over. The old socket loses the seat now (its
    // messages and its disconnect no longer act for the person), but it is told the call moved —
    // and stops reconnecting — only once this join has succeeded; if it fails, the old socket is
    // just closed, and reconnects and rejoins by itself.
    const previous = this.holder(consultation.id, seat.participantId);
    const replaced = previous && previous.id !== socket.id ? previous : undefined;
    if (replaced) replaced.data.seat = undefined;
    try {
      const result = await this.seatSocket(socket, consultation, call, seat, signal);
      if (replaced) {
        replaced.emit('replaced', {});
        replaced.disconnect(true);
      }
      return result;
    } catch (error) {
      replaced?.disconnect(true);
      throw error;
    }
  }

  private async seatSocket(
    socket: CallSocket,
    consultation: { id: string; status: string },
    call: LiveCall,
    seat: Seat,
    signal: AbortSignal,
  ): Promise<JoinResult> {
    const media = await call.join(seat, signal).catch((error: unknown) => {
      // The call ended while the engine connected the media (which the end closed): say so.
      if (call.isEnded && !signal.aborted) throw new AppError(ErrorCode.CALL_ENDED, 'This call is over', 409);
      throw error;
    });
    signal.throwIfAborted();
    // Ended while the offer was made: this socket is not in the call's room to be told.
    if (call.isEnded) throw new AppError(ErrorCode.CALL_ENDED, 'This call is over', 409);
    // From here on nothing waits on I/O (the in-memory adapter joins rooms synchronously), so the
    // turn cannot run out between seating this socket and answering it.
    socket.data.consultationId = consultation.id;
    socket.data.seat = seat;
    await socket.join(channel(consultation.id));
    await socket.join(`${channel(consultation.id)}:${seat.participantId}`);
    if (socket.disconnected) {
      // The connection dropped while the seat was being set up: the disconnect handler saw no
      // seat, so start the grace period here rather than leave a ghost 'connecting' forever.
      call.disconnected(seat.participantId);
      throw new AppError(ErrorCode.CONFLICT, 'The connection closed while joining', 409);
    }
    if (consultation.status === 'SCHEDULED') {
      this.deps.calls.markInProgress(consultation.id).catch((err: unknown) => {
        this.logger.error(
          { err, consultationId: consultation.id },
          'could not mark the consultation in progress',
        );
      });
    }
    return {
      participantId: seat.participantId,
      role: seat.role,
      media,
      state: call.state(seat.participantId),
      routing: call.listenerRouting(seat.participantId),
    };
  }

  /**
   * A phone leg (server/src/phone) takes its seat in this node's call of the consultation, in the
   * person's turn as a socket's join is; resolves with the call and the leg's plain RTP negotiation.
   * The gateway has read the consultation (open, in its organisation) and decided the seat.
   */
  async seatPhone(
    consultation: Awaited<ReturnType<CallAccessRepository['findConsultation']>> & object,
    seat: Seat,
  ): Promise<{ call: LiveCall; media: Awaited<ReturnType<LiveCall['join']>> }> {
    return this.inTurn(consultation.id, seat.participantId, async (signal) => {
      const restored = await this.restoredState(consultation.id);
      signal.throwIfAborted();
      const call = this.liveCallFor(consultation, restored);
      const media = await call.join(seat, signal);
      signal.throwIfAborted();
      if (call.isEnded) throw new AppError(ErrorCode.CALL_ENDED, 'This call is over', 409);
      if (consultation.status === 'SCHEDULED')
        this.deps.calls.markInProgress(consultation.id).catch((err: unknown) => {
          this.logger.error(
            { err, consultationId: consultation.id },
            'could not mark the consultation in progress',
          );
        });
      return { call, media };
    });
  }

  /**
   * The state to re-create the call from, when this node does not hold it: the snapshot its last
   * node saved (with several nodes, one that died), so seats, routing and sidebar go on as they were.
   */
  private async restoredState(consultationId: string): Promise<LiveCallSnapshot | null> {
    const existing = this.live.get(consultationId);
    if (existing && !existing.isEnded) return null;
    return this.shared.callStates.load(consultationId);
  }

  /** Saves the call's state now (a routing or sidebar change is acknowledged once it is shared). */
  private async saveState(call: LiveCall): Promise<void> {
    if (call.isEnded) return;
    const { consultationId, endsAt } = call.facts;
    await this.shared.callStates.save(consultationId, call.snapshot(), endsAt.getTime() + 60_000);
  }

  private liveCallFor(
    consultation: Awaited<ReturnType<CallAccessRepository['findConsultation']>> & object,
    restored: LiveCallSnapshot | null = null,
  ): LiveCall {
    const existing = this.live.get(consultation.id);
    if (existing && !existing.isEnded) return existing;
    const nsp = this.io.of('/call');
    const room = channel(consultation.id);
    const maxEnd = Date.now() + consultation.facility.maxCallMinutes * 60_000;
    const endsAt = new Date(Math.min(consultation.endsAt.getTime(), maxEnd));
    const saveFailed = (err: unknown) =>
      this.logger.error({ err, consultationId: consultation.id }, 'could not share the call state');
    const call = new LiveCall(
      {
        consultationId: consultation.id,
        organizationId: consultation.organizationId,
        clientLanguage: consultation.language as LanguageCode,
        mode: consultation.mode,
        endsAt,
        attorneyId: consultation.attorneyId,
        interpreterId: consultation.interpreterId,
        interpreters: bookedInterpreters(consultation),
      },
      this.deps.engine,
      {
        state: (participantId, state) => nsp.to(`${room}:${participantId}`).emit('state', state),
        routing: (participantId, routing) => nsp.to(`${room}:${participantId}`).emit('routing', routing),
        consumers: (participantId, consumers) =>
          nsp.to(`${room}:${participantId}`).emit('consumers', { consumers }),
        mediaLost: (participantId) => nsp.to(`${room}:${participantId}`).emit('mediaLost', {}),
        pleasePause: (to, message) => nsp.to(`${room}:${to}`).emit('pleasePause', message),
        backChannel: (to, note) => {
          for (const id of to) nsp.to(`${room}:${id}`).emit('backChannel', note);
        },
        bothLive: (ids) => {
          for (const id of ids) nsp.to(`${room}:${id}`).emit('bothLive', { participantIds: ids });
        },
        timeWarning: (minutesLeft) => nsp.to(room).emit('timeWarning', { minutesLeft }),
        ended: (reason: CallEndReason) => nsp.to(room).emit('ended', { reason }),
      },
      this.deps.log,
      this.logger.child({ consultationId: consultation.id }),
      () => {
        this.live.delete(consultation.id);
        this.shared.callStates.forget(consultation.id).catch(saveFailed);
        this.shared.endedCalls
          .markEnded(consultation.id, Date.now() + CALL_TOKEN_TTL_SECONDS * 1000)
          .catch((err: unknown) => {
            this.logger.error({ err, consultationId: consultation.id }, 'could not record the call ended');
          });
        this.deps.calls.markCompleted(consultation.id).catch((err: unknown) => {
          this.logger.error(
            { err, consultationId: consultation.id },
            'could not mark the consultation completed',
          );
        });
        for (const socket of this.callSockets()) {
          if (socket.data.consultationId === consultation.id) socket.data.seat = undefined;
        }
        this.deps.onCallEnded?.(consultation.id);
      },
      this.deps.reconnectGraceMs,
      {
        restored,
        save: (snapshot) =>
          void this.shared.callStates
            .save(consultation.id, snapshot, endsAt.getTime() + 60_000)
            .catch(saveFailed),
      },
    );
    this.live.set(consultation.id, call);
    return call;
  }
}
