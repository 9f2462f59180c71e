import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRegistry } from './NodeRegistry.ts';
import { TEST_REDIS_URL } from './testing/clusterNodes.ts';

/**
 * The room → node registry against the real Redis, as two nodes see it: who owns a consultation's
 * call, and a claim for this node that yields to a live owner (what a phone leg entering one node
 * needs before it seats itself there).
 */

const HEARTBEAT_MS = 200;
let connections: Redis[];
let a: NodeRegistry;
let b: NodeRegistry;

beforeAll(async () => {
  const prefix = `parley-test:${randomUUID()}:`;
  connections = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
  a = new NodeRegistry(connections[0]!, prefix, 'node-a', HEARTBEAT_MS);
  b = new NodeRegistry(connections[1]!, prefix, 'node-b', HEARTBEAT_MS);
  const record = { url: 'http://a', mediaAddress: '203.0.113.1', load: 0, draining: false };
  await a.heartbeat(record);
  await b.heartbeat({ ...record, url: 'http://b', mediaAddress: '203.0.113.2' });
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe('the room registry', () => {
  it('a claim takes a free room for this node and yields to a live owner', async () => {
    expect(await a.ownerOf('call-1')).toBeNull();
    expect(await b.claim('call-1')).toBe('node-b');
    // Node A, asked for the same call, learns it is on B, and B keeps it.
    expect(await a.claim('call-1')).toBe('node-b');
    expect(await a.ownerOf('call-1')).toBe('node-b');
    expect(await a.place('call-1')).toBe('node-b');
    // Where to reach it.
    expect(await a.node('node-b')).toMatchObject({
      nodeId: 'node-b',
      url: 'http://b',
      mediaAddress: '203.0.113.2',
    });
  });

  it("a dead owner's room goes to the next claimant", async () => {
    expect(await a.claim('call-2')).toBe('node-a');
    await a.leave();
    expect(await b.ownerOf('call-2')).toBeNull();
    expect(await b.node('node-a')).toBeNull();
    expect(await b.claim('call-2')).toBe('node-b');
    expect(await b.ownerOf('call-2')).toBe('node-b');
  });
});
