import {
  planAudioRouting,
  planVideoRouting,
  routeFor,
  type AudioRoutingPlan,
  type ListenerRouting,
  type RouteDecision,
  type RoutingParticipant,
  type RoutingState,
} from '@parley/shared';
import type { Logger } from '../../logger.ts';
import { ActiveSpeakerDetector, type ActiveSpeakerOptions } from '../ActiveSpeakerDetector.ts';
import type { MediaEvents } from '../MediaEvents.ts';
import { MediaError } from '../MediaError.ts';
import type { AppliedRouting, Room } from '../Room.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import { WeriftParticipant, type ParticipantSettings } from './WeriftParticipant.ts';

export interface RoomSettings extends ParticipantSettings {
  maxParticipants: number;
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

/** An index of a plan by pair, so applying it is linear in the number of subscriptions. */
function indexPlan(plan: AudioRoutingPlan): Map<string, RouteDecision> {
  return new Map(plan.routes.map((r) => [`${r.listenerId}\n${r.speakerId}`, r.decision]));
}

/** How a room reports to its engine. */
export interface EngineHooks {
  /** The engine's emitter: every room event is also an engine event. */
  events: TypedEmitter<MediaEvents>;
  roomClosed: (roomId: string) => void;
  /** A peer connection is closing; the engine waits for it in `settled()`. */
  transportClosing: (closing: Promise<void>) => void;
}

const NOT_IN_PLAN: RouteDecision = { sent: false, reason: 'NOT_IN_PLAN' };

export class WeriftRoom<TAppData = unknown> implements Room<TAppData> {
  readonly participants = new Map<string, WeriftParticipant<TAppData>>();
  readonly events: TypedEmitter<MediaEvents>;
  readonly logger: Logger;
  routing: AppliedRouting = {
    version: 0,
    state: INITIAL_ROUTING_STATE,
    audio: { routes: [] },
    video: { routes: [] },
  };
  closed = false;
  private readonly detector: ActiveSpeakerDetector;
  private timer: NodeJS.Timeout;
  private lastQualityAt: number;

  constructor(
    readonly id: string,
    logger: Logger,
    private readonly settings: RoomSettings,
    readonly engine: EngineHooks,
  ) {
    this.logger = logger.child({ roomId: id });
    this.events = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media event listener failed'),
    );
    this.detector = new ActiveSpeakerDetector(settings.activeSpeaker);
    // Rooms created together (the hour's consultations starting at once) should not all sample
    // link quality (werift collectStats for every participant) in the same tick, so each room's
    // timer and quality sampling start at a random phase.
    this.lastQualityAt = Date.now() - Math.random() * settings.qualityIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = setInterval(() => this.tick(), settings.speakerIntervalMs);
      this.timer.unref();
      this.tick();
    }, Math.random() * settings.speakerIntervalMs);
    this.timer.unref();
  }

  get activeSpeakerId(): string | null {
    return this.detector.activeSpeakerId;
  }

  activeSpeakerFor(listenerId: string): string | null {
    const speakerId = this.detector.activeSpeakerId;
    if (speakerId === null) return null;
    return routeFor(this.routing.audio, listenerId, speakerId).sent ? speakerId : null;
  }

  addParticipant(info: RoutingParticipant, appData: TAppData): WeriftParticipant<TAppData> {
    if (this.closed) throw new MediaError('ROOM_CLOSED', `Room ${this.id} is closed`);
    if (info.role === 'STAFF') throw new MediaError('NO_MEDIA_FOR_STAFF', 'Facility staff receive no media');
    if (this.participants.has(info.id))
      throw new MediaError('DUPLICATE_PARTICIPANT', `${info.id} is already in the room`);
    if (this.participants.size >= this.settings.maxParticipants)
      throw new MediaError('ROOM_FULL', `Room ${this.id} is full`);
    const participant = new WeriftParticipant<TAppData>(this, info, appData, this.settings);
    try {
      for (const other of this.participants.values()) {
        for (const publication of other.publications.values()) participant.subscribe(publication);
        for (const publication of participant.publications.values()) other.subscribe(publication);
      }
    } catch (error) {
      participant.closeAs('LEFT');
      throw error;
    }
    this.participants.set(participant.id, participant);
    this.logger.info({ participantId: info.id, role: info.role }, 'participant joined');
    this.emitEvent('participantJoined', this.ref(participant));
    this.applyPlan();
    return participant;
  }

  getParticipant(id: string): WeriftParticipant<TAppData> | undefined {
    return this.participants.get(id);
  }

  setRouting(state: RoutingState): AppliedRouting {
    if (this.closed) throw new MediaError('ROOM_CLOSED', `Room ${this.id} is closed`);
    this.routing = { ...this.routing, state };
    return this.applyPlan();
  }

  listenerRouting(listenerId: string): ListenerRouting {
    const listener = this.participants.get(listenerId);
    const tracks: ListenerRouting['tracks'] = [];
    for (const subscription of listener?.subscriptions.values() ?? []) {
      const mid = subscription.mid;
      if (mid === null) continue;
      tracks.push({
        mid,
        kind: subscription.kind,
        speakerId: subscription.publication.publisher.id,
        sent: !subscription.paused,
        gain: subscription.gain,
      });
    }
    return { version: this.routing.version, tracks };
  }

  /**
   * Recomputes both plans and applies them to every subscription before returning. Forwarding
   * checks `paused` synchronously per packet, so the first packet handled after this call obeys
   * the new plan — packets already handed to a sender are the only ones in flight.
   */
  private applyPlan(): AppliedRouting {
    const { mode, interpreterState, sidebars } = this.routing.state;
    const infos = [...this.participants.values()].map((p) => p.info);
    const audio = planAudioRouting(infos, mode, interpreterState, sidebars);
    const video = planVideoRouting(infos, sidebars);
    const byKind = { audio: indexPlan(audio), video: indexPlan(video) };
    for (const listener of this.participants.values()) {
      for (const subscription of listener.subscriptions.values()) {
        const key = `${listener.id}\n${subscription.publication.publisher.id}`;
        subscription.applyDecision(byKind[subscription.kind].get(key) ?? NOT_IN_PLAN);
      }
    }
    this.routing = { version: this.routing.version + 1, state: this.routing.state, audio, video };
    this.emitEvent('routingApplied', { roomId: this.id, routing: this.routing });
    return this.routing;
  }

  /** Called by a participant as it closes. */
  participantClosed(
    participant: WeriftParticipant<TAppData>,
    reason: 'LEFT' | 'ROOM_CLOSED',
    wasConnected: boolean,
  ): void {
    if (this.participants.get(participant.id) !== participant) return;
    this.participants.delete(participant.id);
    const wasSpeaking = this.detector.activeSpeakerId === participant.id;
    this.detector.remove(participant.id);
    this.logger.info({ participantId: participant.id, reason }, 'participant left');
    if (wasConnected)
      this.emitEvent('participantDisconnected', { ...this.ref(participant), reason, state: 'closed' });
    this.emitEvent('participantLeft', { ...this.ref(participant), reason });
    if (wasSpeaking) this.emitEvent('activeSpeakerChanged', { roomId: this.id, participantId: null });
    if (!this.closed) this.applyPlan();
  }

  observeAudioLevel(participantId: string, level: number, nowMs: number): void {
    this.detector.observe(participantId, level, nowMs);
  }

  ref(participant: WeriftParticipant<TAppData>): {
    roomId: string;
    participantId: string;
    role: RoutingParticipant['role'];
  } {
    return { roomId: this.id, participantId: participant.id, role: participant.info.role };
  }

  emitEvent<K extends keyof MediaEvents>(event: K, payload: MediaEvents[K]): void {
    this.events.emit(event, payload);
    this.engine.events.emit(event, payload);
  }

  private tick(): void {
    const now = Date.now();
    const speaker = this.detector.evaluate(now);
    if (speaker !== undefined)
      this.emitEvent('activeSpeakerChanged', { roomId: this.id, participantId: speaker });
    if (now - this.lastQualityAt < this.settings.qualityIntervalMs) return;
    this.lastQualityAt = now;
    const connected = [...this.participants.values()].filter((p) => p.connectionState === 'connected');
    for (const participant of connected) participant.measureUpstream(now);
    for (const participant of connected) {
      const wasPoor = participant.quality?.poor ?? false;
      const sample = participant.sampleQuality(now);
      this.emitEvent('qualitySampled', { ...this.ref(participant), sample });
      if (sample.poor && !wasPoor) this.emitEvent('qualityWarning', { ...this.ref(participant), sample });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const participant of [...this.participants.values()]) participant.closeAs('ROOM_CLOSED');
    this.logger.info('room closed');
    this.emitEvent('roomClosed', { roomId: this.id });
    this.events.removeAllListeners();
    this.engine.roomClosed(this.id);
  }
}
