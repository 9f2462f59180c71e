import type { Logger } from '../logger.ts';
import { DEFAULT_ACTIVE_SPEAKER_OPTIONS, type ActiveSpeakerOptions } from './ActiveSpeakerDetector.ts';
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from './linkQuality.ts';
import type { MediaBackend, MediaBackendEvents, MediaBackendName } from './MediaBackend.ts';
import { MediaError } from './MediaError.ts';
import type { MediaEvents } from './MediaEvents.ts';
import { MediaRoom, type RoomSettings } from './MediaRoom.ts';
import { TypedEmitter, type EventSource } from './TypedEmitter.ts';

export interface MediaEngineOptions {
  logger: Logger;
  /** Forward VP8 video as well as Opus audio (default true). */
  video?: boolean;
  /** Media participants a room holds (default 5: a consultation is 3–5 people). */
  maxParticipantsPerRoom?: number;
  qualityThresholds?: Partial<QualityThresholds>;
  activeSpeaker?: Partial<ActiveSpeakerOptions>;
  speakerIntervalMs?: number;
  qualityIntervalMs?: number;
}

/**
 * Active speaker from the levels a backend reports every ~100 ms (a mean per interval, not one
 * per packet): each report moves the smoothed loudness further than a packet would.
 */
export const INTERVAL_ACTIVE_SPEAKER_OPTIONS: ActiveSpeakerOptions = {
  ...DEFAULT_ACTIVE_SPEAKER_OPTIONS,
  smoothing: 0.5,
};

/**
 * The SFU as the rest of the server sees it (DESIGN.md): rooms of participants whose media are
 * forwarded to subscriptions paused or resumed by a routing plan. The rooms hold the policy; the
 * backend (werift in-process, or mediasoup workers) moves the packets behind the MediaBackend port.
 */
export class MediaEngine {
  readonly rooms = new Map<string, MediaRoom>();
  /** Every event of every room. */
  readonly events: EventSource<MediaEvents>;
  closed = false;
  private readonly emitter: TypedEmitter<MediaEvents>;
  private readonly logger: Logger;
  private readonly settings: RoomSettings;
  private closing: Promise<void> | undefined;
  private readonly offBackend: (() => void)[];

  constructor(
    readonly backend: MediaBackend,
    options: MediaEngineOptions,
  ) {
    this.logger = options.logger.child({ component: 'media' });
    this.emitter = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media event listener failed'),
    );
    this.events = this.emitter;
    const maxParticipants = options.maxParticipantsPerRoom ?? 5;
    if (!Number.isInteger(maxParticipants) || maxParticipants < 2 || maxParticipants > 16) {
      throw new Error('maxParticipantsPerRoom must be an integer from 2 to 16');
    }
    this.settings = {
      maxParticipants,
      video: options.video ?? true,
      qualityThresholds: { ...DEFAULT_QUALITY_THRESHOLDS, ...options.qualityThresholds },
      activeSpeaker: { ...INTERVAL_ACTIVE_SPEAKER_OPTIONS, ...options.activeSpeaker },
      speakerIntervalMs: options.speakerIntervalMs ?? 250,
      qualityIntervalMs: options.qualityIntervalMs ?? 2000,
    };
    const forward = <K extends keyof MediaBackendEvents>(event: K) =>
      backend.events.on(event, (payload) => this.rooms.get(payload.roomId)?.onBackendEvent(event, payload));
    this.offBackend = [
      forward('connectionState'),
      forward('audioLevels'),
      forward('subscriptionTrack'),
      forward('participantLost'),
    ];
  }

  /** Which engine moves the packets. */
  get backendName(): MediaBackendName {
    return this.backend.name;
  }

  /** Creates a room; refuses an id already in use. */
  createRoom<TAppData = unknown>(id: string): MediaRoom<TAppData> {
    if (this.closed) throw new MediaError('ENGINE_CLOSED', 'The media engine is closed');
    if (this.rooms.has(id)) throw new MediaError('ROOM_EXISTS', `Room ${id} exists`);
    const room = new MediaRoom<TAppData>(id, this.backend, this.logger, this.settings, {
      events: this.emitter,
      roomClosed: (roomId) => {
        if (this.rooms.get(roomId) === (room as MediaRoom)) this.rooms.delete(roomId);
        this.settling.add(room.settled());
      },
    });
    this.rooms.set(id, room);
    return room;
  }

  getRoom(id: string): MediaRoom | undefined {
    return this.rooms.get(id);
  }

  private readonly settling = new Set<Promise<void>>();

  /**
   * Resolves once every change asked of the backend so far is done: transports closed, sockets
   * and timers released (tests count handles after it).
   */
  async settled(): Promise<void> {
    await Promise.all([...[...this.rooms.values()].map((r) => r.settled()), ...this.settling, this.closing]);
    this.settling.clear();
  }

  /** Closes every room, then the backend. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const room of [...this.rooms.values()]) room.close();
    const rooms = [...this.settling];
    this.closing = Promise.all(rooms)
      .then(() => this.backend.close())
      .catch((err: unknown) => this.logger.warn({ err }, 'closing the media backend failed'))
      .finally(() => {
        for (const off of this.offBackend) off();
      });
  }
}
