/**
 * The RTP header fields the SFU needs to forward a packet, read straight from the datagram
 * (RFC 3550 §5.1, header extensions per RFC 8285) into an object the caller reuses, so reading a
 * packet allocates nothing. The payload is not touched: it is still encrypted at this point.
 */
export interface RtpHeaderFields {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  /** Bytes before the payload: fixed header, CSRCs and the extension block. */
  headerBytes: number;
  /** Whether the payload ends in padding (its last byte says how much). */
  padding: boolean;
  /** The RFC 6464 byte (voice flag and -dBov level) under the given extension id, or -1. */
  audioLevel: number;
}

export function emptyRtpHeaderFields(): RtpHeaderFields {
  return {
    ssrc: 0,
    sequenceNumber: 0,
    timestamp: 0,
    marker: false,
    payloadType: 0,
    headerBytes: 0,
    padding: false,
    audioLevel: -1,
  };
}

const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE_MASK = 0xfff0;
const TWO_BYTE_PROFILE = 0x1000;

/**
 * Reads the header of `packet` into `out`; false when it is not a well-formed RTP version 2
 * header (then `out` is left partly written and must not be used).
 */
export function readRtpHeader(packet: Buffer, audioLevelId: number, out: RtpHeaderFields): boolean {
  if (packet.length < 12) return false;
  const first = packet[0]!;
  if (first >> 6 !== 2) return false;
  const second = packet[1]!;
  out.padding = (first & 0x20) !== 0;
  out.marker = (second & 0x80) !== 0;
  out.payloadType = second & 0x7f;
  out.sequenceNumber = packet.readUInt16BE(2);
  out.timestamp = packet.readUInt32BE(4);
  out.ssrc = packet.readUInt32BE(8);
  out.audioLevel = -1;
  let offset = 12 + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (packet.length < offset + 4) return false;
    const profile = packet.readUInt16BE(offset);
    const end = offset + 4 + packet.readUInt16BE(offset + 2) * 4;
    if (packet.length < end) return false;
    if (audioLevelId > 0) out.audioLevel = findAudioLevel(packet, profile, offset + 4, end, audioLevelId);
    offset = end;
  }
  if (packet.length < offset) return false;
  out.headerBytes = offset;
  return true;
}

function findAudioLevel(packet: Buffer, profile: number, start: number, end: number, id: number): number {
  let i = start;
  if (profile === ONE_BYTE_PROFILE) {
    while (i < end) {
      const byte = packet[i]!;
      if (byte === 0) {
        i++; // padding between elements
        continue;
      }
      const elementId = byte >> 4;
      if (elementId === 15) return -1; // reserved: stop reading
      const length = (byte & 0x0f) + 1;
      if (i + 1 + length > end) return -1;
      if (elementId === id) return packet[i + 1]!;
      i += 1 + length;
    }
  } else if ((profile & TWO_BYTE_PROFILE_MASK) === TWO_BYTE_PROFILE) {
    while (i < end) {
      const elementId = packet[i]!;
      if (elementId === 0) {
        i++;
        continue;
      }
      if (i + 1 >= end) return -1;
      const length = packet[i + 1]!;
      if (i + 2 + length > end) return -1;
      if (elementId === id && length > 0) return packet[i + 2]!;
      i += 2 + length;
    }
  }
  return -1;
}

/**
 * A decrypted payload without its RTP padding (RFC 3550 §5.1: the last byte says how many bytes
 * of padding, itself included), or undefined when that count is impossible.
 */
export function withoutPadding(payload: Buffer): Buffer | undefined {
  const count = payload.length > 0 ? payload[payload.length - 1]! : 0;
  return count > 0 && count <= payload.length ? payload.subarray(0, payload.length - count) : undefined;
}
