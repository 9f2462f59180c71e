import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUALITY_THRESHOLDS,
  downstreamLossFraction,
  qualityLevel,
  SOURCE_REPORT_WAIT_MS,
  awaitingSourceReport,
  sampleQuality,
  upstreamLossFraction,
} from './linkQuality.ts';

describe('sampleQuality', () => {
  it('reports a clean link as not poor', () => {
    const s = sampleQuality(
      0,
      undefined,
      { packetsReceived: 100, packetsLost: 0, jitterMs: 3 },
      [],
      20,
      DEFAULT_QUALITY_THRESHOLDS,
    );
    expect(s).toMatchObject({ lossPct: 0, jitterMs: 3, rttMs: 20, poor: false });
  });

  it('measures upstream loss over the interval only', () => {
    const prev = { packetsReceived: 1000, packetsLost: 100, jitterMs: 3 };
    const s = sampleQuality(
      0,
      prev,
      { packetsReceived: 1090, packetsLost: 110, jitterMs: 3 },
      [],
      null,
      DEFAULT_QUALITY_THRESHOLDS,
    );
    expect(s.upstream.lossPct).toBe(10);
    expect(s.poor).toBe(true);
    const later = sampleQuality(
      0,
      { packetsReceived: 1090, packetsLost: 110, jitterMs: 3 },
      { packetsReceived: 1190, packetsLost: 110, jitterMs: 3 },
      [],
      null,
      DEFAULT_QUALITY_THRESHOLDS,
    );
    expect(later).toMatchObject({ lossPct: 0, poor: false });
  });

  it('takes the worse direction and flags high RTT', () => {
    const s = sampleQuality(
      0,
      undefined,
      { packetsReceived: 10, packetsLost: 0, jitterMs: 2 },
      [
        {
          previous: { packetsLost: 3, highestSequence: 1000, jitterMs: 10 },
          current: { packetsLost: 5, highestSequence: 1100, jitterMs: 70 },
          inheritedLossFraction: 0,
        },
      ],
      600,
      DEFAULT_QUALITY_THRESHOLDS,
    );
    expect(s).toMatchObject({
      lossPct: 2,
      jitterMs: 70,
      rttMs: 600,
      poor: true,
      downstream: { lossPct: 2, jitterMs: 70 },
    });
  });
});

/**
 * Issue 10: 'Weak connection' and 'up to 57 % loss' on loopback, where the browsers' own counters
 * showed no packet lost. Downstream loss came from the one-byte "fraction lost" of the listener's
 * latest receiver report, of whatever interval that report covered, kept as the truth until another
 * arrived, less a guess at the publisher's share. It is now the listener's own cumulative counters
 * (RFC 3550: cumulative lost, extended highest sequence) differenced between two samples — the very
 * numbers the listener's getStats shows — so it cannot disagree with them.
 */
describe('downstream loss agrees with the receiver', () => {
  const track = (
    previous: { packetsLost: number; highestSequence: number } | undefined,
    current: { packetsLost: number; highestSequence: number },
    inheritedLossFraction = 0,
  ) => ({
    previous: previous && { ...previous, jitterMs: 1 },
    current: { ...current, jitterMs: 1 },
    inheritedLossFraction,
  });

  it('is zero while the receiver counts no lost packet, however many reports arrive', () => {
    expect(
      downstreamLossFraction(
        track({ packetsLost: 0, highestSequence: 100 }, { packetsLost: 0, highestSequence: 200 }),
      ),
    ).toBe(0);
    // No report since the last sample: nothing is known to be lost.
    expect(
      downstreamLossFraction(
        track({ packetsLost: 0, highestSequence: 200 }, { packetsLost: 0, highestSequence: 200 }),
      ),
    ).toBe(0);
    // The first report has no interval to speak for.
    expect(downstreamLossFraction(track(undefined, { packetsLost: 0, highestSequence: 50 }))).toBe(0);
  });

  it('is what the receiver counted lost over what it expected in the interval', () => {
    expect(
      downstreamLossFraction(
        track({ packetsLost: 10, highestSequence: 1000 }, { packetsLost: 20, highestSequence: 1100 }),
      ),
    ).toBeCloseTo(0.1);
    // Sequence numbers past 65535 are extended by the receiver (cycles), so the interval is right.
    expect(
      downstreamLossFraction(
        track({ packetsLost: 0, highestSequence: 65_500 }, { packetsLost: 5, highestSequence: 65_600 }),
      ),
    ).toBeCloseTo(0.05);
  });

  it("does not blame the listener for the publisher's uplink loss, which the forwarded stream carries", () => {
    expect(
      downstreamLossFraction(
        track({ packetsLost: 0, highestSequence: 0 }, { packetsLost: 16, highestSequence: 96 }, 1 / 6),
      ),
    ).toBeCloseTo(0);
  });

  it('a duplicate-heavy interval (cumulative lost going down) is no loss, not negative loss', () => {
    expect(
      downstreamLossFraction(
        track({ packetsLost: 5, highestSequence: 100 }, { packetsLost: 3, highestSequence: 200 }),
      ),
    ).toBe(0);
  });

  it('the badge levels come from the same module as the warning thresholds', () => {
    const sample = (lossPct: number) =>
      sampleQuality(
        0,
        { packetsReceived: 0, packetsLost: 0, jitterMs: 0 },
        { packetsReceived: 100 - lossPct, packetsLost: lossPct, jitterMs: 0 },
        [],
        null,
        DEFAULT_QUALITY_THRESHOLDS,
      );
    expect(qualityLevel(sample(0))).toBe('good');
    expect(qualityLevel(sample(3))).toBe('fair');
    expect(qualityLevel(sample(6))).toBe('poor');
  });
});

/**
 * mediasoup's worker counts a stream's lost packets only when it builds a receiver report (about
 * every second) while its received count moves with every packet, so counter deltas over a
 * sampling interval pair one span's packets with another's losses (0 % then 33–48 % in turn for a
 * steady one-in-six). Such an engine gives the fraction lost its receiver's latest report carried.
 */
describe('loss from an engine that counts it at its receiver reports', () => {
  it("upstream is the report's fraction, whatever the counters did since the last sample", () => {
    const previous = { packetsReceived: 100, packetsLost: 0, jitterMs: 0, reportedLossFraction: 0 };
    // Fifteen packets arrived since, and no report was made: the counters say 0 % lost...
    expect(
      upstreamLossFraction(previous, { ...previous, packetsReceived: 115, reportedLossFraction: 42 / 256 }),
    ).toBeCloseTo(42 / 256);
    // ...then a report counted ten lost over a span the counters cannot delimit: still the report's.
    expect(
      upstreamLossFraction(previous, {
        packetsReceived: 130,
        packetsLost: 10,
        jitterMs: 0,
        reportedLossFraction: 42 / 256,
      }),
    ).toBeCloseTo(42 / 256);
    expect(upstreamLossFraction(undefined, { ...previous, reportedLossFraction: 0 })).toBe(0);
    expect(upstreamLossFraction(undefined, { ...previous, reportedLossFraction: Number.NaN })).toBe(0);
  });

  it("downstream is the listener's report less the loss the stream already had", () => {
    const current = { packetsLost: 9, highestSequence: 50, jitterMs: 1, reportedLossFraction: 46 / 256 };
    expect(downstreamLossFraction({ previous: undefined, current, inheritedLossFraction: 0 })).toBeCloseTo(
      46 / 256,
    );
    expect(
      downstreamLossFraction({ previous: undefined, current, inheritedLossFraction: 42 / 256 }),
    ).toBeCloseTo(4 / 256);
    expect(downstreamLossFraction({ previous: undefined, current, inheritedLossFraction: 0.5 })).toBe(0);
  });

  it("a listener's report newer than the publisher's waits for the publisher's next, then is judged", () => {
    // The publisher's uplink starts losing one in six: the listener reports it at t=1000, the worker
    // its own report on the publisher only at t=1800. Until then the listener is not blamed...
    expect(awaitingSourceReport(1_000, 1_000, 200)).toBe(true);
    expect(awaitingSourceReport(1_600, 1_000, 200)).toBe(true);
    const current = { packetsLost: 9, highestSequence: 50, jitterMs: 1, reportedLossFraction: 46 / 256 };
    expect(
      downstreamLossFraction({
        previous: undefined,
        current,
        inheritedLossFraction: 0,
        awaitingSourceReport: true,
      }),
    ).toBe(0);
    // ...then the publisher's report owns the loss.
    expect(awaitingSourceReport(1_900, 1_000, 1_800)).toBe(false);
    // A listener losing on its own link, under a clean publisher, is judged after the wait.
    expect(awaitingSourceReport(1_000 + SOURCE_REPORT_WAIT_MS, 1_000, 200)).toBe(false);
    expect(downstreamLossFraction({ previous: undefined, current, inheritedLossFraction: 0 })).toBeCloseTo(
      46 / 256,
    );
    // No report on the publisher yet at all: the same wait.
    expect(awaitingSourceReport(1_000, 1_000, undefined)).toBe(true);
  });

  it('a sample from such counters is poor exactly when the report crosses the threshold', () => {
    const at = (fraction: number) =>
      sampleQuality(
        0,
        { packetsReceived: 0, packetsLost: 0, jitterMs: 0, reportedLossFraction: 0 },
        { packetsReceived: 50, packetsLost: 0, jitterMs: 0, reportedLossFraction: fraction },
        [],
        null,
        DEFAULT_QUALITY_THRESHOLDS,
      );
    expect(at(12 / 256)).toMatchObject({ poor: false, lossPct: 4.7 });
    expect(at(13 / 256)).toMatchObject({ poor: true, lossPct: 5.1 });
  });
});
