import { describe, expect, it } from 'vitest';
import { InProcessSessionStateCache, type SessionState } from './SessionStateCache.ts';
import { accessTokenRefusal, callTicketRefusal } from './sessionChecks.ts';

const REVOKED_AT = new Date('2026-12-01T12:00:00.500Z');
const current: SessionState = { active: true, version: 3, revokedAt: REVOKED_AT };

describe('accessTokenRefusal', () => {
  it('accepts a token of the current version of an active user', () => {
    expect(accessTokenRefusal(current, 3)).toBeNull();
  });
  it('refuses older and newer versions, deactivated users and users that are gone', () => {
    expect(accessTokenRefusal(current, 2)).toBe('REVOKED');
    expect(accessTokenRefusal(current, 4)).toBe('REVOKED');
    expect(accessTokenRefusal({ ...current, active: false }, 3)).toBe('DEACTIVATED');
    expect(accessTokenRefusal(null, 0)).toBe('NO_SUCH_USER');
  });
});

describe('callTicketRefusal', () => {
  it('accepts tickets issued after the last revocation, and any ticket of a never-revoked user', () => {
    expect(callTicketRefusal(current, REVOKED_AT.getTime() + 1000)).toBeNull();
    expect(callTicketRefusal({ ...current, revokedAt: null }, 0)).toBeNull();
  });
  it('refuses tickets issued before or in the same second as the revocation', () => {
    expect(callTicketRefusal(current, REVOKED_AT.getTime() - 60_000)).toBe('REVOKED');
    expect(callTicketRefusal(current, Math.floor(REVOKED_AT.getTime() / 1000) * 1000)).toBe('REVOKED');
    expect(callTicketRefusal({ ...current, active: false }, REVOKED_AT.getTime() + 5000)).toBe('DEACTIVATED');
    expect(callTicketRefusal(null, 0)).toBe('NO_SUCH_USER');
  });
});

describe('InProcessSessionStateCache', () => {
  const state = (version: number): SessionState => ({ active: true, version, revokedAt: null });

  it('reads once, then answers from memory until invalidated', async () => {
    const cache = new InProcessSessionStateCache();
    let reads = 0;
    const read = () => Promise.resolve(state(++reads));
    expect(await cache.get('u', read)).toEqual(state(1));
    expect(await cache.get('u', read)).toEqual(state(1));
    cache.invalidate('u');
    expect(await cache.get('u', read)).toEqual(state(2));
  });

  it('does not store a read that an invalidation overtook (it may be stale)', async () => {
    const cache = new InProcessSessionStateCache();
    let release!: () => void;
    const slow = cache.get('u', () => new Promise((resolve) => (release = () => resolve(state(1)))));
    cache.invalidate('u'); // the revocation commits while the read is in flight
    release();
    expect(await slow).toEqual(state(1));
    expect(await cache.get('u', () => Promise.resolve(state(2)))).toEqual(state(2));
  });

  it('forgets entries after the time limit and keeps at most maxEntries', async () => {
    let now = 0;
    const cache = new InProcessSessionStateCache({ ttlMs: 1000, maxEntries: 2, now: () => now });
    await cache.get('a', () => Promise.resolve(state(1)));
    now = 1000;
    expect(await cache.get('a', () => Promise.resolve(state(2)))).toEqual(state(2));
    await cache.get('b', () => Promise.resolve(state(1)));
    await cache.get('c', () => Promise.resolve(state(1)));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => Promise.resolve(state(9)))).toEqual(state(9));
  });
});
