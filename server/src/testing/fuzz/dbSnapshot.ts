import type { Db } from '../../db/types.ts';

/**
 * Tables whose rows a refused request may legitimately write: failed sign-ins count towards the
 * per-account attempt limits. Everything else must be exactly as it was after a 4xx.
 */
const MAY_CHANGE_ON_REFUSAL = new Set(['_prisma_migrations', 'AttemptThrottle']);

/**
 * A fingerprint of the database's content: per table, its row count and an order-independent
 * hash of its rows. Two equal snapshots mean nothing was inserted, changed or deleted.
 */
export async function snapshotDatabase(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const names = tables.map((t) => t.table_name).filter((name) => !MAY_CHANGE_ON_REFUSAL.has(name));
  if (names.length === 0) return {};
  const rows = await db.$queryRawUnsafe<{ name: string; fingerprint: string }[]>(
    names
      .map(
        (name) =>
          `SELECT '${name}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS fingerprint FROM "${name}" t`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.fingerprint]));
}
