import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/shared';
import { userCallTicket } from '../../calls/testing/tickets.ts';
import { insertDemoConsultation } from '../consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testServer.ts';
import { badJsonBody, FIELD_NAMES } from './badInput.ts';
import { snapshotDatabase } from './dbSnapshot.ts';

/**
 * Property-based: generated bad payloads for every socket message the call signalling listens to
 * (read from the server's own socket, so a new message is covered at once). Every message gets an
 * error ack with a code from shared/errors.ts — with a junk payload, with none at all — and the
 * database does not change. Seeded and bounded as the REST suite (FUZZ_SEED, FUZZ_RUNS).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_MESSAGE = Number(process.env.FUZZ_RUNS ?? 16) * 2;
const ACK_TIMEOUT_MS = 5_000;
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
/** socket.io's own events, not messages a client sends. */
const LIFECYCLE_EVENTS = new Set(['disconnect', 'disconnecting', 'error']);

let t: TestServer;

async function connect(): Promise<Socket> {
  const socket = io(`${t.url}/call`, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The messages the server listens to on this socket, from the server side of the connection. */
function listenedMessages(socket: Socket): string[] {
  const serverSide = t.server.signaling.io.of('/call').sockets.get(socket.id ?? '');
  if (!serverSide) throw new Error('no server-side socket');
  return serverSide
    .eventNames()
    .map(String)
    .filter((name) => !LIFECYCLE_EVENTS.has(name));
}

async function send(socket: Socket, event: string, payload: { value: unknown } | undefined): Promise<any> {
  const timed = socket.timeout(ACK_TIMEOUT_MS);
  return payload === undefined ? timed.emitWithAck(event) : timed.emitWithAck(event, payload.value);
}

/** Waits until the session log has written what it queued and the database holds still. */
async function settledSnapshot(): Promise<Record<string, string>> {
  await t.server.sessionLog.flush();
  let previous = await snapshotDatabase(t.database.prisma);
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await snapshotDatabase(t.database.prisma);
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  return previous;
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((name) => before[name] !== after[name])
    .sort();
}

/** Payloads no message schema accepts: not an object, or an object with a field no schema has. */
const invalidPayload = fc.oneof(
  badJsonBody
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    .filter((v) => v !== null),
  fc
    .dictionary(fc.constantFrom(...FIELD_NAMES), badJsonBody, { maxKeys: 4 })
    .map((fields) => ({ ...fields, fuzzField: 1 })),
  fc.array(badJsonBody, { maxLength: 3 }),
);

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
});

describe('every socket message under generated bad payloads', () => {
  it(
    'on a socket that has not joined: an error ack with a stable code, nothing changed',
    { timeout: 300_000 },
    async () => {
      const socket = await connect();
      try {
        const messages = listenedMessages(socket);
        expect(messages).toEqual(expect.arrayContaining(['join', 'answer', 'candidate', 'leave', 'endCall']));
        let before = await settledSnapshot();
        for (const event of messages) {
          await fc.assert(
            fc.asyncProperty(
              fc.option(
                badJsonBody.map((value) => ({ value })),
                { nil: undefined, freq: 5 },
              ),
              async (payload) => {
                const reply = await send(socket, event, payload);
                const where = `${event}(${JSON.stringify(payload?.value)?.slice(0, 200)}) → ${JSON.stringify(reply)?.slice(0, 300)}`;
                expect(reply?.ok, where).toBe(false);
                expect(KNOWN_CODES.has(reply?.error?.code), where).toBe(true);
                const after = await snapshotDatabase(t.database.prisma);
                expect(changedTables(before, after), where).toEqual([]);
                before = after;
              },
            ),
            { seed: SEED, numRuns: RUNS_PER_MESSAGE, endOnFailure: true, includeErrorInReport: true },
          );
        }
        expect(socket.connected).toBe(true);
      } finally {
        socket.close();
      }
    },
  );

  it(
    'seated in a live call (staff): VALIDATION_FAILED for every malformed message, nothing changed',
    { timeout: 300_000 },
    async () => {
      const consultationId = await insertDemoConsultation(t.database.prisma, {
        startsInMinutes: -1,
        kioskPin: '271828',
      });
      const staff = await t.login('staff@parley.demo');
      const socket = await connect();
      try {
        const joined = await send(socket, 'join', {
          value: { token: await userCallTicket(t, staff, consultationId) },
        });
        expect(joined.ok, JSON.stringify(joined)).toBe(true);
        const messages = listenedMessages(socket);
        let before = await settledSnapshot();
        for (const event of messages) {
          await fc.assert(
            fc.asyncProperty(invalidPayload, async (value) => {
              const reply = await send(socket, event, { value });
              const where = `${event}(${JSON.stringify(value)?.slice(0, 200)}) → ${JSON.stringify(reply)?.slice(0, 300)}`;
              expect(reply?.ok, where).toBe(false);
              expect(reply?.error?.code, where).toBe(ErrorCode.VALIDATION_FAILED);
              const after = await snapshotDatabase(t.database.prisma);
              expect(changedTables(before, after), where).toEqual([]);
              before = after;
            }),
            { seed: SEED, numRuns: RUNS_PER_MESSAGE, endOnFailure: true, includeErrorInReport: true },
          );
        }
        // Still seated and answering: a well-formed message works.
        const muted = await send(socket, 'setMuted', { value: { audio: true, video: true } });
        expect(muted.ok, JSON.stringify(muted)).toBe(true);
      } finally {
        socket.close();
      }
      expect((await t.request('GET', '/api/health')).status).toBe(200);
    },
  );
});
