import { randomBytes } from 'node:crypto';
import { hashSecretToken } from '../auth/tokens.ts';

/** A token for an invite or reset link: 256 random bits, base64url (43 characters); only its hash is kept. */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSecretToken(token) };
}

export function hashLinkToken(token: string): string {
  return hashSecretToken(token);
}

/** How long links work: a week for invites (people are busy), an hour for password resets. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const RESET_TTL_MS = 3600 * 1000;
