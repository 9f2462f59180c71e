/**
 * `parley.join.signalling_first_audio`: a headless participant's join through the real signalling,
 * timed from its first request to the first forwarded audio packet it receives, while the others
 * in the consultation are already publishing.
 *
 * The attorney and the kiosk client are in the call, each publishing a stamped Opus-sized packet
 * every 20 ms. The interpreter then joins, N times, exactly as the integration tests' headless
 * client does (server/src/calls/testing/SignalingTestClient.ts): `POST /api/calls/:id/ticket`,
 * a new socket.io connection to `/call`, `join` (the server answers with its SDP offer), a werift
 * answer sent back with `answer`, ICE and DTLS on 127.0.0.1, then forwarded packets. werift puts
 * its candidates in the answer's SDP, so this client sends no `candidate` messages (a browser
 * trickles them). After each join the interpreter sends `leave`, so every sample is a first join
 * of that seat, not a reconnection.
 *
 * On the mediasoup engine the same client speaks mediasoup's client-driven negotiation instead
 * (SignalingTestClient's MediasoupTestPeer: connectTransport, produce, receiveCapabilities, then
 * the consumers the server lists), still with a werift peer connection underneath.
 *
 * The server offers, so it controls ICE and is the DTLS server; the werift client is the DTLS
 * client, and werift waits a fixed 100 ms before sending its ClientHello (werift 0.24,
 * lib/webrtc/src/transport/dtls.js). That wait is the client library's, not Parley's, and a
 * browser has none; it is in this figure, as in the media benchmark's headless join time.
 */
import { SignalingTestClient } from '../../server/src/calls/testing/SignalingTestClient.ts';
import { waitUntil } from '../../server/src/media/testing/callHarness.ts';
import { emit, median, note, quantile, round, sleep } from '../media/support.ts';
import { kioskTicket, signIn, userTicket } from './http.ts';
import type { JoinBenchServer } from './joinBench.ts';

/** Stamps in the test peers' packets: who sent it. */
const ATTORNEY = 0;
const CLIENT = 1;
const NEWCOMER = 2;
/** How long a join may take before the sample fails (not a timing assertion: it never arrived). */
const FIRST_PACKET_TIMEOUT_MS = 15_000;

/** Milliseconds from the first request, per step of one join. */
interface JoinMarks {
  ticket: number;
  socket: number;
  joinAck?: number;
  iceConnected?: number;
  mediaConnected?: number;
  firstPacket?: number;
}

/** Returns the samples' times from the first request to the first forwarded packet (ms). */
export async function measureSignallingJoin(server: JoinBenchServer, samples: number): Promise<number[]> {
  const { url } = server;
  const consultationId = await server.consultation('314159');
  const [attorneyToken, interpreterToken] = await Promise.all([
    signIn(url, 'attorney@parley.demo'),
    signIn(url, 'interpreter@parley.demo'),
  ]);
  const opened: SignalingTestClient[] = [];
  try {
    // The others are in and publishing before anyone is timed.
    const attorney = await SignalingTestClient.connect(url, 'attorney');
    opened.push(attorney);
    await attorney.joinWithMedia(await userTicket(url, attorneyToken, consultationId), ATTORNEY);
    const client = await SignalingTestClient.connect(url, 'client');
    opened.push(client);
    await client.joinWithMedia(await kioskTicket(url, consultationId), CLIENT);
    attorney.peer!.startSending();
    client.peer!.startSending();
    await waitUntil(
      () => attorney.peer!.from(CLIENT).length >= 5 && client.peer!.from(ATTORNEY).length >= 5,
      'the attorney and the client hear each other',
    );

    const joins: JoinMarks[] = [];
    for (let i = 0; i < samples; i++) {
      const marks = await joinOnce(url, interpreterToken, consultationId, `interpreter #${i + 1}`);
      joins.push(marks);
      const ms = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(0));
      note(
        `join (signalling, ${server.engine}): ${i + 1}/${samples}: first audio after ${ms(marks.firstPacket)} ms ` +
          `(ticket ${ms(marks.ticket)}, socket ${ms(marks.socket)}, offer ${ms(marks.joinAck)}, ` +
          `ICE ${ms(marks.iceConnected)}, DTLS ${ms(marks.mediaConnected)})`,
      );
      await sleep(300);
    }

    const total = joins.map((m) => m.firstPacket!);
    const step = (pick: (m: JoinMarks) => number | undefined) =>
      round(median(joins.map(pick).filter((v): v is number => v !== undefined)));
    emit({
      figure: 'parley.join.signalling_first_audio',
      engine: server.engine,
      median: median(total),
      p95: quantile(total, 0.95),
      p99: quantile(total, 0.99),
      unit: 'ms',
      samples: total.length,
      database: server.database,
      // Medians of the time from the first request to the end of each step.
      steps_median_ms: {
        ticket: step((m) => m.ticket),
        socket_connected: step((m) => m.socket),
        join_ack_with_offer: step((m) => m.joinAck),
        ice_connected: step((m) => m.iceConnected),
        dtls_connected: step((m) => m.mediaConnected),
        first_packet: step((m) => m.firstPacket),
      },
      samples_ms: total.map(round),
      note:
        (server.engine === 'werift'
          ? 'POST ticket → socket.io /call → join/offer → werift answer → ICE+DTLS'
          : 'POST ticket → socket.io /call → join (router capabilities, transports) → connectTransport, produce, ' +
            'receiveCapabilities → ICE+DTLS') +
        ' → first forwarded packet at a headless werift peer (server/src/media/testing; its DTLS client waits ' +
        'a fixed 100 ms before the ClientHello); attorney and kiosk client already publishing; server in its own process',
    });
    return total;
  } finally {
    for (const c of opened) {
      c.peer?.stopSending();
      await c.close().catch(() => undefined);
    }
  }
}

/** One timed join of the interpreter; leaves the call again before returning. */
async function joinOnce(
  url: string,
  accessToken: string,
  consultationId: string,
  name: string,
): Promise<JoinMarks> {
  const t0 = performance.now();
  const ticket = await userTicket(url, accessToken, consultationId);
  const ticketAt = performance.now() - t0;
  const newcomer = await SignalingTestClient.connect(url, name);
  const marks: JoinMarks = { ticket: ticketAt, socket: performance.now() - t0 };
  let abandoned = false;
  const watching = watchJoin(newcomer, t0, marks, () => abandoned);
  watching.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  try {
    await newcomer.joinWithMedia(ticket, NEWCOMER);
    await watching;
    return marks;
  } catch (error) {
    abandoned = true;
    await watching.catch(() => undefined);
    throw error;
  } finally {
    await newcomer.send('leave').catch(() => undefined);
    await newcomer.close().catch(() => undefined);
  }
}

/**
 * Notes when each step of the join completes, polling every millisecond (the test client records
 * packets without arrival times), until the first forwarded packet has arrived.
 */
async function watchJoin(
  client: SignalingTestClient,
  t0: number,
  marks: JoinMarks,
  abandoned: () => boolean,
): Promise<void> {
  const deadline = t0 + FIRST_PACKET_TIMEOUT_MS;
  while (!abandoned()) {
    const at = performance.now() - t0;
    const pc = client.peer?.pc;
    if (marks.joinAck === undefined && client.joined) marks.joinAck = at;
    if (
      marks.iceConnected === undefined &&
      (pc?.iceConnectionState === 'connected' || pc?.iceConnectionState === 'completed')
    )
      marks.iceConnected = at;
    if (marks.mediaConnected === undefined && pc?.connectionState === 'connected') marks.mediaConnected = at;
    if (client.peer && client.peer.received.length > 0) {
      marks.firstPacket = at;
      return;
    }
    if (performance.now() > deadline) throw new Error(`${client.name} received no audio within 15 s`);
    await sleep(1);
  }
}
