import { isIPv4 } from 'node:net';
import { parseCodecPreference, type PhoneCodecName } from './sdp.ts';
import { compactE164 } from '@parley/shared';

/**
 * Phone legs over SIP (`SIP_*`). Off unless a SIP port is set: `npm start` without these settings
 * opens no SIP socket.
 */
export interface SipConfig {
  /** SIP_LISTEN_ADDRESS: the interface SIP and RTP listen on. */
  listenAddress: string;
  /** SIP_UDP_PORT / SIP_TCP_PORT: null when that transport is off. */
  udpPort: number | null;
  tcpPort: number | null;
  /** SIP_PUBLIC_ADDRESS: written into Contact and SDP; default the listen address (127.0.0.1 for 0.0.0.0). */
  publicAddress: string;
  /** SIP_RTP_PORT_MIN / SIP_RTP_PORT_MAX: the phone side's RTP ports (one per call). */
  rtpPorts: { min: number; max: number };
  /** SIP_TRUNK: host:port of the trunk or PBX (dial-out; its address is allowed in). */
  trunk: { host: string; port: number } | null;
  /**
   * SIP_DIGEST_USER / SIP_DIGEST_PASSWORD / SIP_DIGEST_REALM: INVITEs must authenticate (RFC 3261 §22).
   * Nonces are signed with SIP_DIGEST_NONCE_SECRET (default: JWT_SECRET), the same on every node.
   */
  digest: { user: string; password: string; realm: string; nonceSecret: string } | null;
  /**
   * SIP_TRUNK_USER / SIP_TRUNK_PASSWORD: what Parley answers the trunk's digest challenge with when
   * it calls out (default: SIP_DIGEST_USER / SIP_DIGEST_PASSWORD); absent: dial-out cannot authenticate.
   */
  trunkAuth?: { user: string; password: string } | null;
  /** SIP_ALLOWED_SOURCES: addresses or IPv4 CIDRs that may send SIP; everyone else gets 403. */
  allowedSources: string[];
  /** SIP_REFUSALS_PER_MINUTE: 403s (and 503s for a flood) one address gets per minute; then silence. */
  refusalsPerMinute: number;
  /** SIP_INVITES_PER_MINUTE: new calls one allowed address may start per minute. */
  invitesPerMinute: number;
  /** SIP_MAX_CALLS: phone legs at once on this node. */
  maxCalls: number;
  /** SIP_PIN_SECRET: the key phone PINs are derived with (default: JWT_SECRET). */
  pinSecret: string | undefined;
  /**
   * SIP_DIAL_IN_NUMBER: the phone number the trunk routes to Parley, as people should dial it; shown
   * with the PIN on the call screen. Unset: the screen shows Parley's SIP address only.
   */
  dialInNumber?: string | null;
  /**
   * SIP_CODECS: the codecs phone legs answer and offer, in Parley's order of preference (default
   * opus,PCMU,PCMA: Opus when the far end offers it, else G.711).
   */
  codecs?: PhoneCodecName[];
}

function port(env: NodeJS.ProcessEnv, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** An IPv4 address or CIDR of the allow-list, checked here so a typo stops the start. */
export function parseSource(entry: string): { base: number; mask: number } {
  const [address, bits] = entry.split('/');
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!address || !isIPv4(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    throw new Error(`SIP_ALLOWED_SOURCES: "${entry}" is not an IPv4 address or CIDR`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ipv4ToNumber(address) & mask) >>> 0, mask };
}

export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** Reads the SIP settings; undefined when SIP is off (no SIP_UDP_PORT, no SIP_TCP_PORT). */
export function loadSipConfig(env: NodeJS.ProcessEnv, fallbackPinSecret?: string): SipConfig | undefined {
  const udpPort = port(env, 'SIP_UDP_PORT');
  const tcpPort = port(env, 'SIP_TCP_PORT');
  if (udpPort === null && tcpPort === null) return undefined;
  const listenAddress = env.SIP_LISTEN_ADDRESS || '127.0.0.1';
  if (!isIPv4(listenAddress))
    throw new Error(`SIP_LISTEN_ADDRESS must be an IPv4 address, got "${listenAddress}"`);
  const publicAddress = env.SIP_PUBLIC_ADDRESS || (listenAddress === '0.0.0.0' ? '127.0.0.1' : listenAddress);
  if (!isIPv4(publicAddress))
    throw new Error(`SIP_PUBLIC_ADDRESS must be an IPv4 address, got "${publicAddress}"`);
  const rtpMin = port(env, 'SIP_RTP_PORT_MIN') ?? 30000;
  const rtpMax = port(env, 'SIP_RTP_PORT_MAX') ?? 30999;
  if (rtpMax < rtpMin) throw new Error('SIP_RTP_PORT_MAX must not be below SIP_RTP_PORT_MIN');
  let trunk: SipConfig['trunk'] = null;
  if (env.SIP_TRUNK) {
    const match = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(env.SIP_TRUNK);
    const trunkPort = Number(match?.[2] ?? 5060);
    if (!match || trunkPort < 1 || trunkPort > 65535)
      throw new Error(`SIP_TRUNK must be host or host:port, got "${env.SIP_TRUNK}"`);
    trunk = { host: match[1]!, port: trunkPort };
  }
  const user = env.SIP_DIGEST_USER;
  const password = env.SIP_DIGEST_PASSWORD;
  if (Boolean(user) !== Boolean(password))
    throw new Error('SIP_DIGEST_USER and SIP_DIGEST_PASSWORD must be set together');
  const allowedSources = (env.SIP_ALLOWED_SOURCES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (trunk && isIPv4(trunk.host) && !allowedSources.includes(trunk.host)) allowedSources.push(trunk.host);
  if (allowedSources.length === 0)
    throw new Error(
      'SIP is on (a SIP port is set) but SIP_ALLOWED_SOURCES and SIP_TRUNK name nobody to accept calls from',
    );
  allowedSources.forEach(parseSource);
  const trunkUser = env.SIP_TRUNK_USER || user;
  const trunkPassword = env.SIP_TRUNK_PASSWORD || password;
  return {
    trunkAuth: trunkUser && trunkPassword ? { user: trunkUser, password: trunkPassword } : null,
    listenAddress,
    udpPort,
    tcpPort,
    publicAddress,
    rtpPorts: { min: rtpMin, max: rtpMax },
    trunk,
    digest:
      user && password
        ? {
            user,
            password,
            realm: env.SIP_DIGEST_REALM || 'parley',
            // Every node must sign alike: a shared secret, else one derived from the shared password.
            nonceSecret: env.SIP_DIGEST_NONCE_SECRET || fallbackPinSecret || `nonce:${password}`,
          }
        : null,
    allowedSources,
    refusalsPerMinute: positive(env, 'SIP_REFUSALS_PER_MINUTE', 10),
    invitesPerMinute: positive(env, 'SIP_INVITES_PER_MINUTE', 30),
    maxCalls: positive(env, 'SIP_MAX_CALLS', 50),
    pinSecret: env.SIP_PIN_SECRET || fallbackPinSecret,
    dialInNumber: dialInNumber(env),
    codecs: parseCodecPreference(env.SIP_CODECS),
  };
}

/** SIP_DIAL_IN_NUMBER, checked like a dial-out number so a typo stops the start. */
function dialInNumber(env: NodeJS.ProcessEnv): string | null {
  const raw = env.SIP_DIAL_IN_NUMBER?.trim();
  if (!raw) return null;
  if (!compactE164(raw))
    throw new Error(
      `SIP_DIAL_IN_NUMBER must be an E.164 phone number (+ and the country code), got "${raw}"`,
    );
  return raw;
}
