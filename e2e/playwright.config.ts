import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium.ts';
import { chromiumExecutable, mediaListenIps, serverHost, setUpChromiumNetns } from './chromiumNetns.ts';
import { e2eSmtpPort } from './smtpInbox.ts';

const port = Number(process.env.E2E_PORT ?? 3100);
// Chromium in a network namespace of the run's own, and the server on its veth (chromiumNetns.ts),
// so that no browser sends media from the machine's own address; made once, by the runner.
setUpChromiumNetns(port);
const baseURL = `http://${serverHost()}:${port}`;
const repoRoot = resolve(import.meta.dirname, '..');

// The media engine: E2E_MEDIA_ENGINE (or MEDIA_ENGINE) for this suite's server and for the specs'
// own servers (ownServer.ts reads MEDIA_ENGINE); unset, the server's default. Named explicitly
// (`mediasoup` or `werift`), the server refuses to start without it and call.spec.ts checks the
// pages' media sessions are of that kind, so a run cannot pass on the other engine by accident.
const mediaEngine = process.env.E2E_MEDIA_ENGINE ?? process.env.MEDIA_ENGINE;
if (mediaEngine) process.env.MEDIA_ENGINE = mediaEngine;

// Each run gets a fresh embedded database unless E2E_DATABASE_URL points at a PostgreSQL database.
const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(chromiumExecutable() ? { executablePath: chromiumExecutable() } : {}),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'npx tsx server/src/main.ts',
    cwd: repoRoot,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: serverHost(),
      PARLEY_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...(mediaEngine ? { MEDIA_ENGINE: mediaEngine } : {}),
      // Media stays on loopback and the run's veth in tests, off the machine's own addresses.
      MEDIA_LISTEN_IPS: mediaListenIps(),
      LOGIN_RATE_LIMIT_MAX: '1000',
      JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
      // admin.spec.ts starts a real SMTP server here and a webhook receiver on 127.0.0.1.
      SMTP_URL: `smtp://127.0.0.1:${e2eSmtpPort()}`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      ...(process.env.E2E_DATABASE_URL
        ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
        : { DATABASE_URL: '' }),
      // The database's owner migrates it; DATABASE_URL is then the least-privileged app role.
      MIGRATION_DATABASE_URL: process.env.E2E_MIGRATION_DATABASE_URL ?? '',
    },
  },
});
