import { createCipheriv, createDecipheriv, hash, timingSafeEqual, type Cipher } from 'node:crypto';

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
const SHA1_BLOCK_BYTES = 64;
const SHA1_BYTES = 20;

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

/**
 * Keys, salt and IV arithmetic shared by both directions, and the two profiles' primitives.
 *
 * AES-CM (RFC 3711 §4.1.1) is computed without a cipher object per packet: the keystream is
 * AES of the counter blocks IV‖0, IV‖1, … from one long-lived AES-128-ECB cipher (ECB carries
 * no state between calls when given whole blocks), XORed into the payload; HMAC-SHA1 (RFC 2104)
 * is two one-shot SHA-1 hashes over the precomputed inner and outer key blocks. Node's
 * createCipheriv/createHmac allocate a native object with a weak handle per call, and at tens
 * of thousands of packets a second finalising those is most of what the young-generation GC
 * pauses spend. AES-GCM needs GHASH, which Node exposes only through a cipher object per packet,
 * so it keeps one; the engine asks DTLS for AES-CM first (see preferSrtpProfiles).
 */
class SrtpCipher {
  protected readonly gcm: boolean;
  protected readonly key: Buffer;
  private readonly gcmIvBytes = Buffer.alloc(12);
  private readonly salt: Buffer;
  /** AES-CM: the keystream generator. */
  private readonly ecb: Cipher | undefined;
  /** AES-CM: the inner key block, then room for the message the HMAC covers. */
  protected hmacInput = Buffer.alloc(0);
  /** AES-CM: the outer key block, then the inner digest. */
  private readonly hmacOuter = Buffer.alloc(SHA1_BLOCK_BYTES + SHA1_BYTES);
  private counterBlocks = Buffer.alloc(0);

  constructor(keys: SrtpSessionKeys) {
    if (keys.key.length !== 16) throw new Error('SRTP session key must be 16 bytes');
    this.key = keys.key;
    if (keys.profile === SRTP_AEAD_AES_128_GCM) {
      if (keys.salt.length < 12) throw new Error('AES-GCM session salt must be 12 bytes');
      this.gcm = true;
      this.salt = keys.salt.subarray(0, 12);
    } else if (keys.profile === SRTP_AES128_CM_HMAC_SHA1_80) {
      if (keys.salt.length < 14) throw new Error('AES-CM session salt must be 14 bytes');
      if (keys.authKey?.length !== SHA1_BYTES) throw new Error('HMAC-SHA1 session key must be 20 bytes');
      this.gcm = false;
      this.salt = keys.salt.subarray(0, 14);
      this.ecb = createCipheriv('aes-128-ecb', keys.key, null);
      this.ecb.setAutoPadding(false);
      this.hmacInput = Buffer.alloc(SHA1_BLOCK_BYTES + 256, 0x36);
      this.hmacOuter.fill(0x5c, 0, SHA1_BLOCK_BYTES);
      for (let i = 0; i < SHA1_BYTES; i++) {
        this.hmacInput[i]! ^= keys.authKey[i]!;
        this.hmacOuter[i]! ^= keys.authKey[i]!;
      }
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
    const iv = this.gcmIvBytes;
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(roc, 6);
    iv.writeUInt16BE(seq, 10);
    const salt = this.salt;
    for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
    return iv;
  }

  /**
   * AES-CM: XORs the keystream for (SSRC, ROC, SEQ) over `input` into `output` at `offset`.
   * The IV is (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16); its low 16 bits are zero, so
   * counter block j is the IV with j in its last two bytes.
   */
  protected ctrXor(
    ssrc: number,
    roc: number,
    seq: number,
    input: Buffer,
    output: Buffer,
    offset: number,
  ): void {
    const blocks = (input.length + 15) >>> 4;
    if (this.counterBlocks.length < blocks * 16) this.counterBlocks = Buffer.alloc(blocks * 16);
    const counters = this.counterBlocks;
    const salt = this.salt;
    for (let b = 0; b < blocks; b++) {
      const at = b * 16;
      counters.fill(0, at, at + 16);
      counters.writeUInt32BE(ssrc, at + 4);
      counters.writeUInt32BE(roc, at + 8);
      counters.writeUInt16BE(seq, at + 12);
      for (let i = 0; i < 14; i++) counters[at + i]! ^= salt[i]!;
      counters.writeUInt16BE(b, at + 14);
    }
    const keystream = this.ecb!.update(counters.subarray(0, blocks * 16));
    for (let i = 0; i < input.length; i++) output[offset + i] = input[i]! ^ keystream[i]!;
  }

  /** Room for a `length`-byte message after the inner key block in `hmacInput`. */
  protected hmacRoom(length: number): Buffer {
    if (this.hmacInput.length < SHA1_BLOCK_BYTES + length) {
      const grown = Buffer.alloc(SHA1_BLOCK_BYTES + length * 2);
      this.hmacInput.copy(grown, 0, 0, SHA1_BLOCK_BYTES);
      this.hmacInput = grown;
    }
    return this.hmacInput;
  }

  /**
   * HMAC-SHA1-80 (RFC 3711 §4.2) of the `length` bytes placed after the inner key block in
   * `hmacInput` (the authenticated part of the packet, then the ROC), written into `out` at
   * `offset`. The digests travel as one-byte ('binary', i.e. latin1) strings, not Buffers: a
   * Buffer made in C++ carries its own backing store, which the young-generation GC must sweep.
   */
  protected hmacTag(length: number, out: Buffer, offset: number): void {
    const inner = hash('sha1', this.hmacInput.subarray(0, SHA1_BLOCK_BYTES + length), 'binary');
    this.hmacOuter.write(inner, SHA1_BLOCK_BYTES, 'latin1');
    out.write(hash('sha1', this.hmacOuter, 'binary'), offset, HMAC_SHA1_80_TAG_BYTES, 'latin1');
  }
}

/**
 * Protects one outgoing RTP stream (one SSRC) as RFC 3711 (AES-CM + HMAC-SHA1-80) or RFC 7714
 * (AES-128-GCM) says, keeping the stream's rollover counter itself, so a consultation longer than
 * 65 536 packets (22 minutes of 20 ms audio) keeps decrypting. The header is whatever bytes the
 * caller built; the datagram comes back as one buffer, ready for the socket.
 */
export class SrtpProtector extends SrtpCipher {
  private readonly rollover = new RolloverCounter();

  /** The rollover counter of the highest sequence number sent. */
  get rolloverCounter(): number {
    return this.rollover.value;
  }

  /**
   * Encrypts `payload` under `header` (a serialized RTP header, extensions included) and returns
   * the SRTP datagram.
   */
  protect(header: Buffer, payload: Buffer): Buffer {
    const ssrc = header.readUInt32BE(8);
    const seq = header.readUInt16BE(2);
    const roc = this.rollover.estimate(seq);
    this.rollover.commit(seq, roc);
    if (this.gcm) {
      const cipher = createCipheriv('aes-128-gcm', this.key, this.gcmIv(ssrc, roc, seq));
      cipher.setAAD(header);
      const encrypted = cipher.update(payload);
      cipher.final();
      return Buffer.concat([header, encrypted, cipher.getAuthTag()]);
    }
    const authenticated = header.length + payload.length;
    const datagram = Buffer.allocUnsafe(authenticated + HMAC_SHA1_80_TAG_BYTES);
    header.copy(datagram, 0);
    this.ctrXor(ssrc, roc, seq, payload, datagram, header.length);
    const message = this.hmacRoom(authenticated + 4);
    datagram.copy(message, SHA1_BLOCK_BYTES, 0, authenticated);
    message.writeUInt32BE(roc, SHA1_BLOCK_BYTES + authenticated);
    this.hmacTag(authenticated + 4, datagram, authenticated);
    return datagram;
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
  private readonly expectedTag = Buffer.alloc(HMAC_SHA1_80_TAG_BYTES);
  /** Packets at or before this index were handled elsewhere (see continueFrom). */
  private floorIndex = -1;

  /**
   * Carries on a stream someone else received so far (werift, before the engine took it over):
   * the rollover counter and sequence number of the last packet they authenticated. Anything at
   * or before it is refused from now on, so a packet handled before the takeover cannot be
   * replayed after it.
   */
  continueFrom(roc: number, seq: number): void {
    this.rollover.commit(seq, roc);
    this.highestIndex = roc * 0x10000 + seq;
    this.floorIndex = this.highestIndex;
  }

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
    if (index <= this.floorIndex) return undefined;
    if (this.highestIndex >= 0) {
      if (index <= this.highestIndex - REPLAY_WINDOW) return undefined;
      if (this.seen[index % REPLAY_WINDOW] === index) return undefined;
    }
    const encrypted = packet.subarray(headerBytes, tagAt);
    const tag = packet.subarray(tagAt);
    let payload: Buffer;
    if (this.gcm) {
      const decipher = createDecipheriv('aes-128-gcm', this.key, this.gcmIv(ssrc, roc, seq));
      decipher.setAAD(packet.subarray(0, headerBytes));
      decipher.setAuthTag(tag);
      payload = decipher.update(encrypted);
      try {
        decipher.final();
      } catch {
        return undefined;
      }
    } else {
      const message = this.hmacRoom(tagAt + 4);
      packet.copy(message, SHA1_BLOCK_BYTES, 0, tagAt);
      message.writeUInt32BE(roc, SHA1_BLOCK_BYTES + tagAt);
      this.hmacTag(tagAt + 4, this.expectedTag, 0);
      if (!timingSafeEqual(this.expectedTag, tag)) return undefined;
      payload = Buffer.allocUnsafe(encrypted.length);
      this.ctrXor(ssrc, roc, seq, encrypted, payload, 0);
    }
    this.rollover.commit(seq, roc);
    this.seen[index % REPLAY_WINDOW] = index;
    if (index > this.highestIndex) this.highestIndex = index;
    return payload;
  }
}
