import { beforeAll, describe, expect, it } from 'vitest';
import { i18n, startI18n } from '../../i18n/i18n.ts';
import type { StaffT } from './describeEvent.ts';
import { noCallText } from './noCallText.ts';

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadNamespaces(['staff']);
});
/** The English staff texts, as the screens get them. */
const t: StaffT = (key, options) =>
  i18n.getFixedT('en', 'staff')(key as never, options as never) as unknown as string;

const slot = { startsAt: '2026-03-10T15:00:00.000Z', endsAt: '2026-03-10T16:00:00.000Z' };
const when = (iso: string) => `<${iso}>`;

describe('noCallText', () => {
  it('says when a future consultation is scheduled, not that it did not take place', () => {
    expect(noCallText({ ...slot, status: 'SCHEDULED' }, new Date('2026-03-09T12:00:00Z'), when, t)).toBe(
      'Scheduled for <2026-03-10T15:00:00.000Z>. The call has not started yet.',
    );
  });

  it('says the call is open while its slot lasts and nobody has joined', () => {
    expect(noCallText({ ...slot, status: 'SCHEDULED' }, new Date('2026-03-10T15:10:00Z'), when, t)).toBe(
      'The call is open now; nobody has joined yet.',
    );
    expect(noCallText({ ...slot, status: 'IN_PROGRESS' }, new Date('2026-03-10T15:10:00Z'), when, t)).toBe(
      'The call is open now; nobody has joined yet.',
    );
  });

  it('says why a past one has no call', () => {
    const after = new Date('2026-03-11T00:00:00Z');
    expect(noCallText({ ...slot, status: 'SCHEDULED' }, after, when, t)).toBe('Nobody joined the call.');
    expect(noCallText({ ...slot, status: 'NO_SHOW' }, after, when, t)).toBe(
      'No-show: nobody joined the call.',
    );
    expect(noCallText({ ...slot, status: 'CANCELLED' }, after, when, t)).toBe(
      'Cancelled: the call did not take place.',
    );
    expect(noCallText({ ...slot, status: 'COMPLETED' }, after, when, t)).toBe('The call did not take place.');
  });
});
