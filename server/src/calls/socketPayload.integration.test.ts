import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/shared';
import { startTestServer, type TestServer } from '../testing/testServer.ts';

/** Issue 11: `emit(event, ack)` without a payload must still be answered. */

let t: TestServer;
let socket: Socket;

/** Every message the server listens to on /call, as a socket sees it (new ones are covered too). */
const MESSAGES = [
  'join',
  'answer',
  'candidate',
  'setInterpretation',
  'setSidebar',
  'setMuted',
  'pleasePause',
  'acknowledgePause',
  'restartMedia',
  'leave',
  'endCall',
] as const;
const NEEDS_FIELDS = new Set([
  'join',
  'answer',
  'candidate',
  'setInterpretation',
  'setSidebar',
  'setMuted',
  'acknowledgePause',
]);

beforeAll(async () => {
  t = await startTestServer();
  socket = io(`${t.url}/call`, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
});

afterAll(async () => {
  socket?.close();
  await t?.close();
});

function emitBare(event: string): Promise<any> {
  return (socket.timeout(5_000) as Socket).emitWithAck(event);
}

describe('socket messages without a payload', () => {
  it.each(MESSAGES)('%s answers its ack', async (event) => {
    const reply = await emitBare(event);
    expect(reply.ok).toBe(false);
    if (NEEDS_FIELDS.has(event)) expect(reply.error.code).toBe(ErrorCode.VALIDATION_FAILED);
    // Messages without fields read a missing payload as {}: refused because the socket holds no seat.
    else expect(reply.error.code).toBe(ErrorCode.NOT_IN_CONSULTATION);
  });

  it.each(MESSAGES)('%s with a malformed payload is VALIDATION_FAILED', async (event) => {
    const reply = await (socket.timeout(5_000) as Socket).emitWithAck(event, 'not an object');
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.VALIDATION_FAILED } });
  });
});
