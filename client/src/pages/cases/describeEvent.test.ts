import { beforeAll, describe, expect, it } from 'vitest';
import { i18n, startI18n } from '../../i18n/i18n.ts';
import type { StaffT } from './describeEvent.ts';
import type { LoggedSessionEvent } from '@parley/shared';
import { describeEvent, formatDuration } from './describeEvent.ts';

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadNamespaces(['staff']);
});
/** The English staff texts, as the screens get them. */
const t: StaffT = (key, options) =>
  i18n.getFixedT('en', 'staff')(key as never, options as never) as unknown as string;

const USER = '8b2d1e4f-0a9c-4b7d-8e6f-5a4b3c2d1e0f';
const base = { seq: 1, occurredAt: '2026-03-10T15:00:00.000Z', actorUserId: null, actorRole: null };

describe('describeEvent', () => {
  it('names participants when it knows them and their role when it does not', () => {
    const joined = {
      ...base,
      type: 'PARTICIPANT_JOINED',
      payload: { participantId: USER, role: 'INTERPRETER', device: 'PHONE' },
    } as const satisfies LoggedSessionEvent;
    expect(describeEvent(joined, { [USER]: 'Lucía Ramírez' }, t)).toBe(
      'Lucía Ramírez (interpreter) joined by phone',
    );
    expect(describeEvent(joined, {}, t)).toBe('The interpreter joined by phone');
  });

  it('spells out routing and reconnections', () => {
    expect(
      describeEvent(
        {
          ...base,
          type: 'ROUTING_CHANGED',
          payload: { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'ht' } },
        },
        {},
        t,
      ),
    ).toBe('Simultaneous interpretation, English → Haitian Creole');
    expect(
      describeEvent(
        {
          ...base,
          type: 'PARTICIPANT_RECONNECTED',
          payload: { participantId: USER, role: 'CLIENT', offlineMs: 95_000 },
        },
        {},
        t,
      ),
    ).toBe('The client reconnected after 1 min 35 s');
    const reconnected = (reason: 'REJOINED' | 'MEDIA_RESTARTED' | 'REPLACED', offlineMs: number) =>
      describeEvent(
        {
          ...base,
          type: 'PARTICIPANT_RECONNECTED',
          payload: { participantId: USER, role: 'ATTORNEY', offlineMs, reason },
        },
        { [USER]: 'Grace Okafor' },
        t,
      );
    expect(reconnected('REJOINED', 12_000)).toBe('Grace Okafor (attorney) reconnected after 12 s');
    expect(reconnected('MEDIA_RESTARTED', 8_000)).toBe(
      "Grace Okafor (attorney)'s audio and video reconnected after 8 s",
    );
    expect(reconnected('REPLACED', 0)).toBe(
      'Grace Okafor (attorney) continued the call in another window or device',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [45, '45 s'],
    [600, '10 min'],
    [3900, '1 h 05 min'],
  ])('%i s is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('describeEvent in Spanish', () => {
  it('tells the same events in the Spanish staff catalog', async () => {
    await i18n.loadLanguages(['es']);
    const es: StaffT = (key, options) =>
      i18n.getFixedT('es', 'staff')(key as never, options as never) as unknown as string;
    const left = {
      ...base,
      type: 'PARTICIPANT_LEFT',
      payload: { participantId: USER, role: 'INTERPRETER', reason: 'CONNECTION_LOST' },
    } as const satisfies LoggedSessionEvent;
    expect(describeEvent(left, { [USER]: 'Lucía Ramírez' }, es)).toBe(
      'Lucía Ramírez (intérprete) perdió la conexión',
    );
    const cancelled = {
      ...base,
      type: 'CONSULTATION_CANCELLED',
      payload: { startsAt: base.occurredAt, previousStatus: 'SCHEDULED', reasonCode: 'CLIENT_TRANSFERRED' },
    } as const satisfies LoggedSessionEvent;
    expect(describeEvent(cancelled, {}, es)).toBe('Cancelada (persona trasladada)');
    expect(describeEvent(cancelled, {}, t)).toBe('Cancelled (client transferred)');
  });

  it('names an event type added to the log since, instead of failing', () => {
    const future = { ...base, type: 'SOMETHING_NEW', payload: {} } as unknown as LoggedSessionEvent;
    expect(describeEvent(future, {}, t)).toBe('Something new');
  });
});

describe('describeEvent for a phone dial-out', () => {
  it('says who was called at which ending, and why it failed, in both languages', async () => {
    await i18n.loadLanguages(['es']);
    const es: StaffT = (key, options) =>
      i18n.getFixedT('es', 'staff')(key as never, options as never) as unknown as string;
    const failed = {
      ...base,
      type: 'PHONE_DIAL_OUT',
      payload: {
        participantId: USER,
        role: 'INTERPRETER',
        outcome: 'FAILED',
        failure: 'NO_ANSWER',
        numberEnding: 7,
      },
    } as unknown as LoggedSessionEvent;
    expect(describeEvent(failed, { [USER]: 'Lucía Ramírez' }, t)).toBe(
      "Parley's call to Lucía Ramírez (interpreter) at a phone number ending 07 failed (no answer)",
    );
    expect(describeEvent(failed, { [USER]: 'Lucía Ramírez' }, es)).toBe(
      'La llamada de Parley a Lucía Ramírez (intérprete) a un teléfono terminado en 07 falló (sin respuesta)',
    );
  });
  it("spells out the interpreters' events without anything that was said", () => {
    const OTHER = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    const names = { [USER]: 'Lucía Ramírez', [OTHER]: 'Ixchel Tum' };
    const line = (event: LoggedSessionEvent) => describeEvent(event, names, t);
    expect(
      line({
        ...base,
        type: 'INTERPRETER_HANDOVER',
        payload: { fromParticipantId: USER, toParticipantId: OTHER, how: 'ACCEPTED' },
      }),
    ).toBe('Ixchel Tum (interpreter) took over from Lucía Ramírez (interpreter) (handover accepted)');
    expect(line({ ...base, type: 'BACK_CHANNEL_USED', payload: { participantId: USER } })).toBe(
      "Lucía Ramírez (interpreter) used the interpreters' private back-channel",
    );
    expect(
      line({
        ...base,
        type: 'PAUSE_ACKNOWLEDGED',
        payload: { requestId: OTHER, participantId: 'client-1', role: 'CLIENT', afterMs: 2_000 },
      }),
    ).toBe('The client acknowledged the request to pause after 2 s');
    expect(
      line({
        ...base,
        type: 'FURTHER_INTERPRETER_ADDED',
        payload: { interpreterId: OTHER, kind: 'RELAY', languageA: 'es', languageB: 'mam' },
      }),
    ).toBe('Ixchel Tum (interpreter) added as relay interpreter (Spanish ↔ Mam)');
    expect(
      line({
        ...base,
        type: 'FURTHER_INTERPRETER_REMOVED',
        payload: { interpreterId: OTHER, kind: 'PARTNER' },
      }),
    ).toBe('Ixchel Tum (interpreter) removed as booth partner');
  });
});
