import type { Socket } from 'node:dgram';
import type { RTCDtlsTransport, RTCRtpReceiver, RTCRtpSender } from 'werift';
import type { SrtpSessionKeys } from '../srtp.ts';

/**
 * The werift release whose private state this file was written against and checked on.
 * weriftInternals.test.ts fails when the installed, locked or declared werift is another one:
 * whoever upgrades werift re-reads werift's source for every field below and then moves this.
 */
export const WERIFT_VERSION_CHECKED = '0.24.4';

/**
 * The few werift internals the lean audio path reads and writes, in one place. werift keeps them
 * private in its types but plain fields at runtime; `assertSenderInternals` checks their shape
 * when a slot is created, and weriftInternals.test.ts pins them to WERIFT_VERSION_CHECKED (the
 * version server/package.json pins exactly and package-lock.json locks), so an upgrade that moves
 * them fails loudly instead of sending nothing.
 */
export interface SenderInternals {
  readonly ssrc: number;
  readonly codec?: { payloadType: number } | undefined;
  readonly dtlsTransport: RTCDtlsTransport | undefined;
  /** What werift's RTCP sender reports carry (RFC 3550 §6.4.1). */
  packetCount: number;
  octetCount: number;
  headerBytesSent: number;
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  /** Starts werift's sender-report loop; does nothing when it already runs. */
  runRtcp(): Promise<void>;
}

export function senderInternals(sender: RTCRtpSender): SenderInternals {
  return sender as unknown as SenderInternals;
}

/** Throws when this werift does not have the fields the audio send path relies on. */
export function assertSenderInternals(sender: RTCRtpSender): void {
  const s = sender as unknown as Record<string, unknown>;
  const numbers = ['ssrc', 'packetCount', 'octetCount', 'headerBytesSent', 'rtpTimestamp'];
  const missing = numbers.filter((field) => typeof s[field] !== 'number');
  if (typeof s.ntpTimestamp !== 'bigint') missing.push('ntpTimestamp');
  if (typeof s.runRtcp !== 'function') missing.push('runRtcp');
  if (missing.length)
    throw new Error(`werift's RTCRtpSender has changed shape (missing ${missing.join(', ')})`);
}

/** Where a connected transport's packets go: the nominated pair's UDP socket and peer. */
export interface UdpRoute {
  socket: Socket;
  address: string;
  port: number;
  /** The pair's counters, which werift's stats report. */
  pair: { packetsSent: number; bytesSent: number };
  transport: { closed?: unknown };
}

type UdpDataHandler = (data: Buffer, addr: [string, number]) => void;

interface PairInternals {
  protocol: {
    transport?: { type?: unknown; closed?: unknown; socket?: unknown; onData?: UdpDataHandler };
  };
  remoteCandidate: { host: string; port: number };
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
}

/**
 * The route SRTP leaves by, or undefined while there is none (not yet nominated, closing) or it
 * is not plain UDP. The server's own candidates are host UDP candidates only (it has no TURN
 * client), so a connected participant always has one. `cached` is returned as it is while it is
 * still the nominated pair's, so the per-packet cost is two comparisons.
 */
export function udpRoute(dtls: RTCDtlsTransport, cached?: UdpRoute): UdpRoute | undefined {
  const pair = dtls.iceTransport.connection.nominated as unknown as PairInternals | undefined;
  if (cached && cached.pair === pair && cached.transport.closed === false) return cached;
  const transport = pair?.protocol.transport;
  if (!pair || !transport || transport.type !== 'udp' || transport.closed !== false) return undefined;
  return {
    socket: transport.socket as Socket,
    address: pair.remoteCandidate.host,
    port: pair.remoteCandidate.port,
    pair,
    transport,
  };
}

/** A hook in front of werift's handling of datagrams on the connection's UDP sockets. */
export interface UdpReceiveHook {
  remove(): void;
}

/**
 * Puts `handler` in front of werift for every datagram arriving on any of the ICE connection's
 * UDP sockets (usually one: the server gathers host candidates only), whichever remote address
 * it comes from — the browser may move to another candidate pair, and SRTP authentication and
 * the replay window, not the source address, are what make a packet acceptable. What the
 * handler does not take (returns false for) goes on to werift unchanged.
 */
export function hookUdpReceive(
  dtls: RTCDtlsTransport,
  handler: (data: Buffer) => boolean,
): UdpReceiveHook | undefined {
  const connection = dtls.iceTransport.connection as unknown as {
    protocols?: PairInternals['protocol'][];
    nominated?: PairInternals;
  };
  const removers: (() => void)[] = [];
  for (const protocol of connection.protocols ?? []) {
    const transport = protocol.transport;
    const original = transport?.onData;
    if (!transport || transport.type !== 'udp' || typeof original !== 'function') continue;
    const hooked: UdpDataHandler = (data, addr) => {
      if (!handler(data)) return original(data, addr);
      // Taken: count it on the nominated pair when it came in on that pair's socket, as werift would.
      const pair = connection.nominated;
      if (pair?.protocol !== protocol) return;
      pair.packetsReceived++;
      pair.bytesReceived += data.length;
    };
    transport.onData = hooked;
    removers.push(() => {
      if (transport.onData === hooked) transport.onData = original;
    });
  }
  if (removers.length === 0) return undefined;
  return {
    remove() {
      for (const remove of removers.splice(0)) remove();
    },
  };
}

/** What werift's receiver statistics (receiver reports, inbound-rtp stats) are fed. */
export interface StreamStatisticsInternals {
  add(
    packet: {
      header: { sequenceNumber: number; timestamp: number; serializeSize: number };
      payload: { length: number };
    },
    nowSeconds: number,
  ): void;
}

/** werift's statistics of one received SSRC, once its first packet went through werift. */
export function receiverStreamStatistics(
  receiver: RTCRtpReceiver,
  ssrc: number,
): StreamStatisticsInternals | undefined {
  const streams = (receiver as unknown as { remoteStreams?: Record<number, unknown> }).remoteStreams;
  const statistics = streams?.[ssrc] as { add?: unknown } | undefined;
  return typeof statistics?.add === 'function' ? (statistics as StreamStatisticsInternals) : undefined;
}

/** Where werift's SRTP context is with a received SSRC: its rollover counter and last sequence. */
export function receivedSrtpState(
  dtls: RTCDtlsTransport,
  ssrc: number,
): { rolloverCounter: number; lastSequenceNumber: number } | undefined {
  const state = dtls.srtp?.remoteContext.srtpSSRCStates[ssrc];
  if (typeof state?.rolloverCounter !== 'number' || typeof state.lastSequenceNumber !== 'number')
    return undefined;
  return { rolloverCounter: state.rolloverCounter, lastSequenceNumber: state.lastSequenceNumber };
}

/** The keys werift's DTLS handshake derived for what the other side sends. */
export function remoteSrtpKeys(dtls: RTCDtlsTransport): SrtpSessionKeys {
  return contextKeys(dtls.srtp.remoteContext);
}

/** The keys werift's DTLS handshake derived for what this side sends. */
export function localSrtpKeys(dtls: RTCDtlsTransport): SrtpSessionKeys {
  return contextKeys(dtls.srtp.localContext);
}

/** The session keys of one werift SRTP context (one direction), as the engine's SRTP takes them. */
export function contextKeys(context: {
  profile: number;
  srtpSessionKey: Buffer;
  srtpSessionSalt: Buffer;
  srtpSessionAuthTag?: Buffer | undefined;
}): SrtpSessionKeys {
  return {
    profile: context.profile,
    key: context.srtpSessionKey,
    salt: context.srtpSessionSalt,
    authKey: context.srtpSessionAuthTag,
  };
}

/**
 * Sets the SRTP protection profiles a DTLS transport offers or accepts, most preferred first.
 * werift hard-codes AES-GCM first; the engine prefers AES-CM + HMAC-SHA1-80 (RFC 8827's
 * mandatory profile, which every browser offers), whose lean implementation creates no cipher
 * object per packet (see srtp.ts). Must run before the handshake: after setLocalDescription.
 */
export function preferSrtpProfiles(
  transports: readonly RTCDtlsTransport[],
  profiles: readonly number[],
): void {
  for (const transport of transports) {
    const internals = transport as unknown as { srtpProfiles?: unknown };
    if (!Array.isArray(internals.srtpProfiles))
      throw new Error("werift's RTCDtlsTransport has changed shape (missing srtpProfiles)");
    internals.srtpProfiles = [...profiles];
  }
}
