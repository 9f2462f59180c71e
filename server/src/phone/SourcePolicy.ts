import { ipv4ToNumber, parseSource } from './sipConfig.ts';

/**
 * Who may talk SIP to Parley, and how often. Addresses outside the allow-list get a 403 a few
 * times a minute and then nothing at all, so a scanner costs one counter, not a response each;
 * allowed addresses may start a bounded number of calls a minute (an INVITE flood gets 503 and
 * then silence too). Pure bookkeeping: the time is passed in.
 */
export class SourcePolicy {
  private readonly ranges: { base: number; mask: number }[];
  private readonly refusals = new Map<string, number[]>();
  private readonly invites = new Map<string, number[]>();

  constructor(
    allowedSources: readonly string[],
    private readonly limits: { refusalsPerMinute: number; invitesPerMinute: number },
  ) {
    this.ranges = allowedSources.map(parseSource);
  }

  isAllowed(address: string): boolean {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return false;
    const n = ipv4ToNumber(address);
    return this.ranges.some((r) => (n & r.mask) >>> 0 === r.base);
  }

  /** Whether a refusal may still be answered to `address` this minute (and counts it). */
  mayAnswerRefusal(address: string, now: number): boolean {
    return take(this.refusals, address, this.limits.refusalsPerMinute, now);
  }

  /** Whether `address` may start another call this minute (and counts it). */
  mayStartCall(address: string, now: number): boolean {
    return take(this.invites, address, this.limits.invitesPerMinute, now);
  }
}

const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

function take(counts: Map<string, number[]>, key: string, max: number, now: number): boolean {
  const recent = (counts.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
  if (recent.length >= max) {
    counts.set(key, recent);
    return false;
  }
  recent.push(now);
  counts.delete(key);
  counts.set(key, recent);
  // Bounded memory under a spoofed-source flood: forget the oldest addresses first.
  while (counts.size > MAX_TRACKED) counts.delete(counts.keys().next().value!);
  return true;
}
