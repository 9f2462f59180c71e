import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSipConfig, type SipConfig } from './phone/sipConfig.ts';

/** Repository root: server/src/config.ts → ../.. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /**
   * The database owner's connection string: migrations run through it and the role of
   * `databaseUrl` gets least-privilege grants (README, "Database roles"). Unset: `databaseUrl` migrates.
   */
  migrationDatabaseUrl: string | undefined;
  /** Folder of the embedded database. */
  dataDir: string;
  /**
   * Where the session log writer spills events during a long database outage (SESSION_LOG_JOURNAL;
   * default: beside the data folder). Replayed, in order, when the database returns or at next start.
   */
  sessionLogJournalPath: string;
  jwtSecret: string;
  /**
   * Ed25519 private key call attestations are signed with (`ATTESTATION_PRIVATE_KEY`: PKCS#8 PEM, or
   * base64 of PEM or DER). Required in production; embedded mode keeps a generated one beside the
   * data folder, other non-production runs generate one per process.
   */
  attestationPrivateKey: string | undefined;
  /** True when the secret was generated for this process (demo mode); tokens die with it. */
  jwtSecretIsEphemeral: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginRateLimit: { windowMs: number; max: number };
  /** Where the built client lives; served when present. */
  clientDistDir: string;
  /** Seed the demo organisation when the database is empty. */
  seedDemoData: boolean;
  logLevel: string;
  isProduction: boolean;
  media: MediaConfig;
  webhooks: WebhookConfig;
  mail: MailConfig;
  /** Phone legs over SIP (`SIP_*`, server/src/phone/sipConfig.ts); undefined: SIP is off. */
  sip: SipConfig | undefined;
  /** Origin people reach Parley at (`PUBLIC_URL`), for links in emails; see `MailConfig`. */
  publicUrl: string | undefined;
  /**
   * `TRUST_PROXY` (default `loopback`): the proxies whose X-Forwarded-For gives the client's
   * address, in Express's `trust proxy` syntax (`uniquelocal` for a proxy on a private network, as
   * docker-compose's nginx is). Rate limits count per client address, so a proxy not trusted here
   * makes every client one address.
   */
  trustProxy: string;
  /** Several nodes sharing PostgreSQL and Redis (README, "Several nodes"); one process without `REDIS_URL`. */
  cluster: ClusterConfig;
}

/** How this node finds the others: all of it is unused without `REDIS_URL`. */
export interface ClusterConfig {
  /** `REDIS_URL`: unset, this process holds every call, and shared state lives in its memory. */
  redisUrl: string | undefined;
  /** `REDIS_KEY_PREFIX`: every key and channel Parley uses in Redis starts with it. */
  keyPrefix: string;
  /** `NODE_ID`: this node's name in the room registry; default host name, process id and a random suffix. */
  nodeId: string;
  /** `NODE_HEARTBEAT_MS`: how often this node says it is alive; it counts as dead after three missed. */
  heartbeatMs: number;
  /** `DRAIN_TIMEOUT_MS`: on SIGTERM, how long calls in progress may go on before the node exits anyway. */
  drainTimeoutMs: number;
}

/** Outgoing mail: invites and password-reset links. */
export interface MailConfig {
  /** `SMTP_URL`, e.g. smtps://user:pass@mail.example.org:465; unset: links are only shown to admins. */
  smtpUrl: string | undefined;
  /** `MAIL_FROM`: the sender address of Parley's mail. */
  from: string;
  /** "Forgot password" requests per client address per window, sent or not. */
  forgotPasswordRateLimit: { windowMs: number; max: number };
}

/** Where organisations' webhooks may point (checked when the URL is saved and at every delivery). */
export interface WebhookConfig {
  /** Plain http: allowed outside production; in production only when explicitly asked. */
  allowHttp: boolean;
  /** Loopback, RFC 1918, CGNAT and unique-local addresses: never by default, anywhere. */
  allowPrivateNetworks: boolean;
}

/** Which engine moves media: mediasoup when its worker starts (auto), or one of them by name. */
export const MEDIA_ENGINES = ['auto', 'mediasoup', 'werift'] as const;
export type MediaEngineChoice = (typeof MEDIA_ENGINES)[number];

/** Where the SFU listens and what browsers are told about STUN/TURN. */
export interface MediaConfig {
  /**
   * MEDIA_ENGINE (default auto): mediasoup when its worker binary is on the machine and starts,
   * werift otherwise; `mediasoup` or `werift` insist on one. Logged at start-up.
   */
  engine: MediaEngineChoice;
  /** MEDIA_WORKERS: mediasoup worker processes, one per core by default. */
  workers: number;
  /** Address put in ICE candidates (the public IP behind NAT); unset: the interfaces' own. */
  announcedAddress: string | undefined;
  /** Local interface addresses to gather on; unset: all non-internal IPv4 ones plus loopback. */
  listenAddresses: string[] | undefined;
  /** UDP port range for ICE; unset: ephemeral ports. */
  portRange: { min: number; max: number } | undefined;
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's static-auth-secret: short-lived TURN credentials are derived from it. */
  turnSecret: string | undefined;
}

function listFromEnv(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** `true` or `false`; unset or empty: the fallback. Anything else is a mistake worth stopping for. */
function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function engineFromEnv(env: NodeJS.ProcessEnv): MediaEngineChoice {
  const raw = env.MEDIA_ENGINE || 'auto';
  if (!(MEDIA_ENGINES as readonly string[]).includes(raw))
    throw new Error(`MEDIA_ENGINE must be one of ${MEDIA_ENGINES.join(', ')}, got "${raw}"`);
  return raw as MediaEngineChoice;
}

/** Reads configuration from the environment; throws with the variable's name when one is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const isProduction = env.NODE_ENV === 'production';
  const secret = env.JWT_SECRET;
  if (isProduction && (!secret || secret.length < 32)) {
    throw new Error('JWT_SECRET must be set to at least 32 characters in production');
  }
  if (isProduction && !env.ATTESTATION_PRIVATE_KEY) {
    throw new Error('ATTESTATION_PRIVATE_KEY must be set in production (an Ed25519 private key, PKCS#8 PEM)');
  }
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    migrationDatabaseUrl: env.MIGRATION_DATABASE_URL || undefined,
    dataDir: resolve(env.PARLEY_DATA_DIR ?? resolve(REPO_ROOT, 'data/pglite')),
    sessionLogJournalPath: resolve(
      env.SESSION_LOG_JOURNAL ??
        resolve(env.PARLEY_DATA_DIR ?? resolve(REPO_ROOT, 'data/pglite'), '..', 'session-log-journal.ndjson'),
    ),
    jwtSecret: secret ?? randomBytes(32).toString('hex'),
    jwtSecretIsEphemeral: !secret,
    attestationPrivateKey: env.ATTESTATION_PRIVATE_KEY || undefined,
    accessTokenTtlSeconds: intFromEnv(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60),
    refreshTokenTtlSeconds: intFromEnv(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600),
    loginRateLimit: {
      windowMs: intFromEnv(env, 'LOGIN_RATE_LIMIT_WINDOW_MS', 15 * 60 * 1000),
      max: intFromEnv(env, 'LOGIN_RATE_LIMIT_MAX', 20),
    },
    clientDistDir: resolve(env.PARLEY_CLIENT_DIST ?? resolve(REPO_ROOT, 'client/dist')),
    // Never seed the demo organisation (known passwords and kiosk credentials) unless asked, in production.
    seedDemoData: isProduction ? env.PARLEY_SEED_DEMO === 'true' : env.PARLEY_SEED_DEMO !== 'false',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    isProduction,
    media: {
      engine: engineFromEnv(env),
      workers: intFromEnv(env, 'MEDIA_WORKERS', 0) || availableParallelism(),
      announcedAddress: env.MEDIA_ANNOUNCED_IP || undefined,
      listenAddresses: env.MEDIA_LISTEN_IPS ? listFromEnv(env, 'MEDIA_LISTEN_IPS') : undefined,
      portRange:
        env.MEDIA_PORT_MIN && env.MEDIA_PORT_MAX
          ? { min: intFromEnv(env, 'MEDIA_PORT_MIN', 40000), max: intFromEnv(env, 'MEDIA_PORT_MAX', 40100) }
          : undefined,
      stunUrls: listFromEnv(env, 'STUN_URLS'),
      turnUrls: listFromEnv(env, 'TURN_URLS'),
      turnSecret: env.TURN_SECRET || undefined,
    },
    webhooks: {
      allowHttp: boolFromEnv(env, 'WEBHOOK_ALLOW_HTTP', !isProduction),
      allowPrivateNetworks: boolFromEnv(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    },
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || 'Parley <no-reply@parley.invalid>',
      forgotPasswordRateLimit: {
        windowMs: intFromEnv(env, 'FORGOT_PASSWORD_RATE_LIMIT_WINDOW_MS', 15 * 60 * 1000),
        max: intFromEnv(env, 'FORGOT_PASSWORD_RATE_LIMIT_MAX', 5),
      },
    },
    sip: loadSipConfig(env, secret),
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    trustProxy: env.TRUST_PROXY || 'loopback',
    cluster: {
      redisUrl: env.REDIS_URL || undefined,
      keyPrefix: env.REDIS_KEY_PREFIX || 'parley:',
      nodeId: env.NODE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      heartbeatMs: intFromEnv(env, 'NODE_HEARTBEAT_MS', 2_000) || 2_000,
      drainTimeoutMs: intFromEnv(env, 'DRAIN_TIMEOUT_MS', 90 * 60 * 1000),
    },
  };
}
