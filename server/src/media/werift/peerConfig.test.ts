import { describe, expect, it } from 'vitest';
import { isPairAllowed, peerConnectionConfig, rewriteLocalSdp } from './peerConfig.ts';

const SDP = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2116026367 127.0.0.1 40000 typ host generation 0 ufrag ab',
  'a=candidate:2 1 udp 2116026367 10.1.2.3 40002 typ host generation 0 ufrag ab',
  'a=end-of-candidates',
  '',
].join('\r\n');

const pair = (local: string, remote: string) =>
  ({ localCandidate: { host: local }, remoteCandidate: { host: remote } }) as any;

describe('peerConfig', () => {
  it('keeps only candidates on listen addresses', () => {
    const sdp = rewriteLocalSdp(SDP, { listenAddresses: ['127.0.0.1'] });
    expect(sdp).toContain('127.0.0.1 40000 typ host');
    expect(sdp).not.toContain('10.1.2.3');
    expect(sdp).toContain('c=IN IP4 127.0.0.1');
  });

  it('announces the public address in place of the listen address', () => {
    const sdp = rewriteLocalSdp(SDP, { listenAddresses: ['10.1.2.3'], announcedAddress: '203.0.113.7' });
    expect(sdp).toContain('a=candidate:2 1 udp 2116026367 203.0.113.7 40002 typ host');
    expect(sdp).not.toContain('127.0.0.1');
    expect(sdp).toContain('c=IN IP4 203.0.113.7');
  });

  it('pairs only from listen addresses, and loopback only with loopback', () => {
    expect(isPairAllowed(pair('127.0.0.1', '127.0.0.1'), ['127.0.0.1'])).toBe(true);
    expect(isPairAllowed(pair('10.1.2.3', '127.0.0.1'), ['127.0.0.1'])).toBe(false);
    expect(isPairAllowed(pair('127.0.0.1', '10.1.2.3'), ['127.0.0.1'])).toBe(false);
    expect(isPairAllowed(pair('10.1.2.3', '198.51.100.4'), undefined)).toBe(true);
  });

  it('refuses a bad listen address or port range', () => {
    expect(() => peerConnectionConfig({ listenAddresses: ['localhost'] })).toThrow();
    expect(() => peerConnectionConfig({ portRange: { min: 40000, max: 40000 } })).toThrow();
    expect(peerConnectionConfig({ portRange: { min: 40000, max: 40100 } }).icePortRange).toEqual([
      40000, 40100,
    ]);
  });
});
