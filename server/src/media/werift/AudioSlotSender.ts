import { RTP_EXTENSION_URI, type RTCRtpTransceiver } from 'werift';
import { SrtpProtector } from '../srtp.ts';
import { negotiatedExtensionId } from './peerConfig.ts';
import {
  assertSenderInternals,
  localSrtpKeys,
  senderInternals,
  udpRoute,
  type SenderInternals,
  type UdpRoute,
} from './weriftInternals.ts';

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;
/** How often the (NTP, RTP) pair for sender reports is refreshed; werift sends one every 0.5–1.5 s. */
const SENDER_REPORT_CLOCK_INTERVAL_MS = 200;

/**
 * The audio send path of one track slot: serialize the header, SRTP-protect, write the datagram
 * to the nominated pair's socket, all synchronously in the call that received the publisher's
 * packet. werift's own `sendRtp` does the same job with a header object, an extension array
 * rebuilt and sorted per packet, a 128-packet retransmission cache (packets that live 2.5 s and
 * so survive into the old generation: the GC pauses that made the tail), a BigInt NTP time and
 * three promises per packet. Audio is never retransmitted here (Opus is negotiated without NACK),
 * so none of that is needed; video keeps werift's path, where NACK and RTX matter.
 *
 * The counters werift's RTCP sender reports are built from are kept up to date here, so the
 * listener's browser still gets correct SRs (RTT, packet and octet counts).
 */
export class AudioSlotSender {
  /** Packets not sent because the transport was not connected (yet, or any more). */
  packetsDropped = 0;
  /** Datagrams the socket refused. */
  sendErrors = 0;
  private readonly sender: SenderInternals;
  private protector: SrtpProtector | undefined;
  /** The werift SRTP session the protector was built from; a new DTLS handshake replaces it. */
  private protectorSession: unknown;
  private header: HeaderLayout | undefined;
  private route: UdpRoute | undefined;
  private reportClockAt = -Infinity;
  private readonly onSent = (error: Error | null): void => {
    if (error) this.sendErrors++;
  };

  constructor(private readonly transceiver: RTCRtpTransceiver) {
    assertSenderInternals(transceiver.sender);
    this.sender = senderInternals(transceiver.sender);
  }

  /**
   * Sends one packet; `audioLevel` is the RFC 6464 byte (voice flag and level) to carry, or -1.
   * Returns false when it could not be sent (not connected).
   */
  send(
    marker: boolean,
    sequenceNumber: number,
    timestamp: number,
    audioLevel: number,
    payload: Buffer,
    nowMs: number,
  ): boolean {
    const dtls = this.sender.dtlsTransport;
    const route = dtls && dtls.state === 'connected' ? udpRoute(dtls, this.route) : undefined;
    this.route = route;
    if (!dtls || !route) {
      this.packetsDropped++;
      return false;
    }
    if (this.protectorSession !== dtls.srtp) {
      this.protector = new SrtpProtector(localSrtpKeys(dtls));
      this.protectorSession = dtls.srtp;
    }
    const layout = this.header ?? headerLayout(this.transceiver);
    if (this.transceiver.mid !== null) this.header = layout;
    const header = writeHeader(
      layout,
      marker,
      this.sender.codec?.payloadType ?? 111,
      sequenceNumber,
      timestamp,
      this.sender.ssrc,
      audioLevel,
    );
    const datagram = this.protector!.protect(header, payload);
    try {
      route.socket.send(datagram, route.port, route.address, this.onSent);
    } catch {
      // The socket closed under us (the participant is leaving).
      this.packetsDropped++;
      return false;
    }
    const bytes = datagram.length;
    route.pair.packetsSent++;
    route.pair.bytesSent += bytes;
    dtls.packetsSent++;
    dtls.bytesSent += bytes;
    this.countForSenderReports(header.length, payload.length, timestamp, nowMs);
    return true;
  }

  private countForSenderReports(headerBytes: number, payloadBytes: number, timestamp: number, nowMs: number) {
    const sender = this.sender;
    sender.packetCount = (sender.packetCount + 1) >>> 0;
    sender.octetCount = (sender.octetCount + payloadBytes) >>> 0;
    sender.headerBytesSent += headerBytes;
    if (nowMs - this.reportClockAt >= SENDER_REPORT_CLOCK_INTERVAL_MS) {
      // The pair must describe one instant: this packet's RTP time, sent now.
      sender.ntpTimestamp = ntpTimestamp(nowMs);
      sender.rtpTimestamp = timestamp;
      if (this.reportClockAt === -Infinity) void sender.runRtcp();
      this.reportClockAt = nowMs;
    }
  }
}

/** A 64-bit NTP timestamp (RFC 5905) for a Unix time in milliseconds. */
export function ntpTimestamp(unixMs: number): bigint {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds + NTP_UNIX_OFFSET_S) << 32n) | BigInt(fraction);
}

/** The negotiated one-byte header extensions a slot's packets carry (RFC 8285). */
interface HeaderLayout {
  /** The MID element (RFC 8843), pre-encoded; empty when not negotiated. */
  mid: Buffer;
  /** Extension id for the audio level, or 0 when not negotiated. */
  audioLevelId: number;
}

function headerLayout(transceiver: RTCRtpTransceiver): HeaderLayout {
  const idOf = (uri: string) => negotiatedExtensionId(transceiver, uri);
  const midId = idOf(RTP_EXTENSION_URI.sdesMid);
  const mid = transceiver.mid;
  const midBytes = mid ? Buffer.from(mid, 'ascii') : Buffer.alloc(0);
  const usable = midId > 0 && midId < 15 && midBytes.length > 0 && midBytes.length <= 16;
  const audioLevelId = idOf(RTP_EXTENSION_URI.audioLevelIndication);
  return {
    mid: usable
      ? Buffer.concat([Buffer.from([(midId << 4) | (midBytes.length - 1)]), midBytes])
      : Buffer.alloc(0),
    audioLevelId: audioLevelId > 0 && audioLevelId < 15 ? audioLevelId : 0,
  };
}

/**
 * A fresh buffer per packet (from Node's small-buffer pool): a queued datagram still refers to it
 * after `send` returns.
 */
function writeHeader(
  layout: HeaderLayout,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
  audioLevel: number,
): Buffer {
  const withLevel = audioLevel >= 0 && layout.audioLevelId > 0;
  const elements = layout.mid.length + (withLevel ? 2 : 0);
  const words = (elements + 3) >>> 2;
  const header = Buffer.allocUnsafe(12 + (words > 0 ? 4 + words * 4 : 0));
  header[0] = words > 0 ? 0x90 : 0x80;
  header[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  header.writeUInt16BE(sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(ssrc >>> 0, 8);
  if (words === 0) return header;
  header[12] = 0xbe;
  header[13] = 0xde;
  header.writeUInt16BE(words, 14);
  let offset = 16 + layout.mid.copy(header, 16);
  if (withLevel) {
    header[offset++] = layout.audioLevelId << 4;
    header[offset++] = audioLevel & 0xff;
  }
  header.fill(0, offset);
  return header;
}
