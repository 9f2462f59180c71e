import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptThrottleRepository } from '../auth/AttemptThrottleRepository.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { DialOutLimits } from './dialOut.ts';

/**
 * Dial-out limits are counted in the database, so two nodes (two DialOutLimits over the same
 * database, as two processes have) share one count, and a restart forgets nothing.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.close();
});

const limits = { perRequester: 3, perConsultation: 4, windowMs: 60_000 };
const node = () => new DialOutLimits(new AttemptThrottleRepository(database.prisma), limits);

describe('dial-out limits', () => {
  it('per person, across nodes: the fourth request in the window is refused wherever it arrives', async () => {
    const [a, b] = [node(), node()];
    const t0 = new Date('2026-12-02T10:00:00Z');
    expect(await a.take('person-1', 'call-1', t0)).toBe(true);
    expect(await b.take('person-1', 'call-2', t0)).toBe(true);
    expect(await a.take('person-1', 'call-3', t0)).toBe(true);
    expect(await b.take('person-1', 'call-4', t0)).toBe(false);
    // A new process (a restart) still refuses until the window has passed.
    expect(await node().take('person-1', 'call-5', new Date(t0.getTime() + 30_000))).toBe(false);
    expect(await node().take('person-1', 'call-5', new Date(t0.getTime() + 61_000))).toBe(true);
  });

  it('per call: after four requests by anyone, a fifth person is refused for that call, not another', async () => {
    const t0 = new Date('2026-12-02T11:00:00Z');
    for (const person of ['p1', 'p2', 'p3', 'p4'])
      expect(await node().take(person, 'busy-call', t0), person).toBe(true);
    expect(await node().take('p5', 'busy-call', t0)).toBe(false);
    expect(await node().take('p5', 'quiet-call', t0)).toBe(true);
  });

  it('counts concurrent requests exactly: eight at once from one person, three go ahead', async () => {
    const t0 = new Date('2026-12-02T12:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => node().take('racer', `race-call-${i}`, t0)),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
  });
});
