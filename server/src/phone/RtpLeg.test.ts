import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeG711 } from './g711.ts';
import { FRAME_SAMPLES } from './ListenerMix.ts';
import { RtpLeg } from './RtpLeg.ts';

/** The phone side's RTP leg on real loopback sockets (ports 5084–5086). */
describe('RtpLeg', () => {
  const sockets: Socket[] = [];
  let leg: RtpLeg | undefined;
  afterEach(() => {
    leg?.close();
    for (const s of sockets.splice(0)) s.close();
  });

  async function phoneSocket(address = '127.0.0.1'): Promise<Socket> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, address, r));
    sockets.push(socket);
    return socket;
  }

  function rtp(payloadType: number, seq: number, timestamp: number, payload: Uint8Array): Buffer {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = payloadType;
    header.writeUInt16BE(seq, 2);
    header.writeUInt32BE(timestamp, 4);
    header.writeUInt32BE(1234, 8);
    return Buffer.concat([header, payload]);
  }

  it('decodes G.711 from the offered address, reads RFC 4733 keys, drops everything from elsewhere', async () => {
    const phone = await phoneSocket();
    const stranger = await phoneSocket('127.0.0.2');
    const frames: Int16Array[] = [];
    const keys: string[] = [];
    leg = await RtpLeg.open(
      '127.0.0.1',
      { min: 5084, max: 5086 },
      {
        address: '127.0.0.1',
        port: phone.address().port,
        codec: { law: 'PCMA', payloadType: 8 },
        telephoneEventPayloadType: 101,
      },
      { audio: (f) => frames.push(f), key: (k) => keys.push(k) },
    );
    const samples = Int16Array.from({ length: FRAME_SAMPLES }, (_, i) => (i % 2 ? 5000 : -5000));
    const payload = new Uint8Array(FRAME_SAMPLES);
    encodeG711('PCMA', samples, payload);
    const port = leg.localPort;
    phone.send(rtp(8, 1, 160, payload), port, '127.0.0.1');
    phone.send(rtp(101, 2, 320, Uint8Array.of(5, 0x0a, 0, 160)), port, '127.0.0.1');
    phone.send(rtp(101, 3, 320, Uint8Array.of(5, 0x8a, 0, 320)), port, '127.0.0.1');
    phone.send(rtp(0, 4, 480, payload), port, '127.0.0.1'); // a payload type nobody agreed on
    stranger.send(rtp(8, 5, 640, payload), port, '127.0.0.1');
    const deadline = Date.now() + 5000;
    while (
      (leg.counters.wrongSource < 1 || leg.counters.rejected < 1 || keys.length < 1) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 10));
    expect(frames).toHaveLength(1);
    expect(Math.abs(frames[0]![0]! + 5000)).toBeLessThan(200);
    expect(keys).toEqual(['5']);
    expect(leg.counters).toMatchObject({ wrongSource: 1, rejected: 1 });
  });

  it('sends 20 ms frames in the negotiated law and payload type, sequence and timestamp advancing', async () => {
    const phone = await phoneSocket();
    const got: Buffer[] = [];
    phone.on('message', (m) => got.push(m));
    leg = await RtpLeg.open(
      '127.0.0.1',
      { min: 5084, max: 5086 },
      {
        address: '127.0.0.1',
        port: phone.address().port,
        codec: { law: 'PCMU', payloadType: 0 },
        telephoneEventPayloadType: null,
      },
      { audio: () => undefined, key: () => undefined },
    );
    leg.send(new Int16Array(FRAME_SAMPLES));
    leg.send(new Int16Array(FRAME_SAMPLES));
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((p) => p.length)).toEqual([172, 172]);
    expect(got.map((p) => p[1]! & 0x7f)).toEqual([0, 0]);
    expect((got[1]!.readUInt16BE(2) - got[0]!.readUInt16BE(2)) & 0xffff).toBe(1);
    expect((got[1]!.readUInt32BE(4) - got[0]!.readUInt32BE(4)) >>> 0).toBe(FRAME_SAMPLES);
    // Silence in µ-law is 0xff.
    expect(got[0]![12]).toBe(0xff);
  });
});
