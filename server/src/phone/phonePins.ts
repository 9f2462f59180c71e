import { createHmac } from 'node:crypto';
import type { CallRole } from '@parley/shared';

/** The seats a phone can take: everyone with media. */
export const PHONE_ROLES = ['ATTORNEY', 'INTERPRETER', 'CLIENT'] as const satisfies readonly CallRole[];
export type PhoneRole = (typeof PHONE_ROLES)[number];

/** The seats of one open consultation, with who holds each (the PIN is bound to the holder). */
export interface PhoneSeats {
  id: string;
  attorneyId: string;
  interpreterId: string | null;
  clientId: string;
}

/** Who holds `role` in `consultation`, or null when the seat does not exist (no interpreter). */
export function seatHolder(consultation: PhoneSeats, role: PhoneRole): string | null {
  if (role === 'ATTORNEY') return consultation.attorneyId;
  if (role === 'INTERPRETER') return consultation.interpreterId;
  return consultation.clientId;
}

/**
 * A seat's 6-digit phone PIN: derived from the consultation, the seat and the person holding it
 * with a server secret (HMAC-SHA256), so no PIN is stored, each seat of each call has its own, one
 * seat's PIN says nothing about another's, and a PIN stops working for someone a reschedule took off
 * the call (the new holder's PIN differs). Only good while its call is open (decideCallSeat's rules).
 */
export function phonePin(secret: string, consultationId: string, role: PhoneRole, holderId: string): string {
  const digest = createHmac('sha256', secret)
    .update(`phone-pin\n${consultationId}\n${role}\n${holderId}`)
    .digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

/**
 * Which open consultation and seat `pin` opens, or null: none, or (one in a million per pair of
 * open seats) more than one — then nobody is let in on a guess, and the PIN is refused.
 */
export function findPhoneSeat(
  secret: string,
  open: readonly PhoneSeats[],
  pin: string,
): { consultationId: string; role: PhoneRole } | null {
  if (!/^\d{6}$/.test(pin)) return null;
  let found: { consultationId: string; role: PhoneRole } | null = null;
  for (const consultation of open)
    for (const role of PHONE_ROLES) {
      const holderId = seatHolder(consultation, role);
      if (holderId === null) continue;
      if (phonePin(secret, consultation.id, role, holderId) !== pin) continue;
      if (found) return null;
      found = { consultationId: consultation.id, role };
    }
  return found;
}

/** A caller's number as logs may show it: the last two digits only. It is never stored. */
export function maskNumber(number: string | undefined): string {
  const digits = (number ?? '').replace(/\D/g, '');
  if (digits.length === 0) return 'unknown';
  return `${'•'.repeat(Math.max(0, Math.min(digits.length, 12) - 2))}${digits.slice(-2)}`;
}
