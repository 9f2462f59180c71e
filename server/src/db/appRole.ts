/**
 * Least privilege on PostgreSQL: migrations run as the database owner; the app runs as a role that
 * may read and write the ordinary tables, may only INSERT into (and read) the append-only logs, and
 * owns nothing — so it can neither rewrite the session log nor `ALTER TABLE … DISABLE TRIGGER` the
 * triggers that refuse it (only a table's owner can). README "Database roles" describes the set-up.
 */
import pg from 'pg';
import { poolConfigFromUrl } from './migrate.ts';

/** The trigger function of every append-only table (migration session_log_integrity). */
const APPEND_ONLY_FUNCTION = 'parley_refuse_append_only_change';

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The role a connection string signs in as, or undefined when it names none (peer authentication). */
export function roleOfUrl(url: string): string | undefined {
  const user = new URL(url).username;
  return user ? decodeURIComponent(user) : undefined;
}

/**
 * Grants `appRole` what Parley needs in the owner's database, and takes back what it must not have.
 * Run as the owner after every migration (new tables need their grants): idempotent. Append-only
 * tables are found by their trigger, so a new one is covered without a list to keep up to date.
 * Returns the append-only tables it protected.
 */
export async function grantAppRole(ownerUrl: string, appRole: string): Promise<string[]> {
  const client = new pg.Client(poolConfigFromUrl(ownerUrl));
  await client.connect();
  try {
    const role = quoteIdent(appRole);
    const { rows: self } = await client.query<{ database: string; owner: string }>(
      'SELECT current_database() AS database, current_user AS owner',
    );
    if (self[0]!.owner === appRole) {
      throw new Error(`The app role ${appRole} is the owner itself: give the app a role of its own`);
    }
    const { rows: appendOnly } = await client.query<{ table: string }>(
      `SELECT DISTINCT c.relname AS "table"
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE p.proname = $1 AND n.nspname = 'public' ORDER BY 1`,
      [APPEND_ONLY_FUNCTION],
    );
    const tables = appendOnly.map((r) => r.table);
    await client.query('BEGIN');
    await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(self[0]!.database)} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    for (const table of tables) {
      await client.query(`REVOKE UPDATE, DELETE ON ${quoteIdent(table)} FROM ${role}`);
    }
    // The migration history is the owner's: the app reads it at most.
    await client.query(`REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM ${role}`);
    await client.query('COMMIT');
    return tables;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** What the connection's own role may do that it should not: superuser, or owning tables. */
export async function privilegeWarnings(client: {
  $queryRaw<T>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
}): Promise<string[]> {
  const [me] = await client.$queryRaw<{ role: string; superuser: boolean; owned: number }[]>`
    SELECT current_user AS role, r.rolsuper AS superuser,
      (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
    FROM pg_roles r WHERE r.rolname = current_user`;
  const warnings: string[] = [];
  if (me?.superuser)
    warnings.push(`the app connects as ${me.role}, a superuser: it could disable the session log's triggers`);
  else if (me && me.owned > 0)
    warnings.push(
      `the app connects as ${me.role}, which owns ${me.owned} tables: it could disable the session log's triggers`,
    );
  return warnings;
}
