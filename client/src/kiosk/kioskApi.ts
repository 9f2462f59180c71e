import type {
  ErrorBody,
  KioskConsultation,
  KioskJoinRequest,
  KioskJoinResponse,
  KioskSession,
  LanguageCode,
} from '@parley/shared';
import { ApiError } from '../api/http.ts';

const DEVICE_KEY = 'parley.kiosk.device';

/** The device's session survives reloads: a kiosk is set up once by staff, not per visit. */
export function storedKioskSession(): KioskSession | null {
  try {
    const raw = localStorage.getItem(DEVICE_KEY);
    return raw ? (JSON.parse(raw) as KioskSession) : null;
  } catch {
    return null;
  }
}

export function forgetKioskSession(): void {
  localStorage.removeItem(DEVICE_KEY);
}

async function send<T>(path: string, init: { method?: string; body?: unknown; token?: string }): Promise<T> {
  const response = await fetch(`/api/kiosk${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new ApiError(
      body?.error.code ?? 'INTERNAL',
      body?.error.message ?? 'Parley cannot be reached',
      response.status,
    );
  }
  return (await response.json()) as T;
}

export async function signInDevice(credential: string): Promise<KioskSession> {
  const session = await send<KioskSession>('/session', { method: 'POST', body: { credential } });
  localStorage.setItem(DEVICE_KEY, JSON.stringify(session));
  return session;
}

export function listTodaysCalls(session: KioskSession): Promise<{ items: KioskConsultation[] }> {
  return send('/consultations', { token: session.token });
}

export function joinFromKiosk(session: KioskSession, request: KioskJoinRequest): Promise<KioskJoinResponse> {
  return send('/join', { method: 'POST', body: request, token: session.token });
}

const SEAT_KEY = 'parley.kiosk.seat';

/**
 * The call this tab is in, kept for the visit (sessionStorage: gone when the tab closes) so that a
 * reload returns to the same seat while the server still holds it, without asking for the digits.
 */
export interface KioskSeat {
  consultationId: string;
  seatToken: string;
  language: LanguageCode;
}

export function storedSeat(): KioskSeat | null {
  try {
    const raw = sessionStorage.getItem(SEAT_KEY);
    const seat = raw ? (JSON.parse(raw) as Partial<KioskSeat>) : null;
    return seat?.consultationId && seat.seatToken && seat.language ? (seat as KioskSeat) : null;
  } catch {
    return null;
  }
}

export function storeSeat(seat: KioskSeat | null): void {
  if (seat) sessionStorage.setItem(SEAT_KEY, JSON.stringify(seat));
  else sessionStorage.removeItem(SEAT_KEY);
}
