import { describe, expect, it } from 'vitest';
import { linkState, missingProfileFields, profileForRole, type RoleProfile } from './roleProfile.ts';

const empty: RoleProfile = { barNumber: null, barState: null, languages: [], phone: null };

describe('missingProfileFields', () => {
  it('asks an attorney for the bar number and the bar state', () => {
    expect(missingProfileFields('ATTORNEY', empty)).toEqual(['barNumber', 'barState']);
    expect(missingProfileFields('ATTORNEY', { ...empty, barNumber: '  ', barState: 'LA' })).toEqual([
      'barNumber',
    ]);
    expect(missingProfileFields('ATTORNEY', { ...empty, barNumber: 'LA-1', barState: 'LA' })).toEqual([]);
  });

  it('asks an interpreter for a language', () => {
    expect(missingProfileFields('INTERPRETER', empty)).toEqual(['languages']);
    expect(missingProfileFields('INTERPRETER', { ...empty, languages: ['mam'] })).toEqual([]);
  });

  it('asks staff and administrators for nothing', () => {
    expect(missingProfileFields('STAFF', empty)).toEqual([]);
    expect(missingProfileFields('ADMIN', empty)).toEqual([]);
  });
});

describe('profileForRole', () => {
  const full: RoleProfile = { barNumber: 'LA-1', barState: 'LA', languages: ['es'], phone: '+15045550123' };

  it('keeps the bar card only for attorneys and languages only for interpreters', () => {
    expect(profileForRole('ATTORNEY', full)).toEqual({ ...full, languages: [] });
    expect(profileForRole('INTERPRETER', full)).toEqual({ ...full, barNumber: null, barState: null });
    expect(profileForRole('STAFF', full)).toEqual({ ...empty, phone: '+15045550123' });
  });
});

describe('linkState', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const later = new Date('2026-12-02T12:00:00Z');

  it('is usable until it expires, is used or is revoked', () => {
    expect(linkState({ expiresAt: later, usedAt: null }, now)).toBe('USABLE');
    expect(linkState({ expiresAt: now, usedAt: null }, now)).toBe('EXPIRED');
    expect(linkState({ expiresAt: later, usedAt: now }, now)).toBe('USED');
    expect(linkState({ expiresAt: later, usedAt: null, revokedAt: now }, now)).toBe('REVOKED');
  });
});
