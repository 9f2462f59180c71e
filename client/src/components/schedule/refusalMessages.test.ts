import { beforeAll, describe, expect, it } from 'vitest';
import { i18n, startI18n } from '../../i18n/i18n.ts';
import en from '../../i18n/locales/en/errors.json';
import es from '../../i18n/locales/es/errors.json';
import { refusalText } from './refusalMessages.ts';

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadLanguages(['en', 'es']);
  await i18n.loadNamespaces(['errors']);
});

describe('booking refusals', () => {
  it("say each rule's message from the errors catalog, in the staff language", () => {
    const tEn = i18n.getFixedT('en', 'errors');
    const tEs = i18n.getFixedT('es', 'errors');
    expect(refusalText(tEn, 'BOOTH_UNAVAILABLE', 'server text')).toBe(en.BOOTH_UNAVAILABLE);
    expect(refusalText(tEs, 'BOOTH_UNAVAILABLE', 'server text')).toBe(es.BOOTH_UNAVAILABLE);
    expect(refusalText(tEs, 'CLIENT_ALREADY_AT_FACILITY', 'x')).toBe(es.CLIENT_ALREADY_AT_FACILITY);
  });

  it('prefer the booking variant of a general code', () => {
    const tEn = i18n.getFixedT('en', 'errors');
    expect(refusalText(tEn, 'NOT_FOUND', 'x')).toBe(en.NOT_FOUND_booking);
    expect(refusalText(tEn, 'VALIDATION_FAILED', 'x')).toBe(en.VALIDATION_FAILED_booking);
  });

  it("fall back to the server's message for a code Parley does not know", () => {
    const tEn = i18n.getFixedT('en', 'errors');
    expect(refusalText(tEn, 'SOMETHING_NEW', 'The server says so')).toBe('The server says so');
  });
});
