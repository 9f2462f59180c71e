import { createCipheriv, createHmac } from 'node:crypto';

/** DTLS-SRTP protection profiles (RFC 5764, RFC 7714) the engine negotiates. */
export const SRTP_AES128_CM_HMAC_SHA1_80 = 0x0001;
export const SRTP_AEAD_AES_128_GCM = 0x0007;

/** The session keys DTLS-SRTP derived for one direction (RFC 3711 §4.3). */
export interface SrtpSessionKeys {
  profile: number;
  /** 16-byte AES session key. */
  key: Buffer;
  /** Session salt: 14 bytes for AES-CM, 12 for AES-GCM (longer: the first bytes are used). */
  salt: Buffer;
  /** 20-byte HMAC-SHA1 session key (AES-CM only). */
  authKey?: Buffer | undefined;
}

const HMAC_SHA1_80_TAG_BYTES = 10;

/**
 * Protects one outgoing RTP stream (one SSRC) as RFC 3711 (AES-CM + HMAC-SHA1-80) or RFC 7714
 * (AES-128-GCM) says. Keeps the stream's rollover counter itself, so a consultation longer than
 * 65 536 packets (22 minutes of 20 ms audio) keeps decrypting. Per packet it creates the cipher
 * (and HMAC) Node requires and nothing else: the header is whatever bytes the caller built, and
 * the datagram is returned in parts for a gathering send.
 */
export class SrtpProtector {
  private readonly gcm: boolean;
  private readonly iv: Buffer;
  private readonly salt: Buffer;
  private readonly rocBytes = Buffer.alloc(4);
  /** Highest sequence number sent, and the rollover counter it was sent under. */
  private highestSeq = -1;
  private roc = 0;

  constructor(private readonly keys: SrtpSessionKeys) {
    if (keys.key.length !== 16) throw new Error('SRTP session key must be 16 bytes');
    if (keys.profile === SRTP_AEAD_AES_128_GCM) {
      if (keys.salt.length < 12) throw new Error('AES-GCM session salt must be 12 bytes');
      this.gcm = true;
      this.salt = keys.salt.subarray(0, 12);
      this.iv = Buffer.alloc(12);
    } else if (keys.profile === SRTP_AES128_CM_HMAC_SHA1_80) {
      if (keys.salt.length < 14) throw new Error('AES-CM session salt must be 14 bytes');
      if (keys.authKey?.length !== 20) throw new Error('HMAC-SHA1 session key must be 20 bytes');
      this.gcm = false;
      this.salt = keys.salt.subarray(0, 14);
      this.iv = Buffer.alloc(16);
    } else {
      throw new Error(`unsupported SRTP profile 0x${keys.profile.toString(16)}`);
    }
  }

  /** The rollover counter the last packet with the highest sequence number was sent under. */
  get rolloverCounter(): number {
    return this.roc;
  }

  /**
   * Encrypts `payload` under `header` (a serialized RTP header, extensions included) and returns
   * the SRTP datagram as [header, encrypted payload, authentication tag].
   */
  protect(header: Buffer, payload: Buffer): [Buffer, Buffer, Buffer] {
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    const roc = this.indexFor(seq);
    if (this.gcm) {
      const cipher = createCipheriv('aes-128-gcm', this.keys.key, this.gcmIv(ssrc, roc, seq));
      cipher.setAAD(header);
      const encrypted = cipher.update(payload);
      cipher.final();
      return [header, encrypted, cipher.getAuthTag()];
    }
    const cipher = createCipheriv('aes-128-ctr', this.keys.key, this.ctrIv(ssrc, roc, seq));
    const encrypted = cipher.update(payload);
    const hmac = createHmac('sha1', this.keys.authKey!);
    hmac.update(header);
    hmac.update(encrypted);
    this.rocBytes.writeUInt32BE(roc, 0);
    hmac.update(this.rocBytes);
    return [header, encrypted, hmac.digest().subarray(0, HMAC_SHA1_80_TAG_BYTES)];
  }

  /**
   * RFC 3711 §3.3.1: the rollover counter for `seq` — one less for a late packet from before the
   * last wrap, one more for the first packets after it — remembering the highest index sent.
   */
  private indexFor(seq: number): number {
    if (this.highestSeq < 0) {
      this.highestSeq = seq;
      return this.roc;
    }
    let roc = this.roc;
    if (this.highestSeq < 0x8000) {
      if (seq - this.highestSeq > 0x8000) roc = (this.roc - 1) >>> 0;
    } else if (this.highestSeq - 0x8000 > seq) {
      roc = (this.roc + 1) >>> 0;
    }
    if (roc === this.roc ? seq > this.highestSeq : roc === (this.roc + 1) >>> 0) {
      this.roc = roc;
      this.highestSeq = seq;
    }
    return roc;
  }

  /** RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the 12-byte salt. */
  private gcmIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.iv;
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(roc, 6);
    iv.writeUInt16BE(seq, 10);
    const salt = this.salt;
    for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
    return iv;
  }

  /** RFC 3711 §4.1.1: (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16). */
  private ctrIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.iv;
    iv.fill(0);
    iv.writeUInt32BE(ssrc, 4);
    iv.writeUInt32BE(roc, 8);
    iv.writeUInt16BE(seq, 12);
    const salt = this.salt;
    for (let i = 0; i < 14; i++) iv[i]! ^= salt[i]!;
    return iv;
  }
}
