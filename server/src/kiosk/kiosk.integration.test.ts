import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecretToken } from '../auth/tokens.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { verifyCallToken } from '../calls/callTokens.ts';
import { KIOSK_ATTEMPT_LIMITS } from './kioskAttempts.ts';

/** The demo consultations' client is María José Hernández López, A-Number 208114572. */
const A_NUMBER = '208114572';
const RIGHT = '572';

let t: TestServer;
let admin: string;
let staff: string;
let otherStaff: string;

beforeAll(async () => {
  t = await startTestServer();
  [admin, staff, otherStaff] = await Promise.all([
    t.login('admin@parley.demo'),
    t.login('staff@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
});
afterAll(async () => {
  await t?.close();
});

/** A fresh kiosk device at Adams (its own attempt counters), signed in. */
async function newAdamsKiosk(): Promise<string> {
  const credential = `kiosk-test-${randomBytes(8).toString('hex')}`;
  const facility = await t.database.prisma.facility.findFirstOrThrow({ where: { code: 'ADAMS' } });
  await t.database.prisma.kioskDevice.create({
    data: {
      organizationId: facility.organizationId,
      facilityId: facility.id,
      label: 'Test tablet',
      credentialHash: hashSecretToken(credential),
    },
  });
  return signIn(credential);
}

async function signIn(credential: string): Promise<string> {
  const res = await t.request('POST', '/api/kiosk/session', { body: { credential } });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

function join(token: string, body: unknown) {
  return t.request('POST', '/api/kiosk/join', { token, body });
}

async function consultationState(id: string) {
  const [row, events] = await Promise.all([
    t.database.prisma.consultation.findUniqueOrThrow({ where: { id }, select: { status: true } }),
    t.database.prisma.sessionEvent.count({ where: { consultationId: id } }),
  ]);
  return { ...row, events };
}

describe('who may join from a kiosk', () => {
  it('refuses a tap without the A-Number digits, and wrong digits, without saying the number', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 5, kioskPin: '300001' });
    const kiosk = await newAdamsKiosk();
    const before = await consultationState(id);

    const bare = await join(kiosk, { consultationId: id });
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('VALIDATION_FAILED');
    for (const digits of ['57', '5721', 'abc', 572]) {
      const bad = await join(kiosk, { consultationId: id, aNumberDigits: digits });
      expect(bad.body.error.code, String(digits)).toBe('VALIDATION_FAILED');
    }
    const wrong = await join(kiosk, { consultationId: id, aNumberDigits: '571' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('KIOSK_DIGITS_WRONG');
    expect(JSON.stringify(wrong.body)).not.toMatch(/208|114|572/);
    expect(wrong.body).not.toHaveProperty('token');
    expect(await consultationState(id)).toEqual(before);

    const right = await join(kiosk, { consultationId: id, aNumberDigits: RIGHT });
    expect(right.status).toBe(200);
    expect(right.body.participant).toMatchObject({ participantId: `client:${id}`, role: 'CLIENT' });
    expect(verifyCallToken(right.body.token, t.config.jwtSecret).consultationId).toBe(id);
    expect(right.body.seatToken).toEqual(expect.any(String));
    expect(JSON.stringify(right.body)).not.toContain(A_NUMBER);
  });

  it('checks the digits only after the facility: a tablet elsewhere learns nothing', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 5, kioskPin: '300002' });
    const lasalle = await signIn(demoKioskCredential('LASALLE'));
    for (const digits of ['000', RIGHT]) {
      const res = await join(lasalle, { consultationId: id, aNumberDigits: digits });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('NOT_IN_CONSULTATION');
    }
  });

  it('lets the same tablet return to the call with its seat token, and nobody else', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 5, kioskPin: '300003' });
    const otherId = await insertDemoConsultation(t.database.prisma, {
      startsInMinutes: 10,
      kioskPin: '300004',
    });
    const kiosk = await newAdamsKiosk();
    const first = await join(kiosk, { consultationId: id, aNumberDigits: RIGHT });
    const seatToken = first.body.seatToken as string;

    const again = await join(kiosk, { consultationId: id, seatToken });
    expect(again.status).toBe(200);
    expect(again.body.participant.participantId).toBe(`client:${id}`);

    const otherCall = await join(kiosk, { consultationId: otherId, seatToken });
    expect(otherCall.status).toBe(401);
    expect(otherCall.body.error.code).toBe('TOKEN_INVALID');
    const otherTablet = await join(await newAdamsKiosk(), { consultationId: id, seatToken });
    expect(otherTablet.body.error.code).toBe('TOKEN_INVALID');
    // A call ticket is not a seat token.
    const ticketAsSeat = await join(kiosk, { consultationId: id, seatToken: first.body.token });
    expect(ticketAsSeat.body.error.code).toBe('TOKEN_INVALID');
  });
});

describe('attempt limits', () => {
  it('locks a consultation’s digits after 5 wrong tries on any tablets; its 6-digit code still works', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 5, kioskPin: '300005' });
    const tablets = [await newAdamsKiosk(), await newAdamsKiosk()];
    for (let i = 0; i < KIOSK_ATTEMPT_LIMITS.consultationPerWindow; i++) {
      const res = await join(tablets[i % 2]!, { consultationId: id, aNumberDigits: String(100 + i) });
      expect(res.body.error.code).toBe('KIOSK_DIGITS_WRONG');
    }
    const locked = await join(tablets[0]!, { consultationId: id, aNumberDigits: RIGHT });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const fresh = await join(await newAdamsKiosk(), { consultationId: id, aNumberDigits: RIGHT });
    expect(fresh.body.error.code).toBe('RATE_LIMITED');

    const byPin = await join(tablets[1]!, { pin: '300005' });
    expect(byPin.status).toBe(200);
    expect(byPin.body.participant.participantId).toBe(`client:${id}`);
  });

  it('locks a tablet after 10 failures of any kind, even for the right code', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 5, kioskPin: '300006' });
    const kiosk = await newAdamsKiosk();
    for (let i = 0; i < KIOSK_ATTEMPT_LIMITS.devicePerWindow; i++) {
      const res = await join(kiosk, { pin: String(900000 + i) });
      expect(res.status).toBe(404);
    }
    const locked = await join(kiosk, { pin: '300006' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    const lockedTap = await join(kiosk, { consultationId: id, aNumberDigits: RIGHT });
    expect(lockedTap.body.error.code).toBe('RATE_LIMITED');
    // Another tablet is not affected, and the lock did not touch the call.
    expect((await join(await newAdamsKiosk(), { pin: '300006' })).status).toBe(200);
  });
});

describe('what the kiosk lists', () => {
  it('shows time only, initials when an ADMIN turns them on for the organisation', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 20, kioskPin: '300007' });
    const kiosk = await newAdamsKiosk();
    const listed = async () => {
      const res = await t.request('GET', '/api/kiosk/consultations', { token: kiosk });
      expect(res.status).toBe(200);
      return (
        res.body.items as { id: string; clientInitials: string | null; language: string | null }[]
      ).find((c) => c.id === id);
    };
    expect(await listed()).toMatchObject({ clientInitials: null, language: null });
    expect((await t.request('GET', '/api/kiosk/admin/settings', { token: staff })).body).toEqual({
      showInitials: false,
    });

    const byStaff = await t.request('PUT', '/api/kiosk/admin/settings', {
      token: staff,
      body: { showInitials: true },
    });
    expect(byStaff.status).toBe(403);
    expect(byStaff.body.error.code).toBe('FORBIDDEN_ROLE');
    const bad = await t.request('PUT', '/api/kiosk/admin/settings', {
      token: admin,
      body: { showInitials: 'yes' },
    });
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(
      (await t.request('PUT', '/api/kiosk/admin/settings', { body: { showInitials: true } })).status,
    ).toBe(401);
    expect(await listed()).toMatchObject({ clientInitials: null });

    const on = await t.request('PUT', '/api/kiosk/admin/settings', {
      token: admin,
      body: { showInitials: true },
    });
    expect(on.status).toBe(200);
    expect(await listed()).toMatchObject({ clientInitials: 'M. H.', language: 'es' });
    // Another organisation's setting is its own.
    expect((await t.request('GET', '/api/kiosk/admin/settings', { token: otherStaff })).body).toEqual({
      showInitials: false,
    });
    await t.request('PUT', '/api/kiosk/admin/settings', { token: admin, body: { showInitials: false } });
    expect(await listed()).toMatchObject({ clientInitials: null });
  });
});

describe('recorded prompts', () => {
  const ogg = Buffer.concat([Buffer.from('OggS'), randomBytes(600)]);
  const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), randomBytes(100)]);
  const upload = (token: string | undefined, path: string, mimeType: string, audio: Buffer) =>
    t.request('PUT', `/api/kiosk/admin/prompts/${path}`, {
      ...(token ? { token } : {}),
      body: { mimeType, audioBase64: audio.toString('base64') },
    });

  it('an ADMIN uploads one that the kiosks of the organisation then get instead of the generated one', async () => {
    const kiosk = await newAdamsKiosk();
    expect((await t.request('GET', '/api/kiosk/prompts?language=quc', { token: kiosk })).body).toEqual({
      language: 'quc',
      recorded: [],
    });

    const saved = await upload(admin, 'quc/chooseCall', 'audio/ogg', ogg);
    expect(saved.status).toBe(201);
    expect(saved.body).toEqual({
      language: 'quc',
      prompt: 'chooseCall',
      mimeType: 'audio/ogg',
      bytes: ogg.length,
    });

    expect(
      (await t.request('GET', '/api/kiosk/prompts?language=quc', { token: kiosk })).body.recorded,
    ).toEqual(['chooseCall']);
    const file = await fetch(`${t.url}/api/kiosk/prompts/quc/chooseCall`, {
      headers: { Authorization: `Bearer ${kiosk}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await file.arrayBuffer()).equals(ogg)).toBe(true);
    // Without a device token, no file.
    expect((await fetch(`${t.url}/api/kiosk/prompts/quc/chooseCall`)).status).toBe(401);

    // Another organisation neither sees nor changes it.
    expect(
      (await t.request('GET', '/api/kiosk/admin/prompts?language=quc', { token: otherStaff })).body.recorded,
    ).toEqual([]);

    expect(
      (await t.request('DELETE', '/api/kiosk/admin/prompts/quc/chooseCall', { token: staff })).status,
    ).toBe(403);
    expect(
      (await t.request('DELETE', '/api/kiosk/admin/prompts/quc/chooseCall', { token: admin })).status,
    ).toBe(204);
    expect(
      (await t.request('DELETE', '/api/kiosk/admin/prompts/quc/chooseCall', { token: admin })).status,
    ).toBe(404);
  });

  it('refuses the wrong role, file type, size, language or prompt, and stores nothing', async () => {
    const count = () => t.database.prisma.kioskPrompt.count();
    const before = await count();
    expect((await upload(staff, 'es/chooseCall', 'audio/ogg', ogg)).body.error.code).toBe('FORBIDDEN_ROLE');
    expect((await upload(undefined, 'es/chooseCall', 'audio/ogg', ogg)).status).toBe(401);

    const lying = await upload(admin, 'es/chooseCall', 'audio/ogg', wav);
    expect(lying.status).toBe(415);
    expect(lying.body.error.code).toBe('PROMPT_FILE_INVALID');
    const notAudio = await upload(admin, 'es/chooseCall', 'audio/mpeg', Buffer.from('<html>hello</html>'));
    expect(notAudio.body.error.code).toBe('PROMPT_FILE_INVALID');
    const video = await upload(admin, 'es/chooseCall', 'video/mp4', ogg);
    expect(video.body.error.code).toBe('VALIDATION_FAILED');
    const big = await upload(
      admin,
      'es/chooseCall',
      'audio/ogg',
      Buffer.concat([ogg, Buffer.alloc(64 * 1024)]),
    );
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('VALIDATION_FAILED');
    expect((await upload(admin, 'en/chooseCall', 'audio/ogg', ogg)).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await upload(admin, 'xx/chooseCall', 'audio/ogg', ogg)).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await upload(admin, 'es/somethingElse', 'audio/ogg', ogg)).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await count()).toBe(before);

    // The right file in another accepted type is fine.
    expect((await upload(admin, 'es/callEnded', 'audio/wav', wav)).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });
});
