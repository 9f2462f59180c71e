import { describe, expect, it } from 'vitest';
import { RtpStreamRewriter } from './RtpStreamRewriter.ts';

describe('RtpStreamRewriter', () => {
  it('passes a first stream through unchanged', () => {
    const r = new RtpStreamRewriter(48_000);
    expect(r.rewrite(1, 100, 5000, 0)).toEqual({ sequenceNumber: 100, timestamp: 5000 });
    expect(r.rewrite(1, 101, 5960, 20)).toEqual({ sequenceNumber: 101, timestamp: 5960 });
  });

  it('closes the sequence gap of a pause, keeping the source clock', () => {
    const r = new RtpStreamRewriter(48_000);
    r.rewrite(1, 100, 5000, 0);
    r.markDiscontinuity();
    // 50 packets withheld while paused: 150 follows 100 on the wire as 101, time keeps its gap.
    expect(r.rewrite(1, 150, 53_000, 1000)).toEqual({ sequenceNumber: 101, timestamp: 53_000 });
    expect(r.rewrite(1, 151, 53_960, 1020)).toEqual({ sequenceNumber: 102, timestamp: 53_960 });
  });

  it('rebases another source onto the stream with the elapsed time', () => {
    const r = new RtpStreamRewriter(48_000);
    r.rewrite(1, 65_535, 4_294_967_000, 0);
    expect(r.rewrite(2, 7, 123, 500)).toEqual({
      sequenceNumber: 0,
      timestamp: (4_294_967_000 + 24_000) >>> 0,
    });
    expect(r.rewrite(2, 8, 1083, 520)).toEqual({
      sequenceNumber: 1,
      timestamp: (4_294_967_000 + 24_960) >>> 0,
    });
  });

  it('maps a late, reordered packet without moving the stream back', () => {
    const r = new RtpStreamRewriter(48_000);
    r.rewrite(1, 10, 0, 0);
    r.rewrite(1, 12, 1920, 40);
    expect(r.rewrite(1, 11, 960, 41)).toEqual({ sequenceNumber: 11, timestamp: 960 });
    r.markDiscontinuity();
    expect(r.rewrite(1, 20, 9600, 200).sequenceNumber).toBe(13);
  });
});
