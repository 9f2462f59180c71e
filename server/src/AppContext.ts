import type { SharedState } from './cluster/SharedState.ts';
import type { Config } from './config.ts';
import type { Db } from './db/types.ts';
import type { Logger } from './logger.ts';

/** What every capability's routes and services are built from. */
export interface AppContext {
  db: Db;
  config: Config;
  logger: Logger;
  /**
   * State every node must agree on (replayed tokens, rate limits, ...): in Redis with REDIS_URL.
   * Unset: this process's memory, as with one node.
   */
  shared?: SharedState;
  /** Whether this node takes new work (GET /api/ready); unset: always, as one process does. */
  ready?: () => boolean;
}
