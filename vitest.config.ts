import { defineConfig } from 'vitest/config';

// Vitest 5 asks for Node 22 and, when it prints a failed test's errors, calls Map.groupBy (Node 21+):
// on Node 20 (Debian's, and CI's) the reporter then crashes and hides which test failed and why.
// This config file runs in Vitest's main process, where the reporter does.
function groupBy<K, T>(items: Iterable<T>, keyOf: (item: T, index: number) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  Array.from(items).forEach((item, index) => {
    const key = keyOf(item, index);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  });
  return groups;
}
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', { configurable: true, writable: true, value: groupBy });
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,server,client}/src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
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
