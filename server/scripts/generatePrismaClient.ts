/**
 * Generates the Prisma client offline. Prisma's CLI wants its native schema engine for every
 * command and tries to download it when missing; `generate` never uses it, so we point the CLI at a
 * no-op executable unless the operator has a real engine configured.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const stub = resolve(here, 'schema-engine-unavailable.sh');
if (existsSync(stub)) chmodSync(stub, 0o755);

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= stub;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const prismaBin = resolve(root, 'node_modules/.bin/prisma');
const result = spawnSync(prismaBin, ['generate', '--schema', resolve(root, 'prisma/schema.prisma')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
