import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { emptyRtpHeaderFields, readRtpHeader, withoutPadding } from '../media/rtpHeader.ts';
import { TelephoneEventReader } from './dtmf.ts';
import { decodeG711, encodeG711, type G711Law } from './g711.ts';
import { FRAME_SAMPLES } from './ListenerMix.ts';
import type { PhoneMediaOffer } from './sdp.ts';

export interface RtpLegEvents {
  /** 20 ms of what the caller says, decoded (160 samples). */
  audio: (frame: Int16Array) => void;
  /** A DTMF key pressed (RFC 4733). */
  key: (key: string) => void;
}

/** What the leg counts, for tests and quality. */
export interface RtpLegCounters {
  received: number;
  sent: number;
  /** Datagrams from any address but the one the offer named: dropped unread. */
  wrongSource: number;
  /** Not RTP, or a payload type that was not negotiated. */
  rejected: number;
}

/**
 * The phone side of a phone leg: one UDP port on Parley's SIP address, exchanging G.711 with the
 * address the caller's SDP named, and nothing else (RTP from another address is dropped and
 * counted). Sends one frame per call of `send` — the gateway's 20 ms clock drives it.
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

  private constructor(
    private readonly socket: Socket,
    readonly localPort: number,
    private offer: PhoneMediaOffer,
    private readonly events: RtpLegEvents,
  ) {
    this.remote = { address: offer.address, port: offer.port };
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

  get law(): G711Law {
    return this.offer.codec.law;
  }

  /** A re-INVITE moved the far end. */
  update(offer: PhoneMediaOffer): void {
    this.offer = offer;
    this.remote = { address: offer.address, port: offer.port };
  }

  /** Sends one 20 ms frame (160 samples) in the negotiated law. */
  send(frame: Int16Array): void {
    if (this.closed) return;
    // A new buffer each time: dgram sends later, so a reused one could be overwritten before it leaves.
    const p = Buffer.allocUnsafe(12 + FRAME_SAMPLES);
    p[0] = 0x80;
    p[1] = (this.marker ? 0x80 : 0) | this.offer.codec.payloadType;
    this.marker = false;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    p.writeUInt16BE(this.sequence, 2);
    p.writeUInt32BE(this.timestamp, 4);
    p.writeUInt32BE(this.ssrc, 8);
    encodeG711(this.offer.codec.law, frame, p.subarray(12));
    this.counters.sent++;
    this.socket.send(p, this.remote.port, this.remote.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
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
    if (
      this.header.payloadType !== this.offer.codec.payloadType ||
      payload.length === 0 ||
      payload.length > 480
    )
      return void this.counters.rejected++;
    this.counters.received++;
    // 20 ms is 160 samples; other packet sizes are cut or padded into 20 ms frames.
    for (let offset = 0; offset < payload.length; offset += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      decodeG711(this.offer.codec.law, payload.subarray(offset, offset + FRAME_SAMPLES), frame);
      this.events.audio(frame);
    }
  }
}
