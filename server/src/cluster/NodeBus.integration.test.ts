import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { NodeBus, type RelayMessage } from './NodeBus.ts';
import { TEST_REDIS_URL } from './testing/clusterNodes.ts';

/**
 * The relay's bus against the real Redis: a message to a node whose subscription is not there
 * (yet, or again after a Redis restart) is offered again until it is, in order, not lost.
 */

const connections: Redis[] = [];
const redis = () => {
  const connection = new Redis(TEST_REDIS_URL);
  connections.push(connection);
  return connection;
};

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe('the relay bus', () => {
  it('messages sent before their node listens arrive once it does, in the order they were sent', async () => {
    const prefix = `parley-test:${randomUUID()}:`;
    const logger = createLogger('silent');
    const entry = await NodeBus.open(redis(), redis(), prefix, 'entry', logger);
    const event = (ackId: number): RelayMessage => ({
      type: 'event',
      sid: 'socket-1',
      from: 'entry',
      event: 'setMuted',
      args: [{ audio: true, video: true }],
      ackId,
    });
    entry.send('owner', { type: 'open', sid: 'socket-1', from: 'entry' });
    entry.send('owner', event(1));
    await new Promise((resolve) => setTimeout(resolve, 150));
    entry.send('owner', event(2));

    // The owner's subscription comes (back) a moment later.
    const received: RelayMessage[] = [];
    const owner = await NodeBus.open(redis(), redis(), prefix, 'owner', logger);
    owner.onMessage((message) => received.push(message));
    entry.send('owner', event(3));
    await waitUntil(() => received.length >= 4, 'the four messages', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((m) => (m.type === 'event' ? m.ackId : m.type))).toEqual(['open', 1, 2, 3]);
  });
});
