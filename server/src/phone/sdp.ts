import type { G711Law } from './g711.ts';

/**
 * SDP offer/answer (RFC 3264) for a phone leg: one audio stream, G.711 µ-law or A-law at 8 kHz
 * in 20 ms packets, and RFC 4733 telephone-events for DTMF. Pure functions: what the far end
 * offered, and the answer Parley gives.
 */

/** What Parley takes from an offer. */
export interface PhoneMediaOffer {
  /** Where the far end receives RTP. */
  address: string;
  port: number;
  /** The codec Parley chose from the offer, by its payload type there. */
  codec: { law: G711Law; payloadType: number };
  /** The telephone-event payload type at 8 kHz, when offered. */
  telephoneEventPayloadType: number | null;
}

export type SdpRefusal = 'NO_AUDIO' | 'NO_COMMON_CODEC' | 'NO_ADDRESS' | 'SECURE_ONLY' | 'MALFORMED';

export class SdpError extends Error {
  constructor(
    readonly code: SdpRefusal,
    message: string,
  ) {
    super(message);
  }
}

const STATIC_PAYLOAD_TYPES: Record<number, G711Law> = { 0: 'PCMU', 8: 'PCMA' };
const MAX_SDP_LENGTH = 16_000;

/**
 * Reads an offer's first audio stream. Refuses with a code when there is nothing Parley can
 * answer: no audio, only SRTP (RTP/SAVP), no G.711, no usable address.
 */
export function parseOffer(sdp: string, preference: readonly G711Law[] = ['PCMU', 'PCMA']): PhoneMediaOffer {
  if (sdp.length === 0 || sdp.length > MAX_SDP_LENGTH) throw new SdpError('MALFORMED', 'No usable SDP body');
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  if (!lines[0]?.startsWith('v=0')) throw new SdpError('MALFORMED', 'SDP must start with v=0');
  let sessionAddress: string | undefined;
  let media:
    | { port: number; proto: string; formats: number[]; address?: string; rtpmap: Map<number, string> }
    | undefined;
  let sawAudio = false;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (media) break; // only the first audio stream is used; a later one gets port 0 from nobody
      const parts = line.slice(2).trim().split(/\s+/);
      if (parts[0] !== 'audio') continue;
      sawAudio = true;
      const port = Number(parts[1]);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new SdpError('MALFORMED', 'Bad media port');
      media = {
        port,
        proto: parts[2] ?? '',
        formats: parts
          .slice(3)
          .map(Number)
          .filter((n) => Number.isInteger(n) && n >= 0 && n <= 127),
        rtpmap: new Map(),
      };
    } else if (line.startsWith('c=')) {
      const address = parseConnection(line);
      if (media) media.address = address;
      else sessionAddress = address;
    } else if (media && line.startsWith('a=rtpmap:')) {
      const match = /^a=rtpmap:(\d{1,3})\s+([^/\s]+)\/(\d+)/.exec(line);
      if (match) media.rtpmap.set(Number(match[1]), `${match[2]!.toLowerCase()}/${match[3]}`);
    }
  }
  if (!media || !sawAudio) throw new SdpError('NO_AUDIO', 'The offer has no audio stream');
  if (media.proto !== 'RTP/AVP' && media.proto !== 'RTP/AVPF')
    throw new SdpError('SECURE_ONLY', `Parley answers plain RTP/AVP, not ${media.proto}`);
  const address = media.address ?? sessionAddress;
  if (!address || media.port === 0) throw new SdpError('NO_ADDRESS', 'The offer says nowhere to send audio');
  const lawOf = (pt: number): G711Law | undefined => {
    const mapped = media.rtpmap.get(pt);
    if (mapped === 'pcmu/8000') return 'PCMU';
    if (mapped === 'pcma/8000') return 'PCMA';
    return mapped === undefined ? STATIC_PAYLOAD_TYPES[pt] : undefined;
  };
  let codec: PhoneMediaOffer['codec'] | undefined;
  for (const law of preference) {
    const pt = media.formats.find((f) => lawOf(f) === law);
    if (pt !== undefined) {
      codec = { law, payloadType: pt };
      break;
    }
  }
  if (!codec) throw new SdpError('NO_COMMON_CODEC', 'The offer has neither PCMU nor PCMA');
  const telephoneEvent = media.formats.find((f) => media.rtpmap.get(f) === 'telephone-event/8000');
  return { address, port: media.port, codec, telephoneEventPayloadType: telephoneEvent ?? null };
}

function parseConnection(line: string): string {
  const match = /^c=IN IP4 (\d{1,3}(?:\.\d{1,3}){3})(?:\/\d+)?\s*$/.exec(line);
  if (!match) throw new SdpError('NO_ADDRESS', 'Only IPv4 connection addresses are answered');
  const address = match[1]!;
  if (address.split('.').some((o) => Number(o) > 255)) throw new SdpError('NO_ADDRESS', 'Bad IPv4 address');
  return address;
}

/** Parley's answer: the chosen codec and telephone-event on the offer's payload types, 20 ms. */
export function buildAnswer(
  offer: PhoneMediaOffer,
  local: { address: string; port: number; sessionId: number },
): string {
  const formats = [offer.codec.payloadType];
  if (offer.telephoneEventPayloadType !== null) formats.push(offer.telephoneEventPayloadType);
  const lines = [
    'v=0',
    `o=parley ${local.sessionId} ${local.sessionId} IN IP4 ${local.address}`,
    's=Parley',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    `m=audio ${local.port} RTP/AVP ${formats.join(' ')}`,
    `a=rtpmap:${offer.codec.payloadType} ${offer.codec.law}/8000`,
  ];
  if (offer.telephoneEventPayloadType !== null)
    lines.push(
      `a=rtpmap:${offer.telephoneEventPayloadType} telephone-event/8000`,
      `a=fmtp:${offer.telephoneEventPayloadType} 0-15`,
    );
  lines.push('a=ptime:20', 'a=sendrecv');
  return `${lines.join('\r\n')}\r\n`;
}

/** The telephone-event payload type of Parley's own offers (dial-out). */
export const OFFER_TELEPHONE_EVENT_PT = 101;

/** Parley's offer when it calls out: µ-law, A-law and telephone-events, 20 ms. */
export function buildOffer(local: { address: string; port: number; sessionId: number }): string {
  const lines = [
    'v=0',
    `o=parley ${local.sessionId} ${local.sessionId} IN IP4 ${local.address}`,
    's=Parley',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    `m=audio ${local.port} RTP/AVP 0 8 ${OFFER_TELEPHONE_EVENT_PT}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    `a=rtpmap:${OFFER_TELEPHONE_EVENT_PT} telephone-event/8000`,
    `a=fmtp:${OFFER_TELEPHONE_EVENT_PT} 0-15`,
    'a=ptime:20',
    'a=sendrecv',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The far end's answer to Parley's offer: read as an offer is (same checks), but only a codec
 * Parley offered on the payload type it offered it under is taken.
 */
export function parseAnswer(sdp: string): PhoneMediaOffer {
  const answer = parseOffer(sdp);
  const expected = answer.codec.law === 'PCMU' ? 0 : 8;
  if (answer.codec.payloadType !== expected)
    throw new SdpError('NO_COMMON_CODEC', 'The answer chose a payload type Parley did not offer');
  return answer;
}
