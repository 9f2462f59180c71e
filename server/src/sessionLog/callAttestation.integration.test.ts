import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttestationJwksSchema,
  CallAttestationSchema,
  CallAttestationStatementSchema,
  type CallAttestation,
} from '@parley/shared';
import { createLogger } from '../logger.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { publicKeysOf } from './attestationKey.ts';
import { verifyAttestation } from './callAttestation.ts';
import { sessionLogFor } from './sessionLogFor.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';

/**
 * A real call through the signalling socket ends; Parley signs its record. The record is published
 * to the case's readers, carried by the case-note webhook, verifies against the key published at the
 * well-known URL and the database — and stops verifying once any of its events is changed.
 */

const run = promisify(execFile);
const SERVER_DIR = resolve(import.meta.dirname, '../..');

let t: TestServer;
let staff: string;
let attorney: string;
let consultationId: string;
let organizationId: string;
let attestation: CallAttestation;
const sockets: Socket[] = [];

async function joinedSocket(accessToken: string): Promise<Socket> {
  const ticket = await t.request('POST', `/api/calls/${consultationId}/ticket`, { token: accessToken });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
  const socket = io(`${t.url}/call`, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((done, fail) => {
    socket.once('connect', () => done());
    socket.once('connect_error', fail);
  });
  const joined = await socket.timeout(10_000).emitWithAck('join', { token: ticket.body.token });
  expect(joined.ok, JSON.stringify(joined)).toBe(true);
  return socket;
}

beforeAll(async () => {
  t = await startTestServer();
  [staff, attorney] = await Promise.all([t.login('staff@parley.demo'), t.login('attorney@parley.demo')]);
  consultationId = await insertDemoConsultation(t.database.prisma, {
    startsInMinutes: -1,
    kioskPin: '604215',
  });
  organizationId = (await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: consultationId } }))
    .organizationId;
  // The organisation's case system: deliveries fail (nothing listens), but each body is stored.
  await t.database.prisma.webhookEndpoint.create({
    data: { organizationId, url: 'http://127.0.0.1:9/case-notes', secret: 'a'.repeat(40) },
  });

  const attorneySocket = await joinedSocket(attorney);
  await joinedSocket(staff);
  const ended = await attorneySocket.timeout(10_000).emitWithAck('endCall', {});
  expect(ended.ok, JSON.stringify(ended)).toBe(true);
  // The CALL_ENDED event is stored, attested and handed to the webhook (whose deliveries keep
  // failing and retrying: wait for the delivery to exist, not for the sender to be idle).
  await sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') }).writer.flush();
  while ((await t.database.prisma.webhookDelivery.count({ where: { consultationId } })) === 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await t?.close();
});

describe('a finished call’s signed record', () => {
  it('is published to the case’s readers, and refused to others', async () => {
    const res = await t.request('GET', `/api/consultations/${consultationId}/attestation`, { token: staff });
    expect(res.status).toBe(200);
    attestation = CallAttestationSchema.parse(res.body.attestation);
    const statement = CallAttestationStatementSchema.parse(JSON.parse(attestation.statement));
    expect(statement.consultationId).toBe(consultationId);
    expect(statement.mediaRecorded).toBe(false);
    expect(statement.participants.map((p) => p.role).sort()).toEqual(['ATTORNEY', 'STAFF']);
    for (const p of statement.participants) expect(p.presence.every((s) => s.leftAt !== null)).toBe(true);

    const interpreter = await t.login('interpreter@parley.demo');
    const refused = await t.request('GET', `/api/consultations/${consultationId}/attestation`, {
      token: interpreter,
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    const elsewhere = await t.request('GET', `/api/consultations/${consultationId}/attestation`, {
      token: await t.login('staff@other.test'),
    });
    expect(elsewhere.status).toBe(404);
  });

  it('verifies against the key published at the well-known URL and the database', async () => {
    const res = await fetch(`${t.url}/.well-known/parley-attestation-keys`);
    expect(res.status).toBe(200);
    const jwks = AttestationJwksSchema.parse(await res.json());
    expect(jwks.keys.map((k) => k.kid)).toContain(attestation.keyId);
    const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationId);
    expect(verifyAttestation(attestation, publicKeysOf(jwks), consultationId, events)).toMatchObject({
      valid: true,
    });
  });

  it('travels with the case-note webhook', async () => {
    const delivery = await t.database.prisma.webhookDelivery.findFirstOrThrow({ where: { consultationId } });
    const body = JSON.parse(delivery.body) as { attestation: CallAttestation & { keysUrl: string } };
    expect(body.attestation).toEqual({ ...attestation, keysUrl: '/.well-known/parley-attestation-keys' });
  });

  it('fails after any change to its events, in the API check and in npm run verify-log', async () => {
    const jwks = AttestationJwksSchema.parse(
      await (await fetch(`${t.url}/.well-known/parley-attestation-keys`)).json(),
    );
    const dir = await mkdtemp(join(tmpdir(), 'parley-attestation-'));
    const keysFile = join(dir, 'jwks.json');
    const attestationFile = join(dir, 'attestation.json');
    await writeFile(keysFile, JSON.stringify(jwks));
    await writeFile(attestationFile, JSON.stringify(attestation));
    const cli = (extra: string[] = []) =>
      run('npx', ['tsx', 'src/sessionLog/verifyLogCli.ts', consultationId, '--keys', keysFile, ...extra], {
        cwd: SERVER_DIR,
        env: { ...process.env, DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' },
      }).catch((err: { code: number; stdout: string }) => err);

    try {
      // The CLI needs a database another process can open: PostgreSQL only.
      if (t.database.url) {
        const ok = await cli();
        expect(ok.stdout).toMatch(/ATTESTATION OK: signed by key .+ no media recorded/);
        expect((await cli(['--attestation', attestationFile])).stdout).toMatch(/ATTESTATION OK/);
      }

      // Someone with the owner's keys moves the attorney's join by a second, behind the triggers.
      await t.database.ownerPrisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('ALTER TABLE "SessionEvent" DISABLE TRIGGER "SessionEvent_append_only"');
        await tx.$executeRawUnsafe(
          `UPDATE "SessionEvent" SET "occurredAt" = "occurredAt" - interval '1 second'
           WHERE "consultationId" = '${consultationId}' AND "type" = 'PARTICIPANT_JOINED'`,
        );
        await tx.$executeRawUnsafe('ALTER TABLE "SessionEvent" ENABLE TRIGGER "SessionEvent_append_only"');
      });
      const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationId);
      expect(verifyAttestation(attestation, publicKeysOf(jwks), consultationId, events)).toMatchObject({
        valid: false,
        problem: 'LOG_BROKEN',
      });
      if (t.database.url) {
        const broken = await cli();
        expect(broken).toMatchObject({ code: 1 });
        expect(broken.stdout).toMatch(/ATTESTATION INVALID: LOG_BROKEN/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Three CLI runs, each a new tsx process: slow on a loaded machine.
  }, 180_000);
});
