import type { Config } from './config.ts';
import type { Db } from './db/types.ts';
import type { Logger } from './logger.ts';

/** What every capability's routes and services are built from. */
export interface AppContext {
  db: Db;
  config: Config;
  logger: Logger;
}
