import type { QualityLevel } from '@parley/shared';

/**
 * Link quality, decided in one place for every engine: the thresholds, the figures a sample is
 * made of, and the level a participant's badge shows.
 */

/** Figures at or above which a link counts as poor (a quality warning is raised). */
export interface QualityThresholds {
  lossPct: number;
  jitterMs: number;
  rttMs: number;
}

/** ITU-T G.114 puts the edge of acceptable conversation near 400 ms one-way; RTT is stricter here. */
export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { lossPct: 5, jitterMs: 50, rttMs: 500 };

/** Above these (and below the poor thresholds) a link shows as fair. */
export const FAIR_QUALITY_THRESHOLDS: QualityThresholds = { lossPct: 2, jitterMs: 30, rttMs: 300 };

/**
 * Link quality of one participant, sampled from RTCP and the server's receive statistics.
 * Upstream is what the server receives from them, downstream what they report receiving from it;
 * the headline figures are the worse of the two directions.
 */
export interface QualitySample {
  at: number;
  lossPct: number;
  jitterMs: number;
  /** Round-trip time from RTCP sender/receiver reports; null until media has flowed to them. */
  rttMs: number | null;
  upstream: { packetsReceived: number; lossPct: number; jitterMs: number };
  downstream: { lossPct: number; jitterMs: number };
  /** True when a figure crosses the warning thresholds. */
  poor: boolean;
}

/**
 * An engine that counts loss only when its receiver makes a report (mediasoup's worker: the
 * received count moves with every packet, the lost count once a report is built, about every
 * second) cannot be measured by counter deltas over a sampling interval: they pair one report's
 * losses with another span's packets. It gives instead the fraction lost that the receiver's
 * latest RTCP report carries (RFC 3550 §6.4.1, over that report's own interval, 0..1), and the
 * quality figure is that report's.
 */
export interface ReportedLoss {
  reportedLossFraction?: number;
}

/** Cumulative receive counters for what the server gets from a participant. */
export interface UpstreamCounters extends ReportedLoss {
  packetsReceived: number;
  packetsLost: number;
  jitterMs: number;
}

/**
 * What a listener's receiver reports say about one track the server sends them: the cumulative
 * number of packets lost and the extended highest sequence number received (RFC 3550 §6.4.1) —
 * the very counters the listener's own statistics show.
 */
export interface ReceiverReportCounters extends ReportedLoss {
  packetsLost: number;
  highestSequence: number;
  jitterMs: number;
}

/** One downstream track's counters now and at the previous sample, and the loss it inherits. */
export interface DownstreamTrack {
  previous: ReceiverReportCounters | undefined;
  current: ReceiverReportCounters;
  /** Loss upstream of the server on this track's source, 0..1: the publisher's link, not theirs. */
  inheritedLossFraction: number;
  /**
   * The listener's report is newer than the publisher's latest and may cover loss the publisher's
   * next report will own: not judged yet (see `awaitingSourceReport`).
   */
  awaitingSourceReport?: boolean;
}

/**
 * The longest a listener's report waits for the publisher's report of the same span before it is
 * judged with whatever the publisher last reported: mediasoup's worker reports on what it receives
 * every 0.5–1.5 s.
 */
export const SOURCE_REPORT_WAIT_MS = 2_000;

/**
 * On an engine that counts loss at reports, a listener's report and the publisher's come at
 * unrelated times: when a publisher's uplink starts losing, the listener's report may show the
 * forwarded gaps a second before the worker's report on the publisher does, and the listener
 * would be blamed for them. So a listener's report that arrived after the publisher's latest
 * (`listenerReportAt` > `sourceReportAt`) waits, at most SOURCE_REPORT_WAIT_MS, for the next.
 */
export function awaitingSourceReport(
  now: number,
  listenerReportAt: number,
  sourceReportAt: number | undefined,
): boolean {
  return listenerReportAt > (sourceReportAt ?? -Infinity) && now - listenerReportAt < SOURCE_REPORT_WAIT_MS;
}

function clampFraction(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Loss over an interval from cumulative counters: lost / (received + lost), 0..1; or, from an
 * engine that counts loss at its reports, its latest report's fraction.
 */
export function upstreamLossFraction(
  previous: UpstreamCounters | undefined,
  current: UpstreamCounters,
): number {
  if (current.reportedLossFraction !== undefined) return clampFraction(current.reportedLossFraction);
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = Math.max(0, current.packetsLost - (previous?.packetsLost ?? 0));
  return received + lost > 0 ? lost / (received + lost) : 0;
}

/**
 * Loss a listener counted on one track over the interval between two of its reports: packets
 * lost over packets expected (highest sequence advanced). Nothing new reported, or the first
 * report (no interval yet), is no loss: the listener's own counters are the truth, and a receiver
 * report's one-byte "fraction lost" of some earlier interval is not evidence about this one.
 */
export function downstreamLossFraction(track: DownstreamTrack): number {
  const { previous, current } = track;
  if (current.reportedLossFraction !== undefined) {
    if (track.awaitingSourceReport) return 0;
    return Math.max(0, clampFraction(current.reportedLossFraction) - track.inheritedLossFraction);
  }
  if (!previous) return 0;
  const expected = current.highestSequence - previous.highestSequence;
  const lost = current.packetsLost - previous.packetsLost;
  if (expected <= 0 || lost <= 0) return 0;
  return Math.max(0, Math.min(1, lost / expected) - track.inheritedLossFraction);
}

/**
 * One quality sample from counter deltas since the previous sample, so an old burst does not
 * keep a link marked poor forever, and every loss figure is one the receiver itself counted.
 */
export function sampleQuality(
  now: number,
  previous: UpstreamCounters | undefined,
  current: UpstreamCounters,
  downstream: readonly DownstreamTrack[],
  rttMs: number | null,
  thresholds: QualityThresholds,
): QualitySample {
  const upLoss = 100 * upstreamLossFraction(previous, current);
  const downLoss = downstream.reduce((worst, t) => Math.max(worst, 100 * downstreamLossFraction(t)), 0);
  const downJitter = downstream.reduce((worst, t) => Math.max(worst, t.current.jitterMs), 0);
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
    poor: crosses(lossPct, jitterMs, rtt, thresholds),
  };
}

function crosses(lossPct: number, jitterMs: number, rttMs: number | null, t: QualityThresholds): boolean {
  return lossPct >= t.lossPct || jitterMs >= t.jitterMs || (rttMs !== null && rttMs >= t.rttMs);
}

/** The badge a sample shows. */
export function qualityLevel(sample: QualitySample): QualityLevel {
  if (sample.poor) return 'poor';
  const f = FAIR_QUALITY_THRESHOLDS;
  if (sample.lossPct > f.lossPct || sample.jitterMs > f.jitterMs || (sample.rttMs ?? 0) > f.rttMs)
    return 'fair';
  return 'good';
}
