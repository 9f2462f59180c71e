import { Device, type types } from 'mediasoup-client';
import {
  PUBLISH_SLOT_KIND,
  type ConsumerParameters,
  type MediasoupNegotiation,
  type PublishSlot,
  type TransportParameters,
} from '@parley/shared';
import type {
  LocalTracks,
  MediaConnectionState,
  MediaSession,
  MediaSessionListener,
  MediaSessionOptions,
  MediaSignalling,
} from './MediaSession.ts';

/**
 * The `mediasoup` kind: mediasoup-client drives two WebRTC transports the server made on its
 * router, one to send and one to receive. The device loads the router's RTP capabilities; each
 * publish slot is produced on the send transport under its name; the server sends the consumers
 * of this listener (`consumers`, the whole list each time) and their mids are what the routing
 * plan names. The server creates every consumer paused and resumes it when the plan sends it, so
 * nothing here asks for a resume: a consumer that is not sent receives no packets at all.
 */
export class MediasoupSession implements MediaSession {
  readonly kind = 'mediasoup' as const;
  private readonly signalling: MediaSignalling;
  private readonly listener: MediaSessionListener;
  private readonly iceServers: RTCIceServer[];
  private readonly createDevice: () => Promise<Device>;
  private sendTransport: types.Transport | undefined;
  private recvTransport: types.Transport | undefined;
  private readonly producers = new Map<PublishSlot, types.Producer>();
  /** Producing a slot, so a second replaceTrack waits for the first. */
  private readonly producing = new Map<PublishSlot, Promise<types.Producer | undefined>>();
  private readonly consumers = new Map<string, types.Consumer>();
  /** Consumer lists are applied one after the other (each consume renegotiates locally). */
  private consuming: Promise<void> = Promise.resolve();
  private stopListening: (() => void) | undefined;
  private reportedFailure = false;
  private closed = false;

  constructor(
    private readonly negotiation: MediasoupNegotiation,
    options: MediaSessionOptions & {
      /** The browser's own handler by default; tests give mediasoup-client's FakeHandler. */
      createDevice?: () => Promise<Device>;
    },
  ) {
    this.signalling = options.signalling;
    this.listener = options.listener;
    this.iceServers = options.iceServers;
    this.createDevice = options.createDevice ?? (() => Device.factory());
  }

  async start(local: LocalTracks): Promise<void> {
    // Listening first: the consumers follow our receive capabilities, maybe before their ack.
    this.stopListening = this.signalling.onConsumers((list) => {
      this.consuming = this.consuming.then(() => this.consume(list)).catch(() => undefined);
    });
    const device = await this.createDevice();
    await device.load({
      routerRtpCapabilities: this.negotiation.routerRtpCapabilities as types.RtpCapabilities,
    });
    if (this.closed) return;
    this.sendTransport = this.transport(device, 'send', this.negotiation.sendTransport);
    this.recvTransport = this.transport(device, 'recv', this.negotiation.recvTransport);
    const send = this.sendTransport;
    send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const slot = (appData as { slot: PublishSlot }).slot;
      this.signalling
        .produce({
          transportId: send.id,
          slot,
          kind,
          rtpParameters: rtpParameters as Parameters<MediaSignalling['produce']>[0]['rtpParameters'],
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    // The microphone goes up while the server learns what we can receive (first audio sooner).
    await Promise.all([
      this.signalling.receiveCapabilities({
        rtpCapabilities: device.recvRtpCapabilities as Parameters<
          MediaSignalling['receiveCapabilities']
        >[0]['rtpCapabilities'],
      }),
      local.microphone ? this.replaceTrack('microphone', local.microphone) : undefined,
      local.camera ? this.replaceTrack('camera', local.camera) : undefined,
    ]);
  }

  private transport(
    device: Device,
    direction: 'send' | 'recv',
    params: TransportParameters,
  ): types.Transport {
    const options: types.TransportOptions = {
      id: params.id,
      iceParameters: params.iceParameters,
      iceCandidates: params.iceCandidates as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters,
      iceServers: this.iceServers,
    };
    const transport =
      direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signalling
        .connectTransport({
          transportId: transport.id,
          dtlsParameters: dtlsParameters,
        })
        .then(callback, errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && !this.closed && !this.reportedFailure) {
        this.reportedFailure = true;
        this.listener.failed();
      }
    });
    return transport;
  }

  async replaceTrack(slot: PublishSlot, track: MediaStreamTrack | null): Promise<void> {
    const pending = this.producing.get(slot);
    if (pending) await pending;
    const producer = this.producers.get(slot);
    if (producer && !producer.closed) {
      await producer.replaceTrack({ track });
      return;
    }
    // A slot is produced once, when it first has a track (the camera when it is first turned on).
    if (!track || !this.sendTransport || this.closed) return;
    if (track.kind !== PUBLISH_SLOT_KIND[slot])
      throw new Error(`The ${slot} takes ${PUBLISH_SLOT_KIND[slot]}`);
    const produced = this.sendTransport
      .produce({ track, stopTracks: false, appData: { slot } })
      .then((made) => {
        if (this.closed) made.close();
        else this.producers.set(slot, made);
        return made;
      })
      .finally(() => this.producing.delete(slot));
    this.producing.set(slot, produced);
    await produced;
  }

  /** Consumes what is new in the server's list; closes what it no longer lists. */
  private async consume(list: ConsumerParameters[]): Promise<void> {
    const recv = this.recvTransport;
    if (!recv || this.closed) return;
    const listed = new Set(list.map((c) => c.id));
    for (const [id, consumer] of this.consumers) {
      if (listed.has(id)) continue;
      consumer.close();
      this.consumers.delete(id);
    }
    for (const parameters of list) {
      if (this.consumers.has(parameters.id)) continue;
      let consumer: types.Consumer;
      try {
        consumer = await recv.consume({
          id: parameters.id,
          producerId: parameters.producerId,
          kind: parameters.kind,
          rtpParameters: parameters.rtpParameters as types.RtpParameters,
          appData: { speakerId: parameters.speakerId },
        });
      } catch {
        // One stream this browser cannot take must not keep the others from playing.
        continue;
      }
      if (this.closed) return;
      this.consumers.set(parameters.id, consumer);
      this.listener.track(parameters.rtpParameters.mid, consumer.track);
    }
  }

  connectionState(): MediaConnectionState {
    if (this.closed) return 'closed';
    const states = [this.sendTransport?.connectionState, this.recvTransport?.connectionState];
    if (states.includes('failed')) return 'failed';
    return this.sendTransport?.connectionState ?? 'new';
  }

  receiveStats(): Promise<RTCStatsReport | null> {
    return this.recvTransport && !this.closed ? this.recvTransport.getStats() : Promise.resolve(null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening?.();
    // Closing a transport closes its producers and consumers (our tracks are not stopped).
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.producers.clear();
    this.consumers.clear();
  }
}
