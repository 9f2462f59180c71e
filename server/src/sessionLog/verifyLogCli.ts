/**
 * `npm run verify-log -w server -- <consultationId> [--attestation file.json] [--keys jwks.json|url]`:
 * checks a consultation's session log against its hash chain and, when the call has a signed
 * record (attestation), the signature and that the log still holds exactly what was attested. Reads
 * DATABASE_URL or the embedded database (stop the server first: PGlite is single-process).
 *
 * The attestation is the stored one unless `--attestation` names a file (as sent with the webhook
 * or downloaded from the case page); the keys are the configured key (ATTESTATION_PRIVATE_KEY, or
 * the embedded mode's key file) unless `--keys` names a JWKS file or URL.
 *
 * Exit code 0 when everything holds, 1 when the chain or the attestation does not, 2 on bad usage
 * or an unknown consultation.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AttestationJwksSchema, CallAttestationSchema, IdSchema, type CallAttestation } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { attestationKeyOf, publicKeysOf } from './attestationKey.ts';
import { CallAttestationRepository } from './CallAttestationRepository.ts';
import { verifyAttestation } from './callAttestation.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';
import { verifyChain } from './verifyChain.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    attestation: { type: 'string' },
    keys: { type: 'string' },
  },
});
const consultationId = IdSchema.safeParse(positionals[0]);
if (!consultationId.success) {
  process.stderr.write(
    'Usage: npm run verify-log -w server -- <consultation id (uuid)> [--attestation file.json] [--keys jwks.json|url] [--json]\n',
  );
  process.exit(2);
}

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function readJson(source: string): Promise<unknown> {
  const text = /^https?:\/\//.test(source)
    ? await fetch(source).then((res) => {
        if (!res.ok) usage(`${source} answered ${res.status}`);
        return res.text();
      })
    : await readFile(source, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    return usage(`${source} is not JSON`);
  }
}

const config = loadConfig();
if (!config.attestationPrivateKey && !config.databaseUrl && !values.keys) {
  // Embedded mode keeps its key beside the data folder (see main.ts).
  config.attestationPrivateKey = await readFile(
    join(dirname(config.dataDir), 'attestation-key.pem'),
    'utf8',
  ).catch(() => undefined);
}

let given: CallAttestation | undefined;
if (values.attestation) {
  const raw = await readJson(values.attestation);
  // A webhook body carries it under `attestation`; a downloaded record is the attestation itself.
  const candidate = (raw as { attestation?: unknown } | null)?.attestation ?? raw;
  const parsed = CallAttestationSchema.safeParse(
    candidate && typeof candidate === 'object'
      ? Object.fromEntries(Object.entries(candidate).filter(([k]) => k !== 'keysUrl'))
      : candidate,
  );
  if (!parsed.success) usage(`${values.attestation} holds no call attestation`);
  given = parsed.data;
}
let keys;
if (values.keys) {
  const jwks = AttestationJwksSchema.safeParse(await readJson(values.keys));
  if (!jwks.success) usage(`${values.keys} is not a JWKS of Ed25519 keys`);
  keys = publicKeysOf(jwks.data);
} else if (config.attestationPrivateKey) {
  keys = publicKeysOf(attestationKeyOf(config).jwks);
}

const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: false });
try {
  const id = consultationId.data;
  const logs = new SessionLogRepository(database.prisma);
  if (!(await logs.consultationExists(id))) {
    process.stderr.write(`No consultation ${id}\n`);
    process.exitCode = 2;
  } else {
    const events = await logs.chainOf(id);
    const chain = verifyChain(id, events);
    const attestation = given ?? (await new CallAttestationRepository(database.prisma).find(id));
    const attested =
      attestation &&
      (keys
        ? verifyAttestation(attestation, keys, id, events)
        : ({ valid: false, problem: 'UNKNOWN_KEY', detail: 'no key configured; pass --keys' } as const));
    if (values.json) process.stdout.write(`${JSON.stringify({ chain, attestation: attested ?? null })}\n`);
    else {
      process.stdout.write(
        chain.valid
          ? `OK: ${chain.events} events, chain intact, head ${chain.headHash ?? '(empty)'}\n`
          : `BROKEN: ${chain.problem} at event ${chain.firstBrokenSeq} of ${chain.events}\n`,
      );
      if (!attested) process.stdout.write('No call attestation\n');
      else if (attested.valid) {
        const s = attested.statement;
        process.stdout.write(
          `ATTESTATION OK: signed by key ${s.keyId} at ${s.issuedAt}; ${s.participants.length} participants; events 1-${s.log.events} unchanged; no media recorded\n`,
        );
      } else process.stdout.write(`ATTESTATION INVALID: ${attested.problem}: ${attested.detail}\n`);
    }
    process.exitCode = chain.valid && (!attested || attested.valid) ? 0 : 1;
  }
} finally {
  await database.close();
}
