import { describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { emptyRtpHeaderFields, readRtpHeader, withoutPadding } from './rtpHeader.ts';

/** werift's serializer writes the headers; the reader must agree with what it wrote. */
function serialized(options: ConstructorParameters<typeof RtpHeader>[0]): Buffer {
  const header = new RtpHeader(options);
  return header.serialize(header.serializeSize);
}

describe('readRtpHeader', () => {
  it('reads the fixed fields and the audio level among one-byte extensions', () => {
    const header = serialized({
      payloadType: 111,
      marker: true,
      sequenceNumber: 65_535,
      timestamp: 0xfedcba98,
      ssrc: 0x89abcdef,
      extensions: [
        { id: 4, payload: Buffer.from('mid1', 'ascii') },
        { id: 1, payload: Buffer.from([0x80 | 37]) },
      ],
    });
    const out = emptyRtpHeaderFields();
    expect(readRtpHeader(Buffer.concat([header, Buffer.from('opus')]), 1, out)).toBe(true);
    expect(out).toEqual({
      ssrc: 0x89abcdef,
      sequenceNumber: 65_535,
      timestamp: 0xfedcba98,
      marker: true,
      payloadType: 111,
      headerBytes: header.length,
      padding: false,
      audioLevel: 0x80 | 37,
    });
  });

  it('reports no level when the packet carries none, or the extension is not negotiated', () => {
    const out = emptyRtpHeaderFields();
    const withMidOnly = serialized({ extensions: [{ id: 4, payload: Buffer.from('0') }] });
    expect(readRtpHeader(withMidOnly, 1, out)).toBe(true);
    expect(out.audioLevel).toBe(-1);
    const withLevel = serialized({ extensions: [{ id: 1, payload: Buffer.from([20]) }] });
    expect(readRtpHeader(withLevel, 0, out)).toBe(true);
    expect(out.audioLevel).toBe(-1);
    const bare = serialized({ sequenceNumber: 7 });
    expect(readRtpHeader(bare, 1, out)).toBe(true);
    expect(out).toMatchObject({ sequenceNumber: 7, headerBytes: 12, audioLevel: -1 });
  });

  it('skips CSRCs and reads two-byte extensions', () => {
    const header = Buffer.alloc(12 + 8 + 4 + 8);
    header[0] = 0x80 | 0x10 | 2; // version 2, extension, two CSRCs
    header[1] = 111;
    header.writeUInt32BE(0x11111111, 8);
    header.writeUInt16BE(0x1000, 20); // two-byte profile
    header.writeUInt16BE(2, 22); // two words
    Buffer.from([5, 3, 9, 9, 9, 1, 1, 42]).copy(header, 24);
    const out = emptyRtpHeaderFields();
    expect(readRtpHeader(header, 1, out)).toBe(true);
    expect(out).toMatchObject({ ssrc: 0x11111111, headerBytes: 32, audioLevel: 42 });
  });

  it('notes padding for the caller to strip after decryption', () => {
    const header = serialized({ padding: true });
    const out = emptyRtpHeaderFields();
    expect(readRtpHeader(header, 1, out)).toBe(true);
    expect(out.padding).toBe(true);
  });

  it('refuses what is not a whole RTP version 2 header', () => {
    const out = emptyRtpHeaderFields();
    expect(readRtpHeader(Buffer.alloc(11), 1, out)).toBe(false);
    const v1 = serialized({});
    v1[0] = 0x40;
    expect(readRtpHeader(v1, 1, out)).toBe(false);
    const truncatedCsrc = serialized({});
    truncatedCsrc[0] = 0x80 | 3;
    expect(readRtpHeader(truncatedCsrc, 1, out)).toBe(false);
    const withExtension = serialized({ extensions: [{ id: 1, payload: Buffer.from([1]) }] });
    expect(readRtpHeader(withExtension.subarray(0, 14), 1, out)).toBe(false);
    expect(readRtpHeader(withExtension.subarray(0, withExtension.length - 1), 1, out)).toBe(false);
  });

  it('stops at a malformed element rather than reading past the block', () => {
    const header = serialized({ extensions: [{ id: 2, payload: Buffer.from([1]) }] });
    header[16] = (2 << 4) | 0x0f; // claims 16 bytes of data in a 4-byte block
    const out = emptyRtpHeaderFields();
    expect(readRtpHeader(header, 2, out)).toBe(true);
    expect(out.audioLevel).toBe(-1);
  });
});

describe('withoutPadding', () => {
  it('drops the padding the last byte counts, itself included', () => {
    expect(withoutPadding(Buffer.from([1, 2, 3, 0, 0, 3]))?.equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(withoutPadding(Buffer.from([9, 1]))?.equals(Buffer.from([9]))).toBe(true);
    expect(withoutPadding(Buffer.from([2, 2]))?.length).toBe(0);
  });

  it('refuses a count of zero or longer than the payload', () => {
    expect(withoutPadding(Buffer.from([1, 2, 0]))).toBeUndefined();
    expect(withoutPadding(Buffer.from([1, 5]))).toBeUndefined();
    expect(withoutPadding(Buffer.alloc(0))).toBeUndefined();
  });
});
