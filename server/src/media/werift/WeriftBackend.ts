import { PUBLISH_SLOT_KIND, type MediaKind, type ProduceResult } from '@parley/shared';
import type { Logger } from '../../logger.ts';
import type {
  AddParticipantCommand,
  MediaBackend,
  MediaBackendEvents,
  NegotiateCommand,
  ParticipantLinkStats,
  RoutingAck,
  RoutingCommand,
  SubscribeCommand,
  SubscriptionTrack,
} from '../MediaBackend.ts';
import { MediaError } from '../MediaError.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import type { IceOptions } from './peerConfig.ts';
import { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftSubscription } from './WeriftSubscription.ts';

export interface WeriftBackendOptions {
  logger: Logger;
  ice?: IceOptions;
  /**
   * How audio RTP moves (default 'lean'): 'lean' receives, decrypts, encrypts and sends it in the
   * engine's own code (AudioReceivePath, AudioSlotSender); 'werift' leaves it all to werift, as
   * the engine did before — several times the allocation and a GC-driven latency tail, kept to
   * measure the difference in one run and as a fallback should a werift upgrade move internals.
   */
  audioPath?: 'lean' | 'werift';
  /** How often heard audio levels are reported (default 100 ms). */
  levelIntervalMs?: number;
}

interface BackendRoom {
  readonly participants: Map<string, WeriftParticipant>;
  readonly subscriptions: Map<string, WeriftSubscription>;
  timer: NodeJS.Timeout;
}

/**
 * The werift backend: pure TypeScript WebRTC in this process, RTP forwarded without decoding,
 * one server-offered peer connection per participant. The zero-build fallback: it needs nothing
 * but `npm install`. Commands run to completion before their promise settles, so a routing
 * command's acknowledgement means the next packet handled obeys it.
 */
export class WeriftBackend implements MediaBackend {
  readonly name = 'werift' as const;
  readonly events: TypedEmitter<MediaBackendEvents>;
  private readonly rooms = new Map<string, BackendRoom>();
  private readonly logger: Logger;
  private readonly ice: IceOptions;
  private readonly leanAudio: boolean;
  private readonly levelIntervalMs: number;
  private readonly transportsClosing = new Set<Promise<void>>();
  private closed = false;

  constructor(options: WeriftBackendOptions) {
    this.logger = options.logger.child({ component: 'media-werift' });
    this.events = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media backend listener failed'),
    );
    this.ice = options.ice ?? {};
    this.leanAudio = (options.audioPath ?? 'lean') === 'lean';
    this.levelIntervalMs = options.levelIntervalMs ?? 100;
  }

  createRoom({ roomId }: { roomId: string }): Promise<void> {
    return settle(() => this.createRoomNow(roomId));
  }

  private createRoomNow(roomId: string): void {
    if (this.closed) throw new MediaError('ENGINE_CLOSED', 'The media engine is closed');
    if (this.rooms.has(roomId)) throw new MediaError('ROOM_EXISTS', `Room ${roomId} exists`);
    const room: BackendRoom = {
      participants: new Map(),
      subscriptions: new Map(),
      timer: setInterval(() => this.reportLevels(roomId, room), this.levelIntervalMs),
    };
    room.timer.unref();
    this.rooms.set(roomId, room);
  }

  async addParticipant(command: AddParticipantCommand): ReturnType<MediaBackend['addParticipant']> {
    const room = this.room(command.roomId);
    if (command.transport === 'plainRtp')
      throw new MediaError('BAD_SESSION_DESCRIPTION', 'The werift engine has no plain RTP legs');
    if (room.participants.has(command.participantId))
      throw new MediaError('DUPLICATE_PARTICIPANT', `${command.participantId} is already in the room`);
    const kinds = command.publish.map((slot) => PUBLISH_SLOT_KIND[slot]);
    const participant = new WeriftParticipant(
      command.participantId,
      this.logger.child({ roomId: command.roomId }),
      { ice: this.ice, slotCount: command.receiveSlots, kinds, leanAudio: this.leanAudio },
      {
        connectionState: (state) =>
          this.events.emit('connectionState', {
            roomId: command.roomId,
            participantId: command.participantId,
            state,
          }),
        transportClosing: (closing) => this.trackClosing(closing),
      },
    );
    room.participants.set(participant.id, participant);
    try {
      const offer = await participant.createOffer();
      const publish = command.publish.map((slot) => {
        const mid = participant.publishMid(PUBLISH_SLOT_KIND[slot]);
        if (mid === null) throw new MediaError('BAD_SESSION_DESCRIPTION', `No m-line for ${slot}`);
        return { slot, kind: PUBLISH_SLOT_KIND[slot], mid };
      });
      return { negotiation: { kind: 'sdp', offer, publish } };
    } catch (error) {
      await this.removeParticipant(command);
      throw error;
    }
  }

  async negotiate({ roomId, participantId, step }: NegotiateCommand): Promise<ProduceResult | null> {
    const participant = this.participant(roomId, participantId);
    switch (step.step) {
      case 'answer':
        await participant.acceptAnswer(step.answer);
        return null;
      case 'candidate':
        await participant.addRemoteCandidate(step.candidate);
        return null;
      default:
        throw new MediaError('BAD_SESSION_DESCRIPTION', `This engine negotiates by SDP, not ${step.step}`);
    }
  }

  subscribe(command: SubscribeCommand): Promise<SubscriptionTrack> {
    return settle(() => this.subscribeNow(command));
  }

  private subscribeNow(command: SubscribeCommand): SubscriptionTrack {
    const room = this.room(command.roomId);
    const listener = this.participant(command.roomId, command.listenerId);
    const publication = this.participant(command.roomId, command.speakerId).publications.get(command.kind);
    if (!publication)
      throw new MediaError('PARTICIPANT_CLOSED', `${command.speakerId} publishes no ${command.kind}`);
    const subscription = listener.subscribe(command.subscriptionId, publication, command.slot);
    room.subscriptions.set(subscription.id, subscription);
    return { subscriptionId: subscription.id, mid: subscription.mid };
  }

  unsubscribe({ roomId, subscriptionId }: { roomId: string; subscriptionId: string }): Promise<void> {
    const room = this.rooms.get(roomId);
    room?.subscriptions.get(subscriptionId)?.close();
    room?.subscriptions.delete(subscriptionId);
    return Promise.resolve();
  }

  /** Synchronous underneath: by the time the promise settles, forwarding already obeys it. */
  applyRouting({ roomId, version, changes }: RoutingCommand): Promise<RoutingAck> {
    return settle(() => {
      const room = this.room(roomId);
      for (const { subscriptionId, sent } of changes)
        room.subscriptions.get(subscriptionId)?.setPaused(!sent);
      return { roomId, version };
    });
  }

  collectStats({ roomId }: { roomId: string }): Promise<ParticipantLinkStats[]> {
    const now = Date.now();
    const participants = [...(this.rooms.get(roomId)?.participants.values() ?? [])];
    return Promise.resolve(
      participants.filter((p) => p.connectionState === 'connected').map((p) => p.linkStats(now)),
    );
  }

  async removeParticipant({
    roomId,
    participantId,
  }: {
    roomId: string;
    participantId: string;
  }): Promise<void> {
    const room = this.rooms.get(roomId);
    const participant = room?.participants.get(participantId);
    if (!room || !participant) return;
    room.participants.delete(participantId);
    const closing = participant.close();
    for (const [id, subscription] of room.subscriptions)
      if (subscription.closed) room.subscriptions.delete(id);
    await closing;
  }

  async closeRoom({ roomId }: { roomId: string }): Promise<void> {
    const room = this.rooms.get(roomId);
    if (!room) return;
    this.rooms.delete(roomId);
    clearInterval(room.timer);
    await Promise.all([...room.participants.values()].map((p) => p.close()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.rooms.keys()].map((roomId) => this.closeRoom({ roomId })));
    await Promise.all([...this.transportsClosing]);
  }

  /** The werift objects of a participant, for tests and benchmarks of this backend's own paths. */
  participantInternals(roomId: string, participantId: string): WeriftParticipant | undefined {
    return this.rooms.get(roomId)?.participants.get(participantId);
  }

  private reportLevels(roomId: string, room: BackendRoom): void {
    const levels: MediaBackendEvents['audioLevels']['levels'] = [];
    for (const participant of room.participants.values()) {
      const publication = participant.publications.get('audio' satisfies MediaKind);
      if (!publication || publication.levelCount === 0) continue;
      levels.push({ participantId: participant.id, level: publication.levelSum / publication.levelCount });
      publication.levelSum = 0;
      publication.levelCount = 0;
    }
    if (levels.length > 0) this.events.emit('audioLevels', { roomId, levels });
  }

  private trackClosing(closing: Promise<void>): void {
    this.transportsClosing.add(closing);
    void closing.finally(() => this.transportsClosing.delete(closing));
  }

  private room(roomId: string): BackendRoom {
    const room = this.rooms.get(roomId);
    if (!room) throw new MediaError('ROOM_CLOSED', `Room ${roomId} is closed`);
    return room;
  }

  private participant(roomId: string, participantId: string): WeriftParticipant {
    const participant = this.room(roomId).participants.get(participantId);
    if (!participant) throw new MediaError('PARTICIPANT_CLOSED', `Participant ${participantId} has left`);
    return participant;
  }
}

/** Runs `work` now, synchronously, and hands back its result or its exception as a promise. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
