import { describe, expect, it } from 'vitest';
import { KioskAttempts } from './kioskAttempts.ts';

const limits = {
  devicePerWindow: 3,
  deviceWindowMs: 1000,
  consultationPerWindow: 2,
  consultationWindowMs: 5000,
};
const device = { kind: 'device', id: 'd1' } as const;
const consultation = { kind: 'consultation', id: 'c1' } as const;

describe('KioskAttempts', () => {
  it('blocks a key after its limit of failures until the oldest leaves the window', () => {
    const a = new KioskAttempts(limits);
    a.recordFailure(device, 0);
    a.recordFailure(device, 100);
    expect(a.blockedUntil(device, 200)).toBeNull();
    a.recordFailure(device, 200);
    expect(a.blockedUntil(device, 300)).toBe(1000);
    expect(a.blockedUntil(device, 999)).toBe(1000);
    expect(a.blockedUntil(device, 1000)).toBeNull();
  });

  it('counts devices and consultations apart, each with its own rule', () => {
    const a = new KioskAttempts(limits);
    a.recordFailure(consultation, 0);
    a.recordFailure(consultation, 10);
    expect(a.blockedUntil(consultation, 20)).toBe(5000);
    expect(a.blockedUntil(device, 20)).toBeNull();
    expect(a.blockedUntil({ kind: 'device', id: 'c1' }, 20)).toBeNull();
    expect(a.blockedUntil({ kind: 'consultation', id: 'c2' }, 20)).toBeNull();
  });
});
