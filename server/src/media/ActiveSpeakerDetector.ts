/**
 * Picks the dominant speaker from RFC 6464 audio levels carried in RTP header extensions, so
 * nothing is decoded. Levels are -dBov: 0 is the loudest, 127 silence; Chromium marks speech at
 * roughly 20–50. Each participant's loudness is smoothed per packet; `evaluate()` (on a timer)
 * switches to a new speaker only when the current one fell silent or is clearly quieter, so the
 * highlight does not flicker between people talking over each other. Through silence the last
 * speaker stays active.
 */
export interface ActiveSpeakerOptions {
  /** Levels above this many -dBov count as silence. */
  silenceLevel: number;
  /** A challenger must be this many dB louder than a still-speaking current speaker. */
  switchMarginDb: number;
  /** No packet for this long counts as silence (muted, paused by DTX, gone). */
  staleAfterMs: number;
  /** Weight of the newest packet in the smoothed loudness. */
  smoothing: number;
}

export const DEFAULT_ACTIVE_SPEAKER_OPTIONS: ActiveSpeakerOptions = {
  silenceLevel: 60,
  switchMarginDb: 6,
  staleAfterMs: 500,
  smoothing: 0.15,
};

interface Track {
  /** Smoothed loudness, 127 - level: higher is louder. */
  loudness: number;
  lastHeardAtMs: number;
}

export class ActiveSpeakerDetector {
  private readonly tracks = new Map<string, Track>();
  private current: string | null = null;

  constructor(private readonly options: ActiveSpeakerOptions = DEFAULT_ACTIVE_SPEAKER_OPTIONS) {}

  get activeSpeakerId(): string | null {
    return this.current;
  }

  /** One packet's level from `participantId`. */
  observe(participantId: string, level: number, nowMs: number): void {
    const loudness = 127 - Math.min(127, Math.max(0, level));
    const track = this.tracks.get(participantId);
    if (!track) {
      this.tracks.set(participantId, { loudness, lastHeardAtMs: nowMs });
      return;
    }
    track.loudness += this.options.smoothing * (loudness - track.loudness);
    track.lastHeardAtMs = nowMs;
  }

  remove(participantId: string): void {
    this.tracks.delete(participantId);
    if (this.current === participantId) this.current = null;
  }

  /** Re-decides; returns the new active speaker when it changed, `undefined` otherwise. */
  evaluate(nowMs: number): string | null | undefined {
    const speaking = (id: string): number | undefined => {
      const track = this.tracks.get(id);
      if (!track || nowMs - track.lastHeardAtMs > this.options.staleAfterMs) return undefined;
      return track.loudness >= 127 - this.options.silenceLevel ? track.loudness : undefined;
    };
    let loudestId: string | undefined;
    let loudest = -Infinity;
    for (const id of this.tracks.keys()) {
      const loudness = speaking(id);
      if (loudness !== undefined && loudness > loudest) {
        loudest = loudness;
        loudestId = id;
      }
    }
    if (loudestId === undefined || loudestId === this.current) return undefined;
    const currentLoudness = this.current === null ? undefined : speaking(this.current);
    if (currentLoudness !== undefined && loudest < currentLoudness + this.options.switchMarginDb)
      return undefined;
    this.current = loudestId;
    return loudestId;
  }
}
