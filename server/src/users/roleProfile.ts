import type { Role } from '@parley/shared';

/** The role-specific part of a person: attorneys' bar card, interpreters' languages and phone. */
export interface RoleProfile {
  barNumber: string | null;
  barState: string | null;
  languages: string[];
  phone: string | null;
}

/**
 * What `role` still lacks: an attorney needs a bar number and state (ICE asks for the bar card at
 * attorney visits), an interpreter at least one language. Empty: complete.
 */
export function missingProfileFields(role: Role, profile: RoleProfile): string[] {
  const missing: string[] = [];
  if (role === 'ATTORNEY') {
    if (!profile.barNumber?.trim()) missing.push('barNumber');
    if (!profile.barState) missing.push('barState');
  }
  if (role === 'INTERPRETER' && profile.languages.length === 0) missing.push('languages');
  return missing;
}

/**
 * The profile a person of `role` keeps: a bar card only for attorneys, languages only for
 * interpreters (a promoted interpreter does not stay listed as one). The phone stays: anyone may be
 * dialled out to.
 */
export function profileForRole(role: Role, profile: RoleProfile): RoleProfile {
  return {
    barNumber: role === 'ATTORNEY' ? profile.barNumber : null,
    barState: role === 'ATTORNEY' ? profile.barState : null,
    languages: role === 'INTERPRETER' ? profile.languages : [],
    phone: profile.phone,
  };
}

/** An invite's or a reset link's state at `now`. */
export function linkState(
  link: { expiresAt: Date; usedAt: Date | null; revokedAt?: Date | null },
  now: Date,
): 'USABLE' | 'USED' | 'REVOKED' | 'EXPIRED' {
  if (link.usedAt) return 'USED';
  if (link.revokedAt) return 'REVOKED';
  if (link.expiresAt <= now) return 'EXPIRED';
  return 'USABLE';
}
