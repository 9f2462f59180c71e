import { createWorker, type types } from 'mediasoup';
import {
  PUBLISH_SLOT_KIND,
  type ConsumerParameters,
  type MediaKind,
  type MediaNegotiation,
  type ProduceResult,
  type RtpCapabilities,
} from '@parley/shared';
import type { Logger } from '../../logger.ts';
import type {
  AddParticipantCommand,
  BackendConnectionState,
  MediaBackend,
  MediaBackendEvents,
  NegotiateCommand,
  ParticipantLinkStats,
  RoutingAck,
  RoutingCommand,
  SubscribeCommand,
  SubscriptionTrack,
} from '../MediaBackend.ts';
import { MediaError } from '../MediaError.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import { MEDIA_CODECS, OPUS_CLOCK_RATE } from './mediaCodecs.ts';

export interface MediasoupBackendOptions {
  logger: Logger;
  /** The worker binary (workerBinary.ts decides which). */
  workerBin: string;
  /** Worker processes: one per core is mediasoup's advice (default: 1). */
  workers?: number;
  /** Addresses each worker's WebRtcServer and plain transports listen on. */
  listenIps: string[];
  /** Written into ICE candidates in place of the listen address (a public IP behind NAT). */
  announcedAddress?: string;
  /**
   * The first worker's WebRtcServer UDP port; worker i listens on `port + i`. Unset: each picks a
   * free one (tests).
   */
  port?: number;
  /** Transport-level UDP ports (plain RTP legs); unset: ephemeral. */
  portRange?: { min: number; max: number };
}

interface WorkerSlot {
  index: number;
  worker: types.Worker;
  server: types.WebRtcServer;
  /** Rooms whose router lives on this worker. */
  rooms: Set<string>;
}

interface Participant {
  id: string;
  transports: types.Transport[];
  send: types.Transport | undefined;
  recv: types.Transport | undefined;
  producers: Map<MediaKind, types.Producer>;
  rtpCapabilities: RtpCapabilities | undefined;
  state: BackendConnectionState;
}

interface Subscription {
  id: string;
  listenerId: string;
  speakerId: string;
  kind: MediaKind;
  /** What the routing commands last said. */
  sent: boolean;
  consumer: types.Consumer | undefined;
  /** The consumer is being made: later routing waits for it. */
  creating: Promise<void> | undefined;
}

interface Room {
  id: string;
  slot: WorkerSlot;
  router: types.Router;
  levels: types.AudioLevelObserver;
  participants: Map<string, Participant>;
  subscriptions: Map<string, Subscription>;
  /** The worker this room's router lived on died: everyone must reconnect (on another router). */
  lost: boolean;
}

/** SRTP on plain legs: the profile every browser must offer, and the cheapest for the worker. */
const PLAIN_SRTP_SUITE: types.SrtpCryptoSuite = 'AES_CM_128_HMAC_SHA1_80';

/**
 * The mediasoup backend: C++ workers forward SRTP without decoding, a few microseconds of CPU per
 * packet. One worker per core, each with one WebRtcServer (one UDP port for every participant of
 * its rooms); a room's router on the least-loaded worker; consumers paused and resumed by the
 * routing commands (a paused consumer sends nothing); levels from an AudioLevelObserver; quality
 * from the producers' and consumers' own statistics (RTCP). A worker that dies is replaced; its
 * rooms' participants are reported lost, and when they reconnect their room gets a router on a
 * live worker.
 */
export class MediasoupBackend implements MediaBackend {
  readonly name = 'mediasoup' as const;
  readonly events: TypedEmitter<MediaBackendEvents>;
  private readonly slots: WorkerSlot[] = [];
  private readonly rooms = new Map<string, Room>();
  private readonly logger: Logger;
  private closed = false;
  /** Workers being started in place of dead ones: a room that needs a router waits for them. */
  private readonly replacements = new Set<Promise<void>>();

  private constructor(private readonly options: MediasoupBackendOptions) {
    this.logger = options.logger.child({ component: 'media-mediasoup' });
    this.events = new TypedEmitter((error, event) =>
      this.logger.error({ err: error, event }, 'media backend listener failed'),
    );
  }

  /** Starts the workers; rejects when the first cannot start (the caller may fall back to werift). */
  static async start(options: MediasoupBackendOptions): Promise<MediasoupBackend> {
    const backend = new MediasoupBackend(options);
    const count = Math.max(1, options.workers ?? 1);
    try {
      for (let index = 0; index < count; index++) backend.slots.push(await backend.startWorker(index));
    } catch (error) {
      await backend.close();
      throw error;
    }
    return backend;
  }

  /** The workers' process ids, in order (benchmarks read their CPU; tests kill one). */
  get workerPids(): number[] {
    return this.slots.map((s) => s.worker.pid);
  }

  private async startWorker(index: number): Promise<WorkerSlot> {
    const worker = await createWorker({
      workerBin: this.options.workerBin,
      logLevel: 'warn',
      ...(this.options.portRange
        ? { rtcMinPort: this.options.portRange.min, rtcMaxPort: this.options.portRange.max }
        : {}),
    });
    const server = await worker.createWebRtcServer({
      listenInfos: this.options.listenIps.map((ip) => ({
        protocol: 'udp' as const,
        ip,
        ...(this.options.announcedAddress ? { announcedAddress: this.options.announcedAddress } : {}),
        ...(this.options.port ? { port: this.options.port + index } : {}),
      })),
    });
    const slot: WorkerSlot = { index, worker, server, rooms: new Set() };
    worker.on('died', (error) => this.onWorkerDied(slot, error));
    this.logger.info({ index, pid: worker.pid }, 'mediasoup worker started');
    return slot;
  }

  private onWorkerDied(slot: WorkerSlot, error: Error): void {
    if (this.closed) return;
    this.logger.error({ err: error, index: slot.index, pid: slot.worker.pid }, 'mediasoup worker died');
    for (const roomId of slot.rooms) {
      const room = this.rooms.get(roomId);
      if (!room) continue;
      room.lost = true;
      for (const participant of room.participants.values()) {
        participant.state = 'failed';
        this.events.emit('participantLost', {
          roomId,
          participantId: participant.id,
          reason: 'ENGINE_FAILED',
        });
      }
    }
    slot.rooms.clear();
    // Its place is taken by a new worker; until it is up the others take new rooms.
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    const replacing: Promise<void> = this.startWorker(slot.index).then(
      (replacement) => {
        if (this.closed) replacement.worker.close();
        else this.slots.push(replacement);
      },
      (err: unknown) => this.logger.error({ err, index: slot.index }, 'could not replace a mediasoup worker'),
    );
    this.replacements.add(replacing);
    void replacing.finally(() => this.replacements.delete(replacing));
  }

  /** The least-loaded live worker (fewest rooms), waiting for a replacement when none is live. */
  private async liveSlot(): Promise<WorkerSlot | undefined> {
    const pick = () =>
      this.slots
        .filter((s) => !s.worker.died && !s.worker.closed)
        .sort((a, b) => a.rooms.size - b.rooms.size)[0];
    const slot = pick();
    if (slot || this.replacements.size === 0) return slot;
    await Promise.all(this.replacements);
    return this.closed ? undefined : pick();
  }

  async createRoom({ roomId }: { roomId: string }): Promise<void> {
    if (this.closed) throw new MediaError('ENGINE_CLOSED', 'The media engine is closed');
    if (this.rooms.has(roomId)) throw new MediaError('ROOM_EXISTS', `Room ${roomId} exists`);
    this.rooms.set(roomId, await this.makeRoom(roomId));
  }

  /** A router on the least-loaded live worker (fewest rooms). */
  private async makeRoom(roomId: string): Promise<Room> {
    const slot = await this.liveSlot();
    if (!slot) throw new MediaError('ENGINE_CLOSED', 'No mediasoup worker is running');
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const levels = await router.createAudioLevelObserver({ maxEntries: 16, threshold: -80, interval: 100 });
    const room: Room = {
      id: roomId,
      slot,
      router,
      levels,
      participants: new Map(),
      subscriptions: new Map(),
      lost: false,
    };
    levels.on('volumes', (volumes) => {
      const heard = volumes.flatMap(({ producer, volume }) => {
        const participantId = (producer.appData as { participantId?: string }).participantId;
        return participantId ? [{ participantId, level: Math.min(127, Math.max(0, -volume)) }] : [];
      });
      if (heard.length > 0) this.events.emit('audioLevels', { roomId, levels: heard });
    });
    slot.rooms.add(roomId);
    return room;
  }

  async addParticipant(command: AddParticipantCommand): Promise<{ negotiation: MediaNegotiation }> {
    let room = this.room(command.roomId);
    if (room.participants.has(command.participantId))
      throw new MediaError('DUPLICATE_PARTICIPANT', `${command.participantId} is already in the room`);
    if (room.lost) {
      // Its worker died: whoever reconnects first moves the room to a live one. Those not yet
      // reconnected stay as they are in the room (no transport, nothing produced) until they do.
      room.router.close();
      const moved = await this.makeRoom(room.id);
      for (const stranded of room.participants.values()) {
        stranded.transports = [];
        stranded.send = undefined;
        stranded.recv = undefined;
        stranded.producers.clear();
        stranded.rtpCapabilities = undefined;
        moved.participants.set(stranded.id, stranded);
      }
      for (const subscription of room.subscriptions.values()) {
        subscription.consumer = undefined;
        moved.subscriptions.set(subscription.id, subscription);
      }
      this.rooms.set(room.id, moved);
      room = moved;
    }
    const participant: Participant = {
      id: command.participantId,
      transports: [],
      send: undefined,
      recv: undefined,
      producers: new Map(),
      rtpCapabilities: undefined,
      state: 'new',
    };
    room.participants.set(participant.id, participant);
    try {
      if (command.transport === 'plainRtp') {
        const plain = await room.router.createPlainTransport({
          listenInfo: {
            protocol: 'udp',
            ip: this.options.listenIps[0] ?? '127.0.0.1',
            ...(this.options.announcedAddress ? { announcedAddress: this.options.announcedAddress } : {}),
          },
          rtcpMux: true,
          comedia: false,
          ...(command.srtp ? { enableSrtp: true, srtpCryptoSuite: PLAIN_SRTP_SUITE } : {}),
          appData: { participantId: participant.id },
        });
        participant.transports.push(plain);
        participant.send = plain;
        participant.recv = plain;
        return {
          negotiation: {
            kind: 'plainRtp',
            transportId: plain.id,
            address: this.options.announcedAddress ?? plain.tuple.localAddress,
            port: plain.tuple.localPort,
            ...(plain.srtpParameters ? { srtp: plain.srtpParameters } : {}),
            publish: command.publish
              .filter((slot) => PUBLISH_SLOT_KIND[slot] === 'audio')
              .map((slot) => ({ slot, kind: 'audio' as const })),
          },
        };
      }
      const make = async (direction: 'send' | 'recv') => {
        const transport = await room.router.createWebRtcTransport({
          webRtcServer: room.slot.server,
          enableUdp: true,
          enableTcp: false,
          appData: { participantId: participant.id, direction },
        });
        participant.transports.push(transport);
        transport.on('dtlsstatechange', (state) =>
          this.onTransportState(room.id, participant, direction, state),
        );
        transport.on('icestatechange', (state) => {
          if (state === 'disconnected') this.setState(room.id, participant, 'disconnected');
          if (state === 'completed' || state === 'connected')
            if (direction === 'send' && transport.dtlsState === 'connected')
              this.setState(room.id, participant, 'connected');
        });
        return transport;
      };
      participant.send = await make('send');
      participant.recv = await make('recv');
      const params = (t: types.WebRtcTransport) => ({
        id: t.id,
        iceParameters: t.iceParameters,
        iceCandidates: t.iceCandidates.map((c) => ({
          foundation: c.foundation,
          priority: c.priority,
          address: c.address,
          protocol: c.protocol,
          port: c.port,
          type: c.type,
          ...(c.tcpType ? { tcpType: c.tcpType } : {}),
        })),
        dtlsParameters: t.dtlsParameters,
      });
      return {
        negotiation: {
          kind: 'mediasoup',
          routerRtpCapabilities: room.router.rtpCapabilities as MediaNegotiationRouterCapabilities,
          sendTransport: params(participant.send as types.WebRtcTransport),
          recvTransport: params(participant.recv as types.WebRtcTransport),
        },
      };
    } catch (error) {
      await this.removeParticipant(command);
      throw error;
    }
  }

  private onTransportState(
    roomId: string,
    participant: Participant,
    direction: 'send' | 'recv',
    state: types.DtlsState,
  ): void {
    if (state === 'connected' && direction === 'send') this.setState(roomId, participant, 'connected');
    if (state === 'failed') this.setState(roomId, participant, 'failed');
    if (state === 'closed' && participant.state === 'connected')
      this.setState(roomId, participant, 'disconnected');
  }

  private setState(roomId: string, participant: Participant, state: BackendConnectionState): void {
    if (participant.state === state || participant.state === 'closed') return;
    participant.state = state;
    this.events.emit('connectionState', { roomId, participantId: participant.id, state });
  }

  async negotiate({ roomId, participantId, step }: NegotiateCommand): Promise<ProduceResult | null> {
    const room = this.room(roomId);
    const participant = this.participant(room, participantId);
    switch (step.step) {
      case 'connectTransport': {
        const transport = participant.transports.find((t) => t.id === step.transportId);
        if (transport?.type !== 'webrtc')
          throw new MediaError('BAD_SESSION_DESCRIPTION', 'No such transport');
        await (transport as types.WebRtcTransport).connect({ dtlsParameters: step.dtlsParameters });
        return null;
      }
      case 'connectPlainRtp': {
        const transport = participant.send;
        if (transport?.type !== 'plain')
          throw new MediaError('BAD_SESSION_DESCRIPTION', 'Not a plain RTP participant');
        const plain = transport as types.PlainTransport;
        if (Boolean(step.srtp) !== Boolean(plain.srtpParameters))
          throw new MediaError('BAD_SESSION_DESCRIPTION', 'SRTP keys on an SRTP leg, and only there');
        await plain.connect({
          ip: step.address,
          port: step.port,
          ...(step.srtp ? { srtpParameters: step.srtp } : {}),
        });
        this.setState(roomId, participant, 'connected');
        return null;
      }
      case 'produce': {
        if (!participant.send || step.transportId !== participant.send.id)
          throw new MediaError('BAD_SESSION_DESCRIPTION', 'Produce on the send transport');
        if (participant.producers.has(step.kind))
          throw new MediaError('BAD_SESSION_DESCRIPTION', `The ${step.slot} is produced already`);
        const producer = await participant.send.produce({
          kind: step.kind,
          rtpParameters: step.rtpParameters as types.RtpParameters,
          appData: { participantId, slot: step.slot },
        });
        participant.producers.set(step.kind, producer);
        if (step.kind === 'audio') await room.levels.addProducer({ producerId: producer.id });
        await this.consumeWhatIsReady(room);
        return { producerId: producer.id };
      }
      case 'receiveCapabilities': {
        participant.rtpCapabilities = step.rtpCapabilities;
        await this.consumeWhatIsReady(room);
        return null;
      }
      default:
        throw new MediaError('BAD_SESSION_DESCRIPTION', `This engine does not negotiate by ${step.step}`);
    }
  }

  /** Creates the consumers whose listener can receive and whose speaker now produces. */
  private async consumeWhatIsReady(room: Room): Promise<void> {
    for (const subscription of room.subscriptions.values()) {
      if (subscription.consumer || subscription.creating) continue;
      const track = await this.tryConsume(room, subscription);
      if (track) this.events.emit('subscriptionTrack', { roomId: room.id, ...track });
    }
  }

  /** Makes the subscription's consumer when both ends are ready: paused, then as routing says. */
  private async tryConsume(room: Room, subscription: Subscription): Promise<SubscriptionTrack | undefined> {
    const listener = room.participants.get(subscription.listenerId);
    const producer = room.participants.get(subscription.speakerId)?.producers.get(subscription.kind);
    if (!listener?.recv || !listener.rtpCapabilities || !producer) return undefined;
    const rtpCapabilities = listener.rtpCapabilities as types.RtpCapabilities;
    if (!room.router.canConsume({ producerId: producer.id, rtpCapabilities })) return undefined;
    let done!: () => void;
    subscription.creating = new Promise((resolve) => (done = resolve));
    try {
      const consumer = await listener.recv.consume({
        producerId: producer.id,
        rtpCapabilities,
        paused: true,
        appData: { subscriptionId: subscription.id },
      });
      subscription.consumer = consumer;
      if (subscription.sent) await consumer.resume();
      const mid = consumer.rtpParameters.mid ?? null;
      const parameters: ConsumerParameters | undefined =
        mid === null
          ? undefined
          : {
              id: consumer.id,
              producerId: producer.id,
              speakerId: subscription.speakerId,
              kind: subscription.kind,
              rtpParameters: { ...(consumer.rtpParameters as ConsumerParameters['rtpParameters']), mid },
            };
      return { subscriptionId: subscription.id, mid, ...(parameters ? { consumer: parameters } : {}) };
    } finally {
      subscription.creating = undefined;
      done();
    }
  }

  async subscribe(command: SubscribeCommand): Promise<SubscriptionTrack> {
    const room = this.room(command.roomId);
    const subscription: Subscription = {
      id: command.subscriptionId,
      listenerId: command.listenerId,
      speakerId: command.speakerId,
      kind: command.kind,
      sent: false,
      consumer: undefined,
      creating: undefined,
    };
    room.subscriptions.set(subscription.id, subscription);
    return (await this.tryConsume(room, subscription)) ?? { subscriptionId: subscription.id, mid: null };
  }

  unsubscribe({ roomId, subscriptionId }: { roomId: string; subscriptionId: string }): Promise<void> {
    const room = this.rooms.get(roomId);
    room?.subscriptions.get(subscriptionId)?.consumer?.close();
    room?.subscriptions.delete(subscriptionId);
    return Promise.resolve();
  }

  /**
   * Each change reaches the worker and is confirmed before the acknowledgement: a paused consumer
   * sends nothing from then on.
   */
  async applyRouting({ roomId, version, changes }: RoutingCommand): Promise<RoutingAck> {
    const room = this.room(roomId);
    await Promise.all(
      changes.map(async ({ subscriptionId, sent }) => {
        const subscription = room.subscriptions.get(subscriptionId);
        if (!subscription) return;
        subscription.sent = sent;
        await subscription.creating;
        const consumer = subscription.consumer;
        if (!consumer || consumer.closed) return;
        if (sent) await consumer.resume();
        else await consumer.pause();
      }),
    );
    return { roomId, version };
  }

  async collectStats({ roomId }: { roomId: string }): Promise<ParticipantLinkStats[]> {
    const room = this.rooms.get(roomId);
    if (!room || room.lost) return [];
    const result: ParticipantLinkStats[] = [];
    for (const participant of room.participants.values()) {
      if (participant.state !== 'connected') continue;
      // The worker counts loss when it builds its receiver report (about every second), so the
      // room takes the fraction that report carried, not deltas of counters that move apart.
      const upstream = { packetsReceived: 0, packetsLost: 0, jitterMs: 0, reportedLossFraction: 0 };
      for (const [kind, producer] of participant.producers) {
        for (const stat of await producer.getStats()) {
          upstream.packetsReceived += stat.packetCount;
          upstream.packetsLost += Math.max(0, stat.packetsLost);
          upstream.reportedLossFraction = Math.max(upstream.reportedLossFraction, stat.fractionLost / 256);
          if (kind === 'audio')
            upstream.jitterMs = Math.max(upstream.jitterMs, (stat.jitter / OPUS_CLOCK_RATE) * 1000);
        }
      }
      const downstream: ParticipantLinkStats['downstream'] = [];
      let rttMs: number | null = null;
      for (const subscription of room.subscriptions.values()) {
        if (subscription.listenerId !== participant.id || subscription.kind !== 'audio') continue;
        const consumer = subscription.consumer;
        if (!consumer || consumer.closed) continue;
        for (const stat of await consumer.getStats()) {
          if (stat.type !== 'outbound-rtp') continue;
          const sent = stat as types.RtpStreamSendStats;
          // The listener's RTCP: its cumulative lost count and the fraction lost of its latest
          // report (the worker keeps no per-report sequence to measure an interval against).
          downstream.push({
            subscriptionId: subscription.id,
            packetsLost: sent.packetsLost,
            highestSequence: sent.packetCount,
            jitterMs: (sent.jitter / OPUS_CLOCK_RATE) * 1000,
            reportedLossFraction: sent.fractionLost / 256,
          });
          if (sent.roundTripTime !== undefined && sent.roundTripTime > 0)
            rttMs = Math.max(rttMs ?? 0, sent.roundTripTime);
        }
      }
      result.push({ participantId: participant.id, upstream, downstream, rttMs });
    }
    return result;
  }

  async removeParticipant({
    roomId,
    participantId,
  }: {
    roomId: string;
    participantId: string;
  }): Promise<void> {
    const room = this.rooms.get(roomId);
    const participant = room?.participants.get(participantId);
    if (!room || !participant) return;
    room.participants.delete(participantId);
    participant.state = 'closed';
    for (const [id, subscription] of room.subscriptions) {
      if (subscription.listenerId !== participantId && subscription.speakerId !== participantId) continue;
      await subscription.creating;
      subscription.consumer?.close();
      room.subscriptions.delete(id);
    }
    for (const transport of participant.transports) transport.close();
    await Promise.resolve();
  }

  async closeRoom({ roomId }: { roomId: string }): Promise<void> {
    const room = this.rooms.get(roomId);
    if (!room) return;
    this.rooms.delete(roomId);
    room.slot.rooms.delete(roomId);
    for (const subscription of room.subscriptions.values()) await subscription.creating;
    room.router.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const roomId of [...this.rooms.keys()]) await this.closeRoom({ roomId });
    for (const slot of this.slots.splice(0)) slot.worker.close();
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new MediaError('ROOM_CLOSED', `Room ${roomId} is closed`);
    return room;
  }

  private participant(room: Room, participantId: string): Participant {
    const participant = room.participants.get(participantId);
    if (!participant) throw new MediaError('PARTICIPANT_CLOSED', `Participant ${participantId} has left`);
    return participant;
  }
}

type MediaNegotiationRouterCapabilities = Extract<
  MediaNegotiation,
  { kind: 'mediasoup' }
>['routerRtpCapabilities'];
