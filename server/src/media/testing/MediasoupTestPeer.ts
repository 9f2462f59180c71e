import {
  RTCPeerConnection,
  RTP_EXTENSION_URI,
  RtcpSrPacket,
  RtpHeader,
  RtpPacket,
  serializeAudioLevelIndication,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
} from 'werift';
import type {
  ConnectTransportMessage,
  ConsumerParameters,
  MediaNegotiation,
  ProduceMessage,
  ProduceResult,
  ReceiveCapabilitiesMessage,
  TransportParameters,
} from '@parley/shared';
import type { MediaParticipant } from '../MediaParticipant.ts';
import { NTP_UNIX_OFFSET_S } from '../werift/AudioSlotSender.ts';
import { peerConnectionConfig } from '../werift/peerConfig.ts';
import { readStamp, stampPayload, type ReceivedSenderReport, type ReceivedStamp } from './WeriftTestPeer.ts';

/** The client steps of mediasoup's negotiation, however they reach the server. */
export interface MediasoupSteps {
  connectTransport(message: ConnectTransportMessage): Promise<void>;
  produce(message: ProduceMessage): Promise<ProduceResult>;
  receiveCapabilities(message: ReceiveCapabilitiesMessage): Promise<void>;
}

/** The steps straight to a media participant of the room (the contract suite). */
export function participantSteps(participant: MediaParticipant): MediasoupSteps {
  return {
    connectTransport: async (message) =>
      void (await participant.negotiate({ step: 'connectTransport', ...message })),
    produce: async (message) => {
      const result = await participant.negotiate({ step: 'produce', ...message });
      if (!result) throw new Error('nothing was produced');
      return result;
    },
    receiveCapabilities: async (message) =>
      void (await participant.negotiate({ step: 'receiveCapabilities', ...message })),
  };
}

const OPUS_PT = 111;

/**
 * What this peer can receive, as mediasoup-client's Device works it out: the router's Opus and
 * its audio extensions this peer handles (mid, RFC 6464 level), under the router's own ids.
 */
function receiveCapabilities(
  router: Extract<MediaNegotiation, { kind: 'mediasoup' }>['routerRtpCapabilities'],
): ReceiveCapabilitiesMessage['rtpCapabilities'] {
  const opus = router.codecs?.find((c) => c.mimeType.toLowerCase() === 'audio/opus');
  if (!opus) throw new Error('the router forwards no Opus');
  const wanted = new Set<string>([RTP_EXTENSION_URI.sdesMid, RTP_EXTENSION_URI.audioLevelIndication]);
  return {
    codecs: [{ ...opus, preferredPayloadType: opus.preferredPayloadType ?? OPUS_PT }],
    headerExtensions: (router.headerExtensions ?? []).filter((e) => e.kind === 'audio' && wanted.has(e.uri)),
  };
}

/**
 * A headless WebRTC participant of a mediasoup room, doing what mediasoup-client does in a
 * browser with werift peer connections in its place: from the server's transport parameters it
 * writes the remote half of each SDP exchange itself (ICE-lite, the transport's DTLS fingerprint
 * and candidates), connects each transport with its own DTLS fingerprint and role, produces its
 * microphone with the RTP parameters of its sending track, declares what it can receive, and
 * consumes the streams the server lists, one m-line per consumer. ICE, DTLS and SRTP are real,
 * with the worker at the other end. Packets are stamped and recorded as WeriftTestPeer's are.
 */
export class MediasoupTestPeer {
  readonly received: ReceivedStamp[] = [];
  readonly senderReports: ReceivedSenderReport[] = [];
  corrupt = 0;
  sent = 0;
  planVersion = 0;
  audioLevel = 127;
  skipEvery = 0;
  /** Producer id of the microphone, once produced. */
  producerId: string | undefined;
  private sendPc: RTCPeerConnection | undefined;
  private recvPc: RTCPeerConnection | undefined;
  private publishing: RTCRtpTransceiver | undefined;
  private recvTransport: TransportParameters | undefined;
  private recvConnected = false;
  private steps: MediasoupSteps | undefined;
  /** Consumers in the order their m-lines were added (an m-line never moves). */
  private readonly consumers: ConsumerParameters[] = [];
  private recvVersion = 0;
  /** Consumer changes, one at a time. */
  private recvQueue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private rtpSeq = Math.floor(Math.random() * 0xffff);
  private rtpTimestamp = Math.floor(Math.random() * 0xffffffff);

  constructor(readonly index: number) {}

  /**
   * Connects both transports as a mediasoup client does: produces the microphone, then declares
   * what it receives. Consumers arrive afterwards through `consume`.
   */
  async connect(negotiation: MediaNegotiation, steps: MediasoupSteps): Promise<void> {
    if (negotiation.kind !== 'mediasoup') throw new Error(`expected mediasoup, got ${negotiation.kind}`);
    await this.closePeers();
    this.recvTransport = negotiation.recvTransport;
    this.recvConnected = false;
    this.consumers.length = 0;
    this.recvVersion = 0;
    const send = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
    this.sendPc = send;
    const transceiver = send.addTransceiver('audio', { direction: 'sendonly' });
    this.publishing = transceiver;
    await send.setLocalDescription(await send.createOffer());
    const offer = send.localDescription?.sdp;
    if (!offer) throw new Error('no local offer');
    const local = readLocalSdp(offer);
    const mid = transceiver.mid ?? '0';
    await steps.connectTransport({
      transportId: negotiation.sendTransport.id,
      // Our offer says actpass; the answer below says passive for the server: we are the client.
      dtlsParameters: { role: 'client', fingerprints: [local.fingerprint] },
    });
    await send.setRemoteDescription({
      type: 'answer',
      sdp: remoteSdp(negotiation.sendTransport, 1, 'passive', [
        {
          mid,
          direction: 'recvonly',
          payloadType: OPUS_PT,
          extensions: local.extensions,
          ssrc: undefined,
        },
      ]),
    });
    const { producerId } = await steps.produce({
      transportId: negotiation.sendTransport.id,
      slot: 'microphone',
      kind: 'audio',
      rtpParameters: {
        mid,
        codecs: [
          {
            mimeType: 'audio/opus',
            payloadType: OPUS_PT,
            clockRate: 48_000,
            channels: 2,
            parameters: { minptime: 10, useinbandfec: 1 },
          },
        ],
        headerExtensions: local.extensions.map(({ id, uri }) => ({ uri, id })),
        encodings: [{ ssrc: transceiver.sender.ssrc }],
        rtcp: { cname: `peer-${this.index}`, reducedSize: true },
      },
    });
    this.producerId = producerId;
    // The server may list consumers before it acknowledges this step.
    this.steps = steps;
    await steps.receiveCapabilities({
      rtpCapabilities: receiveCapabilities(negotiation.routerRtpCapabilities),
    });
  }

  /**
   * The server's list of what to consume (all of it, as signalling's `consumers` message says):
   * adds an m-line for each new consumer and renegotiates the receive connection, connecting its
   * transport the first time.
   */
  consume(consumers: readonly ConsumerParameters[]): Promise<void> {
    const run = this.recvQueue.then(() => this.addConsumers(consumers));
    this.recvQueue = run.catch(() => undefined);
    return run;
  }

  private async addConsumers(list: readonly ConsumerParameters[]): Promise<void> {
    const fresh = list.filter(
      (c) => c.kind === 'audio' && !this.consumers.some((known) => known.id === c.id),
    );
    if (fresh.length === 0 || !this.recvTransport || !this.steps) return;
    this.consumers.push(...fresh);
    let pc = this.recvPc;
    if (!pc) {
      pc = new RTCPeerConnection(peerConnectionConfig({ listenAddresses: ['127.0.0.1'] }));
      this.recvPc = pc;
    }
    const known = new Set(pc.getTransceivers().map((t) => t.mid));
    await pc.setRemoteDescription({
      type: 'offer',
      sdp: remoteSdp(
        this.recvTransport,
        ++this.recvVersion,
        'actpass',
        this.consumers.map((c) => ({
          mid: c.rtpParameters.mid,
          direction: 'sendonly' as const,
          payloadType: c.rtpParameters.codecs[0]?.payloadType ?? OPUS_PT,
          extensions: (c.rtpParameters.headerExtensions ?? []).map(({ id, uri }) => ({ id, uri })),
          ssrc: {
            ssrc: c.rtpParameters.encodings?.[0]?.ssrc ?? 0,
            cname: c.rtpParameters.rtcp?.cname ?? 'parley',
          },
        })),
      ),
    });
    for (const transceiver of pc.getTransceivers()) {
      if (known.has(transceiver.mid)) continue;
      transceiver.setDirection('recvonly');
      const attach = (track: MediaStreamTrack) => {
        track.onReceiveRtp.subscribe((rtp, extensions) => this.record(transceiver, rtp, extensions));
      };
      for (const track of transceiver.receiver.tracks) attach(track);
      transceiver.onTrack.subscribe(attach);
      transceiver.receiver.onRtcp.subscribe((packet) => {
        if (packet.type !== RtcpSrPacket.type) return;
        const { senderInfo } = packet;
        const ntp = senderInfo.ntpTimestamp;
        const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET_S;
        const fraction = Number(ntp & 0xffffffffn) / 2 ** 32;
        this.senderReports.push({
          mid: transceiver.mid,
          packetCount: senderInfo.packetCount,
          octetCount: senderInfo.octetCount,
          ntpUnixMs: (seconds + fraction) * 1000,
        });
      });
    }
    const answer = await pc.createAnswer();
    if (!this.recvConnected) {
      const local = readLocalSdp(answer.sdp);
      await this.steps.connectTransport({
        transportId: this.recvTransport.id,
        dtlsParameters: {
          role: local.setup === 'passive' ? 'server' : 'client',
          fingerprints: [local.fingerprint],
        },
      });
      this.recvConnected = true;
    }
    await pc.setLocalDescription(answer);
  }

  /** The send connection (made at once; the receive one waits for consumers): its ICE and DTLS state. */
  get pc(): RTCPeerConnection | undefined {
    return this.sendPc;
  }

  /** Resolves once the send connection (and the receive one, when it exists) is connected. */
  async connected(): Promise<void> {
    for (const pc of [this.sendPc, this.recvPc]) if (pc) await connectedPc(pc, this.index);
  }

  /** The SSRC this peer publishes its audio under. */
  get publishingSsrc(): number {
    if (!this.publishing) throw new Error('not negotiated');
    return this.publishing.sender.ssrc;
  }

  sendOne(): number {
    const transceiver = this.publishing;
    if (!transceiver) throw new Error('not negotiated');
    this.sent++;
    this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    if (this.skipEvery > 0 && this.sent % this.skipEvery === 0) this.rtpSeq = (this.rtpSeq + 1) & 0xffff;
    this.rtpTimestamp = (this.rtpTimestamp + 960) >>> 0;
    const levelId = transceiver.headerExtensions.find(
      (e) => e.uri === RTP_EXTENSION_URI.audioLevelIndication,
    )?.id;
    const header = new RtpHeader({
      payloadType: OPUS_PT,
      sequenceNumber: this.rtpSeq,
      timestamp: this.rtpTimestamp,
      marker: false,
      extensions:
        levelId === undefined
          ? []
          : [{ id: levelId, payload: serializeAudioLevelIndication(this.audioLevel) }],
    });
    void transceiver.sender.sendRtp(
      new RtpPacket(header, stampPayload(this.index, this.sent, this.planVersion)),
    );
    return this.sent;
  }

  startSending(intervalMs = 20): void {
    this.stopSending();
    this.timer = setInterval(() => this.sendOne(), intervalMs);
  }

  stopSending(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  from(from: number): ReceivedStamp[] {
    return this.received.filter((r) => r.from === from);
  }

  async close(): Promise<void> {
    this.stopSending();
    await this.closePeers();
  }

  private async closePeers(): Promise<void> {
    const pcs = [this.sendPc, this.recvPc];
    this.sendPc = undefined;
    this.recvPc = undefined;
    this.publishing = undefined;
    this.steps = undefined;
    await Promise.all(pcs.flatMap((pc) => (pc ? [pc.close()] : [])));
  }

  private record(
    transceiver: RTCRtpTransceiver,
    rtp: RtpPacket,
    extensions: Record<string, unknown> | undefined,
  ): void {
    const stamp = readStamp(rtp.payload);
    if (stamp === 'corrupt') {
      this.corrupt++;
      return;
    }
    if (!stamp) return;
    const level = extensions?.[RTP_EXTENSION_URI.audioLevelIndication] as { level?: number } | undefined;
    this.received.push({
      ...stamp,
      mid: transceiver.mid,
      rtpSeq: rtp.header.sequenceNumber,
      audioLevel: level?.level,
    });
  }
}

function connectedPc(pc: RTCPeerConnection, index: number): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        unSubscribe();
        resolve();
      } else if (state === 'failed' || state === 'closed') {
        unSubscribe();
        reject(new Error(`test peer ${index} ${state}`));
      }
    });
  });
}

interface LocalSdp {
  fingerprint: { algorithm: 'sha-256'; value: string };
  setup: string;
  extensions: { id: number; uri: string }[];
}

/** What the server needs from our own SDP: the DTLS fingerprint and role, the audio extensions. */
function readLocalSdp(sdp: string): LocalSdp {
  const lines = sdp.split(/\r?\n/);
  const fingerprint = lines.find((l) => l.startsWith('a=fingerprint:sha-256 '))?.slice(22);
  if (!fingerprint) throw new Error('no sha-256 fingerprint in the local SDP');
  const setup = lines.find((l) => l.startsWith('a=setup:'))?.slice(8) ?? 'active';
  const extensions = lines.flatMap((l) => {
    const match = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(l);
    return match ? [{ id: Number(match[1]), uri: match[2]! }] : [];
  });
  const wanted = new Set<string>([RTP_EXTENSION_URI.sdesMid, RTP_EXTENSION_URI.audioLevelIndication]);
  return {
    fingerprint: { algorithm: 'sha-256', value: fingerprint },
    setup,
    extensions: extensions.filter((e) => wanted.has(e.uri)),
  };
}

interface RemoteMedia {
  mid: string;
  direction: 'sendonly' | 'recvonly';
  payloadType: number;
  extensions: { id: number; uri: string }[];
  ssrc: { ssrc: number; cname: string } | undefined;
}

/** The server's half of an SDP exchange, from its transport's ICE and DTLS parameters. */
function remoteSdp(
  transport: TransportParameters,
  version: number,
  setup: 'actpass' | 'passive',
  media: RemoteMedia[],
): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256');
  if (!fingerprint) throw new Error('the transport has no sha-256 fingerprint');
  const candidate = transport.iceCandidates[0];
  if (!candidate) throw new Error('the transport has no candidate');
  const lines = [
    'v=0',
    `o=parley-test 1 ${version} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=fingerprint:sha-256 ${fingerprint.value}`,
    'a=msid-semantic: WMS *',
    `a=group:BUNDLE ${media.map((m) => m.mid).join(' ')}`,
  ];
  for (const m of media) {
    lines.push(
      `m=audio ${candidate.port} UDP/TLS/RTP/SAVPF ${m.payloadType}`,
      `c=IN IP4 ${candidate.address}`,
      `a=mid:${m.mid}`,
      `a=${m.direction}`,
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      ...transport.iceCandidates.map(
        (c) =>
          `a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}`,
      ),
      'a=end-of-candidates',
      `a=setup:${setup}`,
      'a=rtcp-mux',
      'a=rtcp-rsize',
      `a=rtpmap:${m.payloadType} opus/48000/2`,
      `a=fmtp:${m.payloadType} minptime=10;useinbandfec=1`,
      ...m.extensions.map((e) => `a=extmap:${e.id} ${e.uri}`),
    );
    if (m.ssrc)
      lines.push(`a=ssrc:${m.ssrc.ssrc} cname:${m.ssrc.cname}`, `a=msid:stream-${m.mid} track-${m.mid}`);
  }
  return lines.join('\r\n') + '\r\n';
}
