import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveCallSnapshot } from '../calls/LiveCall.ts';
import { KioskAttempts, type AttemptKey, type AttemptLimits } from '../kiosk/kioskAttempts.ts';
import { redisSharedState } from './RedisSharedState.ts';
import { memorySharedState, type SharedState } from './SharedState.ts';
import { TEST_REDIS_URL } from './testing/clusterNodes.ts';

/**
 * The Redis implementation of the shared state against the real Redis, as two nodes see it (two
 * connections), and against the memory implementation one process uses: the same answers.
 */

const LIMITS: AttemptLimits = {
  devicePerWindow: 3,
  deviceWindowMs: 60_000,
  consultationPerWindow: 2,
  consultationWindowMs: 120_000,
};

let connections: Redis[];
let nodeA: SharedState;
let nodeB: SharedState;

beforeAll(async () => {
  const prefix = `parley-test:${randomUUID()}:`;
  connections = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
  nodeA = redisSharedState(connections[0]!, prefix, LIMITS);
  nodeB = redisSharedState(connections[1]!, prefix, LIMITS);
  await Promise.all(connections.map((c) => c.ping()));
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe('shared state in Redis', () => {
  it('a call token is used once across nodes', async () => {
    const expiresAt = Date.now() + 60_000;
    expect(await nodeA.usedTokens.markUsed('token-1', expiresAt)).toBe(true);
    expect(await nodeB.usedTokens.markUsed('token-1', expiresAt)).toBe(false);
    expect(await nodeA.usedTokens.markUsed('token-1', expiresAt)).toBe(false);
    expect(await nodeB.usedTokens.markUsed('token-2', expiresAt)).toBe(true);
  });

  it('an ended call is known to every node', async () => {
    expect(await nodeB.endedCalls.endedRecently('call-1')).toBe(false);
    await nodeA.endedCalls.markEnded('call-1', Date.now() + 60_000);
    expect(await nodeB.endedCalls.endedRecently('call-1')).toBe(true);
    expect(await nodeB.endedCalls.endedRecently('call-2')).toBe(false);
  });

  it("a call's state saved by its node is what another node re-creates it from, until it ends or expires", async () => {
    const snapshot: LiveCallSnapshot = {
      started: true,
      mode: 'SIMULTANEOUS',
      renderingInto: 'es',
      sidebar: { id: 'sidebar-1', memberIds: ['attorney-1', 'interpreter-1'] },
      members: [
        {
          participantId: 'attorney-1',
          role: 'ATTORNEY',
          displayName: 'A. Attorney',
          device: 'BROWSER',
          left: false,
          muted: { audio: false, video: true },
          awaySince: null,
        },
      ],
    };
    const memory = memorySharedState();
    for (const [saver, loader] of [
      [nodeA, nodeB],
      [memory, memory],
    ] as const) {
      expect(await loader.callStates.load('call-state-1')).toBeNull();
      await saver.callStates.save('call-state-1', { ...snapshot, sidebar: null }, Date.now() + 60_000);
      // The latest save wins.
      await saver.callStates.save('call-state-1', snapshot, Date.now() + 60_000);
      expect(await loader.callStates.load('call-state-1')).toEqual(snapshot);
      await loader.callStates.forget('call-state-1');
      expect(await saver.callStates.load('call-state-1')).toBeNull();
      // A call whose node died and that nobody re-created is not kept past its end.
      await saver.callStates.save('call-state-2', snapshot, Date.now() + 1_000);
      expect(await loader.callStates.load('call-state-2')).toEqual(snapshot);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await loader.callStates.load('call-state-2')).toBeNull();
    }
  });

  it('media restarts are counted per person across nodes, at most max per window', async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 8; i++)
      results.push(await (i % 2 ? nodeA : nodeB).mediaRestarts.take('person-1', 6, 60_000));
    expect(results).toEqual([true, true, true, true, true, true, false, false]);
    expect(await nodeA.mediaRestarts.take('person-2', 6, 60_000)).toBe(true);
  });

  it('two nodes taking the last place at once: exactly one gets it', async () => {
    for (let i = 0; i < 5; i++) expect(await nodeA.mediaRestarts.take('person-3', 6, 60_000)).toBe(true);
    const both = await Promise.all([
      nodeA.mediaRestarts.take('person-3', 6, 60_000),
      nodeB.mediaRestarts.take('person-3', 6, 60_000),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
  });

  it('kiosk attempts answer as the one-process counter does, across nodes', async () => {
    const memory = new KioskAttempts(LIMITS);
    const device: AttemptKey = { kind: 'device', id: randomUUID() };
    const consultation: AttemptKey = { kind: 'consultation', id: randomUUID() };
    const t0 = Date.now();
    const steps: Array<[AttemptKey, number]> = [
      [device, t0],
      [consultation, t0 + 1_000],
      [device, t0 + 2_000],
      [consultation, t0 + 3_000],
      [device, t0 + 4_000],
    ];
    for (const [i, [key, at]] of steps.entries()) {
      const node = i % 2 ? nodeA : nodeB;
      for (const probe of [device, consultation]) {
        expect(await node.kioskAttempts.blockedUntil(probe, at)).toBe(memory.blockedUntil(probe, at));
      }
      await node.kioskAttempts.recordFailure(key, at);
      memory.recordFailure(key, at);
    }
    // Three device failures within a minute block it until the first leaves the window...
    expect(await nodeA.kioskAttempts.blockedUntil(device, t0 + 4_500)).toBe(t0 + 60_000);
    // ...and two for the consultation, for its longer window.
    expect(await nodeB.kioskAttempts.blockedUntil(consultation, t0 + 4_500)).toBe(t0 + 1_000 + 120_000);
    // A minute after the first, the device may try again, on either node.
    await nodeA.kioskAttempts.recordFailure(device, t0 + 65_000);
    memory.recordFailure(device, t0 + 65_000);
    expect(await nodeB.kioskAttempts.blockedUntil(device, t0 + 65_500)).toBe(
      memory.blockedUntil(device, t0 + 65_500),
    );
    expect(memory.blockedUntil(device, t0 + 65_500)).toBeNull();
  });

  it('the memory state (no REDIS_URL) keeps no rate-limit store: express-rate-limit uses its own', () => {
    expect(memorySharedState().rateLimitStore('login')).toBeUndefined();
    expect(nodeA.rateLimitStore('login')).toBeDefined();
  });
});
