import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, refusedAddressReason, type WebhookUrlPolicy } from './webhookUrlPolicy.ts';

const PRODUCTION: WebhookUrlPolicy = { allowHttp: false, allowPrivateNetworks: false };
const DEVELOPMENT: WebhookUrlPolicy = { allowHttp: true, allowPrivateNetworks: false };
const LOCAL_RECEIVER: WebhookUrlPolicy = { allowHttp: true, allowPrivateNetworks: true };

const reasonOf = (url: string, policy: WebhookUrlPolicy) => {
  const verdict = checkWebhookUrl(url, policy);
  return verdict.ok ? null : verdict.reason;
};

describe('checkWebhookUrl', () => {
  it.each([
    'https://cms.example.org/parley/notes',
    'https://cms.example.org:8443/hooks?org=1',
    'https://8.8.8.8/notes',
    'https://[2001:4860:4860::8888]/notes',
    'https://[::ffff:8.8.8.8]/notes',
  ])('allows %s in production', (url) => {
    expect(reasonOf(url, PRODUCTION)).toBeNull();
  });

  it('returns the parsed URL it checked', () => {
    const verdict = checkWebhookUrl('https://CMS.Example.org/a', PRODUCTION);
    expect(verdict.ok && verdict.url.hostname).toBe('cms.example.org');
  });

  it('allows http only when the policy does (outside production by default)', () => {
    expect(reasonOf('http://cms.example.org/notes', PRODUCTION)).toBe('the URL must use https');
    expect(reasonOf('http://cms.example.org/notes', DEVELOPMENT)).toBeNull();
  });

  it.each([
    'ftp://cms.example.org/',
    'file:///etc/passwd',
    'gopher://cms.example.org/',
    'javascript:alert(1)',
  ])('refuses the scheme of %s', (url) => {
    expect(reasonOf(url, LOCAL_RECEIVER)).toBe('the URL must use http or https');
    expect(reasonOf(url, PRODUCTION)).toBe('the URL must use https');
  });

  it.each(['not a url', '', 'https://', 'http://[fe80::1%25eth0]/', 'http://4294967296/'])(
    'refuses %j, which does not parse',
    (url) => {
      expect(reasonOf(url, LOCAL_RECEIVER)).toBe('the URL is not valid');
    },
  );

  it.each([
    'https://user:pass@cms.example.org/',
    'https://user@cms.example.org/',
    'https://:pass@cms.example.org/',
  ])('refuses credentials in %s, even with private networks allowed', (url) => {
    expect(reasonOf(url, LOCAL_RECEIVER)).toBe('the URL must not contain a user name or password');
  });

  it.each([
    ['https://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['https://127.0.0.1:5432/', '127.0.0.1 is a loopback address'],
    // WHATWG URL reads these IPv4 spellings as 127.0.0.1 before we see the host.
    ['https://2130706433/', '127.0.0.1 is a loopback address'],
    ['https://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['https://127.1/', '127.0.0.1 is a loopback address'],
    ['https://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['https://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['https://%31%32%37.0.0.1/', '127.0.0.1 is a loopback address'],
    ['https://127。0。0。1/', '127.0.0.1 is a loopback address'],
    ['https://0/', '0.0.0.0 is an unspecified address'],
    ['https://0.0.0.0:3000/', '0.0.0.0 is an unspecified address'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['https://2852039166/', '169.254.169.254 is a link-local address'],
    ['https://10.0.0.5/', '10.0.0.5 is a private network address'],
    ['https://172.16.3.4/', '172.16.3.4 is a private network address'],
    ['https://192.168.1.1/', '192.168.1.1 is a private network address'],
    ['https://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address'],
    ['https://224.0.0.1/', '224.0.0.1 is a multicast address'],
    ['https://255.255.255.255/', '255.255.255.255 is the broadcast address'],
    ['https://4294967295/', '255.255.255.255 is the broadcast address'],
    ['https://[::1]/', '[::1] is a loopback address'],
    ['https://[::]/', '[::] is an unspecified address'],
    ['https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1] is a loopback address'],
    ['https://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe] is a link-local address'],
    ['https://[fe80::1]/', '[fe80::1] is a link-local address'],
    ['https://[fd00::1]/', '[fd00::1] is a unique-local IPv6 address'],
    ['https://[ff02::1]/', '[ff02::1] is a multicast address'],
  ])('refuses %s: %s', (url, reason) => {
    expect(reasonOf(url, PRODUCTION)).toBe(reason);
    expect(reasonOf(url, DEVELOPMENT)).toBe(reason);
  });

  it('with private networks allowed, allows loopback and RFC 1918 but not the metadata service', () => {
    for (const url of [
      'http://127.0.0.1:4000/',
      'http://localhost:4000/',
      'http://10.1.2.3/',
      'http://[::1]:4000/',
      'http://[fd00::1]/',
    ]) {
      expect(reasonOf(url, LOCAL_RECEIVER)).toBeNull();
    }
    for (const url of [
      'http://169.254.169.254/',
      'http://0.0.0.0/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
    ]) {
      expect(reasonOf(url, LOCAL_RECEIVER)).not.toBeNull();
    }
  });

  it('leaves host names to the delivery-time check', () => {
    // Even `localhost`: names are resolved at delivery, and refused then if they point inside.
    for (const url of ['https://localhost/', 'https://metadata.google.internal/', 'https://db/']) {
      expect(reasonOf(url, PRODUCTION)).toBeNull();
    }
  });
});

describe('refusedAddressReason', () => {
  it('accepts a name whose every address is public', () => {
    expect(
      refusedAddressReason('cms.example.org', ['93.184.215.14', '2606:2800:21f:cb07::1'], PRODUCTION),
    ).toBeNull();
  });

  it('refuses a name if any one address is internal, without naming the address', () => {
    expect(refusedAddressReason('cms.example.org', ['93.184.215.14', '10.0.0.7'], PRODUCTION)).toBe(
      'cms.example.org resolves to a private network address',
    );
    expect(refusedAddressReason('localhost', ['::1', '127.0.0.1'], PRODUCTION)).toBe(
      'localhost resolves to a loopback address',
    );
    expect(refusedAddressReason('rebound.example', ['::ffff:169.254.169.254'], LOCAL_RECEIVER)).toBe(
      'rebound.example resolves to a link-local address',
    );
  });

  it('allows loopback only when private networks are allowed', () => {
    expect(refusedAddressReason('localhost', ['127.0.0.1'], LOCAL_RECEIVER)).toBeNull();
  });

  it('refuses a name with no address', () => {
    expect(refusedAddressReason('cms.example.org', [], LOCAL_RECEIVER)).toBe(
      'cms.example.org resolves to no address',
    );
  });
});
