import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { OpusApplication, OpusCodec } from './opusCodec.ts';
import type { MediaNegotiation } from '@parley/shared';
import type { MediaParticipant, MediaSubscription } from '../media/MediaParticipant.ts';
import { emptyRtpHeaderFields, readRtpHeader, withoutPadding } from '../media/rtpHeader.ts';
import { audioLevelOf, FRAME_SAMPLES, mixFrame, SpeakerFrames, type MixInput } from './ListenerMix.ts';
import type { CallerAudio } from './RtpLeg.ts';
import { SpeakerDecoders } from './SpeakerDecoders.ts';

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
const OPUS_PAYLOAD_TYPE = 111;
const LEVEL_EXTENSION_ID = 1;
/** Opus RTP runs on a 48 kHz clock whatever the sample rate coded (RFC 7587). */
const OPUS_TICKS_PER_FRAME = 960;
/** libopus' OPUS_SET_COMPLEXITY_REQUEST. */
export const OPUS_SET_COMPLEXITY = 4010;

/** What the room side counts. */
export interface RoomLegCounters {
  published: number;
  received: number;
  /** Packets of an SSRC that no subscription of this leg names: dropped. */
  unknownStream: number;
  undecodable: number;
  /** Frames dropped from a speaker's queue as late: a newer frame of theirs waited beside them. */
  late: number;
}

/**
 * The room side of a phone leg: a plain RTP participant of the engine-neutral room. What the
 * caller says is encoded once to Opus and published like any participant's microphone, with its
 * RFC 6464 level, so browsers, routing, active speaker and privacy treat it as any other. What
 * the engine sends it — only the speakers the plan sends to this listener: the engine pauses the
 * rest — is decoded once per speaker for all phone listeners of the node (SpeakerDecoders) and
 * mixed at the plan's gains each 20 ms frame (`mixInto`), the gains read from the room's
 * subscriptions at that frame, so a routing change is heard from the next frame. Decoding is to
 * the listener's rate directly (libopus resamples internally): 8 kHz for a G.711 phone, 48 kHz for
 * an Opus one (`setListenerRate`). A frame is mixed in the first frame due after it arrived
 * (SpeakerFrames): frames are stamped with the clock's time on arrival.
 *
 * An Opus phone's own packets go into the room as they came (`forward`): the room speaks Opus, so
 * there is nothing to decode and encode again, and its losses and FEC reach the browsers as sent.
 */
export class RoomLeg {
  readonly counters: RoomLegCounters = {
    published: 0,
    received: 0,
    unknownStream: 0,
    undecodable: 0,
    late: 0,
  };
  /** The encoder of a G.711 caller's voice (made at its first frame: an Opus caller needs none). */
  private encoder: OpusCodec | null = null;
  /** The rate this listener's mix runs at. */
  private listenerRate: 8000 | 48000 = 8000;
  /** Opus forwarding: the offsets from the phone's sequence and timestamp to this stream's. */
  private readonly sequenceOffset = randomInt(0, 0xffff);
  private readonly timestampOffset = randomInt(0, 0xffffffff);
  /** Speakers whose shared decoder this leg holds. */
  private readonly heard = new Set<string>();
  private readonly frames = new Map<string, SpeakerFrames>();
  private readonly header = emptyRtpHeaderFields();
  private readonly ssrc = randomInt(1, 0xffffffff);
  private sequence = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0xffffffff);
  private readonly inputs: MixInput[] = [];
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly participant: MediaParticipant,
    private readonly server: { address: string; port: number },
    private readonly decoders: SpeakerDecoders,
    /** What tells this room's speakers from another room's in the shared decoders. */
    private readonly room: string,
  ) {
    socket.on('message', (data, from) => {
      if (from.address === server.address && from.port === server.port) this.onDatagram(data);
    });
  }

  /** Connects the leg the room made for this participant: where each side sends, what it publishes. */
  static async connect(
    participant: MediaParticipant,
    negotiation: MediaNegotiation,
    localAddress: string,
    cname: string,
    shared: { decoders: SpeakerDecoders; room: string } = {
      decoders: new SpeakerDecoders(),
      room: participant.id,
    },
  ): Promise<RoomLeg> {
    if (negotiation.kind !== 'plainRtp')
      throw new Error(`A phone leg needs a plain RTP negotiation, the engine gave ${negotiation.kind}`);
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, localAddress, resolve));
    const leg = new RoomLeg(
      socket,
      participant,
      { address: negotiation.address, port: negotiation.port },
      shared.decoders,
      shared.room,
    );
    try {
      await participant.negotiate({
        step: 'connectPlainRtp',
        address: localAddress,
        port: socket.address().port,
      });
      await participant.negotiate({
        step: 'receiveCapabilities',
        rtpCapabilities: {
          codecs: [
            {
              kind: 'audio',
              mimeType: 'audio/opus',
              preferredPayloadType: 100,
              clockRate: 48_000,
              channels: 2,
            },
          ],
          headerExtensions: [{ kind: 'audio', uri: AUDIO_LEVEL_URI, preferredId: 6 }],
        },
      });
      await participant.negotiate({
        step: 'produce',
        transportId: negotiation.transportId,
        slot: 'microphone',
        kind: 'audio',
        rtpParameters: {
          codecs: [
            { mimeType: 'audio/opus', payloadType: OPUS_PAYLOAD_TYPE, clockRate: 48_000, channels: 2 },
          ],
          headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: LEVEL_EXTENSION_ID }],
          encodings: [{ ssrc: leg.ssrc }],
          rtcp: { cname },
        },
      });
    } catch (error) {
      leg.close();
      throw error;
    }
    return leg;
  }

  /** What the caller said, into the room: G.711 encoded once to Opus (`publish`), Opus as it came (`forward`). */
  speak(heard: CallerAudio): void {
    if (heard.kind === 'pcm') this.publish(heard.frame);
    else this.forward(heard);
  }

  /** Publishes 20 ms of the caller's voice (8 kHz samples), Opus-encoded, with its level. */
  publish(frame: Int16Array): void {
    if (this.closed) return;
    if (!this.encoder) {
      this.encoder = new OpusCodec(8000, 1, OpusApplication.VOIP);
      // Narrowband phone speech needs no more: complexity 5 costs about half of the default 10 here.
      this.encoder.encoderCTL(OPUS_SET_COMPLEXITY, 5);
    }
    const pcm = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    const opus = this.encoder.encode(pcm, FRAME_SAMPLES);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + OPUS_TICKS_PER_FRAME) >>> 0;
    this.send(this.sequence, this.timestamp, false, audioLevelOf(frame), opus);
  }

  /**
   * Publishes an Opus phone's packet as it came: its payload, marker, and its sequence number and
   * timestamp shifted by this stream's offsets (so gaps and pauses stay what they were).
   */
  forward(packet: Extract<CallerAudio, { kind: 'opus' }>): void {
    if (this.closed) return;
    this.send(
      (packet.sequence + this.sequenceOffset) & 0xffff,
      (packet.timestamp + this.timestampOffset) >>> 0,
      packet.marker,
      packet.level,
      packet.payload,
    );
  }

  private send(sequence: number, timestamp: number, marker: boolean, level: number, opus: Buffer): void {
    const header = Buffer.alloc(12);
    header[0] = 0x90; // version 2, extension
    header[1] = (marker ? 0x80 : 0) | OPUS_PAYLOAD_TYPE;
    header.writeUInt16BE(sequence, 2);
    header.writeUInt32BE(timestamp, 4);
    header.writeUInt32BE(this.ssrc, 8);
    // RFC 8285 one-byte header extension block: one element, the RFC 6464 level, padded to a word.
    const extension = Buffer.from([0xbe, 0xde, 0x00, 0x01, (LEVEL_EXTENSION_ID << 4) | 0, level, 0, 0]);
    this.counters.published++;
    this.socket.send([header, extension, opus], this.server.port, this.server.address);
  }

  /**
   * The rate this listener hears at: 48 kHz for an Opus phone, 8 kHz (the default) for G.711. A
   * change drops what was queued at the other rate and decodes at the new one from the next packet.
   */
  setListenerRate(rate: 8000 | 48000): void {
    if (rate === this.listenerRate) return;
    this.listenerRate = rate;
    for (const key of this.heard) this.decoders.release(key);
    this.heard.clear();
    for (const frames of this.frames.values()) frames.clear();
  }

  /**
   * Mixes this frame of what the listener hears into `out`: each subscription the plan has sent
   * (not paused) at its gain. A speaker the plan does not send contributes nothing, and whatever
   * of theirs is still queued is dropped. `out` holds one frame at the listener's rate; `dueAt` is
   * that frame's deadline on the phone clock (PhoneClock).
   */
  mixInto(out: Int16Array, dueAt = performance.now()): void {
    this.inputs.length = 0;
    for (const subscription of this.participant.subscriptions.values()) {
      if (subscription.kind !== 'audio') continue;
      const frames = this.frames.get(subscription.speakerId);
      if (!frames) continue;
      if (subscription.closed || subscription.paused || subscription.gain <= 0) {
        frames.clear();
        continue;
      }
      const late = frames.late;
      const frame = frames.take(dueAt);
      this.counters.late += frames.late - late;
      if (frame) this.inputs.push({ frame, gain: subscription.gain });
    }
    mixFrame(this.inputs, out);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
    this.encoder?.delete();
    for (const key of this.heard) this.decoders.release(key);
    this.heard.clear();
  }

  private subscriptionOf(ssrc: number): MediaSubscription | undefined {
    for (const subscription of this.participant.subscriptions.values())
      if (subscription.consumer?.rtpParameters.encodings?.[0]?.ssrc === ssrc) return subscription;
    return undefined;
  }

  private onDatagram(data: Buffer): void {
    if (this.closed) return;
    const second = data[1] ?? 0;
    if (second >= 192 && second <= 223) return; // RTCP from the engine: sender reports
    if (!readRtpHeader(data, 0, this.header)) return;
    const subscription = this.subscriptionOf(this.header.ssrc);
    if (!subscription || subscription.kind !== 'audio') return void this.counters.unknownStream++;
    let payload = data.subarray(this.header.headerBytes);
    if (this.header.padding) {
      const unpadded = withoutPadding(payload);
      if (!unpadded) return void this.counters.undecodable++;
      payload = unpadded;
    }
    const key = `${this.room}|${subscription.speakerId}|${this.listenerRate}`;
    if (!this.heard.has(key)) {
      this.decoders.acquire(key, this.listenerRate);
      this.heard.add(key);
    }
    let decoded: Int16Array[];
    try {
      decoded = this.decoders.decode(key, payload);
    } catch {
      return void this.counters.undecodable++;
    }
    this.counters.received++;
    let frames = this.frames.get(subscription.speakerId);
    if (!frames) {
      frames = new SpeakerFrames();
      this.frames.set(subscription.speakerId, frames);
    }
    // Shared with the other listeners of this speaker: read only.
    const arrivedAt = performance.now();
    for (const frame of decoded) frames.push(frame, arrivedAt);
  }
}
