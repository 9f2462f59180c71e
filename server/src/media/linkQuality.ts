import type { QualitySample } from './Participant.ts';

/** Figures at or above which a link counts as poor (a quality warning is raised). */
export interface QualityThresholds {
  lossPct: number;
  jitterMs: number;
  rttMs: number;
}

/** ITU-T G.114 puts the edge of acceptable conversation near 400 ms one-way; RTT is stricter here. */
export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { lossPct: 5, jitterMs: 50, rttMs: 500 };

/** Cumulative receive counters for what the server gets from a participant. */
export interface UpstreamCounters {
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number;
}

/** The latest receiver-report figures the participant sent about the server's streams to them. */
export interface DownstreamReport {
  fractionLost: number;
  jitterMs: number;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * One quality sample from counter deltas since the previous sample and the latest reports.
 * Loss upstream is lost / (received + lost) over the interval, so an old burst does not keep a
 * link marked poor forever.
 */
export function sampleQuality(
  now: number,
  previous: UpstreamCounters | undefined,
  current: UpstreamCounters,
  downstream: readonly DownstreamReport[],
  rttMs: number | null,
  thresholds: QualityThresholds,
): QualitySample {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = Math.max(0, current.packetsLost - (previous?.packetsLost ?? 0));
  const upLoss = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  const downLoss = downstream.reduce((worst, r) => Math.max(worst, r.fractionLost * 100), 0);
  const downJitter = downstream.reduce((worst, r) => Math.max(worst, r.jitterMs), 0);
  const lossPct = round1(Math.max(upLoss, downLoss));
  const jitterMs = round1(Math.max(current.jitterMs, downJitter));
  const rtt = rttMs === null ? null : round1(rttMs);
  return {
    at: now,
    lossPct,
    jitterMs,
    rttMs: rtt,
    upstream: {
      packetsReceived: current.packetsReceived,
      lossPct: round1(upLoss),
      jitterMs: round1(current.jitterMs),
    },
    downstream: { lossPct: round1(downLoss), jitterMs: round1(downJitter) },
    poor:
      lossPct >= thresholds.lossPct ||
      jitterMs >= thresholds.jitterMs ||
      (rtt !== null && rtt >= thresholds.rttMs),
  };
}
