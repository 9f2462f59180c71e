/**
 * Migrations without Prisma's native schema engine, which cannot be downloaded on offline machines.
 *
 * Prisma's WASM schema engine (`@prisma/schema-engine-wasm`) does the real work through a driver
 * adapter: it reads the migration folders we hand it, applies the pending ones and records them in
 * `_prisma_migrations` (sha256 checksum of `migration.sql`, start/finish times, step count), exactly
 * as `prisma migrate deploy` does, so a native engine sees the same history later.
 */
import { readFile, readdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PGlite, messages as pgliteMessages } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { REPO_ROOT } from '../config.ts';
import type { Logger } from '../logger.ts';

/** `prisma/migrations`, in Prisma's folder format (`<timestamp>_<name>/migration.sql`). */
export const MIGRATIONS_DIR = resolve(REPO_ROOT, 'prisma/migrations');
/** The Prisma schema the migrations must agree with. */
export const SCHEMA_PATH = resolve(REPO_ROOT, 'prisma/schema.prisma');

/** Where migrations go: an open PGlite instance, or a PostgreSQL connection string. */
export type MigrationTarget = { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; url: string };

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  logger?: Logger;
}

/**
 * Session-level advisory lock key that serialises concurrent start-ups against one PostgreSQL
 * database. Deliberately not Prisma's own key (72707369): the engine may take that one itself on
 * another connection, and waiting on our own lock there would deadlock.
 */
const MIGRATION_LOCK_KEY = 0x7061726c; // "parl"

/**
 * Applies the pending migrations from `prisma/migrations` and returns the names it applied.
 * Safe to call on every start-up: already-applied migrations are skipped, and on PostgreSQL an
 * advisory lock makes a second process wait instead of applying the same migration twice.
 */
export async function applyMigrations(
  target: MigrationTarget,
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  const run = () =>
    withSchemaEngine(target, options.logger, async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return appliedMigrationNames;
    });
  const applied = target.kind === 'postgres' ? await withAdvisoryLock(target.url, run) : await run();
  if (applied.length > 0) options.logger?.info({ migrations: applied }, 'applied database migrations');
  else options.logger?.debug('database schema is up to date');
  return applied;
}

export const NO_FILTER = { externalTables: [], externalEnums: [] };

/**
 * The SQL that would bring a database built from the migrations folder to the schema, or null when
 * they agree. Runs on in-memory PGlite instances only (the migrations are replayed on a shadow
 * PGlite), so it needs no server. CHECK constraints and other hand-written SQL Prisma does not
 * model are invisible to this comparison.
 */
export async function diffMigrationsToSchema(
  options: { migrationsDir?: string; schemaPath?: string; logger?: Logger } = {},
): Promise<string | null> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  const schemaFiles = await readSchemaFiles(options.schemaPath ?? SCHEMA_PATH);
  const client = await PGlite.create({ dataDir: 'memory://' });
  try {
    const result = await withSchemaEngine({ kind: 'pglite', client }, options.logger, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: schemaFiles },
        script: true,
        exitCode: true,
        filters: NO_FILTER,
      }),
    );
    // With exitCode set, the engine answers 2 for "there is a difference" and 0 for none.
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  } finally {
    await client.close();
  }
}

/** Reads a migrations folder the way Prisma's CLI hands it to the engine. */
export async function readMigrationsList(migrationsDir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockPath = 'migration_lock.toml';
  const lockContent = await readFile(join(migrationsDir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    },
  );
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    directories.map(async (name) => {
      const file = 'migration.sql';
      const content = await readFile(join(migrationsDir, name, file), 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (err: Error) => ({ tag: 'error' as const, value: err.message }),
      );
      return { path: name, migrationFile: { path: file, content } };
    }),
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** The Prisma schema as the engine wants it. */
export async function readSchemaFiles(
  schemaPath: string = SCHEMA_PATH,
): Promise<{ path: string; content: string }[]> {
  return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
}

/**
 * Runs `fn` with a WASM schema engine connected to `target`, and frees the engine and every
 * connection it opened (including shadow databases) afterwards.
 */
export async function withSchemaEngine<T>(
  target: MigrationTarget,
  logger: Logger | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const datamodel = await readSchemaFiles();
  const factory = migrationAdapterFactory(target);
  liveEngines += 1;
  try {
    const engine = await SchemaEngine.new(
      { datamodels: datamodel.map((file): [string, string] => [file.path, file.content]) },
      (log: string) => logger?.trace({ engine: log }, 'schema engine'),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } catch (err) {
    throw toEngineError(err);
  } finally {
    await factory.dispose();
    engineReleased();
  }
}

/**
 * The engine rejects with a JSON-encoded user-facing error; turn it into an Error whose message a
 * person can read (e.g. "P3018 A migration failed to apply ...").
 */
function toEngineError(err: unknown): Error {
  const raw = err instanceof Error ? err.message : String(err);
  try {
    const parsed = JSON.parse(raw) as { error_code?: string; message?: string; is_panic?: boolean };
    if (parsed.message) {
      return new Error(`${parsed.error_code ? `${parsed.error_code}: ` : ''}${parsed.message}`, {
        cause: err,
      });
    }
  } catch {
    // Not JSON: keep the original message.
  }
  return err instanceof Error ? err : new Error(raw);
}

type SchemaEngineModule = typeof SchemaEngineWasm;
let schemaEngineModule: Promise<SchemaEngineModule> | undefined;

/**
 * The engine arms JS timers (timeouts raced against its queries) and never clears them, which
 * keeps the process alive for seconds after a migration. We hand it a setTimeout that remembers
 * its timers and clear them once no engine is alive any more.
 */
const engineTimers = new Set<NodeJS.Timeout>();
let liveEngines = 0;

function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

function engineReleased(): void {
  liveEngines -= 1;
  if (liveEngines > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

/** The slice of the WebAssembly API we use; the server's `lib` setting does not declare it. */
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: Record<string, Record<string, unknown>>,
      ): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

/**
 * The package's entry point imports the .wasm file as an ES module, which Node 20 only allows
 * behind --experimental-wasm-modules; so we compile the binary ourselves (once per process) and
 * hand it to the wasm-bindgen glue.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  schemaEngineModule ??= (async () => {
    const glue =
      (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as SchemaEngineModule &
        Record<string, unknown> & { __wbg_set_wasm(exports: Record<string, unknown>): void };
    const imports: Record<string, unknown> = { ...glue };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
    }
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const { instance } = await wasmApi.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': imports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return schemaEngineModule;
}

/** A migration-aware adapter factory that also releases what it opened. */
interface DisposableMigrationFactory extends SqlMigrationAwareDriverAdapterFactory {
  dispose(): Promise<void>;
}

/** The adapter factory the schema engine needs for `target`, with the known adapter bugs worked around. */
export function migrationAdapterFactory(target: MigrationTarget): DisposableMigrationFactory {
  return target.kind === 'pglite'
    ? pgliteMigrationFactory(target.client)
    : postgresMigrationFactory(target.url);
}

/**
 * pglite-prisma-adapter 0.7.2 has two bugs that matter for migrations: `executeScript` does not
 * await PGlite's `exec`, so a failing migration script is recorded as applied (and its error
 * surfaces later as an unhandled rejection); and its shadow database is a PGlite that is never
 * closed. We fix the first on every adapter we hand out and own the shadow instances ourselves.
 */
function pgliteMigrationFactory(client: PGlite): DisposableMigrationFactory {
  const shadows: PGlite[] = [];
  const withAwaitedScripts = (db: PGlite, adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      try {
        await db.exec(script);
      } catch (err) {
        throw toDriverAdapterError(err);
      }
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: 'pglite-migrate',
    async connect() {
      return withAwaitedScripts(client, await new PrismaPGlite(client).connect());
    },
    async connectToShadowDb() {
      const shadow = await PGlite.create({ dataDir: 'memory://' });
      shadows.push(shadow);
      const adapter = withAwaitedScripts(shadow, await new PrismaPGlite(shadow).connect());
      adapter.dispose = async () => {
        if (!shadow.closed) await shadow.close();
      };
      return adapter;
    },
    async dispose() {
      await Promise.all(shadows.filter((shadow) => !shadow.closed).map((shadow) => shadow.close()));
    },
  };
}

/** The fields PGlite's and pg's DatabaseError share. */
interface PostgresErrorFields {
  code?: string | undefined;
  severity?: string | undefined;
  message: string;
  detail?: string | undefined;
  column?: string | undefined;
  hint?: string | undefined;
}

/** A PostgreSQL error in the shape the schema engine reports (code, message, detail). */
function driverAdapterError(err: PostgresErrorFields): DriverAdapterError {
  return new DriverAdapterError({
    kind: 'postgres',
    code: err.code ?? 'N/A',
    severity: err.severity ?? 'ERROR',
    message: err.message,
    detail: err.detail,
    column: err.column,
    hint: err.hint,
  });
}

/** Maps a PostgreSQL error from PGlite to the shape the engine reports (code, message, detail). */
function toDriverAdapterError(err: unknown): unknown {
  return err instanceof pgliteMessages.DatabaseError ? driverAdapterError(err) : err;
}

/**
 * @prisma/adapter-pg 7.10 is not fit for migrations as shipped, so the factory is our own:
 * - its shadow database pool is its own config with `database` swapped, and a `connectionString`
 *   overrides that, so the "shadow" would be the real database: we pass separate fields;
 * - it drops the shadow database while its pool still holds a connection, which PostgreSQL
 *   refuses: we end the pool first;
 * - `executeScript` splits the script on every ";" (breaking any function body or string with a
 *   semicolon) and runs the pieces outside a transaction: we send the script in one simple-query
 *   message, which PostgreSQL runs atomically, as the native engine does;
 * - it rejects columns of the internal `"char"` type (OID 18), which the engine's introspection
 *   of pg_catalog returns: we report them as text.
 * Every pool it opened is ended on dispose; the engine takes Prisma's advisory lock on one of
 * them, and a pool left idling would hold that lock for ten more seconds.
 */
function postgresMigrationFactory(url: string): DisposableMigrationFactory {
  const config = poolConfigFromUrl(url);
  const pools = new Set<pg.Pool>();
  const open = async (
    poolConfig: pg.PoolConfig,
    release?: () => Promise<void>,
  ): Promise<SqlDriverAdapter> => {
    const pool = charAsTextPool(poolConfig);
    pools.add(pool);
    const adapter = await new PrismaPg(pool).connect();
    adapter.executeScript = async (script: string) => {
      await pool.query(script).catch((err: unknown) => {
        throw toPgDriverAdapterError(err);
      });
    };
    adapter.dispose = async () => {
      if (!pools.delete(pool)) return;
      await pool.end();
      await release?.();
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: 'pg-migrate',
    connect: () => open(config),
    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client(config);
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${database}"`);
      } finally {
        await admin.end();
      }
      return open({ ...config, database }, () => dropDatabase(config, database));
    },
    async dispose() {
      await Promise.all([...pools].map((pool) => pool.end()));
      pools.clear();
    },
  };
}

/** Drops a database, closing other sessions first (PostgreSQL 13+). */
export async function dropDatabase(config: pg.ClientConfig, database: string): Promise<void> {
  const admin = new pg.Client({
    ...config,
    database: config.database === database ? 'postgres' : config.database,
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** A pool whose results describe `"char"` columns as text, which adapter-pg can map. */
function charAsTextPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, max: 2 });
  const relabel = (result: unknown): unknown => {
    for (const res of Array.isArray(result) ? result : [result]) {
      for (const field of (res as pg.QueryResult | undefined)?.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
    }
    return result;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, result: unknown) =>
          (last as (e: unknown, r: unknown) => void)(err, relabel(result));
        return query(...args);
      }
      const ret = query(...args);
      return ret instanceof Promise ? ret.then(relabel) : ret;
    };
  });
  return pool;
}

/** Maps a pg error to the shape the engine reports (code, message, detail). */
function toPgDriverAdapterError(err: unknown): unknown {
  return err instanceof pg.DatabaseError ? driverAdapterError(err) : err;
}

/** Splits a PostgreSQL URL into pg's separate pool fields (see postgresMigrationFactory). */
export function poolConfigFromUrl(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  const config: pg.PoolConfig = {
    host: decodeURIComponent(parsed.hostname) || undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
  };
  // libpq-style socket directory: postgresql://user@/db?host=/var/run/postgresql
  const host = parsed.searchParams.get('host');
  if (host) config.host = host;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable')
    config.ssl = sslmode === 'no-verify' ? { rejectUnauthorized: false } : true;
  return config;
}

/** Holds a PostgreSQL session advisory lock on a dedicated connection while `fn` runs. */
async function withAdvisoryLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(url));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
