import { describe, expect, it } from 'vitest';
import { loadSipConfig } from './sipConfig.ts';
import { SourcePolicy } from './SourcePolicy.ts';

describe('SIP settings', () => {
  it('are off without a SIP port: nothing else is read', () => {
    expect(loadSipConfig({ SIP_ALLOWED_SOURCES: 'nonsense' })).toBeUndefined();
  });

  it('read ports, trunk (allowed in), digest and the allow-list', () => {
    const config = loadSipConfig(
      {
        SIP_UDP_PORT: '5070',
        SIP_TCP_PORT: '5071',
        SIP_TRUNK: '10.0.0.5:5080',
        SIP_ALLOWED_SOURCES: '127.0.0.1, 192.168.10.0/24',
        SIP_DIGEST_USER: 'trunk',
        SIP_DIGEST_PASSWORD: 'secret',
      },
      'jwt',
    )!;
    expect(config.udpPort).toBe(5070);
    expect(config.tcpPort).toBe(5071);
    expect(config.trunk).toEqual({ host: '10.0.0.5', port: 5080 });
    expect(config.allowedSources).toEqual(['127.0.0.1', '192.168.10.0/24', '10.0.0.5']);
    expect(config.digest).toEqual({ user: 'trunk', password: 'secret', realm: 'parley', nonceSecret: 'jwt' });
    expect(config.pinSecret).toBe('jwt');
    expect(config.publicAddress).toBe('127.0.0.1');
    expect(config.dialInNumber).toBeNull();
  });

  it('read the dial-in number people are told to call, checked as E.164', () => {
    const base = { SIP_UDP_PORT: '5070', SIP_ALLOWED_SOURCES: '127.0.0.1' };
    expect(loadSipConfig({ ...base, SIP_DIAL_IN_NUMBER: '+1 504 555 0100' })?.dialInNumber).toBe(
      '+1 504 555 0100',
    );
    expect(() => loadSipConfig({ ...base, SIP_DIAL_IN_NUMBER: '555-0100' })).toThrow(/SIP_DIAL_IN_NUMBER/);
  });

  it('stop the start with the variable named when one is wrong', () => {
    expect(() => loadSipConfig({ SIP_UDP_PORT: '99999', SIP_ALLOWED_SOURCES: '127.0.0.1' })).toThrow(
      /SIP_UDP_PORT/,
    );
    expect(() => loadSipConfig({ SIP_UDP_PORT: '5070' })).toThrow(/SIP_ALLOWED_SOURCES/);
    expect(() => loadSipConfig({ SIP_UDP_PORT: '5070', SIP_ALLOWED_SOURCES: '1.2.3.4/40' })).toThrow(/CIDR/);
    expect(() =>
      loadSipConfig({ SIP_UDP_PORT: '5070', SIP_ALLOWED_SOURCES: '127.0.0.1', SIP_DIGEST_USER: 'u' }),
    ).toThrow(/together/);
  });
});

describe('SourcePolicy', () => {
  it('allows listed addresses and CIDR ranges only', () => {
    const policy = new SourcePolicy(['127.0.0.1', '192.168.10.0/24'], {
      refusalsPerMinute: 2,
      invitesPerMinute: 2,
    });
    expect(policy.isAllowed('127.0.0.1')).toBe(true);
    expect(policy.isAllowed('192.168.10.77')).toBe(true);
    expect(policy.isAllowed('192.168.11.1')).toBe(false);
    expect(policy.isAllowed('127.0.0.2')).toBe(false);
    expect(policy.isAllowed('::1')).toBe(false);
  });

  it('answers a few refusals a minute per address, then stays silent until the minute has passed', () => {
    const policy = new SourcePolicy(['127.0.0.1'], { refusalsPerMinute: 2, invitesPerMinute: 3 });
    expect([1, 2, 3].map((t) => policy.mayAnswerRefusal('10.0.0.1', t))).toEqual([true, true, false]);
    expect(policy.mayAnswerRefusal('10.0.0.2', 4)).toBe(true);
    expect(policy.mayAnswerRefusal('10.0.0.1', 60_002)).toBe(true);
    expect([1, 2, 3, 4].map((t) => policy.mayStartCall('127.0.0.1', t))).toEqual([true, true, true, false]);
  });
});
