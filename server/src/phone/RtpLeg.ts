import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { emptyRtpHeaderFields, readRtpHeader, withoutPadding } from '../media/rtpHeader.ts';
import { TelephoneEventReader } from './dtmf.ts';
import { decodeG711, encodeG711 } from './g711.ts';
import { FRAME_SAMPLES, frameSamplesAt } from './ListenerMix.ts';
import { OpusApplication, OpusCodec } from './opusCodec.ts';
import { clockRateOf, type OpusReceiveParameters, type PhoneCodecName, type PhoneMediaOffer } from './sdp.ts';

/**
 * What the caller says: 20 ms of G.711 decoded (160 samples at 8 kHz), or one Opus packet as the
 * phone sent it — the room speaks Opus, so it is forwarded into the room without a re-encode —
 * with its RFC 6464 level (read from a decode at 8 kHz) and the phone's own sequence number and
 * timestamp, so the room sees the phone's losses and pauses as they were.
 */
export type CallerAudio =
  | { kind: 'pcm'; frame: Int16Array }
  | { kind: 'opus'; payload: Buffer; sequence: number; timestamp: number; marker: boolean; level: number };

export interface RtpLegEvents {
  /** What the caller says, as it arrives. */
  audio: (heard: CallerAudio) => void;
  /** A DTMF key pressed (RFC 4733). */
  key: (key: string) => void;
}

/** What the leg counts, for tests and quality. */
export interface RtpLegCounters {
  received: number;
  sent: number;
  /** Datagrams from any address but the one the offer named: dropped unread. */
  wrongSource: number;
  /** Not RTP, a payload type that was not negotiated, or an Opus packet that does not decode. */
  rejected: number;
}

/** libopus encoder controls (opus_defines.h). */
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_MAX_BANDWIDTH = 4004;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_INBAND_FEC = 4012;
const OPUS_SET_PACKET_LOSS_PERC = 4014;
const OPUS_SET_DTX = 4016;
/** The longest Opus packet taken from a phone (RFC 6716: 1275 bytes a frame, up to 3 frames kept here). */
const MAX_OPUS_PAYLOAD = 1275 * 3;

/** OPUS_BANDWIDTH_* for the far end's maxplaybackrate: no use sending what it will not play. */
function bandwidthFor(maxPlaybackRate: number): number {
  if (maxPlaybackRate <= 8000) return 1101; // narrowband
  if (maxPlaybackRate <= 12_000) return 1102; // mediumband
  if (maxPlaybackRate <= 16_000) return 1103; // wideband
  if (maxPlaybackRate <= 24_000) return 1104; // super-wideband
  return 1105; // fullband
}

/** The Opus encoder of one phone listener, set up as its SDP asked (RFC 7587 §6.1). */
function opusEncoderFor(parameters: OpusReceiveParameters | undefined): OpusCodec {
  const encoder = new OpusCodec(48_000, 1, OpusApplication.VOIP);
  // Speech mixes: complexity 5 costs about half of the default 10 here, audibly the same.
  encoder.encoderCTL(OPUS_SET_COMPLEXITY, 5);
  if (!parameters) return encoder;
  encoder.encoderCTL(OPUS_SET_MAX_BANDWIDTH, bandwidthFor(parameters.maxPlaybackRate));
  if (parameters.maxAverageBitrate !== null)
    encoder.encoderCTL(OPUS_SET_BITRATE, parameters.maxAverageBitrate);
  if (parameters.useInbandFec) {
    encoder.encoderCTL(OPUS_SET_INBAND_FEC, 1);
    // FEC is only added when the encoder expects some loss.
    encoder.encoderCTL(OPUS_SET_PACKET_LOSS_PERC, 5);
  }
  if (parameters.useDtx) encoder.encoderCTL(OPUS_SET_DTX, 1);
  return encoder;
}

/** RFC 6464 level (-dBov, 0–127) of 16-bit little-endian PCM. */
function levelOfPcm(pcm: Buffer): number {
  const samples = pcm.length >> 1;
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const x = pcm.readInt16LE(i * 2);
    sum += x * x;
  }
  const rms = Math.sqrt(sum / Math.max(1, samples)) / 32768;
  if (rms <= 0) return 127;
  return Math.max(0, Math.min(127, Math.round(-20 * Math.log10(rms))));
}

/**
 * The phone side of a phone leg: one UDP port on Parley's SIP address, exchanging G.711 or Opus
 * with the address the caller's SDP named, and nothing else (RTP from another address is dropped
 * and counted). Sends one frame per call of `send` — the gateway's 20 ms clock drives it: 160
 * samples at 8 kHz for G.711, 960 at 48 kHz for Opus, encoded by this listener's own encoder.
 */
export class RtpLeg {
  readonly counters: RtpLegCounters = { received: 0, sent: 0, wrongSource: 0, rejected: 0 };
  private remote: { address: string; port: number };
  private readonly header = emptyRtpHeaderFields();
  private readonly dtmf = new TelephoneEventReader();
  private readonly ssrc = randomInt(1, 0xffffffff);
  private sequence = randomInt(0, 0xffff);
  private timestamp = randomInt(0, 0xffffffff);
  private closed = false;
  private marker = true;
  /** Opus legs: this listener's encoder, and a decoder for the level of what the caller says. */
  private opusEncoder: OpusCodec | null = null;
  private opusDecoder: OpusCodec | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly localPort: number,
    private offer: PhoneMediaOffer,
    private readonly events: RtpLegEvents,
  ) {
    this.remote = { address: offer.address, port: offer.port };
    this.setUpCodec();
    socket.on('message', (data, from) => this.onDatagram(data, from.address, from.port));
  }

  /** Binds a free port of `range` on `address`. Rejects when every port tried is taken. */
  static async open(
    address: string,
    range: { min: number; max: number },
    offer: PhoneMediaOffer,
    events: RtpLegEvents,
  ): Promise<RtpLeg> {
    const size = range.max - range.min + 1;
    const first = randomInt(0, size);
    for (let attempt = 0; attempt < Math.min(size, 64); attempt++) {
      const port = range.min + ((first + attempt) % size);
      const socket = createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(port, address, () => resolve(true));
      });
      if (bound) {
        socket.on('error', () => undefined);
        return new RtpLeg(socket, port, offer, events);
      }
      socket.close();
    }
    throw new Error('No free RTP port for a phone leg');
  }

  /** The negotiated codec. */
  get law(): PhoneCodecName {
    return this.offer.codec.law;
  }

  /** The rate of the frames `send` takes: 8 kHz for G.711, 48 kHz for Opus. */
  get sampleRate(): 8000 | 48000 {
    return clockRateOf(this.offer.codec.law);
  }

  /** A re-INVITE moved the far end (or changed the codec); the dial-out's answer names it. */
  update(offer: PhoneMediaOffer): void {
    const codecChanged =
      offer.codec.law !== this.offer.codec.law ||
      JSON.stringify(offer.codec.opus) !== JSON.stringify(this.offer.codec.opus);
    this.offer = offer;
    this.remote = { address: offer.address, port: offer.port };
    if (codecChanged) this.setUpCodec();
  }

  /** Sends one 20 ms frame in the negotiated codec: 160 samples (G.711) or 960 at 48 kHz (Opus). */
  send(frame: Int16Array): void {
    if (this.closed) return;
    const codec = this.offer.codec.law;
    let payload: Buffer | null = null;
    if (codec === 'opus') {
      if (frame.length !== frameSamplesAt(48_000) || !this.opusEncoder)
        throw new RangeError(`An Opus leg sends 960-sample frames, not ${frame.length}`);
      payload = this.opusEncoder.encode(
        Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength),
        frame.length,
      );
    } else if (frame.length !== FRAME_SAMPLES)
      throw new RangeError(`A G.711 leg sends 160-sample frames, not ${frame.length}`);
    // A new buffer each time: dgram sends later, so a reused one could be overwritten before it leaves.
    const p = Buffer.allocUnsafe(12 + (payload ? payload.length : FRAME_SAMPLES));
    p[0] = 0x80;
    p[1] = (this.marker ? 0x80 : 0) | this.offer.codec.payloadType;
    this.marker = false;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + frame.length) >>> 0;
    p.writeUInt16BE(this.sequence, 2);
    p.writeUInt32BE(this.timestamp, 4);
    p.writeUInt32BE(this.ssrc, 8);
    if (payload) payload.copy(p, 12);
    else encodeG711(codec as Exclude<PhoneCodecName, 'opus'>, frame, p.subarray(12));
    this.counters.sent++;
    this.socket.send(p, this.remote.port, this.remote.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
    this.freeOpus();
  }

  /** Opus legs get their encoder (as the far end's fmtp asked) and level decoder; G.711 legs none. */
  private setUpCodec(): void {
    this.freeOpus();
    if (this.offer.codec.law !== 'opus') return;
    this.opusEncoder = opusEncoderFor(this.offer.codec.opus);
    this.opusDecoder = new OpusCodec(8000, 1);
  }

  private freeOpus(): void {
    this.opusEncoder?.delete();
    this.opusDecoder?.delete();
    this.opusEncoder = null;
    this.opusDecoder = null;
  }

  private onDatagram(data: Buffer, address: string, port: number): void {
    if (this.closed) return;
    if (address !== this.remote.address || port !== this.remote.port) {
      this.counters.wrongSource++;
      return;
    }
    const second = data[1] ?? 0;
    // RTCP (muxed or not) says nothing the leg needs.
    if (second >= 192 && second <= 223) return;
    if (!readRtpHeader(data, 0, this.header)) return void this.counters.rejected++;
    let payload = data.subarray(this.header.headerBytes);
    if (this.header.padding) {
      const unpadded = withoutPadding(payload);
      if (!unpadded) return void this.counters.rejected++;
      payload = unpadded;
    }
    if (this.header.payloadType === this.offer.telephoneEventPayloadType) {
      this.counters.received++;
      const key = this.dtmf.read(payload, this.header.timestamp);
      if (key !== null) this.events.key(key);
      return;
    }
    const codec = this.offer.codec.law;
    if (
      this.header.payloadType !== this.offer.codec.payloadType ||
      payload.length === 0 ||
      payload.length > (codec === 'opus' ? MAX_OPUS_PAYLOAD : 480)
    )
      return void this.counters.rejected++;
    if (codec === 'opus') {
      let level: number;
      try {
        level = levelOfPcm(this.opusDecoder!.decode(payload));
      } catch {
        return void this.counters.rejected++;
      }
      this.counters.received++;
      this.events.audio({
        kind: 'opus',
        payload: Buffer.from(payload),
        sequence: this.header.sequenceNumber,
        timestamp: this.header.timestamp,
        marker: this.header.marker,
        level,
      });
      return;
    }
    this.counters.received++;
    // 20 ms is 160 samples; other packet sizes are cut or padded into 20 ms frames.
    for (let offset = 0; offset < payload.length; offset += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      decodeG711(codec, payload.subarray(offset, offset + FRAME_SAMPLES), frame);
      this.events.audio({ kind: 'pcm', frame });
    }
  }
}
