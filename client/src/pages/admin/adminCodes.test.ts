import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUDIT_ACTIONS } from '@parley/shared';
import enAdmin from '../../i18n/locales/en/admin.json';
import esAdmin from '../../i18n/locales/es/admin.json';
import { i18n, startI18n } from '../../i18n/i18n.ts';
import {
  AUDIT_ACTIONS,
  auditActionText,
  CASE_ACCESS_ACTIONS,
  deliveryStatusText,
  WEBHOOK_DELIVERY_STATUSES,
} from './adminCodes.ts';

const CATALOGS = { en: enAdmin, es: esAdmin } as const;

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadLanguages(['en', 'es']);
  await i18n.loadNamespaces('admin');
});

describe('audit actions and delivery statuses in words', () => {
  it('lists every audit action the server writes: case-record reads and every admin action', () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual([...CASE_ACCESS_ACTIONS, ...ADMIN_AUDIT_ACTIONS].sort());
    expect(WEBHOOK_DELIVERY_STATUSES.sort()).toEqual(['DELIVERED', 'FAILED', 'PENDING']);
  });

  it.each(Object.keys(CATALOGS) as (keyof typeof CATALOGS)[])(
    'has a text for every code in %s, each its own, and none for a code that does not exist',
    (language) => {
      const { actions } = CATALOGS[language].audit as { actions: Record<string, string> };
      const { statuses } = CATALOGS[language].connection as { statuses: Record<string, string> };
      for (const [codes, texts] of [
        [AUDIT_ACTIONS, actions],
        [WEBHOOK_DELIVERY_STATUSES, statuses],
      ] as const) {
        expect(Object.keys(texts).sort(), language).toEqual([...codes].sort());
        for (const code of codes) {
          const text = texts[code];
          expect(text?.trim(), `${language} ${code}`).toBeTruthy();
          expect(text, `${language} ${code}`).not.toBe(code);
        }
        // Two actions read the same would make the log say one thing happened when another did.
        expect(new Set(Object.values(texts)).size, language).toBe(codes.length);
      }
    },
  );

  it("shows the words in the reader's language, and a code this client does not know as it is", () => {
    const en = i18n.getFixedT('en', 'admin');
    const es = i18n.getFixedT('es', 'admin');
    expect(auditActionText(en, 'USER_UNLOCKED')).toBe('Unlocked sign-in');
    expect(auditActionText(es, 'USER_UNLOCKED')).toBe('Desbloqueó el inicio de sesión');
    expect(auditActionText(en, 'CASE_RECORD')).toBe('Read a case record');
    expect(auditActionText(es, 'SOMETHING_NEWER')).toBe('SOMETHING_NEWER');
    expect(deliveryStatusText(en, 'FAILED')).toBe('Failed');
    expect(deliveryStatusText(es, 'DELIVERED')).toBe('Entregado');
    expect(deliveryStatusText(es, 'BOUNCED')).toBe('BOUNCED');
    // Not an object's own key: no prototype property is taken for a status.
    expect(deliveryStatusText(en, 'toString')).toBe('toString');
  });
});
