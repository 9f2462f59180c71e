import { randomUUID } from 'node:crypto';
import type {
  CallEndReason,
  CallParticipantView,
  CallRole,
  CallState,
  ConnectionStatus,
  ConsumerParameters,
  BackChannelNote,
  HandoverMessage,
  InterpreterInput,
  LanguageCode,
  ListenerRouting,
  MediaNegotiation,
  ReconnectReason,
  RoutingState,
  Sidebar,
} from '@parley/shared';
import { ErrorCode, PAUSE_REQUEST_TTL_MS } from '@parley/shared';
import { AppError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import {
  qualityLevel,
  type MediaEngine,
  type MediaParticipant,
  type MediaRoom,
  type NegotiationStep,
  type QualitySample,
} from '../media/index.ts';
import type { NewSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import {
  InterpretationDesk,
  type BookedInterpreter,
  type DeskSnapshot,
  type Handover,
} from './InterpretationDesk.ts';
import { PauseRequests, type PauseRequest } from './PauseRequests.ts';

/** Where the call's session events go (the SessionLogWriter); `record` must never throw or block. */
export interface CallEventSink {
  record(event: NewSessionEvent): unknown;
}

/** How the call reaches people: implemented by the socket layer. */
export interface CallOutbox {
  /** Each participant gets their own view: who is speaking is itself private during a sidebar. */
  state(participantId: string, state: CallState): void;
  routing(participantId: string, routing: ListenerRouting): void;
  /** Client-driven media (mediasoup): streams to consume. */
  consumers(participantId: string, consumers: ConsumerParameters[]): void;
  /** The engine lost their media connection: they should restart media now. */
  mediaLost(participantId: string): void;
  /** An interpreter asks this speaker to pause (the request is in their state until acknowledged). */
  pleasePause(toParticipantId: string, message: { fromParticipantId: string; requestId: string }): void;
  /** The interpreters' private back-channel: relayed to `toParticipantIds`, never stored. */
  backChannel(toParticipantIds: string[], note: BackChannelNote): void;
  /** Booth partners are live together: each of them is warned. */
  bothLive(participantIds: string[]): void;
  timeWarning(minutesLeft: number): void;
  ended(reason: CallEndReason): void;
}

export interface LiveCallFacts {
  consultationId: string;
  organizationId: string;
  clientLanguage: LanguageCode;
  mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
  /** The call is cut here: the scheduled end, never later than the facility's maximum length. */
  endsAt: Date;
  attorneyId: string;
  interpreterId: string | null;
  /**
   * Every interpreter booked (the consultation's own and the further ones: relay, booth partners)
   * with the pair they cover (issue 17). Absent: the consultation's interpreter, English and the
   * client's language.
   */
  interpreters?: BookedInterpreter[];
}

export interface Seat {
  participantId: string;
  role: CallRole;
  displayName: string;
  device: 'BROWSER' | 'KIOSK' | 'PHONE';
}

/**
 * What a call re-created on another node needs to go on as it was (cluster/: kept in the shared
 * state, Redis with several nodes): seats, routing and the sidebar. Media and timers are not in it.
 */
export interface LiveCallSnapshot {
  started: boolean;
  mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
  renderingInto: LanguageCode | null;
  sidebar: Sidebar | null;
  /** The interpreters' desk (inputs, channels, who is live, original levels); absent in older snapshots. */
  desk?: DeskSnapshot;
  /**
   * "Please pause" requests not lapsed yet (issue 17): a speaker back on another node still sees
   * theirs. Absent in older snapshots.
   */
  pauses?: PauseRequest[];
  members: (Seat & {
    left: boolean;
    muted: { audio: boolean; video: boolean };
    awaySince: number | null;
  })[];
}

/** Where a call's snapshot goes on every change, and the one it starts from when re-created. */
export interface CallContinuity {
  restored?: LiveCallSnapshot | null;
  save(snapshot: LiveCallSnapshot): void;
}

interface Member extends Seat {
  status: ConnectionStatus;
  muted: { audio: boolean; video: boolean };
  quality: CallParticipantView['quality'];
  media: MediaParticipant<Seat> | null;
  awaySince: number | null;
  /**
   * Since when the member has had no working media connection that the session log has not
   * accounted for yet; null while their media is connected (and for staff, who have none).
   */
  mediaDownSince: number | null;
  graceTimer: NodeJS.Timeout | null;
  /** The last state this member was sent, to send only changes. */
  lastStateSent: string | null;
}

/** What the attorney speaks: the other side of the interpreter's light switch. */
export const ATTORNEY_LANGUAGE: LanguageCode = 'en';
/** A dropped participant keeps their place this long (DESIGN.md: reconnection within a grace period). */
export const RECONNECT_GRACE_MS = 30_000;
export const WARNING_BEFORE_END_MS = 5 * 60_000;
/** The lobby is a sidebar of the waiting client that hears nothing of the main room. */
const LOBBY_SIDEBAR_ID = 'lobby';

/**
 * One consultation's live call: who is in it, the routing state the interpreter and attorney
 * control, the time limit, and reconnection. It owns the media room and writes every change to the
 * session log. Socket handling lives elsewhere (callSignaling.ts); this class never sees a socket.
 */
export class LiveCall {
  private readonly members = new Map<string, Member>();
  private readonly room: MediaRoom<Seat>;
  private routingState: RoutingState;
  /** The attorney's sidebar with the interpreter, while it is on. */
  private sidebar: Sidebar | null = null;
  private started = false;
  private ended = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  /** The last snapshot given to `continuity`, to save only changes. */
  private lastSaved: string | null = null;
  /** Interpreters' inputs, channels, booth partners; listeners' original levels (issue 17). */
  private readonly desk: InterpretationDesk;
  /** When each interpreter's back-channel use was last logged (at most once a minute each). */
  private readonly backChannelLoggedAt = new Map<string, number>();
  /** Booth partners warned as live together, so the warning goes out once per overlap. */
  private bothLiveWarned = '';
  /** Interpreters' "please pause" to a speaker, and the speaker's acknowledgement (issue 17). */
  private readonly pauses = new PauseRequests();

  constructor(
    readonly facts: LiveCallFacts,
    engine: MediaEngine,
    private readonly outbox: CallOutbox,
    private readonly log: CallEventSink,
    private readonly logger: Logger,
    private readonly onEnded: (reason: CallEndReason) => void,
    private readonly graceMs = RECONNECT_GRACE_MS,
    private readonly continuity?: CallContinuity,
  ) {
    this.room = engine.createRoom<Seat>(facts.consultationId);
    this.desk = new InterpretationDesk(facts.interpreters ?? [], [ATTORNEY_LANGUAGE, facts.clientLanguage]);
    this.routingState = {
      mode: facts.mode,
      interpreterState: { renderingInto: null },
      sidebars: [],
    };
    if (continuity?.restored) this.restore(continuity.restored);
    const events = this.room.events;
    this.unsubscribe.push(
      events.on('participantConnected', (e) => this.onMediaConnected(e.participantId)),
      events.on('participantDisconnected', (e) => {
        if (e.reason === 'CONNECTION_LOST' || e.reason === 'CONNECTION_FAILED')
          this.onMediaLost(e.participantId);
      }),
      events.on('activeSpeakerChanged', () => this.broadcastState()),
      // Every plan the engine acknowledged — ours, or the room's own after a leave — reaches everyone.
      events.on('routingApplied', () => {
        this.broadcastState();
        this.broadcastRouting();
      }),
      events.on('tracksChanged', (e) => {
        const media = this.members.get(e.listenerId)?.media;
        if (!media || this.ended) return;
        const consumers = [...media.subscriptions.values()].flatMap((s) => (s.consumer ? [s.consumer] : []));
        if (consumers.length > 0) this.outbox.consumers(e.listenerId, consumers);
        const routing = this.listenerRouting(e.listenerId);
        if (routing) this.outbox.routing(e.listenerId, routing);
      }),
      // A worker died under their connection: their place, routing and sidebar stay; they reconnect.
      events.on('participantMediaLost', (e) => {
        const member = this.members.get(e.participantId);
        if (!member || member.status === 'left' || this.ended) return;
        this.onMediaLost(e.participantId);
        this.outbox.mediaLost(e.participantId);
      }),
      events.on('qualitySampled', (e) => this.onQuality(e.participantId, e.sample)),
      events.on('qualityWarning', (e) => {
        const member = this.members.get(e.participantId);
        if (!member) return;
        this.record(member, 'QUALITY_WARNING', {
          participantId: member.participantId,
          role: member.role,
          lossPct: Math.min(100, Math.round(e.sample.lossPct * 10) / 10),
          jitterMs: Math.min(60_000, Math.round(e.sample.jitterMs)),
          rttMs: Math.min(60_000, Math.round(e.sample.rttMs ?? 0)),
        });
      }),
    );
    const now = Date.now();
    const warnIn = facts.endsAt.getTime() - WARNING_BEFORE_END_MS - now;
    if (warnIn > 0) this.timers.push(setTimeout(() => this.outbox.timeWarning(5), warnIn));
    this.timers.push(setTimeout(() => this.end('TIME_LIMIT'), Math.max(0, facts.endsAt.getTime() - now)));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Seats a participant, or gives a returning one their place back (same routing, same sidebar).
   * Returns their media connection's negotiation, or null for staff, who get no media.
   *
   * When `signal` is aborted before the offer is made (the join took too long), the half-made media
   * connection is closed and the place kept for the grace period, as for a failed offer; the join
   * then changes nothing more.
   */
  async join(seat: Seat, signal?: AbortSignal): Promise<MediaNegotiation | null> {
    const existing = this.members.get(seat.participantId);
    const returning = existing !== undefined && existing.status !== 'left';
    if (existing) {
      if (existing.graceTimer) clearTimeout(existing.graceTimer);
      existing.media?.close();
    }
    const now = Date.now();
    const member: Member = {
      ...seat,
      status: seat.role === 'STAFF' ? 'connected' : 'connecting',
      muted: existing?.muted ?? { audio: false, video: true },
      quality: null,
      media: null,
      awaySince: null,
      // Logged as joined or back as of now; media is up once it connects.
      mediaDownSince: seat.role === 'STAFF' ? null : now,
      graceTimer: null,
      lastStateSent: null,
    };
    this.members.set(seat.participantId, member);
    // The call starts with its first participant, so it is logged before their join.
    if (!this.started && seat.role !== 'STAFF') {
      this.started = true;
      this.record(null, 'CALL_STARTED', { mode: this.routingState.mode });
    }
    if (returning) {
      // Back after a drop, or taking over from their own earlier connection that still held the
      // place (another window or device, a reload): REPLACED, not a drop.
      const reason: ReconnectReason = existing.awaySince !== null ? 'REJOINED' : 'REPLACED';
      const awaySince = existing.awaySince ?? existing.mediaDownSince;
      this.record(member, 'PARTICIPANT_RECONNECTED', {
        participantId: seat.participantId,
        role: seat.role,
        offlineMs: awaySince === null ? 0 : Math.min(86_400_000, Math.max(0, now - awaySince)),
        reason,
      });
    } else {
      this.record(member, 'PARTICIPANT_JOINED', {
        participantId: seat.participantId,
        role: seat.role,
        device: seat.device,
      });
    }
    // A newcomer interpreter's channel is in the plan before their media is (queued first).
    if (seat.role === 'INTERPRETER' && this.desk.seat(seat.participantId, this.presentInterpreters()))
      this.applyInBackground();
    let offer: MediaNegotiation | null = null;
    if (seat.role !== 'STAFF') {
      // A failed or abandoned offer fails the join as a dropped connection would: the place is
      // kept for the grace period.
      offer = await this.connectMedia(member, signal, () => {
        if (this.members.get(seat.participantId) === member) this.disconnected(seat.participantId);
      });
    }
    this.broadcastState();
    this.broadcastRouting();
    return offer;
  }

  /**
   * A seated participant's media connection failed (ICE) while their signalling held: closes it and
   * makes a new one in the same place — same seat, routing, sidebar and mute state. Returns the new
   * connection's offer. Logged as PARTICIPANT_RECONNECTED (MEDIA_RESTARTED) once the offer is made.
   *
   * When it fails or `signal` is aborted, the participant is left without media, 'reconnecting',
   * and may ask again; their place is not put on the grace period, since their signalling is there.
   */
  async restartMedia(participantId: string, signal?: AbortSignal): Promise<MediaNegotiation> {
    const member = this.members.get(participantId);
    if (this.ended || !member || member.status === 'left') {
      throw new RangeError('This participant is not in the call');
    }
    if (member.role === 'STAFF') throw new RangeError('Staff have no media connection');
    const downSince = (member.mediaDownSince ??= Date.now());
    member.media?.close();
    member.media = null;
    member.quality = null;
    this.setStatus(participantId, 'reconnecting');
    const offer = await this.connectMedia(member, signal, () => undefined);
    const now = Date.now();
    this.record(member, 'PARTICIPANT_RECONNECTED', {
      participantId,
      role: member.role,
      offlineMs: Math.min(86_400_000, Math.max(0, now - downSince)),
      reason: 'MEDIA_RESTARTED',
    });
    // Accounted for up to now; the new connection is not up yet.
    member.mediaDownSince = now;
    this.broadcastState();
    this.broadcastRouting();
    return offer;
  }

  /**
   * Gives `member` a new media participant in the room and returns its negotiation. On failure,
   * or when `signal` is aborted first, the half-made connection is closed, `onFailure` runs (once,
   * at the abort itself when aborted, so before anyone else's turn) and the call rejects.
   */
  private async connectMedia(
    member: Member,
    signal: AbortSignal | undefined,
    onFailure: () => void,
  ): Promise<MediaNegotiation> {
    signal?.throwIfAborted();
    let media: MediaParticipant<Seat> | null = null;
    let failed = false;
    const fail = () => {
      if (failed) return;
      failed = true;
      media?.close();
      if (member.media === media) member.media = null;
      onFailure();
    };
    signal?.addEventListener('abort', fail, { once: true });
    try {
      const { participantId, role, displayName, device } = member;
      media = this.room.addParticipant(
        { id: participantId, role, language: this.languageOf(role) },
        { participantId, role, displayName, device },
        // A phone leg's media is a plain RTP leg of the phone gateway (server/src/phone).
        { transport: device === 'PHONE' ? 'plainRtp' : 'webrtc' },
      );
      member.media = media;
      const negotiation = await media.negotiated;
      // Applied (and acknowledged) before the client can connect: a client who arrives first waits
      // in the lobby, isolated.
      await this.refreshRouting();
      signal?.throwIfAborted();
      return negotiation;
    } catch (error) {
      fail();
      throw error;
    } finally {
      signal?.removeEventListener('abort', fail);
    }
  }

  /** One client step of the participant's media negotiation (an SDP answer, a candidate, …). */
  negotiate(participantId: string, step: NegotiationStep): ReturnType<MediaParticipant['negotiate']> {
    return this.requireMedia(participantId).negotiate(step);
  }

  /** The interpreter's console; resolves once the engine applies the new plan. */
  async setInterpretation(
    actor: Seat,
    mode: 'CONSECUTIVE' | 'SIMULTANEOUS',
    renderingInto: LanguageCode | null,
  ): Promise<void> {
    const into = mode === 'SIMULTANEOUS' ? renderingInto : null;
    this.seatInterpreter(actor.participantId);
    // Into a language of their pair (English and the client's, or the relay's pivot): else refused.
    this.desk.setOutput(actor.participantId, into);
    const applied = this.applyRouting({
      ...this.routingState,
      mode,
      interpreterState: { renderingInto: into },
    });
    const pair = this.desk.pairOf(actor.participantId);
    const from = into === null ? null : into === pair[0] ? pair[1] : pair[0];
    this.record(this.members.get(actor.participantId) ?? null, 'ROUTING_CHANGED', {
      mode,
      direction: into && from ? { from, to: into } : null,
    });
    await applied;
  }

  /**
   * The attorney's private sidebar with the interpreter: the client receives none of its packets
   * from the moment this resolves (the engine acknowledged the plan).
   */
  async setSidebar(actor: Seat, active: boolean): Promise<void> {
    if (active === (this.sidebar !== null)) return;
    const actorMember = this.members.get(actor.participantId) ?? null;
    if (active) {
      // The attorney and the interpreters of English (with a relay, not the one who never speaks it).
      const interpreters = (this.facts.interpreters ?? []).filter((i) => i.pair.includes(ATTORNEY_LANGUAGE));
      const memberIds = [
        this.facts.attorneyId,
        ...(this.facts.interpreters
          ? interpreters.map((i) => i.id)
          : this.facts.interpreterId
            ? [this.facts.interpreterId]
            : []),
      ];
      this.sidebar = { id: randomUUID(), memberIds };
      const applied = this.refreshRouting(true);
      this.record(actorMember, 'SIDEBAR_STARTED', { sidebarId: this.sidebar.id, participantIds: memberIds });
      await applied;
    } else {
      await this.endSidebar(actorMember);
    }
  }

  private async endSidebar(actor: Member | null): Promise<void> {
    const sidebar = this.sidebar;
    if (!sidebar) return;
    this.sidebar = null;
    const applied = this.refreshRouting(true);
    this.record(actor, 'SIDEBAR_ENDED', { sidebarId: sidebar.id });
    await applied;
  }

  /**
   * The sidebars in force: the attorney's, and the lobby — while no attorney is connected the
   * client neither hears nor is heard (they see a waiting screen in their language).
   */
  private composeSidebars(): Sidebar[] {
    const sidebars: Sidebar[] = [];
    const client = [...this.members.values()].find((m) => m.role === 'CLIENT' && m.status !== 'left');
    if (client && this.inLobby()) {
      sidebars.push({ id: LOBBY_SIDEBAR_ID, memberIds: [client.participantId], hearsMainRoom: false });
    }
    if (this.sidebar) sidebars.push(this.sidebar);
    return sidebars;
  }

  private inLobby(): boolean {
    return ![...this.members.values()].some((m) => m.role === 'ATTORNEY' && m.status === 'connected');
  }

  /** Re-derives the sidebars and applies the plan when they changed (or when `force`). */
  private async refreshRouting(force = false): Promise<void> {
    if (this.ended) return;
    const sidebars = this.composeSidebars();
    if (!force && JSON.stringify(sidebars) === JSON.stringify(this.routingState.sidebars)) return;
    await this.applyRouting({ ...this.routingState, sidebars });
  }

  /** For changes nobody awaits (a leave, a connection state): a failure is logged, not thrown. */
  private refreshRoutingInBackground(): void {
    this.refreshRouting().catch((err: unknown) => {
      if (!this.ended) this.logger.error({ err }, 'applying the routing plan failed');
    });
  }

  setMuted(participantId: string, muted: { audio: boolean; video: boolean }): void {
    const member = this.members.get(participantId);
    if (!member) return;
    member.muted = muted;
    this.broadcastState();
  }

  /**
   * An interpreter asks a speaker — the attorney or the client, `speakerId` or else whoever they
   * hear speaking now — to pause. The speaker sees it until they acknowledge it (or it lapses);
   * the log records that it was asked, never anything said.
   */
  pleasePause(actor: Seat, speakerId?: string): void {
    const hears = this.members.get(actor.participantId)?.media && !this.room.closed;
    const toId = speakerId ?? (hears ? this.room.activeSpeakerFor(actor.participantId) : null);
    const speaker = toId ? this.members.get(toId) : undefined;
    if (!speakerId && !speaker)
      throw new AppError(ErrorCode.CONFLICT, 'Nobody is speaking now: choose whom to ask', 409);
    if (!speaker || speaker.status === 'left' || (speaker.role !== 'ATTORNEY' && speaker.role !== 'CLIENT'))
      throw new RangeError('Ask the attorney or the client in this call to pause');
    if (speaker.role === 'CLIENT' && this.inLobby())
      throw new AppError(ErrorCode.CONFLICT, 'The client is waiting for the attorney and hears nobody', 409);
    const sidebar = this.sidebar;
    if (
      sidebar &&
      sidebar.memberIds.includes(speaker.participantId) !== sidebar.memberIds.includes(actor.participantId)
    )
      throw new AppError(ErrorCode.CONFLICT, 'The speaker is on the other side of a private sidebar', 409);
    const request = this.pauses.ask(actor.participantId, speaker.participantId);
    this.record(this.members.get(actor.participantId) ?? null, 'PAUSE_REQUESTED', {
      requestId: request.requestId,
      fromParticipantId: actor.participantId,
      toParticipantId: speaker.participantId,
      toRole: speaker.role,
    });
    this.outbox.pleasePause(speaker.participantId, {
      fromParticipantId: actor.participantId,
      requestId: request.requestId,
    });
    // Lapses from the screens after its time, acknowledged or not.
    this.lapsePausesIn(PAUSE_REQUEST_TTL_MS + 10);
    this.broadcastState();
  }

  private lapsePausesIn(ms: number): void {
    this.timers.push(
      setTimeout(() => {
        if (this.pauses.expire()) this.broadcastState();
      }, ms),
    );
  }

  /** The speaker acknowledges, with one tap, a "please pause" asked of them. */
  acknowledgePause(actor: Seat, requestId: string): void {
    const request = this.pauses.acknowledge(requestId, actor.participantId);
    this.record(this.members.get(actor.participantId) ?? null, 'PAUSE_ACKNOWLEDGED', {
      requestId,
      participantId: actor.participantId,
      role: actor.role,
      afterMs: Math.min(86_400_000, Math.max(0, (request.acknowledgedAt ?? 0) - request.requestedAt)),
    });
    this.broadcastState();
  }

  /** An interpreter works from the floor, or relays another interpreter of the call (issue 17). */
  async setInterpreterInput(actor: Seat, input: InterpreterInput): Promise<void> {
    this.seatInterpreter(actor.participantId);
    this.desk.setInput(actor.participantId, input, this.presentInterpreters());
    await this.applyRouting(this.routingState);
  }

  /** An interpreter's light switch over their own pair, in the call's mode. */
  async setInterpreterOutput(actor: Seat, renderingInto: LanguageCode | null): Promise<void> {
    await this.setInterpretation(actor, this.routingState.mode, renderingInto);
  }

  /** How loud the original speaker stays under the listener's channel, 0–100 %. */
  async setOriginalLevel(actor: Seat, level: number): Promise<void> {
    this.desk.setOriginalLevel(actor.participantId, level);
    await this.applyRouting(this.routingState);
  }

  /**
   * A booth partner's handover step. A change of who is live is logged and applied in one plan; when
   * partners end up live together, both are warned.
   */
  async handover(actor: Seat, action: HandoverMessage['action']): Promise<void> {
    this.seatInterpreter(actor.participantId);
    const present = this.presentInterpreters();
    for (const id of present) this.desk.seat(id, present);
    const handover = this.desk.handover(actor.participantId, action, present);
    if (handover) this.recordHandover(handover);
    const applied = this.applyRouting(this.routingState);
    this.broadcastState();
    await applied;
  }

  /**
   * A note on the interpreters' private back-channel: relayed to the other interpreters present,
   * never stored; the log says only that it was used (at most once a minute per interpreter).
   */
  backChannel(actor: Seat, text: string): void {
    const to = [...this.presentInterpreters()].filter((id) => id !== actor.participantId);
    if (to.length === 0) throw new RangeError('No other interpreter is in the call');
    this.outbox.backChannel(to, {
      fromParticipantId: actor.participantId,
      text,
      sentAt: new Date().toISOString(),
    });
    const now = Date.now();
    const last = this.backChannelLoggedAt.get(actor.participantId);
    if (last === undefined || now - last >= 60_000) {
      this.backChannelLoggedAt.set(actor.participantId, now);
      this.record(this.members.get(actor.participantId) ?? null, 'BACK_CHANNEL_USED', {
        participantId: actor.participantId,
      });
    }
  }

  /** Interpreters in the call now (connected or coming back). */
  private presentInterpreters(): Set<string> {
    return new Set(
      [...this.members.values()]
        .filter((m) => m.role === 'INTERPRETER' && m.status !== 'left')
        .map((m) => m.participantId),
    );
  }

  /** A seated interpreter the desk does not know yet (a call restored on this node) gets a channel. */
  private seatInterpreter(participantId: string): void {
    const member = this.members.get(participantId);
    if (member?.role === 'INTERPRETER') this.desk.seat(participantId, this.presentInterpreters());
  }

  private recordHandover(handover: Handover): void {
    const actor = this.members.get(handover.toParticipantId) ?? null;
    this.record(actor, 'INTERPRETER_HANDOVER', { ...handover });
  }

  /** The language a participant listens in: their channel. */
  private channelOf(viewerId: string | null): LanguageCode {
    const member = viewerId === null ? undefined : this.members.get(viewerId);
    return this.languageOf(member?.role ?? 'CLIENT');
  }

  /** An interpreter sees their own light switch; everyone else the first interpreter's. */
  private renderingIntoFor(viewerId: string | null): LanguageCode | null {
    const member = viewerId === null ? undefined : this.members.get(viewerId);
    if (member?.role === 'INTERPRETER') return this.desk.outputOf(member.participantId);
    return this.routingState.interpreterState.renderingInto;
  }

  /** Applies the routing state again (the desk changed), logging a failure rather than throwing. */
  private applyInBackground(): void {
    this.applyRouting(this.routingState).catch((err: unknown) => {
      if (!this.ended) this.logger.error({ err }, 'applying the routing plan failed');
    });
  }

  /** Booth partners live together: warn them once per overlap. */
  private warnBothLive(): void {
    const groups = this.desk.bothLive(this.presentInterpreters());
    const key = JSON.stringify(groups);
    if (key === this.bothLiveWarned) return;
    this.bothLiveWarned = key;
    for (const group of groups) this.outbox.bothLive(group);
  }

  /** The participant's signalling dropped: keep their place for the grace period. */
  disconnected(participantId: string): void {
    const member = this.members.get(participantId);
    if (!member || member.status === 'left' || this.ended) return;
    member.awaySince ??= Date.now();
    member.status = 'reconnecting';
    if (member.graceTimer) clearTimeout(member.graceTimer);
    member.graceTimer = setTimeout(() => this.leave(participantId, 'CONNECTION_LOST'), this.graceMs);
    this.broadcastState();
  }

  leave(participantId: string, reason: 'LEFT' | 'CONNECTION_LOST'): void {
    const member = this.members.get(participantId);
    if (!member || member.status === 'left') return;
    if (member.graceTimer) clearTimeout(member.graceTimer);
    member.graceTimer = null;
    member.media?.close();
    member.media = null;
    member.status = 'left';
    this.pauses.forget(participantId);
    this.record(member, 'PARTICIPANT_LEFT', { participantId, role: member.role, reason });
    if (member.role === 'INTERPRETER') {
      const handover = this.desk.left(participantId, this.presentInterpreters());
      if (handover) this.recordHandover(handover);
      this.applyInBackground();
    }
    // A sidebar cannot outlive the attorney: only they can end it, and the client would hear nobody.
    if (member.role === 'ATTORNEY')
      this.endSidebar(null).catch((err: unknown) => {
        if (!this.ended) this.logger.error({ err }, 'ending the sidebar failed');
      });
    this.refreshRoutingInBackground();
    this.broadcastState();
    this.broadcastRouting();
  }

  /**
   * This server is shutting down (a restart or deploy): drop the media without ending the call.
   * Nothing is logged as ended and the consultation stays IN_PROGRESS, so everyone's browser
   * rejoins when the server is back.
   */
  suspend(): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const member of this.members.values()) if (member.graceTimer) clearTimeout(member.graceTimer);
    for (const off of this.unsubscribe) off();
    this.room.close();
  }

  /** Ends the call for everyone. Idempotent. */
  end(reason: CallEndReason, by?: Seat): void {
    if (this.ended) return;
    const actor = by ? (this.members.get(by.participantId) ?? null) : null;
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const member of this.members.values()) {
      if (member.graceTimer) clearTimeout(member.graceTimer);
      if (member.status !== 'left') {
        this.record(member, 'PARTICIPANT_LEFT', {
          participantId: member.participantId,
          role: member.role,
          reason: 'CALL_ENDED',
        });
        member.status = 'left';
      }
    }
    this.record(actor, 'CALL_ENDED', { reason });
    for (const off of this.unsubscribe) off();
    this.room.close();
    this.outbox.ended(reason);
    this.onEnded(reason);
  }

  /**
   * The call as `viewerId` may see it. The active speaker is the one this viewer can hear: a client
   * must not learn that the attorney is talking during a sidebar.
   */
  state(viewerId: string | null = null): CallState {
    const attorneyConnected = [...this.members.values()].some(
      (m) => m.role === 'ATTORNEY' && m.status === 'connected',
    );
    return {
      consultationId: this.facts.consultationId,
      lobby: !attorneyConnected,
      mode: this.routingState.mode,
      renderingInto: this.renderingIntoFor(viewerId),
      interpretation: {
        ...this.desk.view(viewerId, this.channelOf(viewerId), this.presentInterpreters()),
        pauseRequests: this.pauses.viewFor(
          viewerId,
          viewerId === null ? null : (this.members.get(viewerId)?.role ?? null),
        ),
      },
      languages: { client: this.facts.clientLanguage, attorney: ATTORNEY_LANGUAGE },
      sidebar: {
        active: this.sidebar !== null,
        memberIds: this.sidebar ? [...this.sidebar.memberIds] : [],
      },
      participants: [...this.members.values()].map((m) => ({
        participantId: m.participantId,
        role: m.role,
        displayName: m.displayName,
        device: m.device,
        status: m.status,
        muted: m.muted,
        quality: m.quality,
      })),
      activeSpeakerId:
        this.room.closed || viewerId === null || !this.members.get(viewerId)?.media
          ? null
          : this.room.activeSpeakerFor(viewerId),
      endsAt: this.facts.endsAt.toISOString(),
      warnAt: new Date(this.facts.endsAt.getTime() - WARNING_BEFORE_END_MS).toISOString(),
    };
  }

  listenerRouting(participantId: string): ListenerRouting | null {
    const member = this.members.get(participantId);
    return member?.media && !this.room.closed ? this.room.listenerRouting(participantId) : null;
  }

  private languageOf(role: CallRole): LanguageCode {
    return role === 'ATTORNEY' ? ATTORNEY_LANGUAGE : this.facts.clientLanguage;
  }

  /** The participant's media in the room, while they have one (the phone gateway mixes from it). */
  mediaOf(participantId: string): MediaParticipant<Seat> | null {
    return this.members.get(participantId)?.media ?? null;
  }

  private requireMedia(participantId: string): MediaParticipant<Seat> {
    const media = this.members.get(participantId)?.media;
    if (!media) throw new RangeError('This participant has no media connection');
    return media;
  }

  /** Resolves once the engine acknowledged the plan; then everyone is told. */
  private async applyRouting(state: RoutingState): Promise<void> {
    // Every interpreter's own channel and every listener's original level (issue 17).
    this.routingState = {
      ...state,
      interpreterState: this.desk.interpreterState(state.interpreterState.renderingInto),
    };
    state = this.routingState;
    // Everyone's routing goes out on the room's routingApplied, once the engine acknowledged it.
    await this.room.setRouting(state);
  }

  private onMediaConnected(participantId: string): void {
    const member = this.members.get(participantId);
    if (member) member.mediaDownSince = null;
    this.setStatus(participantId, 'connected');
  }

  private onMediaLost(participantId: string): void {
    const member = this.members.get(participantId);
    if (member && member.status !== 'left') member.mediaDownSince ??= Date.now();
    this.setStatus(participantId, 'reconnecting');
  }

  private setStatus(participantId: string, status: ConnectionStatus): void {
    const member = this.members.get(participantId);
    if (!member || member.status === 'left' || member.status === status) return;
    member.status = status;
    if (member.role === 'ATTORNEY') this.refreshRoutingInBackground();
    this.broadcastState();
  }

  private onQuality(participantId: string, sample: QualitySample): void {
    const member = this.members.get(participantId);
    if (!member) return;
    const next = {
      level: qualityLevel(sample),
      lossPct: Math.round(sample.lossPct * 10) / 10,
      jitterMs: Math.round(sample.jitterMs),
      rttMs: sample.rttMs === null ? null : Math.round(sample.rttMs),
    };
    const changed = member.quality?.level !== next.level;
    member.quality = next;
    if (changed) this.broadcastState();
  }

  private broadcastState(): void {
    if (this.ended) return;
    this.warnBothLive();
    this.saveSnapshot();
    for (const member of this.members.values()) {
      if (member.status === 'left') continue;
      // Only when this viewer's view changed: a push on every hidden speaker change would itself
      // tell a client in the lobby or outside a sidebar when someone in it talks.
      const state = this.state(member.participantId);
      const fingerprint = JSON.stringify(state);
      if (fingerprint === member.lastStateSent) continue;
      member.lastStateSent = fingerprint;
      this.outbox.state(member.participantId, state);
    }
  }

  /** Seats, routing and sidebar as a call re-created elsewhere needs them. */
  snapshot(): LiveCallSnapshot {
    return {
      started: this.started,
      mode: this.routingState.mode,
      renderingInto: this.routingState.interpreterState.renderingInto,
      sidebar: this.sidebar,
      desk: this.desk.snapshot(),
      pauses: this.pauses.snapshot(),
      members: [...this.members.values()].map((m) => ({
        participantId: m.participantId,
        role: m.role,
        displayName: m.displayName,
        device: m.device,
        left: m.status === 'left',
        muted: m.muted,
        awaySince: m.awaySince,
      })),
    };
  }

  private saveSnapshot(): void {
    if (!this.continuity) return;
    const snapshot = this.snapshot();
    const json = JSON.stringify(snapshot);
    if (json === this.lastSaved) return;
    this.lastSaved = json;
    this.continuity.save(snapshot);
  }

  /**
   * Goes on from a snapshot of this call taken on a node that is gone: same mode, sidebar and
   * seats, everyone not yet back 'reconnecting' with the grace period running from now.
   */
  private restore(snapshot: LiveCallSnapshot): void {
    this.started = snapshot.started;
    this.sidebar = snapshot.sidebar;
    if (snapshot.desk) this.desk.restore(snapshot.desk);
    if (snapshot.pauses) {
      this.pauses.restore(snapshot.pauses);
      // Each lapses when it would have on the node that is gone (times are wall-clock, from it).
      for (const r of this.pauses.snapshot())
        this.lapsePausesIn(Math.max(0, r.requestedAt + PAUSE_REQUEST_TTL_MS - Date.now()) + 10);
    }
    this.routingState = {
      ...this.routingState,
      mode: snapshot.mode,
      interpreterState: { renderingInto: snapshot.renderingInto },
    };
    const now = Date.now();
    for (const { left, awaySince, muted, ...seat } of snapshot.members) {
      this.members.set(seat.participantId, {
        ...seat,
        status: left ? 'left' : 'reconnecting',
        muted,
        quality: null,
        media: null,
        awaySince: left ? null : (awaySince ?? now),
        mediaDownSince: null,
        graceTimer: left
          ? null
          : setTimeout(() => this.leave(seat.participantId, 'CONNECTION_LOST'), this.graceMs),
        lastStateSent: null,
      });
    }
    this.lastSaved = JSON.stringify(this.snapshot());
  }

  private broadcastRouting(): void {
    if (this.ended) return;
    for (const member of this.members.values()) {
      const routing = this.listenerRouting(member.participantId);
      if (routing) this.outbox.routing(member.participantId, routing);
    }
  }

  private record(
    actor: Member | null,
    type: NewSessionEvent['type'],
    payload: NewSessionEvent['payload'],
  ): void {
    try {
      this.log.record({
        organizationId: this.facts.organizationId,
        consultationId: this.facts.consultationId,
        type,
        actorUserId: actor && actor.role !== 'CLIENT' ? actor.participantId : null,
        actorRole: actor?.role ?? null,
        payload,
      });
    } catch (err) {
      // The log must never take a call down.
      this.logger.error({ err, type }, 'could not record a session event');
    }
  }
}
