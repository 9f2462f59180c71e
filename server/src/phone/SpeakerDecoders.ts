import { OpusCodec } from './opusCodec.ts';
import { frameSamplesAt } from './ListenerMix.ts';

/** Packets of one speaker remembered with their decoded frames (1.28 s at 20 ms). */
const RECENT = 64;

interface Decoded {
  hash: number;
  payload: Buffer;
  frames: Int16Array[];
}

interface Speaker {
  decoder: OpusCodec;
  /** Samples of one 20 ms frame at the decoder's rate. */
  frameSamples: number;
  recent: Decoded[];
  next: number;
  users: number;
}

/**
 * Each speaker's Opus decoded once per packet for all the phone listeners of a node, not once per
 * listener. The room forwards a speaker's packets to every listener it sends them to with the same
 * payload (only SSRC, sequence and timestamp are rewritten per consumer), so the first listener
 * leg that receives a packet decodes it with the speaker's one decoder and the others find its
 * frames here by payload. Frames handed out are shared: callers must only read them.
 *
 * Byte-identical packets (silence, DTX) are decoded once and their frames reused; a leg more than
 * 64 packets behind the others decodes again. Both only touch silence or a late leg, never who
 * hears whom: which speakers a listener mixes is still decided by its own subscriptions.
 *
 * A decoder decodes at one rate: 8 kHz for G.711 listeners, 48 kHz for Opus ones. A speaker heard
 * by both kinds is decoded once per rate (the keys differ), still once for all listeners of a kind.
 */
export class SpeakerDecoders {
  private readonly speakers = new Map<string, Speaker>();
  /** Packets decoded, and packets a listener got from another's decode. */
  readonly counters = { decoded: 0, shared: 0 };

  /** A listener leg starts using `key`'s decoder (key: the room, the speaker and the rate), decoding at `rate`. */
  acquire(key: string, rate: 8000 | 48000 = 8000): void {
    const speaker = this.speakers.get(key);
    if (speaker) speaker.users++;
    else
      this.speakers.set(key, {
        decoder: new OpusCodec(rate, 1),
        frameSamples: frameSamplesAt(rate),
        recent: [],
        next: 0,
        users: 1,
      });
  }

  /** A listener leg is done with `key`; the last one frees the decoder. */
  release(key: string): void {
    const speaker = this.speakers.get(key);
    if (!speaker || --speaker.users > 0) return;
    speaker.decoder.delete();
    this.speakers.delete(key);
  }

  /** The 20 ms frames (at the decoder's rate) of one packet of `key`'s (acquired); throws when it cannot be decoded. */
  decode(key: string, payload: Buffer): Int16Array[] {
    const speaker = this.speakers.get(key);
    if (!speaker) throw new Error(`No decoder acquired for ${key}`);
    const hash = fnv1a(payload);
    for (const entry of speaker.recent)
      if (entry.hash === hash && entry.payload.equals(payload)) {
        this.counters.shared++;
        return entry.frames;
      }
    const pcm = speaker.decoder.decode(payload);
    const frames: Int16Array[] = [];
    const samples = pcm.length >> 1;
    const size = speaker.frameSamples;
    for (let offset = 0; offset + size <= samples; offset += size) {
      const frame = new Int16Array(size);
      for (let i = 0; i < size; i++) frame[i] = pcm.readInt16LE((offset + i) * 2);
      frames.push(frame);
    }
    const entry = { hash, payload: Buffer.from(payload), frames };
    if (speaker.recent.length < RECENT) speaker.recent.push(entry);
    else speaker.recent[speaker.next] = entry;
    speaker.next = (speaker.next + 1) % RECENT;
    this.counters.decoded++;
    return frames;
  }

  /** Decoders alive now: one per speaker heard by any phone listener. */
  get size(): number {
    return this.speakers.size;
  }
}

function fnv1a(data: Buffer): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) {
    hash ^= data[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
