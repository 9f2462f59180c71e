import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  findBrokenLink,
  GENESIS_HASH,
  sessionEventHash,
  type ChainedSessionEvent,
  type SessionEventInput,
} from './appendSessionEvent.ts';

function chain(events: SessionEventInput[]): ChainedSessionEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((event, index) => {
    const seq = index + 1;
    const hash = sessionEventHash(prevHash, { ...event, seq });
    const chained = { ...event, seq, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

const base: SessionEventInput = {
  organizationId: 'org',
  consultationId: 'c1',
  type: 'CONSULTATION_SCHEDULED',
  actorUserId: 'u1',
  actorRole: 'STAFF',
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  payload: { startsAt: '2026-01-13T15:00:00.000Z', booths: 2 },
};

describe('session event chain', () => {
  it('serialises objects with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('hashes the same event the same way whatever its key order', () => {
    const reordered = { ...base, payload: { booths: 2, startsAt: '2026-01-13T15:00:00.000Z' } };
    expect(sessionEventHash(GENESIS_HASH, { ...reordered, seq: 1 })).toBe(
      sessionEventHash(GENESIS_HASH, { ...base, seq: 1 }),
    );
  });

  it('accepts an intact chain and finds the first tampered, removed or reordered event', () => {
    const events = chain([base, { ...base, type: 'CONSULTATION_RESCHEDULED' }, { ...base, type: 'X' }]);
    expect(findBrokenLink(events)).toBeNull();
    const tampered = events.map((e) => (e.seq === 2 ? { ...e, payload: { booths: 3 } } : e));
    expect(findBrokenLink(tampered)).toBe(2);
    expect(findBrokenLink([events[0]!, events[2]!])).toBe(3);
    expect(findBrokenLink([events[1]!, events[0]!])).toBe(2);
  });
});
