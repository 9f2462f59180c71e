import type { EventSource } from './TypedEmitter.ts';
import type { MediaEvents } from './MediaEvents.ts';
import type { Room } from './Room.ts';

/**
 * The SFU behind a small interface (DESIGN.md): rooms of participants whose publications are
 * forwarded to subscriptions paused or resumed by a routing plan. Implemented on werift here;
 * a mediasoup-backed engine can implement the same interface where its worker is available.
 */
export interface MediaEngine {
  readonly rooms: ReadonlyMap<string, Room>;
  readonly closed: boolean;
  /** Every event of every room. */
  readonly events: EventSource<MediaEvents>;
  /** Creates a room; refuses an id already in use. */
  createRoom<TAppData = unknown>(id: string): Room<TAppData>;
  getRoom(id: string): Room | undefined;
  /** Closes every room. Idempotent. */
  close(): void;
}
