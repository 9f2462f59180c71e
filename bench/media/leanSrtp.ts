/**
 * The load generator's receive side: reads back the stamp at the start of a received payload by
 * decrypting only those bytes. Keys come from the session werift negotiated over DTLS. It does
 * not check the authentication tag — the benchmark counts and times packets; the server's own
 * SRTP is the code under test. (It sends with the engine's SrtpProtector.)
 */
import { createDecipheriv } from 'node:crypto';

const PROFILE_AES_CM_SHA1_80 = 0x0001;
const PROFILE_AEAD_AES_128_GCM = 0x0007;

/** The fields of a werift SRTP context the generator needs. */
export interface SrtpContextKeys {
  srtpSessionKey: Buffer;
  srtpSessionSalt: Buffer;
  srtpSessionAuthTag?: Buffer;
  profile: number;
}

export class LeanSrtp {
  private readonly gcm: boolean;
  private readonly iv = Buffer.alloc(16);

  constructor(private readonly keys: SrtpContextKeys) {
    if (keys.profile !== PROFILE_AES_CM_SHA1_80 && keys.profile !== PROFILE_AEAD_AES_128_GCM)
      throw new Error(`unsupported SRTP profile ${keys.profile}`);
    this.gcm = keys.profile === PROFILE_AEAD_AES_128_GCM;
  }

  /** Decrypts the first `length` bytes of the payload at `offset` (no authentication check). */
  readPrefix(packet: Buffer, offset: number, length: number, roc: number): Buffer {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    let iv: Buffer;
    if (this.gcm) {
      // GCM's payload keystream is AES-CTR from the IV with a 32-bit block counter starting at 2.
      this.gcmIv(ssrc, seq, roc).copy(this.iv, 0);
      this.iv.writeUInt32BE(2, 12);
      iv = this.iv;
    } else {
      iv = this.ctrIv(ssrc, seq, roc);
    }
    const decipher = createDecipheriv('aes-128-ctr', this.keys.srtpSessionKey, iv);
    return decipher.update(packet.subarray(offset, offset + length));
  }

  private gcmIv(ssrc: number, seq: number, roc: number): Buffer {
    const iv = this.iv.subarray(0, 12);
    iv.fill(0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(roc, 6);
    iv.writeUInt16BE(seq, 10);
    const salt = this.keys.srtpSessionSalt;
    for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
    return iv;
  }

  private ctrIv(ssrc: number, seq: number, roc: number): Buffer {
    const iv = this.iv;
    iv.fill(0);
    iv.writeUInt32BE(ssrc, 4);
    iv.writeUInt32BE(roc, 8);
    iv.writeUInt16BE(seq, 12);
    const salt = this.keys.srtpSessionSalt;
    for (let i = 0; i < 14; i++) iv[i]! ^= salt[i]!;
    return iv;
  }
}

/** Where an RTP packet's payload starts (after CSRCs and the header extension). */
export function rtpPayloadOffset(packet: Buffer): number {
  const first = packet[0]!;
  let offset = 12 + (first & 0x0f) * 4;
  if (first & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return offset;
}
