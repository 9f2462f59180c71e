import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * What kind of address an IP is, for deciding whether Parley may connect to it on an
 * organisation's behalf (server-side request forgery). `public` is ordinary global unicast; every
 * other class is somewhere a webhook has no business going, unless the operator allows
 * private networks (see PRIVATE_NETWORK_CLASSES).
 */
export type AddressClass =
  | 'public'
  /** 0.0.0.0/8 and ::. Connecting to 0.0.0.0 reaches this very machine on Linux. */
  | 'unspecified'
  /** 127.0.0.0/8 and ::1. */
  | 'loopback'
  /** RFC 1918: 10/8, 172.16/12, 192.168/16. */
  | 'private'
  /** RFC 6598 carrier-grade NAT, 100.64/10: often a cloud provider's internal network. */
  | 'carrier-grade-nat'
  /** fc00::/7 (RFC 4193), IPv6's private addresses. */
  | 'unique-local'
  /** 169.254/16 (cloud metadata services live here) and fe80::/10. */
  | 'link-local'
  /** 224/4 and ff00::/8. */
  | 'multicast'
  /** 255.255.255.255. */
  | 'broadcast'
  /** TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20: never on the internet. */
  | 'documentation'
  /** 198.18/15, 2001:2::/48. */
  | 'benchmarking'
  /** Everything else IANA reserves: 240/4, 192.0.0/24, deprecated site-local fec0::/10, IPv6 outside 2000::/3… */
  | 'reserved';

/**
 * Classes a webhook may reach when WEBHOOK_ALLOW_PRIVATE_NETWORKS is set: a receiver on this
 * machine or on the organisation's own network. Link-local (the metadata service), multicast,
 * broadcast, unspecified and reserved addresses stay refused even then.
 */
export const PRIVATE_NETWORK_CLASSES: ReadonlySet<AddressClass> = new Set([
  'loopback',
  'private',
  'carrier-grade-nat',
  'unique-local',
]);

/** Human wording for messages and the delivery log. */
export const ADDRESS_CLASS_LABEL: Record<AddressClass, string> = {
  public: 'a public address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  'carrier-grade-nat': 'a carrier-grade NAT address',
  'unique-local': 'a unique-local IPv6 address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  reserved: 'a reserved address',
};

type Range = readonly [network: string, prefix: number, cls: AddressClass];

/** First match wins, so narrower ranges come before the ranges that contain them. */
const IPV4_RANGES: readonly Range[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/**
 * IPv6 beyond the special cases handled in code (::, ::1, addresses that embed an IPv4 one).
 * Only 2000::/3 is allocated as global unicast; anything outside it is not a place to post to.
 */
const IPV6_RANGES: readonly Range[] = [
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['2001:2::', 48, 'benchmarking'],
  // IETF protocol assignments, Teredo's 2001::/32 among them (a Teredo address tunnels to an
  // IPv4 host the prefix does not show): no webhook receiver lives here.
  ['2001::', 23, 'reserved'],
];

/**
 * One BlockList per range, each holding addresses of one family only: a BlockList answers for
 * IPv4-mapped IPv6 addresses too, so mixing families in one list would blur the classes.
 */
function compile(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): [BlockList, AddressClass][] {
  return ranges.map(([network, prefix, cls]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return [list, cls];
  });
}

const IPV4_LISTS = compile(IPV4_RANGES, 'ipv4');
const IPV6_LISTS = compile(IPV6_RANGES, 'ipv6');
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

function classifyIPv4(address: string): AddressClass {
  for (const [list, cls] of IPV4_LISTS) if (list.check(address, 'ipv4')) return cls;
  return 'public';
}

/** The 16 bytes of a valid IPv6 address (zone already removed), including a dotted IPv4 tail. */
export function ipv6Bytes(address: string): Uint8Array {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // `::ffff:1.2.3.4` is `::ffff:0102:0304`.
    const [a = 0, b = 0, c = 0, d = 0] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [head = '', tail] = text.split('::');
  const headGroups = parse(head);
  const tailGroups = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  const bytes = new Uint8Array(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const allZero = (b: Uint8Array, from: number, to: number) => b.subarray(from, to).every((x) => x === 0);

function classifyIPv6(address: string): AddressClass {
  const b = ipv6Bytes(address);
  if (allZero(b, 0, 15)) return b[15] === 0 ? 'unspecified' : b[15] === 1 ? 'loopback' : 'reserved';
  // ::ffff:a.b.c.d reaches a.b.c.d over a dual-stack socket: it is whatever that IPv4 address is.
  if (allZero(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyIPv4(dotted(b, 12));
  // NAT64's well-known prefix 64:ff9b::/96: the translator forwards to the embedded IPv4 address.
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(b, 4, 12)) {
    return classifyIPv4(dotted(b, 12));
  }
  // 6to4, 2002:a.b.c.d::/48: the embedded IPv4 address is the site's gateway.
  if (b[0] === 0x20 && b[1] === 0x02) {
    const embedded = classifyIPv4(dotted(b, 2));
    if (embedded !== 'public') return embedded;
  }
  for (const [list, cls] of IPV6_LISTS) if (list.check(address, 'ipv6')) return cls;
  return GLOBAL_UNICAST.check(address, 'ipv6') ? 'public' : 'reserved';
}

/**
 * Classifies an IP address as written by `net`/`dns` (dotted IPv4, or IPv6 with an optional
 * `%zone`). Throws for anything that is not an IP address: hostnames must be resolved first.
 */
export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return classifyIPv4(address);
  const withoutZone = address.replace(/%.*$/, '');
  if (isIPv6(withoutZone)) return classifyIPv6(withoutZone);
  throw new TypeError(`Not an IP address: ${JSON.stringify(address)}`);
}

/** Whether a webhook may connect to `address`; private networks only when the operator allows them. */
export function isAllowedAddress(cls: AddressClass, allowPrivateNetworks: boolean): boolean {
  return cls === 'public' || (allowPrivateNetworks && PRIVATE_NETWORK_CLASSES.has(cls));
}
