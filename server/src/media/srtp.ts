import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

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
const GCM_TAG_BYTES = 16;

/**
 * RFC 3711 §3.3.1: the rollover counter (ROC) of one stream. `estimate` gives the counter a
 * sequence number belongs to — one less for a late packet from before the last wrap, one more for
 * the first packets after it — and `commit` records it once the packet was sent or authenticated.
 */
export class RolloverCounter {
  /** Highest sequence number seen, and the counter it was seen under. */
  private highestSeq = -1;
  private roc = 0;

  get value(): number {
    return this.roc;
  }

  estimate(seq: number): number {
    if (this.highestSeq < 0) return this.roc;
    if (this.highestSeq < 0x8000) {
      return seq - this.highestSeq > 0x8000 ? (this.roc - 1) >>> 0 : this.roc;
    }
    return this.highestSeq - 0x8000 > seq ? (this.roc + 1) >>> 0 : this.roc;
  }

  commit(seq: number, roc: number): void {
    if (this.highestSeq < 0 || roc === (this.roc + 1) >>> 0 || (roc === this.roc && seq > this.highestSeq)) {
      this.roc = roc;
      this.highestSeq = seq;
    }
  }
}

/** Keys, salt and IV arithmetic shared by both directions. */
class SrtpCipher {
  protected readonly gcm: boolean;
  protected readonly key: Buffer;
  protected readonly authKey: Buffer | undefined;
  protected readonly rocBytes = Buffer.alloc(4);
  private readonly iv: Buffer;
  private readonly salt: Buffer;

  constructor(keys: SrtpSessionKeys) {
    if (keys.key.length !== 16) throw new Error('SRTP session key must be 16 bytes');
    this.key = keys.key;
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
      this.authKey = keys.authKey;
      this.iv = Buffer.alloc(16);
    } else {
      throw new Error(`unsupported SRTP profile 0x${keys.profile.toString(16)}`);
    }
  }

  /** Bytes of authentication tag at the end of each packet. */
  get tagBytes(): number {
    return this.gcm ? GCM_TAG_BYTES : HMAC_SHA1_80_TAG_BYTES;
  }

  /** RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the 12-byte salt. */
  protected gcmIv(ssrc: number, roc: number, seq: number): Buffer {
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
  protected ctrIv(ssrc: number, roc: number, seq: number): Buffer {
    const iv = this.iv;
    iv.fill(0);
    iv.writeUInt32BE(ssrc, 4);
    iv.writeUInt32BE(roc, 8);
    iv.writeUInt16BE(seq, 12);
    const salt = this.salt;
    for (let i = 0; i < 14; i++) iv[i]! ^= salt[i]!;
    return iv;
  }

  /** HMAC-SHA1-80 over `authenticated` and the ROC (RFC 3711 §4.2). */
  protected hmacTag(authenticated: Buffer[], roc: number): Buffer {
    const hmac = createHmac('sha1', this.authKey!);
    for (const part of authenticated) hmac.update(part);
    this.rocBytes.writeUInt32BE(roc, 0);
    hmac.update(this.rocBytes);
    return hmac.digest().subarray(0, HMAC_SHA1_80_TAG_BYTES);
  }
}

/**
 * Protects one outgoing RTP stream (one SSRC) as RFC 3711 (AES-CM + HMAC-SHA1-80) or RFC 7714
 * (AES-128-GCM) says, keeping the stream's rollover counter itself, so a consultation longer than
 * 65 536 packets (22 minutes of 20 ms audio) keeps decrypting. Per packet it creates the cipher
 * (and HMAC) Node requires and nothing else: the header is whatever bytes the caller built, and
 * the datagram is returned in parts for a gathering send.
 */
export class SrtpProtector extends SrtpCipher {
  private readonly rollover = new RolloverCounter();

  /** The rollover counter of the highest sequence number sent. */
  get rolloverCounter(): number {
    return this.rollover.value;
  }

  /**
   * Encrypts `payload` under `header` (a serialized RTP header, extensions included) and returns
   * the SRTP datagram as [header, encrypted payload, authentication tag].
   */
  protect(header: Buffer, payload: Buffer): [Buffer, Buffer, Buffer] {
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    const roc = this.rollover.estimate(seq);
    this.rollover.commit(seq, roc);
    if (this.gcm) {
      const cipher = createCipheriv('aes-128-gcm', this.key, this.gcmIv(ssrc, roc, seq));
      cipher.setAAD(header);
      const encrypted = cipher.update(payload);
      cipher.final();
      return [header, encrypted, cipher.getAuthTag()];
    }
    const cipher = createCipheriv('aes-128-ctr', this.key, this.ctrIv(ssrc, roc, seq));
    const encrypted = cipher.update(payload);
    return [header, encrypted, this.hmacTag([header, encrypted], roc)];
  }
}

/** Packets behind the newest that may still arrive (RFC 3711 §3.3.2; libsrtp's default). */
export const REPLAY_WINDOW = 128;

/**
 * Authenticates and decrypts one incoming RTP stream (one SSRC), the mirror of `SrtpProtector`.
 * A packet that does not authenticate, or was already received (a replay: someone re-sending a
 * captured packet would otherwise put old words back into the consultation), or is older than
 * the replay window, is refused and changes nothing.
 */
export class SrtpUnprotector extends SrtpCipher {
  private readonly rollover = new RolloverCounter();
  /** Highest packet index (ROC · 2^16 + SEQ) authenticated so far. */
  private highestIndex = -1;
  /** Slot `index % REPLAY_WINDOW` holds the last index authenticated there. */
  private readonly seen = new Float64Array(REPLAY_WINDOW).fill(-1);

  /**
   * The decrypted payload of `packet`, whose RTP header is its first `headerBytes` bytes, or
   * undefined when it is too short, a replay, too old, or does not authenticate.
   */
  unprotect(packet: Buffer, headerBytes: number): Buffer | undefined {
    const tagAt = packet.length - this.tagBytes;
    if (tagAt < headerBytes) return undefined;
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const roc = this.rollover.estimate(seq);
    const index = roc * 0x10000 + seq;
    if (this.highestIndex >= 0) {
      if (index <= this.highestIndex - REPLAY_WINDOW) return undefined;
      if (this.seen[index % REPLAY_WINDOW] === index) return undefined;
    }
    const header = packet.subarray(0, headerBytes);
    const encrypted = packet.subarray(headerBytes, tagAt);
    const tag = packet.subarray(tagAt);
    let payload: Buffer;
    if (this.gcm) {
      const decipher = createDecipheriv('aes-128-gcm', this.key, this.gcmIv(ssrc, roc, seq));
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      payload = decipher.update(encrypted);
      try {
        decipher.final();
      } catch {
        return undefined;
      }
    } else {
      if (!timingSafeEqual(this.hmacTag([packet.subarray(0, tagAt)], roc), tag)) return undefined;
      payload = createDecipheriv('aes-128-ctr', this.key, this.ctrIv(ssrc, roc, seq)).update(encrypted);
    }
    this.rollover.commit(seq, roc);
    this.seen[index % REPLAY_WINDOW] = index;
    if (index > this.highestIndex) this.highestIndex = index;
    return payload;
  }
}
