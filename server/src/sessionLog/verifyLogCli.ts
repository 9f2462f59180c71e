/**
 * `npm run verify-log -w server -- <consultationId>`: checks a consultation's session log against
 * its hash chain, on DATABASE_URL or the embedded database (stop the server first: PGlite is
 * single-process). Exit code 0 when the chain holds, 1 when it is broken, 2 on bad usage or an
 * unknown consultation.
 */
import { parseArgs } from 'node:util';
import { IdSchema } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';
import { verifyChain } from './verifyChain.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false } },
});
const consultationId = IdSchema.safeParse(positionals[0]);
if (!consultationId.success) {
  process.stderr.write('Usage: npm run verify-log -w server -- <consultation id (uuid)> [--json]\n');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: false });
try {
  const logs = new SessionLogRepository(database.prisma);
  if (!(await logs.consultationExists(consultationId.data))) {
    process.stderr.write(`No consultation ${consultationId.data}\n`);
    process.exitCode = 2;
  } else {
    const result = verifyChain(consultationId.data, await logs.chainOf(consultationId.data));
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.valid) {
      process.stdout.write(
        `OK: ${result.events} events, chain intact, head ${result.headHash ?? '(empty)'}\n`,
      );
    } else {
      process.stdout.write(
        `BROKEN: ${result.problem} at event ${result.firstBrokenSeq} of ${result.events}\n`,
      );
    }
    process.exitCode = result.valid ? 0 : 1;
  }
} finally {
  await database.close();
}
