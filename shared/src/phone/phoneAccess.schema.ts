import { z } from 'zod';

/** The seats a phone can take: a person of the call joins by phone in their own seat. */
export const PHONE_ROLES = ['ATTORNEY', 'INTERPRETER', 'CLIENT'] as const;
export const PhoneRoleSchema = z.enum(PHONE_ROLES);
export type PhoneRole = z.infer<typeof PhoneRoleSchema>;

/**
 * A phone number Parley can dial: E.164 once spaces, dots, dashes and brackets are taken out (`+`,
 * the country code, 7 to 15 digits). The server reads it the same way (server/src/phone/dialOut.ts).
 */
export function compactE164(input: string): string | null {
  if (input.length > 40) return null;
  const compact = input.replace(/[\s.\-()]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}

/** What `GET /api/calls/:id/phone` answers: how to join by phone, and the PINs this person may see. */
export interface PhoneAccess {
  /** False when this Parley has no SIP settings: nobody can join by phone. */
  enabled: boolean;
  /**
   * Where a phone calls: the number the trunk routes to Parley (`SIP_DIAL_IN_NUMBER`, null when not
   * set) and Parley's SIP address (for a softphone or PBX). Null when phone is off.
   */
  dialIn: { number: string | null; sipUri: string } | null;
  pins: { role: PhoneRole; pin: string }[];
}

/** `POST /api/calls/:id/phone/dial-out`: whose seat, and the number Parley should call. */
export const DialOutRequestSchema = z
  .object({ role: PhoneRoleSchema, number: z.string().min(1).max(40) })
  .strict();
export type DialOutRequest = z.infer<typeof DialOutRequestSchema>;

/** 202: Parley is calling now, or will when the call opens (`at`, ISO time). */
export type DialOutAccepted =
  { status: 'DIALLING'; dialOutId: string } | { status: 'SCHEDULED'; dialOutId: string; at: string };
