/** The few REST calls a participant makes before joining, as a browser or the kiosk makes them. */
import { DEMO_CLIENTS, DEMO_PASSWORD, demoKioskCredential } from '../../server/src/db/demoData.ts';

export async function post<T>(baseUrl: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** A demo user's access token (the user is signed in before the benchmark's clock starts). */
export async function signIn(baseUrl: string, email: string): Promise<string> {
  const body = await post<{ accessToken: string }>(baseUrl, '/api/auth/login', undefined, {
    email,
    password: DEMO_PASSWORD,
  });
  return body.accessToken;
}

/** A signed-in user's call ticket: `POST /api/calls/:id/ticket`, the first request of a join. */
export async function userTicket(
  baseUrl: string,
  accessToken: string,
  consultationId: string,
): Promise<string> {
  return (await post<{ token: string }>(baseUrl, `/api/calls/${consultationId}/ticket`, accessToken)).token;
}

/**
 * The Adams kiosk's ticket for the client of `consultationId` (a demo consultation of María José
 * Hernández López): a tap on the call and the last three digits of her A-Number.
 */
export async function kioskTicket(baseUrl: string, consultationId: string): Promise<string> {
  const session = await post<{ token: string }>(baseUrl, '/api/kiosk/session', undefined, {
    credential: demoKioskCredential('ADAMS'),
  });
  const ticket = await post<{ token: string }>(baseUrl, '/api/kiosk/join', session.token, {
    consultationId,
    aNumberDigits: DEMO_CLIENTS[0].aNumber.slice(-3),
  });
  return ticket.token;
}
