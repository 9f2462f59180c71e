import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignalingTestClient } from '../calls/testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from '../calls/testing/tickets.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestCluster, type ClusterTestNode, type TestCluster } from './testing/clusterNodes.ts';

/**
 * Two (then three) real Parley nodes on different ports over one real database and the real Redis:
 * what one node knows, the others must know, and a call's signalling reaches the node that holds it
 * whichever node the socket came in through.
 */

const ATTORNEY = 0;
const INTERPRETER = 1;
const CLIENT = 2;

let cluster: TestCluster;
let a: ClusterTestNode;
let b: ClusterTestNode;
const opened: SignalingTestClient[] = [];
let pinCounter = 300_000;

beforeAll(async () => {
  cluster = await startTestCluster(['node-a', 'node-b'], { loginRateLimit: { windowMs: 60_000, max: 3 } });
  [a, b] = cluster.nodes as [ClusterTestNode, ClusterTestNode];
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function connect(node: ClusterTestNode, name: string): Promise<SignalingTestClient> {
  const client = await SignalingTestClient.connect(node.url, name);
  opened.push(client);
  return client;
}

function newConsultation(): Promise<string> {
  return insertDemoConsultation(cluster.database.prisma, {
    startsInMinutes: -1,
    kioskPin: String(pinCounter++),
  });
}

async function ticket(node: ClusterTestNode, email: string, consultationId: string): Promise<string> {
  return userCallTicket(node, await node.login(email), consultationId);
}

/** Where the registry says the call lives. */
function ownerOf(consultationId: string): Promise<string | null> {
  return a.server.cluster!.registry.ownerOf(consultationId);
}

describe('several nodes', () => {
  it('both nodes are in the registry and ready', async () => {
    const live = await a.server.cluster!.registry.liveNodes();
    expect(live.map((n) => n.nodeId).sort()).toEqual(['node-a', 'node-b']);
    for (const node of [a, b]) {
      const ready = await node.request('GET', '/api/ready');
      expect(ready.status).toBe(200);
    }
  });

  it('a call token used through node A is refused at node B', async () => {
    const consultationId = await newConsultation();
    const token = await ticket(a, 'attorney@parley.demo', consultationId);
    const first = await connect(a, 'attorney at A');
    expect((await first.join(token)).ok).toBe(true);
    const replay = await connect(b, 'replay at B');
    const refused = await replay.join(token);
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
  });

  it('a participant entering through the other node joins the call where it lives, media included', async () => {
    const consultationId = await newConsultation();
    const attorney = await connect(a, 'attorney at A');
    await attorney.joinWithMedia(await ticket(a, 'attorney@parley.demo', consultationId), ATTORNEY);
    const owner = await ownerOf(consultationId);
    expect(owner).not.toBeNull();
    const [ownerNode, otherNode] = owner === 'node-a' ? [a, b] : [b, a];
    // The interpreter's socket is on the node that does not hold the call.
    const interpreter = await connect(otherNode, 'interpreter at the other node');
    await interpreter.joinWithMedia(
      await ticket(otherNode, 'interpreter@parley.demo', consultationId),
      INTERPRETER,
    );
    expect(ownerNode.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(otherNode.server.signaling.liveCalls.has(consultationId)).toBe(false);
    // Presence reaches both, whichever node their socket is on.
    for (const who of [attorney, interpreter]) {
      await who.waitForState(
        (s) => s.participants.filter((p) => p.status === 'connected').length === 2,
        'both connected',
      );
    }
    // Audio flows both ways through the owner's SFU.
    attorney.peer!.startSending();
    interpreter.peer!.startSending();
    await waitUntil(
      () => interpreter.peer!.from(ATTORNEY).length >= 10 && attorney.peer!.from(INTERPRETER).length >= 10,
      'audio both ways',
    );
    // A message of the relayed socket is checked by the owner like any other: not the attorney's to send.
    const sidebar = await interpreter.send('setSidebar', { active: true });
    expect(sidebar).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('a user deactivated through one node is signed out on the other at once', async () => {
    const admin = await a.login('admin@parley.demo');
    const interpreterToken = await b.login('kreyol@parley.demo');
    // Node B has the interpreter's session state in its cache now (kept 10 s unless told).
    expect((await b.request('GET', '/api/auth/me', { token: interpreterToken })).status).toBe(200);
    const { id } = await cluster.database.prisma.user.findUniqueOrThrow({
      where: { email: 'kreyol@parley.demo' },
      select: { id: true },
    });
    expect((await a.request('POST', `/api/users/${id}/deactivate`, { token: admin })).status).toBe(200);
    // Well within the cache's 10 s lifetime, node B refuses the session (polled for up to ~4 s:
    // the revocation crosses Redis pub/sub, which a loaded 2-core machine may delay).
    let refused = await b.request('GET', '/api/auth/me', { token: interpreterToken });
    for (let i = 0; i < 80 && refused.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refused = await b.request('GET', '/api/auth/me', { token: interpreterToken });
    }
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SESSION_REVOKED');
  });

  it('sign-in attempts count across nodes', async () => {
    // Last in this block: it leaves this address blocked from signing in.
    // The limit is 3 failed attempts per address per window, whichever node they reach.
    for (const node of [a, b, a]) {
      const res = await node.request('POST', '/api/auth/login', {
        body: { email: 'nobody@parley.demo', password: 'wrong-password-123' },
      });
      expect(res.status).toBe(401);
    }
    const fourth = await b.request('POST', '/api/auth/login', {
      body: { email: 'nobody@parley.demo', password: 'wrong-password-123' },
    });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
  });
});

describe('draining', () => {
  let pair: TestCluster;
  beforeAll(async () => {
    pair = await startTestCluster(['drain-1', 'drain-2']);
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
  });

  it('a draining node takes no new call, keeps its own until it ends, and says it is not ready', async () => {
    const [first, second] = pair.nodes as [ClusterTestNode, ClusterTestNode];
    const prisma = pair.database.prisma;
    const consultationId = await insertDemoConsultation(prisma, { startsInMinutes: -1, kioskPin: '400001' });
    const attorney = await connect(first, 'attorney at the first node');
    // Neither node holds a call: the tie goes to the first by name.
    expect((await attorney.join(await ticket(first, 'attorney@parley.demo', consultationId))).ok).toBe(true);
    expect(first.server.signaling.liveCalls.has(consultationId)).toBe(true);

    let drained = false;
    const draining = first.server.drain().then(() => (drained = true));
    await waitUntil(() => first.server.cluster!.isDraining, 'draining');
    expect((await first.request('GET', '/api/ready')).status).toBe(503);
    expect((await first.request('GET', '/api/health')).status).toBe(200);

    // A new call goes to the other node, even when its first join comes in through the draining one.
    const next = await insertDemoConsultation(prisma, { startsInMinutes: -1, kioskPin: '400002' });
    const newcomer = await connect(first, 'attorney of a new call at the draining node');
    expect((await newcomer.join(await ticket(first, 'attorney@parley.demo', next))).ok).toBe(true);
    expect(second.server.signaling.liveCalls.has(next)).toBe(true);
    expect(first.server.signaling.liveCalls.has(next)).toBe(false);

    // Its own call goes on until it ends; then the drain is over.
    expect(drained).toBe(false);
    expect(first.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(await attorney.send('endCall', {})).toMatchObject({ ok: true });
    await draining;
    expect(first.server.signaling.liveCalls.size).toBe(0);
  });
});

describe('a node that goes away', () => {
  let pair: TestCluster;
  beforeAll(async () => {
    pair = await startTestCluster(['gone-1', 'gone-2']);
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
  });

  it('closes the sockets relayed to it, and the call comes back on a live node when the page rejoins', async () => {
    const [owner, entry] = pair.nodes as [ClusterTestNode, ClusterTestNode];
    const consultationId = await insertDemoConsultation(pair.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '500001',
    });
    // Both sockets come in through the second node; the call is placed on the first (tie by name).
    const attorney = await connect(entry, 'attorney');
    expect((await attorney.join(await ticket(entry, 'attorney@parley.demo', consultationId))).ok).toBe(true);
    const interpreter = await connect(entry, 'interpreter');
    expect((await interpreter.join(await ticket(entry, 'interpreter@parley.demo', consultationId))).ok).toBe(
      true,
    );
    expect(owner.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(false);

    await owner.server.close();
    for (const who of [attorney, interpreter]) {
      await waitUntil(() => who.disconnectReason !== undefined, `${who.name}'s relayed socket is closed`);
      // The reason the call page reconnects on by itself.
      expect(who.disconnectReason).toBe('io server disconnect');
    }
    // The pages reconnect and rejoin with new tickets: the call is placed on the live node.
    const again = await connect(entry, 'attorney again');
    expect((await again.join(await ticket(entry, 'attorney@parley.demo', consultationId))).ok).toBe(true);
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(await entry.server.cluster!.registry.ownerOf(consultationId)).toBe('gone-2');
  });
});

describe('three nodes, one call', () => {
  let trio: TestCluster;
  beforeAll(async () => {
    trio = await startTestCluster(['three-1', 'three-2', 'three-3']);
  }, 120_000);
  afterAll(async () => {
    await trio?.close();
  });

  it('attorney, interpreter and client each through a different node: everyone hears everyone, and a sidebar keeps the client out', async () => {
    const [first, second, third] = trio.nodes as [ClusterTestNode, ClusterTestNode, ClusterTestNode];
    const consultationId = await insertDemoConsultation(trio.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '600101',
    });
    const kiosk = await third.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential('ADAMS') },
    });
    expect(kiosk.status).toBe(200);

    const attorney = await connect(first, 'attorney through the first node');
    await attorney.joinWithMedia(await ticket(first, 'attorney@parley.demo', consultationId), ATTORNEY);
    const interpreter = await connect(second, 'interpreter through the second node');
    await interpreter.joinWithMedia(
      await ticket(second, 'interpreter@parley.demo', consultationId),
      INTERPRETER,
    );
    const client = await connect(third, 'client through the third node');
    await client.joinWithMedia(
      await kioskCallTicket(third, kiosk.body.token as string, consultationId),
      CLIENT,
    );
    // One node holds the call; the other two relay to it.
    const owner = await first.server.cluster!.registry.ownerOf(consultationId);
    const holding = trio.nodes.filter((n) => n.server.signaling.liveCalls.has(consultationId));
    expect(holding.map((n) => n.nodeId)).toEqual([owner]);

    const all = [attorney, interpreter, client];
    for (const who of all) {
      await who.waitForState(
        (s) => s.participants.filter((p) => p.status === 'connected').length === 3,
        'all three connected',
      );
      who.peer!.startSending();
    }
    await waitUntil(
      () => all.every((l) => all.every((s) => s === l || l.peer!.from(s.peer!.index).length >= 10)),
      'everyone hears everyone',
    );

    // The attorney's sidebar, sent through the first node: from its acknowledgement on, the client
    // (on the third) gets no packet of attorney or interpreter, who still hear each other and the client.
    expect(await attorney.send('setSidebar', { active: true })).toEqual({ ok: true, data: null });
    const sent = new Map(all.map((c) => [c, c.peer!.sent]));
    const after = (listener: SignalingTestClient, speaker: SignalingTestClient) =>
      listener.peer!.from(speaker.peer!.index).filter((r) => r.seq > sent.get(speaker)!).length;
    await waitUntil(
      () =>
        after(attorney, interpreter) >= 25 &&
        after(interpreter, attorney) >= 25 &&
        after(attorney, client) >= 25,
      'the sidebar members hear each other and the client',
    );
    expect(after(client, attorney)).toBe(0);
    expect(after(client, interpreter)).toBe(0);
    await client.waitForState((s) => s.sidebar.active, 'the client told of the sidebar');
  });
});
