import type { TestServer } from '../../testing/testServer.ts';

/** A call ticket from the REST API for a signed-in user (access token), as the call page gets it. */
export async function userCallTicket(
  t: TestServer,
  accessToken: string,
  consultationId: string,
): Promise<string> {
  const res = await t.request('POST', `/api/calls/${consultationId}/ticket`, { token: accessToken });
  if (res.status !== 200) throw new Error(`call ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/**
 * A call ticket for the client from a kiosk session, as the kiosk gets it: a tap on the call and
 * the last three digits of the client's A-Number.
 */
export async function kioskCallTicket(
  t: TestServer,
  kioskToken: string,
  consultationId: string,
): Promise<string> {
  const { client } = await t.database.prisma.consultation.findUniqueOrThrow({
    where: { id: consultationId },
    select: { client: { select: { aNumber: true } } },
  });
  const res = await t.request('POST', '/api/kiosk/join', {
    token: kioskToken,
    body: { consultationId, aNumberDigits: client.aNumber.slice(-3) },
  });
  if (res.status !== 200) throw new Error(`kiosk ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}
