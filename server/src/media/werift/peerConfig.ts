import { isIP } from 'node:net';
import {
  RTCRtpCodecParameters,
  useAbsSendTime,
  useAudioLevelIndication,
  useNACK,
  usePLI,
  useREMB,
  useSdesMid,
  type CandidatePair,
  type RTCPeerConnectionConfig,
  type RTCRtpTransceiver,
} from 'werift';

/** Where the SFU's ICE listens and what it tells browsers. */
export interface IceOptions {
  /**
   * Local IPv4 addresses to gather host candidates on and to pair from. Unset: werift's default,
   * every non-internal interface. `['127.0.0.1']` keeps a call on loopback (tests, one-laptop demo).
   */
  listenAddresses?: string[];
  /** Written into candidates in place of the listen address, for a server behind 1:1 NAT. */
  announcedAddress?: string;
  /** UDP ports for ICE, inclusive; unset: ephemeral ports. */
  portRange?: { min: number; max: number };
}

export const OPUS = { mimeType: 'audio/opus', clockRate: 48_000, payloadType: 111 } as const;
export const VP8 = { mimeType: 'video/VP8', clockRate: 90_000, payloadType: 96 } as const;

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/**
 * werift configuration for the server's peer connections. One transport for all tracks
 * (max-bundle): gathering per m-line would multiply ports and connection time by the number of
 * track slots. Audio negotiates the RFC 6464 audio-level extension, read for active speaker.
 */
export function peerConnectionConfig(ice: IceOptions): RTCPeerConnectionConfig {
  const listen = ice.listenAddresses;
  if (listen?.some((address) => isIP(address) !== 4))
    throw new Error('listenAddresses must be IPv4 addresses');
  if (ice.portRange && ice.portRange.min >= ice.portRange.max)
    throw new Error('portRange.min must be below portRange.max');
  return {
    bundlePolicy: 'max-bundle',
    codecs: {
      audio: [new RTCRtpCodecParameters({ ...OPUS, channels: 2, parameters: 'minptime=10;useinbandfec=1' })],
      video: [new RTCRtpCodecParameters({ ...VP8, rtcpFeedback: [useNACK(), usePLI(), useREMB()] })],
    },
    headerExtensions: {
      audio: [useSdesMid(), useAudioLevelIndication()],
      video: [useSdesMid(), useAbsSendTime()],
    },
    iceUseIpv6: false,
    icePortRange: ice.portRange ? [ice.portRange.min, ice.portRange.max] : undefined,
    // werift leaves loopback out of host candidates; listed addresses are added explicitly.
    iceAdditionalHostAddresses: listen,
    iceInterfaceAddresses: listen?.length === 1 ? { udp4: listen[0] } : undefined,
    iceFilterCandidatePair: (pair: CandidatePair) => isPairAllowed(pair, listen),
  };
}

/** Pairs only from listed local addresses, and loopback only with loopback. */
export function isPairAllowed(pair: CandidatePair, listen: readonly string[] | undefined): boolean {
  const local = pair.localCandidate.host;
  const remote = pair.remoteCandidate.host;
  if (listen && !listen.includes(local)) return false;
  return isLoopback(local) === isLoopback(remote);
}

/**
 * Rewrites the server's SDP before it leaves: drops host candidates on addresses it must not use
 * (werift also gathers on other interfaces, bound to the listen address) and writes the
 * announced address in place of the listen address.
 */
export function rewriteLocalSdp(sdp: string, ice: IceOptions): string {
  const listen = ice.listenAddresses;
  const announced = ice.announcedAddress;
  const connectionAddress = announced ?? listen?.[0];
  const lines = sdp.split('\r\n').flatMap((line) => {
    if (line.startsWith('a=candidate:')) {
      const fields = line.split(' ');
      const address = fields[4];
      if (address === undefined) return [line];
      if (listen && !listen.includes(address)) return [];
      if (announced) fields[4] = announced;
      return [fields.join(' ')];
    }
    if (connectionAddress && line.startsWith('c=IN IP4 ')) return [`c=IN IP4 ${connectionAddress}`];
    return [line];
  });
  return lines.join('\r\n');
}

/** The id a header extension was negotiated under on `transceiver`, or 0 when it was not. */
export function negotiatedExtensionId(transceiver: RTCRtpTransceiver, uri: string): number {
  return transceiver.headerExtensions.find((e) => e.uri === uri)?.id ?? 0;
}
