import { z } from 'zod';

/** The parts a person plays in a call. Facility STAFF see presence and may end it; they get no media. */
export const CALL_ROLES = ['ATTORNEY', 'INTERPRETER', 'CLIENT', 'STAFF'] as const;
export const CallRoleSchema = z.enum(CALL_ROLES);
export type CallRole = z.infer<typeof CallRoleSchema>;

/** A STUN/TURN server handed to the browser's RTCPeerConnection. */
export interface IceServerConfig {
  urls: string[];
  username?: string;
  credential?: string;
}

/** What a participant needs to join: a short-lived, consultation-scoped token and the call's facts. */
export interface CallTicket {
  token: string;
  /** Seconds the token stays valid for joining. */
  expiresIn: number;
  consultation: {
    id: string;
    startsAt: string;
    endsAt: string;
    language: string;
    mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
    facilityName: string;
    facilityTimeZone: string;
    maxCallMinutes: number;
  };
  participant: { participantId: string; role: CallRole; displayName: string };
  iceServers: IceServerConfig[];
}

export const KioskSignInRequestSchema = z.object({
  credential: z.string().trim().min(8).max(200),
});
export type KioskSignInRequest = z.infer<typeof KioskSignInRequestSchema>;

export interface KioskSession {
  token: string;
  expiresIn: number;
  device: { id: string; label: string };
  facility: { id: string; name: string; timeZone: string };
}
