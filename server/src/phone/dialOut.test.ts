import { describe, expect, it } from 'vitest';
import { failureOfStatus, numberEnding, parseE164 } from './dialOut.ts';
import { buildOffer, parseAnswer } from './sdp.ts';

describe('dial-out', () => {
  it('takes E.164 numbers as people type them, and nothing else', () => {
    expect(parseE164('+1 (504) 555-0142')).toBe('+15045550142');
    expect(parseE164('+44 20 7946 0958')).toBe('+442079460958');
    for (const bad of [
      '5045550142',
      '+0504555',
      '+12345',
      '+1234567890123456',
      '+1504555014x',
      'sip:a@b',
      '',
    ])
      expect(parseE164(bad), bad).toBeNull();
    expect(numberEnding('+15045550107')).toBe(7);
  });

  it('names why a call failed from the final status', () => {
    expect(failureOfStatus(486)).toBe('BUSY');
    expect(failureOfStatus(487)).toBe('NO_ANSWER');
    expect(failureOfStatus(603)).toBe('DECLINED');
    expect(failureOfStatus(404)).toBe('UNREACHABLE');
    expect(failureOfStatus(407)).toBe('TRUNK_REFUSED');
    expect(failureOfStatus(500)).toBe('ERROR');
  });

  it('offers Opus, both G.711 laws and telephone-events, and reads the answer', () => {
    const offer = buildOffer({ address: '10.0.0.1', port: 30000, sessionId: 1 });
    expect(offer).toContain('m=audio 30000 RTP/AVP 111 0 8 102 101');
    const answer = parseAnswer(
      [
        'v=0',
        'o=- 1 1 IN IP4 10.0.0.2',
        's=-',
        'c=IN IP4 10.0.0.2',
        't=0 0',
        'm=audio 4000 RTP/AVP 8 101',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        '',
      ].join('\r\n'),
    );
    expect(answer).toEqual({
      address: '10.0.0.2',
      port: 4000,
      codec: { law: 'PCMA', payloadType: 8 },
      telephoneEventPayloadType: 101,
      telephoneEventRate: 8000,
    });
  });
});
