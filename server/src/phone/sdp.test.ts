import { describe, expect, it } from 'vitest';
import { buildAnswer, buildOffer, parseAnswer, parseCodecPreference, parseOffer, SdpError } from './sdp.ts';

const offer = (m: string, extra: string[] = [], c = 'c=IN IP4 127.0.0.1') =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', c, 't=0 0', m, ...extra, ''].join('\r\n');

function refusal(sdp: string): string {
  try {
    parseOffer(sdp);
  } catch (error) {
    if (error instanceof SdpError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('phone SDP', () => {
  it('takes PCMU first, with telephone-event, from a typical softphone offer when Opus is not wanted', () => {
    const parsed = parseOffer(
      offer('m=audio 4000 RTP/AVP 96 0 8 101', [
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
      ]),
      ['PCMU', 'PCMA'],
    );
    expect(parsed).toEqual({
      address: '127.0.0.1',
      port: 4000,
      codec: { law: 'PCMU', payloadType: 0 },
      telephoneEventPayloadType: 101,
      telephoneEventRate: 8000,
    });
  });

  it('takes PCMA when that is all, static payload type without rtpmap, no DTMF events', () => {
    const parsed = parseOffer(offer('m=audio 4002 RTP/AVP 8', [], 'c=IN IP4 10.1.2.3'));
    expect(parsed.codec).toEqual({ law: 'PCMA', payloadType: 8 });
    expect(parsed.address).toBe('10.1.2.3');
    expect(parsed.telephoneEventPayloadType).toBeNull();
  });

  it('refuses what it cannot answer, each with its code', () => {
    expect(refusal('')).toBe('MALFORMED');
    expect(refusal('hello')).toBe('MALFORMED');
    expect(refusal(offer('m=video 4000 RTP/AVP 96'))).toBe('NO_AUDIO');
    expect(refusal(offer('m=audio 4000 RTP/AVP 96', ['a=rtpmap:96 opus/48000/1']))).toBe('NO_COMMON_CODEC');
    expect(refusal(offer('m=audio 4000 RTP/AVP 9', ['a=rtpmap:9 G722/8000']))).toBe('NO_COMMON_CODEC');
    expect(refusal(offer('m=audio 4000 RTP/SAVP 0'))).toBe('SECURE_ONLY');
    expect(refusal(offer('m=audio 0 RTP/AVP 0'))).toBe('NO_ADDRESS');
    expect(refusal(offer('m=audio 4000 RTP/AVP 0', [], 'c=IN IP6 ::1'))).toBe('NO_ADDRESS');
    expect(refusal(offer('m=audio 99999 RTP/AVP 0'))).toBe('MALFORMED');
    expect(refusal('v=0\r\n' + 'a=x\r\n'.repeat(5000))).toBe('MALFORMED');
  });

  it('answers on the offered payload types, 20 ms, send and receive', () => {
    const parsed = parseOffer(
      offer('m=audio 4000 RTP/AVP 0 101', ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']),
    );
    const answer = buildAnswer(parsed, { address: '127.0.0.1', port: 5080, sessionId: 42 });
    expect(answer).toContain('m=audio 5080 RTP/AVP 0 101\r\n');
    expect(answer).toContain('a=rtpmap:0 PCMU/8000\r\n');
    expect(answer).toContain('a=rtpmap:101 telephone-event/8000\r\n');
    expect(answer).toContain('a=ptime:20\r\n');
    // The answer is itself an offer Parley could read back.
    expect(parseOffer(answer).codec).toEqual({ law: 'PCMU', payloadType: 0 });
  });

  describe('Opus (RFC 7587)', () => {
    it('prefers Opus when offered beside G.711, on the offer’s dynamic payload type, with its fmtp', () => {
      const parsed = parseOffer(
        offer('m=audio 4000 RTP/AVP 0 8 96 101', [
          'a=rtpmap:0 PCMU/8000',
          'a=rtpmap:8 PCMA/8000',
          'a=rtpmap:96 opus/48000/2',
          'a=fmtp:96 stereo=1;sprop-stereo=1;useinbandfec=1;maxplaybackrate=16000',
          'a=rtpmap:101 telephone-event/8000',
        ]),
      );
      expect(parsed.codec).toEqual({
        law: 'opus',
        payloadType: 96,
        opus: {
          useInbandFec: true,
          stereo: true,
          maxPlaybackRate: 16000,
          maxAverageBitrate: null,
          useDtx: false,
        },
      });
      // Only 8 kHz events offered: taken at 8 kHz beside Opus (what baresip offers).
      expect(parsed.telephoneEventPayloadType).toBe(101);
      expect(parsed.telephoneEventRate).toBe(8000);
    });

    it('takes an Opus-only offer, and telephone-event at 48 kHz over 8 kHz when both are there', () => {
      const parsed = parseOffer(
        offer('m=audio 4000 RTP/AVP 111 110 126', [
          'a=rtpmap:111 opus/48000/2',
          'a=rtpmap:110 telephone-event/48000',
          'a=rtpmap:126 telephone-event/8000',
        ]),
      );
      expect(parsed.codec.law).toBe('opus');
      expect(parsed.codec.payloadType).toBe(111);
      // RFC 7587's defaults when no fmtp says otherwise.
      expect(parsed.codec.opus).toEqual({
        useInbandFec: false,
        stereo: false,
        maxPlaybackRate: 48000,
        maxAverageBitrate: null,
        useDtx: false,
      });
      expect(parsed.telephoneEventPayloadType).toBe(110);
      expect(parsed.telephoneEventRate).toBe(48000);
      const answer = buildAnswer(parsed, { address: '127.0.0.1', port: 5080, sessionId: 7 });
      expect(answer).toContain('m=audio 5080 RTP/AVP 111 110\r\n');
      expect(answer).toContain('a=rtpmap:111 opus/48000/2\r\n');
      expect(answer).toMatch(/^a=fmtp:111 .*useinbandfec=1.*stereo=0/m);
      expect(answer).toContain('a=rtpmap:110 telephone-event/48000\r\n');
      expect(answer).toContain('a=ptime:20\r\n');
      expect(parseOffer(answer).codec.law).toBe('opus');
    });

    it('follows the configured preference: G.711 first, or no Opus at all', () => {
      const both = offer('m=audio 4000 RTP/AVP 96 8', ['a=rtpmap:96 OPUS/48000/2', 'a=rtpmap:8 PCMA/8000']);
      expect(parseOffer(both).codec.law).toBe('opus');
      expect(parseOffer(both, ['PCMA', 'opus']).codec).toEqual({ law: 'PCMA', payloadType: 8 });
      const opusOnly = offer('m=audio 4000 RTP/AVP 96', ['a=rtpmap:96 opus/48000/2']);
      expect(() => parseOffer(opusOnly, ['PCMU', 'PCMA'])).toThrow(SdpError);
    });

    it('reads odd payload types and fmtp values without being fooled', () => {
      // Opus on a payload type another format usually has, a bitrate out of range, junk pairs.
      const parsed = parseOffer(
        offer('m=audio 4000 RTP/AVP 0 127', [
          'a=rtpmap:127 opus/48000/2',
          'a=fmtp:127 maxaveragebitrate=999999999; usedtx=1; ;=;junk; maxplaybackrate=2000',
          'a=rtpmap:0 opus/48000/2',
        ]),
      );
      // PT 0 is remapped to Opus by its rtpmap: the first Opus in the m= line's order is taken.
      expect(parsed.codec.payloadType).toBe(0);
      expect(parsed.codec.law).toBe('opus');
      const odd = parseOffer(
        offer('m=audio 4000 RTP/AVP 127', [
          'a=rtpmap:127 opus/48000/2',
          'a=fmtp:127 maxaveragebitrate=999999999; usedtx=1; ;=;junk; maxplaybackrate=2000',
        ]),
      );
      expect(odd.codec.opus).toMatchObject({
        maxAverageBitrate: 510000,
        useDtx: true,
        maxPlaybackRate: 8000,
      });
      // A payload type listed but never mapped is not Opus, and 8000 Hz "opus" is not Opus.
      expect(refusal(offer('m=audio 4000 RTP/AVP 96'))).toBe('NO_COMMON_CODEC');
      expect(refusal(offer('m=audio 4000 RTP/AVP 96', ['a=rtpmap:96 opus/8000/1']))).toBe('NO_COMMON_CODEC');
    });

    it('offers Opus first when dialling out, and takes the callee’s Opus or G.711 choice', () => {
      const sdp = buildOffer({ address: '10.0.0.1', port: 30000, sessionId: 1 });
      expect(sdp).toContain('m=audio 30000 RTP/AVP 111 0 8 102 101\r\n');
      expect(sdp).toContain('a=rtpmap:111 opus/48000/2\r\n');
      expect(sdp).toContain('a=rtpmap:102 telephone-event/48000\r\n');
      const answer = (m: string, extra: string[]) => parseAnswer(offer(m, extra));
      expect(
        answer('m=audio 4000 RTP/AVP 111 102', [
          'a=rtpmap:111 opus/48000/2',
          'a=rtpmap:102 telephone-event/48000',
        ]),
      ).toMatchObject({
        codec: { law: 'opus', payloadType: 111 },
        telephoneEventPayloadType: 102,
      });
      expect(answer('m=audio 4000 RTP/AVP 0', []).codec.law).toBe('PCMU');
      // Opus on a payload type Parley never offered it under.
      expect(() => answer('m=audio 4000 RTP/AVP 96', ['a=rtpmap:96 opus/48000/2'])).toThrow(SdpError);
      // Configured without Opus: not offered, and not taken from an answer.
      expect(buildOffer({ address: '10.0.0.1', port: 30000, sessionId: 1 }, ['PCMU'])).toContain(
        'm=audio 30000 RTP/AVP 0 101\r\n',
      );
    });

    it('reads SIP_CODECS, refusing unknown names', () => {
      expect(parseCodecPreference(undefined)).toEqual(['opus', 'PCMU', 'PCMA']);
      expect(parseCodecPreference(' pcma , OPUS,pcma')).toEqual(['PCMA', 'opus']);
      expect(() => parseCodecPreference('opus,G729')).toThrow(/G729/);
    });
  });
});
