import { randomUUID } from 'node:crypto';
import {
  PUBLISH_SLOT_KIND,
  planAudioRouting,
  planVideoRouting,
  routeFor,
  type AudioRoutingPlan,
  type ListenerRouting,
  type MediaKind,
  type MediaNegotiation,
  type ProduceResult,
  type PublishSlot,
  type RouteDecision,
  type RoutingParticipant,
  type RoutingState,
} from '@parley/shared';
import type { Logger } from '../logger.ts';
import { ActiveSpeakerDetector, type ActiveSpeakerOptions } from './ActiveSpeakerDetector.ts';
import {
  awaitingSourceReport,
  sampleQuality,
  type DownstreamTrack,
  type QualityThresholds,
} from './linkQuality.ts';
import type {
  AddParticipantCommand,
  BackendConnectionState,
  MediaBackend,
  MediaBackendEvents,
  NegotiationStep,
  ParticipantLinkStats,
  SubscriptionTrack,
} from './MediaBackend.ts';
import { MediaError } from './MediaError.ts';
import type { MediaEvents } from './MediaEvents.ts';
import { MediaParticipant, MediaSubscription } from './MediaParticipant.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** The routing in force: the state it came from, its audio and video plans, and its version. */
export interface AppliedRouting {
  /** Increases with every change, including joins and leaves that change the plan. */
  version: number;
  state: RoutingState;
  audio: AudioRoutingPlan;
  video: AudioRoutingPlan;
}

/** The policy every engine shares, set once per engine (MediaEngine). */
export interface RoomSettings {
  maxParticipants: number;
  /** Publish video as well as audio. */
  video: boolean;
  qualityThresholds: QualityThresholds;
  activeSpeaker: ActiveSpeakerOptions;
  /** How often the active speaker is re-decided. */
  speakerIntervalMs: number;
  /** How often link quality is sampled. */
  qualityIntervalMs: number;
}

/** Until someone changes it: everyone hears everyone. */
export const INITIAL_ROUTING_STATE: RoutingState = {
  mode: 'CONSECUTIVE',
  interpreterState: { renderingInto: null },
  sidebars: [],
};

const NOT_IN_PLAN: RouteDecision = { sent: false, reason: 'NOT_IN_PLAN' };

/** How a room reports to its engine. */
export interface EngineHooks {
  /** The engine's emitter: every room event is also an engine event. */
  events: TypedEmitter<MediaEvents>;
  roomClosed: (roomId: string) => void;
}

/**
 * One consultation's call on this media node, whatever engine moves its packets: the policy that
 * every engine needs lives here once — the routing plan and applying it, who may receive media
 * (never STAFF), the receive-track pool, the active speaker and who may know who is speaking, and
 * link quality with its thresholds — and drives the engine through the MediaBackend port.
 *
 * Changes of membership and routing run one at a time in the order they were asked for, so plan
 * versions reach the backend in order and a plan is applied to exactly the subscriptions that exist.
 */
export class MediaRoom<TAppData = unknown> {
  readonly participants = new Map<string, MediaParticipant<TAppData>>();
  readonly events: TypedEmitter<MediaEvents>;
  readonly logger: Logger;
  routing: AppliedRouting = {
    version: 0,
    state: INITIAL_ROUTING_STATE,
    audio: { routes: [] },
    video: { routes: [] },
  };
  closed = false;
  /** Participants being added: counted for duplicates and the room's capacity. */
  private readonly joining = new Map<string, MediaParticipant<TAppData>>();
  private readonly subscriptions = new Map<string, MediaSubscription>();
  private readonly detector: ActiveSpeakerDetector;
  private queue: Promise<unknown>;
  private timer: NodeJS.Timeout;
  private lastQualityAt: number;
  private sampling = false;

  constructor(
    readonly id: string,
    private readonly backend: MediaBackend,
    logger: Logger,
    private readonly settings: RoomSettings,
    private readonly engine: EngineHooks,
  ) {
    this.logger = logger.child({ roomId: id });
    this.events = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media event listener failed'),
    );
    this.detector = new ActiveSpeakerDetector(settings.activeSpeaker);
    this.queue = backend.createRoom({ roomId: id });
    this.queue.catch((err: unknown) => this.logger.error({ err }, 'the engine could not create the room'));
    // Rooms created together (the hour's consultations starting at once) should not all sample
    // link quality in the same tick, so each room's timer and sampling start at a random phase.
    this.lastQualityAt = Date.now() - Math.random() * settings.qualityIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => this.tick(), settings.speakerIntervalMs);
      this.timer.unref();
      this.tick();
    }, Math.random() * settings.speakerIntervalMs);
    this.timer.unref();
  }

  /** Which engine moves this room's packets. */
  get backendName(): MediaBackend['name'] {
    return this.backend.name;
  }

  /** The participant whose voice dominates (sticky through silence), or null. */
  get activeSpeakerId(): string | null {
    return this.detector.activeSpeakerId;
  }

  /**
   * The active speaker as `listenerId` may know it: null when the plan does not send that
   * speaker to them. Who is talking in a sidebar is itself not for those outside it.
   */
  activeSpeakerFor(listenerId: string): string | null {
    const speakerId = this.detector.activeSpeakerId;
    if (speakerId === null) return null;
    return routeFor(this.routing.audio, listenerId, speakerId).sent ? speakerId : null;
  }

  getParticipant(id: string): MediaParticipant<TAppData> | undefined {
    return this.participants.get(id);
  }

  /**
   * Adds a participant who sends and receives media. Refusals are thrown at once: STAFF (they see
   * presence through signalling and receive no media), a duplicate, a full or closed room. The
   * engine then makes their transport: `participant.negotiated` resolves with its negotiation once
   * their subscriptions exist, paused, and the current plan has been applied and acknowledged, so
   * a newcomer never hears a sidebar in progress. Closing the participant before then undoes it.
   */
  addParticipant(
    info: RoutingParticipant,
    appData: TAppData,
    options: Pick<AddParticipantCommand, 'transport' | 'srtp'> = {},
  ): MediaParticipant<TAppData> {
    if (this.closed) throw new MediaError('ROOM_CLOSED', `Room ${this.id} is closed`);
    if (info.role === 'STAFF') throw new MediaError('NO_MEDIA_FOR_STAFF', 'Facility staff receive no media');
    if (this.participants.has(info.id) || this.joining.has(info.id))
      throw new MediaError('DUPLICATE_PARTICIPANT', `${info.id} is already in the room`);
    if (this.participants.size + this.joining.size >= this.settings.maxParticipants)
      throw new MediaError('ROOM_FULL', `Room ${this.id} is full`);
    const publish: PublishSlot[] = this.settings.video ? ['microphone', 'camera'] : ['microphone'];
    const participant = new MediaParticipant<TAppData>(this, info, appData, publish);
    this.joining.set(info.id, participant);
    participant.negotiated = this.inOrder(() => this.connect(participant, options));
    // Whoever added them awaits it; a failure nobody awaits is not an unhandled rejection.
    participant.negotiated.catch(() => undefined);
    return participant;
  }

  private async connect(
    participant: MediaParticipant<TAppData>,
    options: Pick<AddParticipantCommand, 'transport' | 'srtp'>,
  ): Promise<MediaNegotiation> {
    const { info } = participant;
    const abandoned = () => new MediaError('PARTICIPANT_CLOSED', `Participant ${info.id} has left`);
    try {
      if (this.closed || participant.closed) throw abandoned();
      const { negotiation } = await this.backend.addParticipant({
        roomId: this.id,
        participantId: info.id,
        publish: [...participant.publish],
        receiveSlots: this.settings.maxParticipants - 1,
        transport: options.transport ?? 'webrtc',
        ...(options.srtp ? { srtp: true } : {}),
      });
      if (this.closed || participant.closed) throw abandoned();
      this.joining.delete(info.id);
      this.participants.set(info.id, participant);
      for (const other of [...this.participants.values()]) {
        if (other === participant) continue;
        await this.subscribePair(participant, other);
        await this.subscribePair(other, participant);
      }
      if (this.closed || participant.closed) throw abandoned();
      this.logger.info({ participantId: info.id, role: info.role }, 'participant joined');
      this.emitEvent('participantJoined', this.ref(participant));
      await this.applyPlan();
      return negotiation;
    } catch (error) {
      if (this.joining.get(info.id) === participant) this.joining.delete(info.id);
      if (this.participants.get(info.id) === participant) {
        for (const subscription of this.subscriptionsOf(info.id)) this.forgetSubscription(subscription);
        this.participants.delete(info.id);
      }
      participant.closed = true;
      await this.backend
        .removeParticipant({ roomId: this.id, participantId: info.id })
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * Changes the routing state and applies the new plan to every subscription. Resolves with the
   * plan once the engine acknowledged it: from the next packet on, nothing it does not send is
   * forwarded. No renegotiation.
   */
  setRouting(state: RoutingState): Promise<AppliedRouting> {
    if (this.closed) return Promise.reject(new MediaError('ROOM_CLOSED', `Room ${this.id} is closed`));
    return this.inOrder(async () => {
      if (this.closed) throw new MediaError('ROOM_CLOSED', `Room ${this.id} is closed`);
      this.routing = { ...this.routing, state };
      return this.applyPlan();
    });
  }

  /** What `listenerId`'s client needs to know about the current plan (tracks, sent, gains). */
  listenerRouting(listenerId: string): ListenerRouting {
    const listener = this.participants.get(listenerId);
    const tracks: ListenerRouting['tracks'] = [];
    for (const subscription of listener?.subscriptions.values() ?? []) {
      if (subscription.mid === null) continue;
      tracks.push({
        mid: subscription.mid,
        kind: subscription.kind,
        speakerId: subscription.speakerId,
        sent: !subscription.paused,
        gain: subscription.gain,
      });
    }
    return { version: this.routing.version, tracks };
  }

  /** Called by a participant. */
  negotiate(participant: MediaParticipant<TAppData>, step: NegotiationStep): Promise<ProduceResult | null> {
    return this.backend.negotiate({ roomId: this.id, participantId: participant.id, step });
  }

  /**
   * Takes a participant out: at once for everyone here (events, the speaker, their slots), then
   * their transport and everyone's subscriptions to them in the engine, then the plan without them.
   */
  closeParticipant(participant: MediaParticipant<TAppData>, reason: 'LEFT' | 'ROOM_CLOSED'): void {
    if (participant.closed) return;
    participant.closed = true;
    const wasConnected = participant.connectionState === 'connected';
    participant.setConnectionState('closed');
    // Still being connected: the connect task sees it closed and undoes what it made.
    if (this.joining.get(participant.id) === participant) this.joining.delete(participant.id);
    if (this.participants.get(participant.id) !== participant) return;
    for (const subscription of this.subscriptionsOf(participant.id)) this.forgetSubscription(subscription);
    this.participants.delete(participant.id);
    const wasSpeaking = this.detector.activeSpeakerId === participant.id;
    this.detector.remove(participant.id);
    this.logger.info({ participantId: participant.id, reason }, 'participant left');
    if (wasConnected)
      this.emitEvent('participantDisconnected', { ...this.ref(participant), reason, state: 'closed' });
    this.emitEvent('participantLeft', { ...this.ref(participant), reason });
    if (wasSpeaking) this.emitEvent('activeSpeakerChanged', { roomId: this.id, participantId: null });
    participant.events.emit('closed', { participantId: participant.id });
    participant.events.removeAllListeners();
    if (reason === 'ROOM_CLOSED') return;
    void this.inOrder(async () => {
      await this.backend.removeParticipant({ roomId: this.id, participantId: participant.id });
      if (!this.closed) await this.applyPlan();
    }).catch((err: unknown) =>
      this.logger.warn({ err, participantId: participant.id }, 'removing media failed'),
    );
  }

  /** Closes every participant, then the room. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const participant of [...this.participants.values()])
      this.closeParticipant(participant, 'ROOM_CLOSED');
    this.logger.info('room closed');
    this.emitEvent('roomClosed', { roomId: this.id });
    this.events.removeAllListeners();
    this.engine.roomClosed(this.id);
    void this.inOrder(() => this.backend.closeRoom({ roomId: this.id })).catch((err: unknown) =>
      this.logger.warn({ err }, 'closing the room in the engine failed'),
    );
  }

  /** Resolves once every change asked of the engine so far is done (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  /** An event of the backend about this room. */
  onBackendEvent<K extends keyof MediaBackendEvents>(event: K, payload: MediaBackendEvents[K]): void {
    if (this.closed) return;
    switch (event) {
      case 'connectionState': {
        const e = payload as MediaBackendEvents['connectionState'];
        this.onConnectionState(e.participantId, e.state);
        return;
      }
      case 'audioLevels': {
        const now = Date.now();
        for (const { participantId, level } of (payload as MediaBackendEvents['audioLevels']).levels)
          if (this.participants.has(participantId)) this.detector.observe(participantId, level, now);
        return;
      }
      case 'subscriptionTrack': {
        const track = payload as MediaBackendEvents['subscriptionTrack'];
        const subscription = this.subscriptions.get(track.subscriptionId);
        if (!subscription) return;
        this.setTrack(subscription, track);
        this.emitEvent('tracksChanged', { roomId: this.id, listenerId: subscription.listenerId });
        return;
      }
      case 'participantLost': {
        const participant = this.participants.get(
          (payload as MediaBackendEvents['participantLost']).participantId,
        );
        if (!participant) return;
        if (participant.connectionState === 'connected')
          this.emitEvent('participantDisconnected', {
            ...this.ref(participant),
            reason: 'ENGINE_FAILED',
            state: 'failed',
          });
        participant.setConnectionState('failed');
        this.emitEvent('participantMediaLost', this.ref(participant));
        return;
      }
    }
  }

  private onConnectionState(participantId: string, state: BackendConnectionState): void {
    const participant = this.participants.get(participantId);
    if (!participant || participant.closed || state === participant.connectionState) return;
    const previous = participant.connectionState;
    participant.setConnectionState(state);
    if (state === 'connected') {
      this.emitEvent('participantConnected', {
        ...this.ref(participant),
        sinceJoinMs: Date.now() - participant.joinedAt,
        reconnected: participant.everConnected,
      });
      participant.everConnected = true;
    } else if (previous === 'connected') {
      this.emitEvent('participantDisconnected', {
        ...this.ref(participant),
        reason: state === 'failed' ? 'CONNECTION_FAILED' : 'CONNECTION_LOST',
        state,
      });
    }
  }

  /** `listener` receives what `speaker` publishes, each kind on a free receive track, paused. */
  private async subscribePair(listener: MediaParticipant<TAppData>, speaker: MediaParticipant<TAppData>) {
    for (const slot of speaker.publish) {
      const kind = PUBLISH_SLOT_KIND[slot];
      if (!listener.publish.some((s) => PUBLISH_SLOT_KIND[s] === kind)) continue;
      const used = new Set(
        [...listener.subscriptions.values()].filter((s) => s.kind === kind).map((s) => s.slot),
      );
      let free = 0;
      while (used.has(free)) free++;
      if (free >= this.settings.maxParticipants - 1)
        throw new MediaError('ROOM_FULL', `No free ${kind} track for ${listener.id}`);
      const subscription = new MediaSubscription(randomUUID(), kind, listener.id, speaker.id, free);
      listener.subscriptions.set(subscription.id, subscription);
      this.subscriptions.set(subscription.id, subscription);
      const track = await this.backend.subscribe({
        roomId: this.id,
        subscriptionId: subscription.id,
        listenerId: listener.id,
        speakerId: speaker.id,
        kind,
        slot: free,
      });
      this.setTrack(subscription, track);
    }
  }

  private setTrack(subscription: MediaSubscription, track: SubscriptionTrack): void {
    subscription.mid = track.mid;
    subscription.consumer = track.consumer;
  }

  private subscriptionsOf(participantId: string): MediaSubscription[] {
    return [...this.subscriptions.values()].filter(
      (s) => s.listenerId === participantId || s.speakerId === participantId,
    );
  }

  private forgetSubscription(subscription: MediaSubscription): void {
    subscription.closed = true;
    subscription.paused = true;
    this.subscriptions.delete(subscription.id);
    this.participants.get(subscription.listenerId)?.subscriptions.delete(subscription.id);
  }

  /**
   * Recomputes both plans, has the engine apply what changed and, once it acknowledged, records
   * the new state and version. Pauses reach the engine in the same command as resumes.
   */
  private async applyPlan(): Promise<AppliedRouting> {
    const { mode, interpreterState, sidebars } = this.routing.state;
    const infos = [...this.participants.values()].map((p) => p.info);
    const audio = planAudioRouting(infos, mode, interpreterState, sidebars);
    const video = planVideoRouting(infos, sidebars);
    const byKind: Record<MediaKind, Map<string, RouteDecision>> = {
      audio: indexPlan(audio),
      video: indexPlan(video),
    };
    const decisions = [...this.subscriptions.values()].map((subscription) => ({
      subscription,
      decision:
        byKind[subscription.kind].get(`${subscription.listenerId}\n${subscription.speakerId}`) ?? NOT_IN_PLAN,
    }));
    const version = this.routing.version + 1;
    await this.backend.applyRouting({
      roomId: this.id,
      version,
      changes: decisions
        .filter(({ subscription, decision }) => subscription.paused === decision.sent)
        .map(({ subscription, decision }) => ({ subscriptionId: subscription.id, sent: decision.sent })),
    });
    for (const { subscription, decision } of decisions) {
      if (subscription.closed) continue;
      subscription.paused = !decision.sent;
      subscription.gain = decision.sent ? decision.gain : 0;
    }
    this.routing = { version, state: this.routing.state, audio, video };
    this.emitEvent('routingApplied', { roomId: this.id, routing: this.routing });
    return this.routing;
  }

  private tick(): void {
    const now = Date.now();
    const speaker = this.detector.evaluate(now);
    if (speaker !== undefined)
      this.emitEvent('activeSpeakerChanged', { roomId: this.id, participantId: speaker });
    if (this.sampling || now - this.lastQualityAt < this.settings.qualityIntervalMs) return;
    this.lastQualityAt = now;
    this.sampling = true;
    this.backend
      .collectStats({ roomId: this.id })
      .then((stats) => this.sampleQuality(Date.now(), stats))
      .catch((err: unknown) => this.logger.warn({ err }, 'sampling link quality failed'))
      .finally(() => (this.sampling = false));
  }

  /**
   * Every participant's upstream first, so the loss a listener inherits from a publisher (the
   * forwarded stream carries the publisher's gaps) is known for the same sample and not blamed
   * on the listener.
   */
  private sampleQuality(now: number, stats: ParticipantLinkStats[]): void {
    if (this.closed) return;
    const measured = stats.flatMap((s) => {
      const participant = this.participants.get(s.participantId);
      return participant && participant.connectionState === 'connected' ? [{ participant, s }] : [];
    });
    for (const { participant, s } of measured) participant.measureUpstream(s, now);
    for (const { participant, s } of measured) {
      const downstream: DownstreamTrack[] = [];
      for (const report of s.downstream) {
        const subscription = participant.subscriptions.get(report.subscriptionId);
        if (!subscription) continue;
        const current = {
          packetsLost: report.packetsLost,
          highestSequence: report.highestSequence,
          jitterMs: report.jitterMs,
          ...(report.reportedLossFraction === undefined
            ? {}
            : { reportedLossFraction: report.reportedLossFraction }),
        };
        const previous = participant.previousDownstream.get(report.subscriptionId);
        const speaker = this.participants.get(subscription.speakerId);
        let awaiting = false;
        if (current.reportedLossFraction !== undefined) {
          const newReport =
            !previous ||
            previous.packetsLost !== current.packetsLost ||
            previous.reportedLossFraction !== current.reportedLossFraction;
          if (newReport) participant.downstreamReportAt.set(report.subscriptionId, now);
          awaiting = awaitingSourceReport(
            now,
            participant.downstreamReportAt.get(report.subscriptionId) ?? now,
            speaker?.upstreamReportAt,
          );
        }
        downstream.push({
          previous,
          current,
          inheritedLossFraction: speaker?.upstreamLossFraction ?? 0,
          ...(awaiting ? { awaitingSourceReport: true } : {}),
        });
        participant.previousDownstream.set(report.subscriptionId, current);
      }
      for (const id of participant.previousDownstream.keys())
        if (!participant.subscriptions.has(id)) participant.previousDownstream.delete(id);
      for (const id of participant.downstreamReportAt.keys())
        if (!participant.subscriptions.has(id)) participant.downstreamReportAt.delete(id);
      const wasPoor = participant.quality?.poor ?? false;
      const sample = sampleQuality(
        now,
        participant.previousUpstream,
        s.upstream,
        downstream,
        s.rttMs,
        this.settings.qualityThresholds,
      );
      participant.quality = sample;
      this.emitEvent('qualitySampled', { ...this.ref(participant), sample });
      if (sample.poor && !wasPoor) this.emitEvent('qualityWarning', { ...this.ref(participant), sample });
    }
  }

  private ref(participant: MediaParticipant<TAppData>) {
    return { roomId: this.id, participantId: participant.id, role: participant.info.role };
  }

  private emitEvent<K extends keyof MediaEvents>(event: K, payload: MediaEvents[K]): void {
    this.events.emit(event, payload);
    this.engine.events.emit(event, payload);
  }

  /** Runs `task` after every change asked for before it; a failed change does not stop later ones. */
  private inOrder<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** An index of a plan by pair, so applying it is linear in the number of subscriptions. */
function indexPlan(plan: AudioRoutingPlan): Map<string, RouteDecision> {
  return new Map(plan.routes.map((r) => [`${r.listenerId}\n${r.speakerId}`, r.decision]));
}
