import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeG711 } from './g711.ts';
import { FRAME_SAMPLES } from './ListenerMix.ts';
import { OpusCodec } from './opusCodec.ts';
import { RtpLeg, type CallerAudio } from './RtpLeg.ts';

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
      { audio: (a) => a.kind === 'pcm' && frames.push(a.frame), key: (k) => keys.push(k) },
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

  it('an Opus leg hands the caller’s packets on as they came, with their level, and sends its listener Opus at 48 kHz', async () => {
    const phone = await phoneSocket();
    const got: Buffer[] = [];
    phone.on('message', (m) => got.push(m));
    const heard: CallerAudio[] = [];
    leg = await RtpLeg.open(
      '127.0.0.1',
      { min: 5084, max: 5086 },
      {
        address: '127.0.0.1',
        port: phone.address().port,
        codec: {
          law: 'opus',
          payloadType: 96,
          opus: {
            useInbandFec: true,
            stereo: false,
            maxPlaybackRate: 16000,
            maxAverageBitrate: 32000,
            useDtx: false,
          },
        },
        telephoneEventPayloadType: 110,
      },
      { audio: (a) => heard.push(a), key: () => undefined },
    );
    expect(leg.sampleRate).toBe(48000);
    // The phone speaks: a loud 20 ms Opus frame, then a quiet one.
    const encoder = new OpusCodec(48000, 1);
    const tone = (amplitude: number) =>
      Buffer.from(
        Int16Array.from({ length: 960 }, (_, i) =>
          Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 48000)),
        ).buffer,
      );
    const loud = encoder.encode(tone(16000), 960);
    // Quiet frames after it: the first still holds the loud one's tail (the codec's look-ahead).
    const quiet = [1, 2, 3, 4].map(() => encoder.encode(tone(100), 960));
    encoder.delete();
    const port = leg.localPort;
    phone.send(rtp(96, 7, 9600, loud), port, '127.0.0.1');
    quiet.forEach((q, i) => phone.send(rtp(96, 8 + i, 10560 + 960 * i, q), port, '127.0.0.1'));
    phone.send(rtp(96, 12, 14400, Buffer.alloc(0)), port, '127.0.0.1'); // no payload: refused
    phone.send(rtp(0, 13, 15360, new Uint8Array(160)), port, '127.0.0.1'); // G.711 was not agreed
    let deadline = Date.now() + 5000;
    while ((heard.length < 5 || leg.counters.rejected < 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(heard.map((h) => h.kind)).toEqual(['opus', 'opus', 'opus', 'opus', 'opus']);
    const packets = heard as Extract<CallerAudio, { kind: 'opus' }>[];
    const first = packets[0];
    const last = packets[4];
    expect(first!.payload.equals(loud)).toBe(true);
    expect(first!.sequence).toBe(7);
    expect(first!.timestamp).toBe(9600);
    // A loud frame sits near full scale in -dBov, a quiet one far below.
    expect(first!.level).toBeLessThan(20);
    expect(last!.level).toBeGreaterThan(40);
    expect(last!.sequence).toBe(11);
    expect(leg.counters.rejected).toBe(2);

    // What the listener hears: 960 samples at 48 kHz a frame, Opus on the offer's payload type.
    leg.send(
      new Int16Array(960).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 48000))),
    );
    leg.send(new Int16Array(960));
    expect(() => leg!.send(new Int16Array(160))).toThrow(RangeError);
    deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((p) => p[1]! & 0x7f)).toEqual([96, 96]);
    expect((got[1]!.readUInt32BE(4) - got[0]!.readUInt32BE(4)) >>> 0).toBe(960);
    const decoder = new OpusCodec(48000, 1);
    const pcm = decoder.decode(got[0]!.subarray(12));
    decoder.delete();
    expect(pcm.length).toBe(960 * 2);
  });

  it('a G.711 leg refuses a 48 kHz frame', async () => {
    const phone = await phoneSocket();
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
    expect(leg.sampleRate).toBe(8000);
    expect(() => leg!.send(new Int16Array(960))).toThrow(RangeError);
  });
});
