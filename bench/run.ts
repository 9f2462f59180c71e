/**
 * The benchmark suite: Parley's media path (latency, capacity, CPU and memory per consultation,
 * join time, routing switch), Janus measured beside it in the same run, then the scheduling
 * benchmark. One JSON line per figure on stdout; progress on stderr. Stops by itself.
 *
 *   npm run bench           # whole suite, under 10 minutes on 2 cores
 *   npm run bench:quick     # under a minute; CI runs it (no timing assertions)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runParley } from './media/parleyBench.ts';
import { note, pinSelf } from './media/support.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const parleyOptions = quick
  ? { steps: [2], warmMs: 500, measureMs: 2000, joinSamples: 2, host: '127.0.0.1', routingToggles: 4 }
  : {
      steps: [5, 10, 20, 30, 40, 50, 60, 80, 100],
      warmMs: 1500,
      measureMs: 5000,
      joinSamples: 10,
      host: '127.0.0.1',
      routingToggles: 40,
    };

async function main(): Promise<void> {
  // The generator runs here on core 1; servers are started on core 0.
  await pinSelf(1);
  if (!only || only === 'parley') await runParley(parleyOptions);
  if (!only || only === 'scheduling') await runScheduling();
}

function runScheduling(): Promise<void> {
  const file = fileURLToPath(new URL('./scheduling.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scheduling benchmark exited ${code}`)),
    );
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    note(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
