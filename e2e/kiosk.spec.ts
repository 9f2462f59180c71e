import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { CLIENT_LANGUAGES } from '@parley/shared';
import { launchParticipantBrowser, writeToneWav } from './callSupport.ts';
import { DEMO_A_NUMBER_DIGITS, typeOnKioskPad } from './kioskSupport.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './support.ts';

/**
 * The facility tablet as a detained person meets it, at 1280×800: proving the call is theirs,
 * right-to-left screens that keep numbers in order, every script drawn with real glyphs, a spoken
 * prompt on each screen, and a reload that returns to the call.
 *
 * Uses the LaSalle demo call (Wilner Joseph, Kreyòl, A-Number ending 981), which stays open; it
 * makes one wrong A-Number attempt, well inside the limit of 5 per call.
 */

const TABLET = { width: 1280, height: 800 };
let browser: Browser | null = null;

test.afterEach(async () => {
  await browser?.close();
  browser = null;
});

/** A kiosk tab, as facility tablets run Chromium: fake microphone, prompts allowed to play. */
async function kioskPage(baseURL: string): Promise<Page> {
  browser = await launchParticipantBrowser(writeToneWav(880));
  const context = await browser.newContext({ baseURL, viewport: TABLET });
  return context.newPage();
}

async function setUpLaSalle(page: Page): Promise<void> {
  await page.goto('/kiosk');
  await page.getByLabel('Device credential').fill('kiosk-demo-lasalle');
  await page.getByRole('button', { name: 'Set up tablet' }).click();
}

/** Waits until the screen's prompt in `language` has started playing. */
async function expectPromptStarted(page: Page, language: string, prompt: string): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          ([lang, id]) => {
            const audio = document.querySelector<HTMLAudioElement>(
              `audio[data-language="${lang}"][data-prompt="${id}"]`,
            );
            return audio ? audio.played.length > 0 || (!audio.paused && audio.currentTime > 0) : false;
          },
          [language, prompt] as const,
        ),
      { message: `prompt ${language}/${prompt} starts`, timeout: 15_000 },
    )
    .toBe(true);
  const src = await page
    .locator(`audio[data-language="${language}"][data-prompt="${prompt}"]`)
    .getAttribute('src');
  expect(src).toBe(`/prompts/${language}/${prompt}.ogg`);
}

test('a tap on a call joins only with the right A-Number digits; each screen speaks; a reload returns to the seat', async ({
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  const page = await kioskPage(baseURL!);
  await setUpLaSalle(page);
  await page
    .getByRole('list', { name: 'Languages' })
    .getByRole('button', { name: /Kreyòl ayisyen/ })
    .click();
  // Touching a language says its name (fetched for the touch), then the screen's prompt follows.
  await expect
    .poll(() =>
      page.evaluate(() =>
        performance.getEntriesByType('resource').some((e) => e.name.endsWith('/prompts/ht/languageName.ogg')),
      ),
    )
    .toBe(true);
  await expectPromptStarted(page, 'ht', 'chooseCall');

  // Wrong digits: told so (aloud too), and no call.
  await page.locator('.kiosk-call').first().click();
  await expectPromptStarted(page, 'ht', 'enterDigits');
  await typeOnKioskPad(page, '000');
  await page.locator('.kiosk-digits .pin-ok').click();
  await expect(page.getByRole('alert')).toHaveText(/Chif sa yo pa bon/);
  await expectPromptStarted(page, 'ht', 'digitsWrong');
  await expect(page.locator('.call')).toHaveCount(0);

  // The right ones: into the call's lobby, which speaks too.
  await typeOnKioskPad(page, DEMO_A_NUMBER_DIGITS.lasalle);
  await page.locator('.kiosk-digits .pin-ok').click();
  await expect(page.locator('.call-lobby')).toBeVisible();
  await expectPromptStarted(page, 'ht', 'waitingForLawyer');
  const seat = await page.evaluate(() => sessionStorage.getItem('parley.kiosk.seat'));
  expect(JSON.parse(seat!)).toMatchObject({ language: 'ht', seatToken: expect.any(String) });

  // A reload mid-call: back in the same call, in Kreyòl, without the list or the digits...
  const consultationId = (JSON.parse(seat!) as { consultationId: string }).consultationId;
  const before = await clientSeatEvents(request, consultationId);
  expect(before.at(-1)?.type).toMatch(/PARTICIPANT_(JOINED|RECONNECTED)/);
  await page.reload();
  await expect(page.locator('.call-lobby')).toBeVisible();
  await expect(page.locator('.call[lang="ht"]')).toBeVisible();
  await expect(page.locator('.kiosk-call, .kiosk-digits, .language-grid')).toHaveCount(0);
  await expectPromptStarted(page, 'ht', 'waitingForLawyer');
  // ...in the same seat: the session log has the client reconnecting, not leaving and joining anew.
  const lastSeq = before.at(-1)!.seq;
  await expect
    .poll(
      async () =>
        (await clientSeatEvents(request, consultationId)).filter((e) => e.seq > lastSeq).map((e) => e.type),
      {
        timeout: 15_000,
      },
    )
    .toEqual(['PARTICIPANT_RECONNECTED']);
});

/** The session log's events about the client's seat of a consultation, as staff read them. */
async function clientSeatEvents(
  request: APIRequestContext,
  consultationId: string,
): Promise<{ seq: number; type: string }[]> {
  const login = await request.post('/api/auth/login', {
    data: { email: DEMO_USERS.staff, password: DEMO_PASSWORD },
  });
  const headers = {
    Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`,
  };
  const cases = (await (await request.get('/api/cases?q=Joseph', { headers })).json()) as {
    items: { id: string }[];
  };
  for (const { id } of cases.items) {
    const { record } = (await (await request.get(`/api/cases/${id}`, { headers })).json()) as {
      record: {
        consultations: {
          id: string;
          timeline: { seq: number; type: string; payload: { participantId?: string } }[] | null;
        }[];
      };
    };
    const consultation = record.consultations.find((c) => c.id === consultationId);
    if (consultation) {
      return (consultation.timeline ?? [])
        .filter((e) => e.payload.participantId === `client:${consultationId}`)
        .map(({ seq, type }) => ({ seq, type }));
    }
  }
  throw new Error(`no case holds consultation ${consultationId}`);
}

test('right-to-left: the code reads 246810, initials read "W. J.", Back is mirrored and stays on an 800 px screen', async ({
  baseURL,
  request,
}, testInfo) => {
  // Initials are off unless the organisation turns them on: turn them on for this test.
  const login = await request.post('/api/auth/login', {
    data: { email: DEMO_USERS.admin, password: DEMO_PASSWORD },
  });
  const admin = ((await login.json()) as { accessToken: string }).accessToken;
  const setInitials = async (showInitials: boolean) => {
    const res = await request.put('/api/kiosk/admin/settings', {
      headers: { Authorization: `Bearer ${admin}` },
      data: { showInitials },
    });
    expect(res.status()).toBe(200);
  };
  await setInitials(true);
  try {
    const page = await kioskPage(baseURL!);
    await setUpLaSalle(page);
    await page.getByRole('button', { name: /Español/ }).click();
    await expect(page.locator('.kiosk-call').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('kiosk-es-1280x800.png') });
    await page.getByRole('button', { name: 'Atrás' }).click();

    await page.getByRole('button', { name: /العربية/ }).click();
    await expect(page.locator('.kiosk[dir="rtl"]')).toBeVisible();
    await expectPromptStarted(page, 'ar', 'chooseCall');

    // Initials: left to right inside the Arabic screen.
    const initials = page.locator('.kiosk-call-initials').first();
    await expect(initials).toHaveText('W. J.');
    expect(await lettersLeftToRight(initials)).toBe(true);

    await typeOnKioskPad(page, '246810');
    const slots = page.locator('.pin-display').first().locator('.pin-slot');
    await expect(slots).toHaveText(['2', '4', '6', '8', '1', '0']);
    const xs = await slots.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().left));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    await page.screenshot({ path: testInfo.outputPath('kiosk-ar-1280x800.png') });

    // The back arrow points right in a right-to-left screen.
    const back = page.getByRole('button', { name: 'رجوع' });
    const transform = await back.locator('svg').evaluate((el) => getComputedStyle(el).transform);
    expect(transform).toBe('matrix(-1, 0, 0, 1, 0, 0)');

    // A wrong code: the message shows and Back stays on the 800 px screen, without scrolling.
    await page.locator('.pin-ok').click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectPromptStarted(page, 'ar', 'pinWrong');
    await page.screenshot({ path: testInfo.outputPath('kiosk-ar-wrong-code-1280x800.png') });
    const box = await back.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(TABLET.height);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
      TABLET.height,
    );
  } finally {
    await setInitials(false);
  }
});

test('every language’s name is drawn with real glyphs, not empty boxes', async ({ page }, testInfo) => {
  await page.setViewportSize(TABLET);
  await setUpLaSalle(page);
  const names = page.getByRole('list', { name: 'Languages' }).locator('.native');
  await expect(names).toHaveCount(CLIENT_LANGUAGES.length);
  // Each letter of each name alone in a cell, drawn by the page exactly as the grid draws it (same
  // font, same lang), next to a cell with U+E000, which no font has: a letter whose cell looks the
  // same as that .notdef box is an empty box.
  const letters = await names.evaluateAll(async (elements) => {
    await document.fonts.ready;
    const probe = document.createElement('div');
    probe.id = 'glyph-probe';
    document.body.append(probe);
    const cell = (text: string, like: Element) => {
      const span = document.createElement('span');
      span.textContent = text;
      span.lang = like.closest('[lang]')?.getAttribute('lang') ?? '';
      span.style.cssText =
        `font: ${getComputedStyle(like).font}; display: inline-block; width: 72px; height: 72px; ` +
        'line-height: 72px; text-align: center; overflow: hidden; color: #000; background: #fff;';
      probe.append(span);
    };
    const out: { name: string; letters: string[] }[] = [];
    for (const el of elements) {
      const name = el.textContent ?? '';
      const letters = [...name].filter((ch) => /\p{L}/u.test(ch) && !/\p{M}/u.test(ch));
      cell('\uE000', el);
      for (const ch of letters) cell(ch, el);
      out.push({ name, letters });
    }
    await document.fonts.ready;
    return out;
  });
  await page.screenshot({ path: testInfo.outputPath('kiosk-languages-1280x800.png') });
  const cells = page.locator('#glyph-probe > span');
  const withBoxes: string[] = [];
  let i = 0;
  for (const { name, letters: chars } of letters) {
    const box = await cells.nth(i++).screenshot();
    const empty: string[] = [];
    for (const ch of chars) if ((await cells.nth(i++).screenshot()).equals(box)) empty.push(ch);
    if (empty.length > 0) withBoxes.push(`${name}: ${empty.join(' ')}`);
  }
  expect(letters).toHaveLength(20);
  expect(withBoxes, 'names drawn with empty boxes').toEqual([]);

  // And the grid itself draws the scripts a plain machine lacks with the fonts Parley ships (a
  // family list that lets Chromium stop at a system font draws boxes although the font is loaded).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const drawnWith: Record<string, string[]> = {};
  for (const code of ['hi', 'pa', 'bn', 'ne', 'ti', 'am', 'zh']) {
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: `.language-button[lang="${code}"] .native`,
    });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    drawnWith[code] = fonts.map((f) => (f.isCustomFont ? 'shipped' : f.familyName));
  }
  expect(drawnWith).toEqual({
    hi: ['shipped'],
    pa: ['shipped'],
    bn: ['shipped'],
    ne: ['shipped'],
    ti: ['shipped'],
    am: ['shipped'],
    zh: ['shipped'],
  });
});

/** True when the element's first letter is drawn left of its last one (its text runs left to right). */
async function lettersLeftToRight(locator: ReturnType<Page['locator']>): Promise<boolean> {
  return locator.evaluate((el) => {
    const text = el.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return false;
    const length = text.textContent?.length ?? 0;
    const rectOf = (i: number) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect();
    };
    return rectOf(0).left < rectOf(length - 1).left;
  });
}
