import { describe, expect, it } from 'vitest';
import { ActiveSpeakerDetector } from './ActiveSpeakerDetector.ts';

/** Feeds 20 ms packets of fixed levels for `ms` milliseconds from `start`. */
function speak(d: ActiveSpeakerDetector, levels: Record<string, number>, start: number, ms: number): number {
  for (let t = start; t < start + ms; t += 20)
    for (const [id, level] of Object.entries(levels)) d.observe(id, level, t);
  return start + ms;
}

describe('ActiveSpeakerDetector', () => {
  it('picks the one voice above silence', () => {
    const d = new ActiveSpeakerDetector();
    const now = speak(d, { attorney: 30, client: 127, interpreter: 127 }, 0, 400);
    expect(d.evaluate(now)).toBe('attorney');
    expect(d.evaluate(now)).toBeUndefined();
  });

  it('keeps the last speaker through silence', () => {
    const d = new ActiveSpeakerDetector();
    let now = speak(d, { attorney: 30, client: 127 }, 0, 400);
    d.evaluate(now);
    now = speak(d, { attorney: 127, client: 127 }, now, 1000);
    expect(d.evaluate(now)).toBeUndefined();
    expect(d.activeSpeakerId).toBe('attorney');
  });

  it('switches when another speaks up clearly louder, not on a near tie', () => {
    const d = new ActiveSpeakerDetector();
    let now = speak(d, { attorney: 30, client: 127 }, 0, 400);
    d.evaluate(now);
    now = speak(d, { attorney: 30, client: 27 }, now, 1000);
    expect(d.evaluate(now)).toBeUndefined();
    now = speak(d, { attorney: 30, client: 15 }, now, 1000);
    expect(d.evaluate(now)).toBe('client');
  });

  it('treats a speaker who stopped sending as silent, and forgets one removed', () => {
    const d = new ActiveSpeakerDetector();
    let now = speak(d, { attorney: 20 }, 0, 400);
    d.evaluate(now);
    now = speak(d, { client: 40 }, now + 600, 400);
    expect(d.evaluate(now)).toBe('client');
    d.remove('client');
    expect(d.activeSpeakerId).toBeNull();
  });
});
