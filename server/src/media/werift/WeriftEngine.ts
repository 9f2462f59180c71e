import type { Logger } from '../../logger.ts';
import { DEFAULT_ACTIVE_SPEAKER_OPTIONS, type ActiveSpeakerOptions } from '../ActiveSpeakerDetector.ts';
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from '../linkQuality.ts';
import type { MediaEngine } from '../MediaEngine.ts';
import type { MediaEvents } from '../MediaEvents.ts';
import { MediaError } from '../MediaError.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import type { IceOptions } from './peerConfig.ts';
import { WeriftRoom, type RoomSettings } from './WeriftRoom.ts';

export interface WeriftEngineOptions {
  logger: Logger;
  ice?: IceOptions;
  /** Forward VP8 video as well as Opus audio (default true). */
  video?: boolean;
  /** Media participants a room holds (default 5: a consultation is 3–5 people). */
  maxParticipantsPerRoom?: number;
  qualityThresholds?: Partial<QualityThresholds>;
  activeSpeaker?: Partial<ActiveSpeakerOptions>;
  speakerIntervalMs?: number;
  qualityIntervalMs?: number;
  /**
   * How audio RTP moves (default 'lean'): 'lean' receives, decrypts, encrypts and sends it in the
   * engine's own code (AudioReceivePath, AudioSlotSender); 'werift' leaves it all to werift, as
   * the engine did before — several times the allocation and a GC-driven latency tail, kept to
   * measure the difference in one run and as a fallback should a werift upgrade move internals.
   */
  audioPath?: 'lean' | 'werift';
}

/** The media engine on werift: pure TypeScript WebRTC, RTP forwarded without decoding. */
export class WeriftEngine implements MediaEngine {
  readonly rooms = new Map<string, WeriftRoom>();
  readonly events: TypedEmitter<MediaEvents>;
  closed = false;
  private readonly logger: Logger;
  private readonly settings: RoomSettings;
  private readonly transportsClosing = new Set<Promise<void>>();

  constructor(options: WeriftEngineOptions) {
    this.logger = options.logger.child({ component: 'media' });
    this.events = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media event listener failed'),
    );
    const maxParticipants = options.maxParticipantsPerRoom ?? 5;
    if (!Number.isInteger(maxParticipants) || maxParticipants < 2 || maxParticipants > 16) {
      throw new Error('maxParticipantsPerRoom must be an integer from 2 to 16');
    }
    this.settings = {
      ice: options.ice ?? {},
      video: options.video ?? true,
      leanAudio: (options.audioPath ?? 'lean') === 'lean',
      maxParticipants,
      slotCount: maxParticipants - 1,
      qualityThresholds: { ...DEFAULT_QUALITY_THRESHOLDS, ...options.qualityThresholds },
      activeSpeaker: { ...DEFAULT_ACTIVE_SPEAKER_OPTIONS, ...options.activeSpeaker },
      speakerIntervalMs: options.speakerIntervalMs ?? 250,
      qualityIntervalMs: options.qualityIntervalMs ?? 2000,
    };
  }

  createRoom<TAppData = unknown>(id: string): WeriftRoom<TAppData> {
    if (this.closed) throw new MediaError('ENGINE_CLOSED', 'The media engine is closed');
    if (this.rooms.has(id)) throw new MediaError('ROOM_EXISTS', `Room ${id} exists`);
    const room = new WeriftRoom<TAppData>(id, this.logger, this.settings, {
      events: this.events,
      roomClosed: (roomId) => this.rooms.delete(roomId),
      transportClosing: (closing) => this.trackClosing(closing),
    });
    this.rooms.set(id, room);
    return room;
  }

  getRoom(id: string): WeriftRoom | undefined {
    return this.rooms.get(id);
  }

  /** Resolves once every peer connection closed so far has released its sockets and timers. */
  async settled(): Promise<void> {
    await Promise.all([...this.transportsClosing]);
  }

  private trackClosing(closing: Promise<void>): void {
    this.transportsClosing.add(closing);
    void closing.finally(() => this.transportsClosing.delete(closing));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const room of [...this.rooms.values()]) room.close();
  }
}
