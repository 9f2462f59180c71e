import { describe, expect, it } from 'vitest';
import { buildAnswer, parseOffer, SdpError } from './sdp.ts';

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
  it('takes PCMU first, with telephone-event, from a typical softphone offer', () => {
    const parsed = parseOffer(
      offer('m=audio 4000 RTP/AVP 96 0 8 101', [
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
      ]),
    );
    expect(parsed).toEqual({
      address: '127.0.0.1',
      port: 4000,
      codec: { law: 'PCMU', payloadType: 0 },
      telephoneEventPayloadType: 101,
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
    expect(refusal(offer('m=audio 4000 RTP/AVP 96', ['a=rtpmap:96 opus/48000/2']))).toBe('NO_COMMON_CODEC');
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
});
