/**
 * Janus VideoRoom under the same load as Parley: run inside the benchmark's network namespace
 * on core 1 (see janusSetup.ts), Janus on core 0. Each room of three: three publishers (werift
 * offers send-only Opus), then one multistream subscriber per participant for the other two
 * feeds (Janus offers, werift answers). After ICE/DTLS the lean generator takes over, as for
 * Parley. Usage: janusBench.ts <janus pid> [--quick]
 */
import { performance } from 'node:perf_hooks';
import { RTCPeerConnection, RTP_EXTENSION_URI } from 'werift';
import { peerConnectionConfig } from '../../server/src/media/werift/peerConfig.ts';
import { runSuite, type SuiteOptions } from './capacity.ts';
import { GENERATOR_ADDRESS, JANUS_ADDRESS } from './janusSetup.ts';
import { LoadGenerator, type LeanEndpoint, type Stream } from './LoadGenerator.ts';
import { note, pinSelf, sleep, waitConnected } from './support.ts';

const API = `http://${JANUS_ADDRESS}:8088/janus`;

interface JanusEvent {
  janus: string;
  transaction?: string;
  sender?: number;
  plugindata?: { data: Record<string, unknown> };
  jsep?: { type: 'offer' | 'answer'; sdp: string };
  error?: { code: number; reason: string };
}

/** One Janus session over HTTP with a long-poll loop that routes events by transaction. */
class JanusSession {
  private id = 0;
  private nextTransaction = 0;
  private readonly waiting = new Map<string, (event: JanusEvent) => void>();
  private polling = false;

  async create(): Promise<void> {
    const response = await this.post(API, { janus: 'create' });
    this.id = (response as { data: { id: number } }).data.id;
    this.polling = true;
    void this.poll();
  }

  async attach(): Promise<number> {
    const response = await this.post(`${API}/${this.id}`, {
      janus: 'attach',
      plugin: 'janus.plugin.videoroom',
    });
    return (response as { data: { id: number } }).data.id;
  }

  /** A synchronous plugin request (create room and the like). */
  async request(handle: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = (await this.post(`${API}/${this.id}/${handle}`, {
      janus: 'message',
      body,
    })) as JanusEvent;
    const data = response.plugindata?.data ?? {};
    if (data.error) throw new Error(`janus: ${JSON.stringify(data.error)}`);
    return data;
  }

  /** An asynchronous plugin request: resolves with the event that answers it. */
  async message(
    handle: number,
    body: Record<string, unknown>,
    jsep?: JanusEvent['jsep'],
  ): Promise<JanusEvent> {
    const transaction = `t${this.nextTransaction++}`;
    const event = new Promise<JanusEvent>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`janus: no answer to ${String(body.request)}`)),
        15_000,
      );
      this.waiting.set(transaction, (e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
    const ack = (await this.post(
      `${API}/${this.id}/${handle}`,
      { janus: 'message', body, jsep },
      transaction,
    )) as JanusEvent;
    if (ack.janus === 'error') throw new Error(`janus: ${ack.error?.reason}`);
    const answered = await event;
    const data = answered.plugindata?.data ?? {};
    if (data.error) throw new Error(`janus: ${JSON.stringify(data.error)}`);
    return answered;
  }

  stop(): void {
    this.polling = false;
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      try {
        const response = await fetch(`${API}/${this.id}?maxev=50`);
        const events = (await response.json()) as JanusEvent | JanusEvent[];
        for (const event of Array.isArray(events) ? events : [events]) {
          if (!event.transaction) continue;
          const waiter = this.waiting.get(event.transaction);
          if (waiter && event.janus === 'event') {
            this.waiting.delete(event.transaction);
            waiter(event);
          }
        }
      } catch (error) {
        if (this.polling) note(`janus poll failed: ${String(error)}`);
        await sleep(100);
      }
    }
  }

  private async post(
    url: string,
    body: Record<string, unknown>,
    transaction = `t${this.nextTransaction++}`,
  ): Promise<unknown> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, transaction }),
    });
    const json = (await response.json()) as JanusEvent;
    if (json.janus === 'error') throw new Error(`janus: ${json.error?.reason}`);
    return json;
  }
}

async function main(): Promise<void> {
  const janusPid = Number(process.argv[2]);
  const quick = process.argv.includes('--quick');
  await pinSelf(1);
  const session = new JanusSession();
  await session.create();
  const admin = await session.attach();
  const gen = new LoadGenerator();
  const pcs: RTCPeerConnection[] = [];
  const config = () => peerConnectionConfig({ listenAddresses: [GENERATOR_ADDRESS] });

  async function publish(room: number, feed: number): Promise<Stream> {
    const handle = await session.attach();
    await session.message(handle, { request: 'join', ptype: 'publisher', room, id: feed });
    const pc = new RTCPeerConnection(config());
    pcs.push(pc);
    const transceiver = pc.addTransceiver('audio', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const answered = await session.message(
      handle,
      { request: 'publish', audio: true, video: false },
      { type: 'offer', sdp: pc.localDescription!.sdp },
    );
    if (!answered.jsep) throw new Error('janus: no answer to the publisher offer');
    await pc.setRemoteDescription(answered.jsep);
    await waitConnected(pc);
    const endpoint = gen.endpoint(pc);
    endpoint.takeOver();
    const levelId = transceiver.headerExtensions.find(
      (e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication,
    )?.id;
    return gen.addStream(endpoint, transceiver.sender.ssrc, levelId, 0);
  }

  async function subscribe(
    room: number,
    feeds: number[],
  ): Promise<{ endpoint: LeanEndpoint; start: number }> {
    const handle = await session.attach();
    const start = performance.now();
    let offered: JanusEvent | undefined;
    // A feed whose connection is not up yet is "No such feed" (TESTING.md): retry briefly.
    for (let attempt = 0; !offered; attempt++) {
      try {
        offered = await session.message(handle, {
          request: 'join',
          ptype: 'subscriber',
          room,
          streams: feeds.map((feed) => ({ feed })),
        });
      } catch (error) {
        if (attempt > 20) throw error;
        await sleep(100);
      }
    }
    if (!offered.jsep) throw new Error('janus: the subscriber join carried no offer');
    const pc = new RTCPeerConnection(config());
    pcs.push(pc);
    const endpoint = gen.endpoint(pc);
    await pc.setRemoteDescription(offered.jsep);
    for (const transceiver of pc.getTransceivers()) transceiver.setDirection('recvonly');
    await pc.setLocalDescription(await pc.createAnswer());
    endpoint.watchFirstPacket();
    await session.message(handle, { request: 'start' }, { type: 'answer', sdp: pc.localDescription!.sdp });
    await waitConnected(pc);
    endpoint.takeOver();
    return { endpoint, start };
  }

  const target = {
    name: 'janus',
    pid: janusPid,
    async addRoom(index: number) {
      const room = 1000 + index;
      await session.request(admin, {
        request: 'create',
        room,
        publishers: 3,
        audiocodec: 'opus',
        videocodec: 'vp8',
        notify_joining: false,
        permanent: false,
      });
      const feeds = [1, 2, 3].map((i) => room * 10 + i);
      const streams: Stream[] = [];
      for (const feed of feeds) streams.push(await publish(room, feed));
      const joinMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const others = feeds.filter((_, j) => j !== i);
        const { endpoint, start } = await subscribe(room, others);
        for (let j = 0; j < 3; j++) if (j !== i) streams[j]!.fanout++;
        const deadline = performance.now() + 5000;
        while (endpoint.firstPacketAt === undefined && performance.now() < deadline) await sleep(2);
        if (endpoint.firstPacketAt !== undefined) joinMs.push(endpoint.firstPacketAt - start);
      }
      return { joinMs };
    },
    async memory() {
      const { rssBytes } = await import('./support.ts');
      return rssBytes(janusPid);
    },
  };

  const options: SuiteOptions = quick
    ? { steps: [2], warmMs: 500, measureMs: 2000, joinSamples: 2, host: GENERATOR_ADDRESS }
    : {
        steps: [5, 10, 20, 30, 40, 50, 60, 80, 100],
        warmMs: 1500,
        measureMs: 5000,
        joinSamples: 10,
        host: GENERATOR_ADDRESS,
      };
  try {
    await runSuite(target, gen, options);
  } finally {
    gen.stop();
    session.stop();
    await Promise.allSettled(pcs.map((pc) => pc.close()));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    note(
      `janus benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
