import { describe, expect, it } from 'vitest';
import { classifyAddress, ipv6Bytes, isAllowedAddress, type AddressClass } from './addressClassification.ts';

const cases = (rows: [string, AddressClass][]) => rows;

describe('classifyAddress, IPv4', () => {
  it.each(
    cases([
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['0.255.255.255', 'unspecified'],
      ['1.0.0.0', 'public'],
      ['9.255.255.255', 'public'],
      ['10.0.0.0', 'private'],
      ['10.255.255.255', 'private'],
      ['11.0.0.0', 'public'],
      ['100.63.255.255', 'public'],
      ['100.64.0.0', 'carrier-grade-nat'],
      ['100.127.255.255', 'carrier-grade-nat'],
      ['100.128.0.0', 'public'],
      ['126.255.255.255', 'public'],
      ['127.0.0.1', 'loopback'],
      ['127.0.0.0', 'loopback'],
      ['127.255.255.255', 'loopback'],
      ['128.0.0.0', 'public'],
      ['169.253.255.255', 'public'],
      ['169.254.169.254', 'link-local'],
      ['169.254.0.0', 'link-local'],
      ['169.255.0.0', 'public'],
      ['172.15.255.255', 'public'],
      ['172.16.0.0', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.0', 'public'],
      ['192.0.0.8', 'reserved'],
      ['192.0.1.1', 'public'],
      ['192.0.2.10', 'documentation'],
      ['192.88.99.1', 'reserved'],
      ['192.167.255.255', 'public'],
      ['192.168.0.1', 'private'],
      ['192.168.255.255', 'private'],
      ['192.169.0.0', 'public'],
      ['198.17.255.255', 'public'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['198.20.0.0', 'public'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.200', 'documentation'],
      ['8.8.8.8', 'public'],
      ['93.184.215.14', 'public'],
      ['223.255.255.255', 'public'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.254', 'reserved'],
      ['255.255.255.255', 'broadcast'],
    ]),
  )('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('classifyAddress, IPv6', () => {
  it.each(
    cases([
      ['::', 'unspecified'],
      ['0:0:0:0:0:0:0:0', 'unspecified'],
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['::2', 'reserved'],
      // IPv4-mapped: whatever the IPv4 address inside is, in every spelling.
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
      ['::FFFF:A9FE:A9FE', 'link-local'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:0.0.0.0', 'unspecified'],
      ['::ffff:255.255.255.255', 'broadcast'],
      ['::ffff:8.8.8.8', 'public'],
      // IPv4-compatible (deprecated) and SIIT-translated forms are not places to post to.
      ['::127.0.0.1', 'reserved'],
      ['::8.8.8.8', 'reserved'],
      ['::ffff:0:7f00:1', 'reserved'],
      // NAT64 well-known prefix: the translator would forward to the embedded address.
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::169.254.169.254', 'link-local'],
      ['64:ff9b::8.8.8.8', 'public'],
      ['64:ff9b:1::1', 'reserved'],
      // 6to4: the embedded IPv4 address is the gateway.
      ['2002:7f00:1::1', 'loopback'],
      ['2002:a00:1::', 'private'],
      ['2002:808:808::1', 'public'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456:789a::1', 'unique-local'],
      ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf:ffff::1', 'link-local'],
      ['fec0::1', 'reserved'],
      ['ff02::1', 'multicast'],
      ['ff05::1:3', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
      ['2001:1ff::1', 'reserved'],
      ['2001:200::1', 'public'],
      ['100::1', 'reserved'],
      ['4000::1', 'reserved'],
      ['2001:4860:4860::8888', 'public'],
      ['2606:4700:4700::1111', 'public'],
      ['2a00:1450:4001:80b::200e', 'public'],
      ['3ffe::1', 'public'],
    ]),
  )('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('classifyAddress refuses what is not an IP address', () => {
  // Host names and the odd IPv4 spellings are not addresses until URL parsing or DNS says so.
  it.each(['localhost', '', '127.1', '2130706433', '0x7f.0.0.1', '0177.0.0.1', '[::1]', '1.2.3.4.5', ':::'])(
    '%j',
    (input) => {
      expect(() => classifyAddress(input)).toThrow(TypeError);
    },
  );
});

describe('ipv6Bytes', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1::8', '00010000000000000000000000000008'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['::1.2.3.4', '00000000000000000000000001020304'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
    ['FE80::ABCD', 'fe80000000000000000000000000abcd'],
  ])('%s', (address, hex) => {
    expect(Buffer.from(ipv6Bytes(address)).toString('hex')).toBe(hex);
  });
});

describe('isAllowedAddress', () => {
  it('allows only public addresses by default', () => {
    expect(isAllowedAddress('public', false)).toBe(true);
    for (const cls of ['loopback', 'private', 'carrier-grade-nat', 'unique-local', 'link-local'] as const) {
      expect(isAllowedAddress(cls, false)).toBe(false);
    }
  });

  it('with private networks allowed, still never the metadata service, multicast, broadcast or 0.0.0.0', () => {
    for (const cls of ['loopback', 'private', 'carrier-grade-nat', 'unique-local'] as const) {
      expect(isAllowedAddress(cls, true)).toBe(true);
    }
    for (const cls of [
      'link-local',
      'unspecified',
      'multicast',
      'broadcast',
      'reserved',
      'documentation',
      'benchmarking',
    ] as const) {
      expect(isAllowedAddress(cls, true)).toBe(false);
    }
  });
});
