/**
 * Keeps one outgoing RTP stream continuous while what feeds it changes: a subscription paused
 * and resumed, or a track slot handed from a participant who left to one who joined. Without
 * it the listener's jitter buffer sees a sequence gap (counted as loss, NACKed) or a timestamp
 * jump from an unrelated clock. Pure arithmetic; one instance per outgoing stream.
 */
export class RtpStreamRewriter {
  private seqOffset = 0;
  private timestampOffset = 0;
  private sourceSsrc: number | undefined;
  private resync = true;
  private lastSeq: number | undefined;
  private lastTimestamp = 0;
  private lastSentAtMs = 0;

  constructor(private readonly clockRate: number) {}

  /** The next packet starts a new run (after a pause): sequence numbers continue from the last. */
  markDiscontinuity(): void {
    this.resync = true;
  }

  /** Maps an incoming packet's sequence number and timestamp to the outgoing stream's. */
  rewrite(
    ssrc: number,
    sequenceNumber: number,
    timestamp: number,
    nowMs: number,
  ): { sequenceNumber: number; timestamp: number } {
    if (this.resync || ssrc !== this.sourceSsrc) {
      if (this.lastSeq !== undefined) {
        this.seqOffset = (this.lastSeq + 1 - sequenceNumber) & 0xffff;
        if (ssrc !== this.sourceSsrc) {
          // Another source: its clock is unrelated, so carry on from ours plus the time elapsed.
          const elapsed = Math.max(1, Math.round(((nowMs - this.lastSentAtMs) * this.clockRate) / 1000));
          this.timestampOffset = (this.lastTimestamp + elapsed - timestamp) >>> 0;
        }
        // Same source resumed: its own timestamps already advanced with the pause.
      }
      this.sourceSsrc = ssrc;
      this.resync = false;
    }
    const out = {
      sequenceNumber: (sequenceNumber + this.seqOffset) & 0xffff,
      timestamp: (timestamp + this.timestampOffset) >>> 0,
    };
    if (this.lastSeq === undefined || isNewer(out.sequenceNumber, this.lastSeq)) {
      this.lastSeq = out.sequenceNumber;
      this.lastTimestamp = out.timestamp;
      this.lastSentAtMs = nowMs;
    }
    return out;
  }
}

/** RFC 1982 serial comparison of 16-bit sequence numbers. */
function isNewer(a: number, b: number): boolean {
  return a !== b && ((a - b) & 0xffff) < 0x8000;
}
