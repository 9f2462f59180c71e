import type { RTCRtpTransceiver } from 'werift';
import { readRtpHeader, withoutPadding } from '../rtpHeader.ts';
import { SrtpUnprotector } from '../srtp.ts';
import { emptyForwardedPacket, type ForwardedPacket } from './forwardedPacket.ts';
import {
  hookUdpReceive,
  receivedSrtpState,
  receiverStreamStatistics,
  remoteSrtpKeys,
  type StreamStatisticsInternals,
  type UdpReceiveHook,
} from './weriftInternals.ts';

/**
 * The receive half of the lean audio path. werift handles a publisher's audio packet through
 * its ICE and DTLS layers with a STUN parse attempt, a bit-by-bit SRTP header parse, a decrypt
 * into a copy, a full RTP parse, an extension map keyed by URI, receiver statistics, and a clone
 * of the packet per track — several objects per packet, for a packet the SFU only forwards.
 *
 * Once werift has delivered the first packet of the publisher's audio SSRC (so its receiver has
 * registered the stream, its statistics and its RTCP reports), this path takes that one SSRC
 * over at the connection's sockets: datagrams that are RTP (not STUN, DTLS or RTCP) on that SSRC
 * are authenticated, checked against replays and decrypted here, counted in werift's receiver
 * statistics (so the publisher still gets receiver reports and the quality sample stays right),
 * and handed on. Everything else — RTCP, video, other SSRCs — still goes through werift.
 */
export class AudioReceivePath {
  /** Packets taken over. */
  packetsReceived = 0;
  /** Packets refused: malformed or not authentic. */
  packetsRefused = 0;
  private hook: UdpReceiveHook | undefined;
  private unprotector: SrtpUnprotector | undefined;
  private unprotectorSession: unknown;
  private readonly packet = emptyForwardedPacket();
  private readonly statsView = {
    header: { sequenceNumber: 0, timestamp: 0, serializeSize: 0 },
    payload: { length: 0 },
  };

  constructor(
    private readonly transceiver: RTCRtpTransceiver,
    private readonly audioLevelId: number,
    private readonly deliver: (packet: ForwardedPacket) => void,
  ) {}

  get installed(): boolean {
    return this.hook !== undefined;
  }

  /**
   * Takes `ssrc` over from werift. False when it cannot (no nominated UDP pair yet, werift's
   * receiver has not registered the stream); werift keeps handling it, and the caller may try
   * again with a later packet.
   */
  install(ssrc: number): boolean {
    if (this.hook) return true;
    const dtls = this.transceiver.receiver.dtlsTransport;
    const statistics = receiverStreamStatistics(this.transceiver.receiver, ssrc);
    const handled = receivedSrtpState(dtls, ssrc);
    if (!statistics || !handled || dtls.state !== 'connected') return false;
    // Carry on from where werift is: its rollover counter, and nothing at or before the last
    // packet it authenticated (werift has no replay check; that packet must not come round again).
    this.unprotector = new SrtpUnprotector(remoteSrtpKeys(dtls));
    this.unprotector.continueFrom(handled.rolloverCounter, handled.lastSequenceNumber);
    this.unprotectorSession = dtls.srtp;
    this.hook = hookUdpReceive(dtls, (data) => this.receive(data, ssrc, statistics));
    return this.hook !== undefined;
  }

  uninstall(): void {
    this.hook?.remove();
    this.hook = undefined;
  }

  /** True when the datagram was this path's to handle (forwarded or refused). */
  private receive(data: Buffer, ssrc: number, statistics: StreamStatisticsInternals): boolean {
    // RTP version 2, and not RTCP (RFC 5761 §4: second byte 192–223).
    if (data.length < 12 || data[0]! >> 6 !== 2) return false;
    const second = data[1]!;
    if (second >= 192 && second <= 223) return false;
    if (data.readUInt32BE(8) !== ssrc) return false;
    const dtls = this.transceiver.receiver.dtlsTransport;
    // A new DTLS session (werift does not re-handshake today) would bring new keys: werift again.
    if (dtls.state !== 'connected' || this.unprotectorSession !== dtls.srtp) return false;
    const packet = this.packet;
    let payload = readRtpHeader(data, this.audioLevelId, packet)
      ? this.unprotector!.unprotect(data, packet.headerBytes)
      : undefined;
    if (payload && packet.padding) payload = withoutPadding(payload);
    if (!payload) {
      this.packetsRefused++;
      return true;
    }
    this.packetsReceived++;
    dtls.packetsReceived++;
    dtls.bytesReceived += data.length;
    const view = this.statsView;
    view.header.sequenceNumber = packet.sequenceNumber;
    view.header.timestamp = packet.timestamp;
    view.header.serializeSize = packet.headerBytes;
    view.payload.length = payload.length;
    statistics.add(view, Date.now() / 1000);
    packet.payload = payload;
    packet.rtp = undefined;
    this.deliver(packet);
    return true;
  }
}
