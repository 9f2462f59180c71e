import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUALITY_THRESHOLDS,
  downstreamLossFraction,
  qualityLevel,
  sampleQuality,
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
