import { randomInt, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { decodeG711, encodeG711 } from '../g711.ts';
import { RawPeer } from './RawPeer.ts';

/**
 * A bare G.711 phone for tests that need more phones than baresip's port needs allow: SIP over
 * UDP through RawPeer (INVITE with a PCMU offer, ACK, the PIN as SIP INFO keys, BYE), and an RTP
 * socket of its own that sends a sine tone as 20 ms µ-law packets and keeps what it hears
 * decoded (8 kHz), in memory only.
 */
export class G711Peer {
  private readonly heardFrames: Int16Array[] = [];
  private timer: NodeJS.Timeout | undefined;
  private toTag: string | undefined;
  private phase = 0;

  private constructor(
    readonly sip: RawPeer,
    readonly rtp: Socket,
    readonly callId: string,
    readonly toneHz: number,
  ) {
    rtp.on('message', (packet) => {
      if (packet.length <= 12 || (packet[1]! & 0x7f) !== 0) return;
      const frame = new Int16Array(packet.length - 12);
      decodeG711('PCMU', packet.subarray(12), frame);
      this.heardFrames.push(frame);
    });
  }

  static async open(sipPort: number, toneHz: number): Promise<G711Peer> {
    const sip = await RawPeer.open(sipPort, '127.0.0.1');
    const rtp = createSocket('udp4');
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
    return new G711Peer(sip, rtp, `g711-${randomUUID()}`, toneHz);
  }

  /** Calls Parley, starts talking once answered, and keys `pin` by SIP INFO. */
  async dialIn(pin: string): Promise<void> {
    const port = this.rtp.address().port;
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=ptime:20',
      '',
    ].join('\r\n');
    this.sip.request('INVITE', this.callId, { extra: ['Content-Type: application/sdp'], body: sdp });
    const deadline = Date.now() + 10_000;
    let ok: string | undefined;
    while (!ok && Date.now() < deadline) {
      ok = this.sip.received.find(
        (m) =>
          m.startsWith('SIP/2.0 200') && m.includes(`Call-ID: ${this.callId}`) && /^CSeq: 1 INVITE/m.test(m),
      );
      if (!ok) await new Promise((r) => setTimeout(r, 20));
    }
    if (!ok) throw new Error(`no 200 OK (got ${this.sip.statuses(this.callId).join(', ') || 'nothing'})`);
    this.toTag = this.sip.toTagOf(this.callId);
    const body = ok.slice(ok.indexOf('\r\n\r\n') + 4);
    const parleyPort = Number(/^m=audio (\d+)/m.exec(body)?.[1]);
    if (!this.toTag || !parleyPort) throw new Error('Parley answered without a tag or an RTP port');
    this.sip.request('ACK', this.callId, { toTag: this.toTag, cseq: 1 });
    this.talk(parleyPort);
    await this.sip.keyByInfo(this.callId, this.toTag, pin, 2);
  }

  /** What it heard so far (8 kHz). */
  heard(): Int16Array {
    const all = new Int16Array(this.heardFrames.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const frame of this.heardFrames) {
      all.set(frame, offset);
      offset += frame.length;
    }
    return all;
  }

  /** BYE, then the sockets closed once it has left. */
  async hangUp(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.toTag) this.sip.request('BYE', this.callId, { toTag: this.toTag, cseq: 50 });
    await new Promise((r) => setTimeout(r, 200));
    this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sip.close();
    this.rtp.close();
  }

  private talk(parleyPort: number): void {
    const ssrc = randomInt(1, 0xffffffff);
    let sequence = randomInt(0, 0xffff);
    let timestamp = randomInt(0, 0xffffffff);
    this.timer = setInterval(() => {
      const samples = new Int16Array(160);
      for (let i = 0; i < 160; i++)
        samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * this.toneHz * this.phase++) / 8000));
      const packet = Buffer.alloc(12 + 160);
      packet[0] = 0x80;
      packet[1] = 0;
      sequence = (sequence + 1) & 0xffff;
      timestamp = (timestamp + 160) >>> 0;
      packet.writeUInt16BE(sequence, 2);
      packet.writeUInt32BE(timestamp, 4);
      packet.writeUInt32BE(ssrc, 8);
      encodeG711('PCMU', samples, packet.subarray(12));
      this.rtp.send(packet, parleyPort, '127.0.0.1');
    }, 20);
  }
}
