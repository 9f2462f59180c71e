import { defineConfig } from 'vitest/config';

/**
 * Two tiers, named by suffix: `*.test.ts` is pure and fast; `*.integration.test.ts` runs against a
 * real database (PostgreSQL when TEST_DATABASE_URL is set, else in-process PGlite), a real server
 * on an ephemeral port and the real media engine.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,server,client}/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{shared,server}/src/**/*.integration.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: files in parallel would only fight over them and over PostgreSQL.
          fileParallelism: false,
          env: { NODE_ENV: 'test' },
        },
      },
    ],
  },
});
