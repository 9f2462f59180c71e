import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket, SrtpSession } from 'werift';
import {
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtector,
  SrtpUnprotector,
} from './srtp.ts';
import { contextKeys } from './werift/weriftInternals.ts';

/**
 * werift's SRTP (the implementation the browser-facing tests also decrypt with) is the oracle:
 * the protector must produce the same bytes werift would for the same packet, and werift's
 * receiving session must decrypt them, across the 16-bit sequence wrap.
 */
const PROFILES = [
  { name: 'AES-CM-128 + HMAC-SHA1-80', profile: SRTP_AES128_CM_HMAC_SHA1_80, saltBytes: 14 },
  { name: 'AEAD-AES-128-GCM', profile: SRTP_AEAD_AES_128_GCM, saltBytes: 12 },
] as const;

function sessions(profile: number, saltBytes: number) {
  const sender = { key: randomBytes(16), salt: randomBytes(saltBytes) };
  const receiver = { key: randomBytes(16), salt: randomBytes(saltBytes) };
  const keys = (local: typeof sender, remote: typeof sender) => ({
    localMasterKey: local.key,
    localMasterSalt: local.salt,
    remoteMasterKey: remote.key,
    remoteMasterSalt: remote.salt,
  });
  const weriftSender = new SrtpSession({ keys: keys(sender, receiver), profile: profile });
  const weriftReceiver = new SrtpSession({ keys: keys(receiver, sender), profile: profile });
  const protector = new SrtpProtector(contextKeys(weriftSender.localContext));
  const unprotector = new SrtpUnprotector(contextKeys(weriftReceiver.remoteContext));
  return { weriftSender, weriftReceiver, protector, unprotector };
}

function headerFor(sequenceNumber: number, withLevel: boolean): RtpHeader {
  return new RtpHeader({
    payloadType: 111,
    marker: sequenceNumber % 7 === 0,
    sequenceNumber,
    timestamp: (sequenceNumber * 960) >>> 0,
    ssrc: 0x1234abcd,
    extensions: withLevel ? [{ id: 1, payload: Buffer.from([0x80 | 42]) }] : [],
  });
}

describe.each(PROFILES)('SrtpProtector, $name', ({ profile, saltBytes }) => {
  it('produces the bytes werift would, and werift decrypts them, across the sequence wrap', () => {
    const { weriftSender, weriftReceiver, protector } = sessions(profile, saltBytes);
    let rollovers = 0;
    let previous = -1;
    for (let i = 0; i < 40; i++) {
      const seq = (65_516 + i) & 0xffff;
      if (previous > seq) rollovers++;
      previous = seq;
      const payload = randomBytes(60 + i);
      const header = headerFor(seq, i % 2 === 0);
      const ours = protector.protect(header.serialize(header.serializeSize), payload);
      const theirs = weriftSender.encrypt(payload, headerFor(seq, i % 2 === 0));
      expect(ours.equals(theirs)).toBe(true);
      const decrypted = RtpPacket.deSerialize(weriftReceiver.decrypt(ours));
      expect(decrypted.header.sequenceNumber).toBe(seq);
      expect(decrypted.payload.equals(payload)).toBe(true);
    }
    expect(rollovers).toBe(1);
    expect(protector.rolloverCounter).toBe(1);
  });

  it('keeps the rollover counter of a late packet from before the wrap', () => {
    const { weriftReceiver, protector } = sessions(profile, saltBytes);
    const send = (seq: number) => {
      const header = headerFor(seq, false);
      return protector.protect(header.serialize(header.serializeSize), Buffer.from([seq & 0xff]));
    };
    const beforeWrap = [65_533, 65_534].map(send);
    for (const seq of [65_535, 0, 1]) send(seq);
    const late = send(65_535); // reordered behind the wrap: protected under the old counter
    expect(protector.rolloverCounter).toBe(1);
    // A receiver still before the wrap (counter 0) authenticates it.
    for (const packet of beforeWrap) weriftReceiver.decrypt(packet);
    expect(RtpPacket.deSerialize(weriftReceiver.decrypt(late)).header.sequenceNumber).toBe(65_535);
  });

  it('unprotects what werift protects, across the sequence wrap, and refuses what it cannot authenticate', () => {
    const { weriftSender, unprotector } = sessions(profile, saltBytes);
    for (let i = 0; i < 40; i++) {
      const seq = (65_516 + i) & 0xffff;
      const payload = randomBytes(60 + i);
      const header = headerFor(seq, i % 2 === 0);
      const packet = weriftSender.encrypt(payload, header);
      if (i % 10 === 5) {
        // Tampered: refused, and the stream goes on.
        const tampered = Buffer.from(packet);
        tampered[tampered.length - 20]! ^= 0x40;
        expect(unprotector.unprotect(tampered, header.serializeSize)).toBeUndefined();
      }
      expect(unprotector.unprotect(packet, header.serializeSize)?.equals(payload)).toBe(true);
    }
    // Too short to hold a tag.
    expect(unprotector.unprotect(Buffer.alloc(14), 12)).toBeUndefined();
  });

  it('refuses a replayed packet and one older than the replay window, accepts late ones inside it', () => {
    const { weriftSender, unprotector } = sessions(profile, saltBytes);
    const packets = new Map<number, Buffer>();
    const payloadOf = (seq: number) => Buffer.from([seq & 0xff, seq >> 8, 7, 7]);
    for (const seq of [65_400, ...Array.from({ length: 300 }, (_, i) => (65_401 + i) & 0xffff)]) {
      packets.set(seq, weriftSender.encrypt(payloadOf(seq), headerFor(seq, false)));
    }
    const headerBytes = 12;
    const open = (seq: number) => unprotector.unprotect(packets.get(seq)!, headerBytes);
    // In order up to just past the wrap, holding 65 520 back.
    for (let seq = 65_400; seq !== 100; seq = (seq + 1) & 0xffff)
      if (seq !== 65_520) expect(open(seq)).toBeDefined();
    expect(open(50)).toBeUndefined(); // replayed
    expect(open(65_520)?.equals(payloadOf(65_520))).toBe(true); // late, inside the window
    expect(open(65_520)).toBeUndefined(); // and only once
    expect(open(65_400)).toBeUndefined(); // replayed and now outside the window
    for (let seq = 100; seq < 160; seq++) expect(open(seq)).toBeDefined();
  });

  it('taking a stream over, refuses what was received before the takeover', () => {
    const { weriftSender, unprotector } = sessions(profile, saltBytes);
    const packets = new Map<number, Buffer>();
    for (let seq = 65_530; seq !== 10; seq = (seq + 1) & 0xffff)
      packets.set(seq, weriftSender.encrypt(Buffer.from([seq & 0xff]), headerFor(seq, false)));
    // Someone else authenticated up to 2 (after the wrap: rollover counter 1).
    unprotector.continueFrom(1, 2);
    expect(unprotector.unprotect(packets.get(2)!, 12)).toBeUndefined();
    expect(unprotector.unprotect(packets.get(65_535)!, 12)).toBeUndefined();
    expect(unprotector.unprotect(packets.get(3)!, 12)?.equals(Buffer.from([3]))).toBe(true);
  });

  it('protects and unprotects a full-size payload (many keystream blocks, a grown HMAC buffer)', () => {
    const { weriftSender, weriftReceiver, protector, unprotector } = sessions(profile, saltBytes);
    const payload = randomBytes(1_200);
    const header = headerFor(4_000, true);
    const ours = protector.protect(header.serialize(header.serializeSize), payload);
    expect(ours.equals(weriftSender.encrypt(payload, headerFor(4_000, true)))).toBe(true);
    expect(RtpPacket.deSerialize(weriftReceiver.decrypt(ours)).payload.equals(payload)).toBe(true);
    const fromWerift = weriftSender.encrypt(payload, headerFor(4_001, true));
    expect(unprotector.unprotect(fromWerift, header.serializeSize)?.equals(payload)).toBe(true);
  });

  it('a tampered packet does not authenticate', () => {
    const { weriftReceiver, protector } = sessions(profile, saltBytes);
    const header = headerFor(10, false);
    const packet = protector.protect(header.serialize(header.serializeSize), randomBytes(40));
    packet[20]! ^= 0x01;
    expect(() => weriftReceiver.decrypt(packet)).toThrow();
  });
});

describe('SrtpProtector keys', () => {
  it('refuses an unknown profile and keys of the wrong size', () => {
    const key = randomBytes(16);
    expect(() => new SrtpProtector({ profile: 0x0002, key, salt: randomBytes(14) })).toThrow(/profile/);
    expect(() => new SrtpProtector({ profile: SRTP_AEAD_AES_128_GCM, key, salt: randomBytes(8) })).toThrow(
      /salt/,
    );
    expect(
      () => new SrtpProtector({ profile: SRTP_AES128_CM_HMAC_SHA1_80, key, salt: randomBytes(14) }),
    ).toThrow(/HMAC/);
    expect(
      () => new SrtpProtector({ profile: SRTP_AEAD_AES_128_GCM, key: randomBytes(8), salt: randomBytes(12) }),
    ).toThrow(/16 bytes/);
  });
});
