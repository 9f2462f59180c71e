import { describe, expect, it } from 'vitest';
import { DEFAULT_QUALITY_THRESHOLDS, sampleQuality } from './linkQuality.ts';

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
      [{ fractionLost: 0.02, jitterMs: 70 }],
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
