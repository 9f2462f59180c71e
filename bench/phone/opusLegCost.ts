/**
 * What an Opus phone leg costs beside a G.711 one, per 20 ms frame, in the codec work only (the
 * calls the legs make, on the same OpusCodec): an Opus listener's own 48 kHz encode (RtpLeg, as
 * set up from baresip's fmtp: FEC on) against a G.711 caller's 8 kHz encode into the room
 * (RoomLeg.publish), and a speaker's shared decode at 48 kHz (Opus listeners) against 8 kHz
 * (G.711 listeners). CPU from process.cpuUsage() over `FRAMES` frames, median of `REPEATS`.
 *
 *   npx tsx bench/phone/opusLegCost.ts
 */
import { OpusApplication, OpusCodec } from '../../server/src/phone/opusCodec.ts';

const FRAMES = 1500;
const REPEATS = 5;

function tone(rate: number, frame: number): Buffer {
  const n = rate / 50;
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++)
    pcm[i] = Math.round(
      6000 * Math.sin((2 * Math.PI * 440 * (frame * n + i)) / rate) +
        3000 * Math.sin((2 * Math.PI * 1700 * (frame * n + i)) / rate),
    );
  return Buffer.from(pcm.buffer);
}

function cpuPerFrame(work: (frame: number) => void): number {
  const runs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (let f = 0; f < 100; f++) work(f); // warm
    const start = process.cpuUsage();
    for (let f = 0; f < FRAMES; f++) work(f);
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / FRAMES);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

function encoder(rate: 8000 | 48000, fec: boolean): OpusCodec {
  const codec = new OpusCodec(rate, 1, OpusApplication.VOIP);
  codec.encoderCTL(4010, 5); // complexity 5, as both legs set it
  if (fec) {
    codec.encoderCTL(4012, 1);
    codec.encoderCTL(4014, 5);
  }
  return codec;
}

const inputs = { 8000: [] as Buffer[], 48000: [] as Buffer[] };
for (let f = 0; f < 50; f++) {
  inputs[8000].push(tone(8000, f));
  inputs[48000].push(tone(48000, f));
}
const enc8 = encoder(8000, false);
const enc48 = encoder(48000, true);
const packets = inputs[48000].map((pcm) => enc48.encode(pcm, 960));
const dec8 = new OpusCodec(8000, 1);
const dec48 = new OpusCodec(48000, 1);
const figures = {
  'phone.opus.encode_8k_g711_caller_us': cpuPerFrame((f) => enc8.encode(inputs[8000][f % 50]!, 160)),
  'phone.opus.encode_48k_opus_listener_us': cpuPerFrame((f) => enc48.encode(inputs[48000][f % 50]!, 960)),
  'phone.opus.decode_8k_us': cpuPerFrame((f) => dec8.decode(packets[f % 50]!)),
  'phone.opus.decode_48k_us': cpuPerFrame((f) => dec48.decode(packets[f % 50]!)),
};
for (const [figure, median] of Object.entries(figures))
  console.log(JSON.stringify({ figure, median, p99: null, unit: 'us_cpu_per_frame' }));
for (const codec of [enc8, enc48, dec8, dec48]) codec.delete();
