import type { G711Law } from './g711.ts';

/**
 * SDP offer/answer (RFC 3264) for a phone leg: one audio stream in 20 ms packets — Opus
 * (RFC 7587) when the far end offers it, else G.711 µ-law or A-law at 8 kHz — and RFC 4733
 * telephone-events for DTMF. Pure functions: what the far end offered, and the answer Parley gives.
 */

/** The codecs a phone leg speaks. */
export type PhoneCodecName = G711Law | 'opus';

/** Parley's order of preference when an offer has several (SIP_CODECS). */
export const DEFAULT_CODEC_PREFERENCE: readonly PhoneCodecName[] = ['opus', 'PCMU', 'PCMA'];

/** What the far end asked of the Opus it receives (its a=fmtp, RFC 7587 §6.1). */
export interface OpusReceiveParameters {
  /** It can use in-band FEC: Parley's encoder adds it. */
  useInbandFec: boolean;
  /** It prefers stereo. Parley sends mono either way (its mixes are mono); a decoder plays mono in stereo. */
  stereo: boolean;
  /** The highest audio bandwidth worth sending (Hz); Parley's encoder is capped to it. */
  maxPlaybackRate: number;
  /** Its bitrate limit (bit/s), if it set one. */
  maxAverageBitrate: number | null;
  /** It asked for DTX (silence not sent). */
  useDtx: boolean;
}

/** What Parley takes from an offer. */
export interface PhoneMediaOffer {
  /** Where the far end receives RTP. */
  address: string;
  port: number;
  /**
   * The codec Parley chose from the offer, by its payload type there. `law` names the codec
   * (a G.711 law, or opus); `opus` is set when it is Opus.
   */
  codec: { law: PhoneCodecName; payloadType: number; opus?: OpusReceiveParameters };
  /** The telephone-event payload type at the codec's clock rate (8 kHz for G.711, 48 kHz for Opus; 8 kHz if that is all), when offered. */
  telephoneEventPayloadType: number | null;
  /** The clock rate the offer gave telephone-events (absent: 8 kHz). */
  telephoneEventRate?: 8000 | 48000;
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
const CODEC_NAMES = new Set<string>(['opus', 'PCMU', 'PCMA']);

/** The RTP clock rate of a codec's stream (Opus always runs on 48 kHz, RFC 7587 §4.1). */
export function clockRateOf(codec: PhoneCodecName): 8000 | 48000 {
  return codec === 'opus' ? 48_000 : 8000;
}

/**
 * Reads SIP_CODECS ("opus,PCMU,PCMA"): the codecs Parley answers, in its order of preference.
 * Throws on an unknown name or an empty list.
 */
export function parseCodecPreference(value: string | undefined): PhoneCodecName[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_CODEC_PREFERENCE];
  const names = value.split(',').map((name) => {
    const trimmed = name.trim();
    const canonical = trimmed.toLowerCase() === 'opus' ? 'opus' : trimmed.toUpperCase();
    if (!CODEC_NAMES.has(canonical))
      throw new Error(`SIP_CODECS: "${trimmed}" is not one of opus, PCMU, PCMA`);
    return canonical as PhoneCodecName;
  });
  return [...new Set(names)];
}

interface OfferedMedia {
  port: number;
  proto: string;
  formats: number[];
  address?: string;
  /** payload type → "name/rate[/channels]", the name lower-cased. */
  rtpmap: Map<number, string>;
  fmtp: Map<number, string>;
}

/**
 * Reads an offer's first audio stream. Refuses with a code when there is nothing Parley can
 * answer: no audio, only SRTP (RTP/SAVP), no codec of `preference`, no usable address.
 */
export function parseOffer(
  sdp: string,
  preference: readonly PhoneCodecName[] = DEFAULT_CODEC_PREFERENCE,
): PhoneMediaOffer {
  if (sdp.length === 0 || sdp.length > MAX_SDP_LENGTH) throw new SdpError('MALFORMED', 'No usable SDP body');
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  if (!lines[0]?.startsWith('v=0')) throw new SdpError('MALFORMED', 'SDP must start with v=0');
  let sessionAddress: string | undefined;
  let media: OfferedMedia | undefined;
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
        fmtp: new Map(),
      };
    } else if (line.startsWith('c=')) {
      const address = parseConnection(line);
      if (media) media.address = address;
      else sessionAddress = address;
    } else if (media && line.startsWith('a=rtpmap:')) {
      const match = /^a=rtpmap:(\d{1,3})\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(line);
      if (match)
        media.rtpmap.set(
          Number(match[1]),
          `${match[2]!.toLowerCase()}/${match[3]}${match[4] ? `/${match[4]}` : ''}`,
        );
    } else if (media && line.startsWith('a=fmtp:')) {
      const match = /^a=fmtp:(\d{1,3})\s+(.*)$/.exec(line);
      if (match) media.fmtp.set(Number(match[1]), match[2]!.trim());
    }
  }
  if (!media || !sawAudio) throw new SdpError('NO_AUDIO', 'The offer has no audio stream');
  if (media.proto !== 'RTP/AVP' && media.proto !== 'RTP/AVPF')
    throw new SdpError('SECURE_ONLY', `Parley answers plain RTP/AVP, not ${media.proto}`);
  const address = media.address ?? sessionAddress;
  if (!address || media.port === 0) throw new SdpError('NO_ADDRESS', 'The offer says nowhere to send audio');
  const offered = media;
  const codecOf = (pt: number): PhoneCodecName | undefined => {
    const mapped = offered.rtpmap.get(pt);
    if (mapped === 'pcmu/8000' || mapped === 'pcmu/8000/1') return 'PCMU';
    if (mapped === 'pcma/8000' || mapped === 'pcma/8000/1') return 'PCMA';
    // RFC 7587 §7: Opus is always opus/48000/2 in SDP, whatever is sent.
    if (mapped === 'opus/48000/2') return 'opus';
    return mapped === undefined ? STATIC_PAYLOAD_TYPES[pt] : undefined;
  };
  let codec: PhoneMediaOffer['codec'] | undefined;
  for (const name of preference) {
    const pt = offered.formats.find((f) => codecOf(f) === name);
    if (pt !== undefined) {
      codec =
        name === 'opus'
          ? { law: name, payloadType: pt, opus: opusParameters(offered.fmtp.get(pt)) }
          : { law: name, payloadType: pt };
      break;
    }
  }
  if (!codec)
    throw new SdpError(
      'NO_COMMON_CODEC',
      `The offer has none of the codecs Parley answers (${preference.join(', ')})`,
    );
  const eventAt = (rate: number) =>
    offered.formats.find((f) => offered.rtpmap.get(f) === `telephone-event/${rate}`);
  // RFC 4733 §2.1: events run on the audio's clock; a phone that offers them only at 8 kHz still gets them there.
  const at48k = codec.law === 'opus' ? eventAt(48_000) : undefined;
  const telephoneEvent = at48k ?? eventAt(8000);
  return {
    address,
    port: offered.port,
    codec,
    telephoneEventPayloadType: telephoneEvent ?? null,
    ...(telephoneEvent === undefined ? {} : { telephoneEventRate: at48k === undefined ? 8000 : 48_000 }),
  };
}

/** The far end's Opus fmtp ("useinbandfec=1; stereo=0; maxplaybackrate=16000"), with RFC 7587's defaults. */
export function opusParameters(fmtp: string | undefined): OpusReceiveParameters {
  const values = new Map<string, string>();
  for (const pair of (fmtp ?? '').split(';')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (key) values.set(key.toLowerCase(), value ?? '');
  }
  const number = (key: string) => {
    const value = Number(values.get(key));
    return values.has(key) && Number.isInteger(value) && value > 0 ? value : null;
  };
  return {
    useInbandFec: values.get('useinbandfec') === '1',
    stereo: values.get('stereo') === '1',
    maxPlaybackRate: Math.min(48_000, Math.max(8000, number('maxplaybackrate') ?? 48_000)),
    maxAverageBitrate: (() => {
      const bitrate = number('maxaveragebitrate');
      return bitrate === null ? null : Math.min(510_000, Math.max(6000, bitrate));
    })(),
    useDtx: values.get('usedtx') === '1',
  };
}

function parseConnection(line: string): string {
  const match = /^c=IN IP4 (\d{1,3}(?:\.\d{1,3}){3})(?:\/\d+)?\s*$/.exec(line);
  if (!match) throw new SdpError('NO_ADDRESS', 'Only IPv4 connection addresses are answered');
  const address = match[1]!;
  if (address.split('.').some((o) => Number(o) > 255)) throw new SdpError('NO_ADDRESS', 'Bad IPv4 address');
  return address;
}

/**
 * What Parley asks of the Opus it receives: mono is enough (the room's mixes are mono) and in-band
 * FEC is welcome (it is forwarded into the room as sent, where browsers use it).
 */
const OPUS_RECEIVE_FMTP = 'minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0';

function codecLines(codec: PhoneCodecName, payloadType: number): string[] {
  if (codec === 'opus')
    return [`a=rtpmap:${payloadType} opus/48000/2`, `a=fmtp:${payloadType} ${OPUS_RECEIVE_FMTP}`];
  return [`a=rtpmap:${payloadType} ${codec}/8000`];
}

/** Parley's answer: the chosen codec and telephone-event on the offer's payload types, 20 ms. */
export function buildAnswer(
  offer: PhoneMediaOffer,
  local: { address: string; port: number; sessionId: number },
): string {
  const formats = [offer.codec.payloadType];
  if (offer.telephoneEventPayloadType !== null) formats.push(offer.telephoneEventPayloadType);
  // The events' rate is the one the offer gave that payload type (48 kHz beside Opus, when offered).
  const eventRate = offer.telephoneEventRate ?? 8000;
  const lines = [
    'v=0',
    `o=parley ${local.sessionId} ${local.sessionId} IN IP4 ${local.address}`,
    's=Parley',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    `m=audio ${local.port} RTP/AVP ${formats.join(' ')}`,
    ...codecLines(offer.codec.law, offer.codec.payloadType),
  ];
  if (offer.telephoneEventPayloadType !== null)
    lines.push(
      `a=rtpmap:${offer.telephoneEventPayloadType} telephone-event/${eventRate}`,
      `a=fmtp:${offer.telephoneEventPayloadType} 0-15`,
    );
  lines.push('a=ptime:20', 'a=sendrecv');
  return `${lines.join('\r\n')}\r\n`;
}

/** The payload types of Parley's own offers (dial-out). */
export const OFFER_PAYLOAD_TYPES = { opus: 111, PCMU: 0, PCMA: 8 } as const;
/** The telephone-event payload types of Parley's own offers: at 8 kHz (G.711) and 48 kHz (Opus). */
export const OFFER_TELEPHONE_EVENT_PT = 101;
export const OFFER_TELEPHONE_EVENT_48K_PT = 102;

/** Parley's offer when it calls out: `codecs` in order (Opus, µ-law, A-law by default) and telephone-events, 20 ms. */
export function buildOffer(
  local: { address: string; port: number; sessionId: number },
  codecs: readonly PhoneCodecName[] = DEFAULT_CODEC_PREFERENCE,
): string {
  const withOpus = codecs.includes('opus');
  const formats = [
    ...codecs.map((c) => OFFER_PAYLOAD_TYPES[c]),
    ...(withOpus ? [OFFER_TELEPHONE_EVENT_48K_PT] : []),
    OFFER_TELEPHONE_EVENT_PT,
  ];
  const lines = [
    'v=0',
    `o=parley ${local.sessionId} ${local.sessionId} IN IP4 ${local.address}`,
    's=Parley',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    `m=audio ${local.port} RTP/AVP ${formats.join(' ')}`,
    ...codecs.flatMap((c) => codecLines(c, OFFER_PAYLOAD_TYPES[c])),
    ...(withOpus
      ? [
          `a=rtpmap:${OFFER_TELEPHONE_EVENT_48K_PT} telephone-event/48000`,
          `a=fmtp:${OFFER_TELEPHONE_EVENT_48K_PT} 0-15`,
        ]
      : []),
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
export function parseAnswer(
  sdp: string,
  codecs: readonly PhoneCodecName[] = DEFAULT_CODEC_PREFERENCE,
): PhoneMediaOffer {
  const answer = parseOffer(sdp, codecs);
  if (answer.codec.payloadType !== OFFER_PAYLOAD_TYPES[answer.codec.law])
    throw new SdpError('NO_COMMON_CODEC', 'The answer chose a payload type Parley did not offer');
  const events = answer.telephoneEventPayloadType;
  if (events !== null && events !== OFFER_TELEPHONE_EVENT_PT && events !== OFFER_TELEPHONE_EVENT_48K_PT)
    return { ...answer, telephoneEventPayloadType: null };
  return answer;
}
