import type { RtpPacket } from 'werift';
import { emptyRtpHeaderFields, type RtpHeaderFields } from '../rtpHeader.ts';

/**
 * One received packet on its way to the subscriptions. Each publication owns one and rewrites it
 * per packet, so it is valid only during the synchronous call that hands it on.
 */
export interface ForwardedPacket extends RtpHeaderFields {
  /** The decrypted payload (shared, read-only). */
  payload: Buffer;
  /** werift's parsed packet when it came through werift's receive path (video always does). */
  rtp: RtpPacket | undefined;
}

export function emptyForwardedPacket(): ForwardedPacket {
  return { ...emptyRtpHeaderFields(), payload: Buffer.alloc(0), rtp: undefined };
}

/** Fills `out` from a packet werift received and parsed. */
export function fromWeriftPacket(rtp: RtpPacket, audioLevel: number, out: ForwardedPacket): ForwardedPacket {
  const header = rtp.header;
  out.ssrc = header.ssrc;
  out.sequenceNumber = header.sequenceNumber;
  out.timestamp = header.timestamp;
  out.marker = header.marker;
  out.payloadType = header.payloadType;
  out.headerBytes = header.serializeSize;
  out.padding = false; // werift strips it
  out.audioLevel = audioLevel;
  out.payload = rtp.payload;
  out.rtp = rtp;
  return out;
}
