import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * Redis connections of one node. ioredis, not node-redis: it reconnects by itself and queues
 * commands while it does (a Redis restart mid-call delays a join, it does not fail it), it runs Lua
 * with `eval` (the rate limits, the replay registry and the locks are one atomic script each), and
 * both socket.io's Redis Streams adapter and rate-limit-redis take it as it is.
 */
export interface RedisConnections {
  /** Commands, publishing and the adapter's XADD. */
  command: Redis;
  /** Blocking reads of the adapter (XREAD BLOCK) and SUBSCRIBE: a connection of its own. */
  subscriber: Redis;
  /** Every key and channel of this deployment starts with it (REDIS_KEY_PREFIX). */
  prefix: string;
  close(): Promise<void>;
}

/** Opens the node's Redis connections and waits until the first answers (a wrong URL fails the start). */
export async function connectRedis(url: string, prefix: string, logger: Logger): Promise<RedisConnections> {
  const log = logger.child({ component: 'redis' });
  const options = {
    // Keep trying while Redis restarts: commands wait in the offline queue meanwhile.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
    lazyConnect: true,
  };
  const command = new Redis(url, { ...options, connectionName: 'parley-command' });
  const subscriber = new Redis(url, { ...options, connectionName: 'parley-subscriber' });
  for (const [name, client] of [
    ['command', command],
    ['subscriber', subscriber],
  ] as const) {
    let down = false;
    client.on('error', (err: Error) => {
      if (!down) log.warn({ connection: name, err: err.message }, 'Redis connection failed; retrying');
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ connection: name }, 'Redis connection is back');
      down = false;
    });
  }
  try {
    await Promise.all([command.connect(), subscriber.connect()]);
  } catch (err) {
    command.disconnect();
    subscriber.disconnect();
    throw new Error(`Could not connect to Redis at REDIS_URL: ${(err as Error).message}`);
  }
  let closing: Promise<void> | undefined;
  return {
    command,
    subscriber,
    prefix,
    close() {
      closing ??= (async () => {
        await Promise.allSettled([command.quit(), subscriber.quit()]);
        command.disconnect();
        subscriber.disconnect();
      })();
      return closing;
    },
  };
}
