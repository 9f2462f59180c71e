import type { MediaKind } from '@parley/shared';
import type { WeriftParticipant } from './WeriftParticipant.ts';
import type { WeriftPublication } from './WeriftPublication.ts';
import type { ForwardedPacket } from './forwardedPacket.ts';
import type { TrackSlot } from './TrackSlot.ts';

/**
 * A listener's subscription to one publication, carried on one of the listener's track slots.
 * Whether packets flow is the room's routing command alone; the backend never decides it.
 */
export class WeriftSubscription {
  readonly kind: MediaKind;
  /** Starts paused: nothing flows until a routing command says it may. */
  paused = true;
  packetsForwarded = 0;
  packetsWithheld = 0;
  closed = false;

  constructor(
    readonly id: string,
    readonly publication: WeriftPublication,
    readonly subscriber: WeriftParticipant,
    private readonly slot: TrackSlot,
  ) {
    this.kind = publication.kind;
    slot.assign(this);
    publication.subscriptions.add(this);
  }

  get mid(): string | null {
    return this.slot.mid;
  }

  /** Takes effect for the next packet the publication receives (forwarding checks it per packet). */
  setPaused(paused: boolean): void {
    if (this.closed || paused === this.paused) return;
    this.paused = paused;
    if (!paused) {
      this.slot.markDiscontinuity();
      if (this.kind === 'video') this.publication.requestKeyFrame();
    }
  }

  /** Per packet: the routing check, then the packet onto the slot. */
  forward(packet: ForwardedPacket, nowMs: number): void {
    if (this.paused || this.closed) {
      this.packetsWithheld++;
      return;
    }
    this.packetsForwarded++;
    this.slot.send(packet, nowMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.paused = true;
    this.publication.subscriptions.delete(this);
    this.slot.release(this);
    this.subscriber.forgetSubscription(this);
  }
}
