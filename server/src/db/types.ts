import type { PrismaClient } from '../generated/prisma/client.ts';

/** The database handle repositories receive. Only repositories and db/ touch it. */
export type Db = InstanceType<typeof PrismaClient>;
