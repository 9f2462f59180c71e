import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { KIOSK_ATTEMPT_LIMITS, type AttemptKey, type AttemptLimits } from '../kiosk/kioskAttempts.ts';
import type { LiveCallSnapshot } from '../calls/LiveCall.ts';
import type { SharedState } from './SharedState.ts';

/**
 * A sliding window as a sorted set of use times: drop what left the window, refuse at `max`, else
 * add this use. One script, so two nodes counting the same person at once cannot both pass the last
 * place. Returns 1 when the use was counted.
 */
const TAKE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * The state every node must agree on, in Redis. Keys expire by themselves when what they guard
 * would have expired in memory (a token's lifetime, a window), so Redis holds only what is live.
 */
export function redisSharedState(
  redis: Redis,
  prefix: string,
  kioskLimits: AttemptLimits = KIOSK_ATTEMPT_LIMITS,
): SharedState {
  const key = (...parts: string[]) => `${prefix}${parts.join(':')}`;
  /** A member unique to this use: two uses in the same millisecond are two. */
  const member = (now: number) => `${now}-${randomBytes(4).toString('hex')}`;
  const kioskRule = (k: AttemptKey) =>
    k.kind === 'device'
      ? { max: kioskLimits.devicePerWindow, windowMs: kioskLimits.deviceWindowMs }
      : { max: kioskLimits.consultationPerWindow, windowMs: kioskLimits.consultationWindowMs };
  const kioskKey = (k: AttemptKey) => key('kiosk-attempts', k.kind, k.id);

  return {
    usedTokens: {
      async markUsed(tokenId, expiresAt) {
        // A token past its expiry is refused by its signature check; keep the record a second longer.
        const ttl = Math.max(1_000, expiresAt - Date.now() + 1_000);
        return (await redis.set(key('used-token', tokenId), '1', 'PX', ttl, 'NX')) === 'OK';
      },
    },
    endedCalls: {
      async markEnded(consultationId, forgetAt) {
        await redis.set(key('ended-call', consultationId), '1', 'PX', Math.max(1, forgetAt - Date.now()));
      },
      async endedRecently(consultationId) {
        return (await redis.exists(key('ended-call', consultationId))) === 1;
      },
    },
    mediaRestarts: {
      async take(name, max, windowMs) {
        const now = Date.now();
        const counted = await redis.eval(
          TAKE_SCRIPT,
          1,
          key('media-restarts', name),
          now,
          windowMs,
          max,
          member(now),
        );
        return counted === 1;
      },
    },
    callStates: {
      async save(consultationId, snapshot, keepUntil) {
        const ttl = Math.max(1_000, keepUntil - Date.now());
        await redis.set(key('call-state', consultationId), JSON.stringify(snapshot), 'PX', ttl);
      },
      async load(consultationId) {
        const raw = await redis.get(key('call-state', consultationId));
        return raw === null ? null : (JSON.parse(raw) as LiveCallSnapshot);
      },
      async forget(consultationId) {
        await redis.del(key('call-state', consultationId));
      },
    },
    kioskAttempts: {
      async blockedUntil(k, now) {
        const { max, windowMs } = kioskRule(k);
        const recent = await redis.zrangebyscore(kioskKey(k), `(${now - windowMs}`, '+inf', 'WITHSCORES');
        const times = recent.filter((_v, i) => i % 2 === 1).map(Number);
        if (times.length < max) return null;
        return (times[times.length - max] ?? now) + windowMs;
      },
      async recordFailure(k, now) {
        const { windowMs } = kioskRule(k);
        await redis
          .multi()
          .zremrangebyscore(kioskKey(k), '-inf', now - windowMs)
          .zadd(kioskKey(k), now, member(now))
          .pexpire(kioskKey(k), windowMs)
          .exec();
      },
    },
    rateLimitStore(name) {
      return new RedisStore({
        prefix: key('rate-limit', name, ''),
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      });
    },
  };
}
