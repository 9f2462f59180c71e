import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalingTestClient } from '../calls/testing/SignalingTestClient.ts';
import { userCallTicket } from '../calls/testing/tickets.ts';
import {
  startTestCluster,
  TEST_JWT_SECRET,
  type ClusterTestNode,
  type TestCluster,
} from '../cluster/testing/clusterNodes.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import type { SipConfig } from './sipConfig.ts';
import { RawPeer } from './testing/RawPeer.ts';
import { seatPin } from './testing/seatPin.ts';

/**
 * Phone legs on two real Parley nodes over one database and the real Redis, each with its own SIP
 * port and the trunk's digest credentials: a challenge one node gave is answered at the other (the
 * nonce is signed with the shared secret, not remembered), an answer for another URI is refused,
 * and a phone caller lands only on the node that holds its call. Ports: SIP 5101 and 5111, RTP
 * 5102–5105 and 5112–5115.
 */
const digest = { user: 'trunk', password: 'trunk-password', realm: 'parley', nonceSecret: TEST_JWT_SECRET };
const sipFor = (port: number): SipConfig => ({
  listenAddress: '127.0.0.1',
  udpPort: port,
  tcpPort: null,
  publicAddress: '127.0.0.1',
  rtpPorts: { min: port + 1, max: port + 4 },
  trunk: null,
  digest,
  allowedSources: ['127.0.0.1'],
  refusalsPerMinute: 10,
  invitesPerMinute: 30,
  maxCalls: 10,
  pinSecret: 'cluster-phone-secret',
});
const SIP_A = 5101;
const SIP_B = 5111;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

/** The trunk's Authorization for `nonce` (RFC 2617, qop=auth), naming `uri`. */
function authorization(nonce: string, uri: string, password = digest.password): string {
  const ha1 = md5(`${digest.user}:${digest.realm}:${password}`);
  const response = md5(`${ha1}:${nonce}:00000001:c0ffee:auth:${md5(`INVITE:${uri}`)}`);
  return `Authorization: Digest username="${digest.user}", realm="${digest.realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`;
}

let cluster: TestCluster;
let a: ClusterTestNode;
let b: ClusterTestNode;
let pinCounter = 610_000;

beforeAll(async () => {
  cluster = await startTestCluster([]);
  a = await cluster.addNode('node-a', { sip: sipFor(SIP_A) });
  b = await cluster.addNode('node-b', { sip: sipFor(SIP_B) });
}, 180_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

/** A call to `peer`'s node that authenticates with a nonce `challenger`'s node gave; resolves with its To tag. */
async function authenticatedCall(
  peer: RawPeer,
  challenger: RawPeer,
): Promise<{ callId: string; toTag: string }> {
  const probe = `probe-${randomUUID()}`;
  challenger.invite(probe);
  await until('the 401', () => challenger.statuses(probe).includes(401));
  const nonce = challenger.nonceOf(probe)!;
  // The retry keeps the Call-ID (the nonce is bound to it) and may reach the other node.
  const callId = probe;
  peer.invite(callId, [authorization(nonce, peer.uri)], undefined, 2);
  await until('the 200 OK', () => peer.toTagOf(callId) !== undefined);
  const toTag = peer.toTagOf(callId)!;
  peer.request('ACK', callId, { toTag });
  return { callId, toTag };
}

describe('phone legs in a cluster', () => {
  it('a digest challenge from node A is answered at node B; an answer for another URI or password is not', async () => {
    const atA = await RawPeer.open(SIP_A, '127.0.0.1');
    const atB = await RawPeer.open(SIP_B, '127.0.0.1');
    try {
      const { callId, toTag } = await authenticatedCall(atB, atA);
      expect(b.server.phone!.calls.has(callId)).toBe(true);
      atB.request('BYE', callId, { toTag, cseq: 2 });
      await until('the call gone', () => !b.server.phone!.calls.has(callId));

      const probe = `probe-${randomUUID()}`;
      atA.invite(probe);
      await until('the 401', () => atA.statuses(probe).includes(401));
      const nonce = atA.nonceOf(probe)!;
      // Right password and A's own nonce, but made for B's URI and replayed at A: challenged again.
      const otherUri = probe;
      atA.invite(otherUri, [authorization(nonce, atB.uri)], undefined, 2);
      const refused = (peer: RawPeer, callId: string, cseq: number) =>
        peer.received.some(
          (m) =>
            m.startsWith('SIP/2.0 401') &&
            m.includes(callId) &&
            new RegExp(`^CSeq: ${cseq} INVITE`, 'm').test(m),
        );
      await until('401 for another URI', () => refused(atA, otherUri, 2));
      // The right answer, but in another call: challenged again.
      const otherCall = `other-call-${randomUUID()}`;
      atA.invite(otherCall, [authorization(nonce, atA.uri)]);
      await until('401 for another Call-ID', () => atA.statuses(otherCall).includes(401));
      const wrong = probe;
      atB.invite(wrong, [authorization(nonce, atB.uri, 'guess')], undefined, 3);
      await until('401 for a wrong password', () => refused(atB, wrong, 3));
      expect(a.server.phone!.calls.has(probe) || b.server.phone!.calls.has(probe)).toBe(false);
      expect(a.server.phone!.calls.has(otherCall)).toBe(false);
    } finally {
      atA.close();
      atB.close();
    }
  }, 60_000);

  it('a phone caller is refused at a node that does not hold the call: no second call of it is opened', async () => {
    const db = cluster.database.prisma;
    const id = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: String(pinCounter++) });
    // The attorney's browser joins through node A: A holds the call.
    const attorney = await SignalingTestClient.connect(a.url, 'attorney at A');
    try {
      const joined = await attorney.join(await userCallTicket(a, await a.login('attorney@parley.demo'), id));
      expect(joined.ok).toBe(true);
      expect(await a.server.cluster!.registry.ownerOf(id)).toBe('node-a');
      const atA = await RawPeer.open(SIP_A, '127.0.0.1');
      const atB = await RawPeer.open(SIP_B, '127.0.0.1');
      try {
        const { callId, toTag } = await authenticatedCall(atB, atA);
        await atB.keyByInfo(callId, toTag, await seatPin(db, 'cluster-phone-secret', id, 'CLIENT'));
        // "Sorry, the call cannot be connected now. Goodbye." and a BYE.
        await until('a BYE from node B', () => atB.byeIn(callId), 20_000);
        expect(b.server.signaling.liveCalls.has(id)).toBe(false);
        expect(await a.server.cluster!.registry.ownerOf(id)).toBe('node-a');
      } finally {
        atA.close();
        atB.close();
      }
    } finally {
      await attorney.close();
    }
  }, 60_000);

  it('a phone caller first into a call claims it for its node, where browsers are then relayed', async () => {
    const db = cluster.database.prisma;
    const id = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: String(pinCounter++) });
    expect(await a.server.cluster!.registry.ownerOf(id)).toBeNull();
    const atB = await RawPeer.open(SIP_B, '127.0.0.1');
    try {
      const { callId, toTag } = await authenticatedCall(atB, atB);
      await atB.keyByInfo(callId, toTag, await seatPin(db, 'cluster-phone-secret', id, 'ATTORNEY'));
      await until(
        'node B holds the call',
        async () => (await a.server.cluster!.registry.ownerOf(id)) === 'node-b',
      );
      // The interpreter's browser comes in through node A and is seated in B's call.
      const interpreter = await SignalingTestClient.connect(a.url, 'interpreter at A');
      try {
        const joined = await interpreter.join(
          await userCallTicket(a, await a.login('interpreter@parley.demo'), id),
        );
        expect(joined.ok).toBe(true);
        expect(b.server.signaling.liveCalls.has(id)).toBe(true);
        expect(a.server.signaling.liveCalls.has(id)).toBe(false);
      } finally {
        await interpreter.close();
      }
    } finally {
      atB.close();
    }
  }, 60_000);
});
