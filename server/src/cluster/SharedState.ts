import type { Store } from 'express-rate-limit';
import { UsedTokenRegistry } from '../calls/callTokens.ts';
import type { LiveCallSnapshot } from '../calls/LiveCall.ts';
import { KioskAttempts, type AttemptKey } from '../kiosk/kioskAttempts.ts';

/**
 * What every node must agree on, behind small interfaces: one process keeps it in memory (exactly
 * as before there were several nodes), several nodes keep it in Redis (RedisSharedState.ts).
 */
export interface SharedState {
  /** Call tokens already used: a token joins once, on whichever node. */
  usedTokens: TokenReplayRegistry;
  /** Calls that ended lately: a join that read the consultation before it was completed must not reopen it. */
  endedCalls: EndedCallRecords;
  /** Media restarts per person and minute (callSignaling's MEDIA_RESTARTS_PER_MINUTE). */
  mediaRestarts: SlidingWindowLimiter;
  /** Failed kiosk codes and A-Number digits per device and per consultation. */
  kioskAttempts: KioskAttemptCounter;
  /**
   * Each live call's seats, routing mode and sidebar, written on every change by the node holding
   * it: a call re-created on another node after its node died starts from it.
   */
  callStates: CallStateStore;
  /**
   * A store for express-rate-limit (sign-in, kiosk credential and PIN attempts per address), or
   * undefined for its own memory store. Each limiter needs a store of its own: `name` keeps them apart.
   */
  rateLimitStore(name: string): Store | undefined;
}

export interface TokenReplayRegistry {
  /** Records `tokenId` until `expiresAt` (ms); false when it was recorded before. */
  markUsed(tokenId: string, expiresAt: number): Promise<boolean>;
}

export interface EndedCallRecords {
  /** Remembers that `consultationId` ended, until `forgetAt` (ms). */
  markEnded(consultationId: string, forgetAt: number): Promise<void>;
  endedRecently(consultationId: string): Promise<boolean>;
}

export interface SlidingWindowLimiter {
  /** Counts one use of `key` unless it had `max` in the last `windowMs`; false when refused. */
  take(key: string, max: number, windowMs: number): Promise<boolean>;
}

export interface CallStateStore {
  /** Keeps the call's latest snapshot until `keepUntil` (ms; the call cannot outlive its end). */
  save(consultationId: string, snapshot: LiveCallSnapshot, keepUntil: number): Promise<void>;
  /** The latest snapshot of a call that is not over, or null. */
  load(consultationId: string): Promise<LiveCallSnapshot | null>;
  /** The call ended: nothing to re-create. */
  forget(consultationId: string): Promise<void>;
}

/** Call snapshots in this process's memory (one process re-creates no call, but keeps the same code path). */
export class MemoryCallStates implements CallStateStore {
  private readonly calls = new Map<string, { snapshot: string; keepUntil: number }>();

  save(consultationId: string, snapshot: LiveCallSnapshot, keepUntil: number): Promise<void> {
    this.calls.set(consultationId, { snapshot: JSON.stringify(snapshot), keepUntil });
    return Promise.resolve();
  }

  load(consultationId: string, now = Date.now()): Promise<LiveCallSnapshot | null> {
    for (const [id, { keepUntil }] of this.calls) if (keepUntil <= now) this.calls.delete(id);
    const kept = this.calls.get(consultationId);
    return Promise.resolve(kept ? (JSON.parse(kept.snapshot) as LiveCallSnapshot) : null);
  }

  forget(consultationId: string): Promise<void> {
    this.calls.delete(consultationId);
    return Promise.resolve();
  }
}

export interface KioskAttemptCounter {
  /** When `key` may try again (ms since epoch), or null if it may try now. */
  blockedUntil(key: AttemptKey, now: number): Promise<number | null>;
  recordFailure(key: AttemptKey, now: number): Promise<void>;
}

/** Ended calls in this process's memory. */
export class MemoryEndedCalls implements EndedCallRecords {
  private readonly ended = new Map<string, number>();

  markEnded(consultationId: string, forgetAt: number): Promise<void> {
    this.ended.set(consultationId, forgetAt);
    return Promise.resolve();
  }

  endedRecently(consultationId: string, now = Date.now()): Promise<boolean> {
    for (const [id, forgetAt] of this.ended) if (forgetAt <= now) this.ended.delete(id);
    return Promise.resolve(this.ended.has(consultationId));
  }
}

/** Per key, the times of its recent uses, in this process's memory. */
export class MemorySlidingWindow implements SlidingWindowLimiter {
  private readonly uses = new Map<string, number[]>();

  take(key: string, max: number, windowMs: number, now = Date.now()): Promise<boolean> {
    // Forget what left its window, everyone's: the map holds only recent users.
    for (const [k, times] of this.uses) {
      while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
      if (times.length === 0) this.uses.delete(k);
    }
    const times = this.uses.get(key) ?? [];
    if (times.length >= max) return Promise.resolve(false);
    times.push(now);
    this.uses.set(key, times);
    return Promise.resolve(true);
  }
}

/** The one-process state: what Parley kept in memory before it had nodes. */
export function memorySharedState(): SharedState {
  const tokens = new UsedTokenRegistry();
  const kiosk = new KioskAttempts();
  return {
    usedTokens: { markUsed: (id, expiresAt) => Promise.resolve(tokens.markUsed(id, expiresAt)) },
    endedCalls: new MemoryEndedCalls(),
    mediaRestarts: new MemorySlidingWindow(),
    callStates: new MemoryCallStates(),
    kioskAttempts: {
      blockedUntil: (key, now) => Promise.resolve(kiosk.blockedUntil(key, now)),
      recordFailure: (key, now) => Promise.resolve(kiosk.recordFailure(key, now)),
    },
    rateLimitStore: () => undefined,
  };
}
