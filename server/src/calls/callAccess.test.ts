import { describe, expect, it } from 'vitest';
import { AppError } from '../http/AppError.ts';
import { decideCallSeat, initials, type CallRequester } from './callAccess.ts';
import type { CallConsultation } from './CallAccessRepository.ts';

const ORG = '00000000-0000-4000-8000-000000000001';
const start = new Date('2026-12-01T15:00:00Z');
const consultation: CallConsultation = {
  id: '00000000-0000-4000-8000-0000000000c1',
  organizationId: ORG,
  facilityId: 'fac-1',
  attorneyId: 'att-1',
  clientId: 'client-1',
  interpreterId: 'int-1',
  status: 'SCHEDULED',
  startsAt: start,
  endsAt: new Date(start.getTime() + 60 * 60_000),
  language: 'es',
  mode: 'CONSECUTIVE',
  client: { firstName: 'María', lastName: 'López' },
  attorney: { name: 'Grace' },
  interpreter: { name: 'Lucía' },
  furtherInterpreters: [{ interpreterId: 'int-9', languageA: 'es', languageB: 'mam' }],
  facility: { name: 'Adams', timeZone: 'America/Chicago', maxCallMinutes: 60 },
};
const user = (userId: string, role: 'ADMIN' | 'STAFF' | 'ATTORNEY' | 'INTERPRETER', organizationId = ORG) =>
  ({ kind: 'user', userId, role, organizationId, name: userId }) as const;
const kiosk = (facilityId: string): CallRequester => ({
  kind: 'kiosk',
  deviceId: 'dev',
  facilityId,
  organizationId: ORG,
});
const at = (minutesFromStart: number) => new Date(start.getTime() + minutesFromStart * 60_000);

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'ALLOWED';
}

describe('decideCallSeat', () => {
  it('seats the consultation’s attorney, interpreter, client kiosk and staff in their roles', () => {
    expect(decideCallSeat(consultation, user('att-1', 'ATTORNEY'), at(0)).role).toBe('ATTORNEY');
    expect(decideCallSeat(consultation, user('int-1', 'INTERPRETER'), at(0)).role).toBe('INTERPRETER');
    expect(decideCallSeat(consultation, user('staff-9', 'STAFF'), at(0)).role).toBe('STAFF');
    expect(decideCallSeat(consultation, user('admin-9', 'ADMIN'), at(0)).role).toBe('STAFF');
    const client = decideCallSeat(consultation, kiosk('fac-1'), at(0));
    expect(client).toEqual({
      participantId: `client:${consultation.id}`,
      role: 'CLIENT',
      displayName: 'María López',
    });
  });

  it('refuses people who are not in the consultation', () => {
    expect(refusal(() => decideCallSeat(consultation, user('att-2', 'ATTORNEY'), at(0)))).toBe(
      'NOT_IN_CONSULTATION',
    );
    expect(refusal(() => decideCallSeat(consultation, user('int-2', 'INTERPRETER'), at(0)))).toBe(
      'NOT_IN_CONSULTATION',
    );
    expect(refusal(() => decideCallSeat(consultation, kiosk('fac-2'), at(0)))).toBe('NOT_IN_CONSULTATION');
    const otherOrg = user('att-1', 'ATTORNEY', '00000000-0000-4000-8000-000000000002');
    expect(refusal(() => decideCallSeat(consultation, otherOrg, at(0)))).toBe('NOT_IN_ORGANIZATION');
  });

  it('opens 15 minutes early and closes at the scheduled end', () => {
    const attorney = user('att-1', 'ATTORNEY');
    expect(refusal(() => decideCallSeat(consultation, attorney, at(-16)))).toBe('CALL_NOT_OPEN');
    expect(refusal(() => decideCallSeat(consultation, attorney, at(-15)))).toBe('ALLOWED');
    expect(refusal(() => decideCallSeat(consultation, attorney, at(59)))).toBe('ALLOWED');
    expect(refusal(() => decideCallSeat(consultation, attorney, at(60)))).toBe('CALL_ENDED');
  });

  it('seats a further interpreter (relay or booth partner) as an interpreter, and no other interpreter', () => {
    expect(decideCallSeat(consultation, user('int-9', 'INTERPRETER'), at(0))).toEqual({
      participantId: 'int-9',
      role: 'INTERPRETER',
      displayName: 'int-9',
    });
    expect(refusal(() => decideCallSeat(consultation, user('int-3', 'INTERPRETER'), at(0)))).toBe(
      'NOT_IN_CONSULTATION',
    );
    // Booked as an interpreter, but signed in with another role: not seated as one.
    expect(refusal(() => decideCallSeat(consultation, user('int-9', 'ATTORNEY'), at(0)))).toBe(
      'NOT_IN_CONSULTATION',
    );
  });

  it('refuses calls that are over, cancelled or missed', () => {
    for (const status of ['COMPLETED', 'CANCELLED', 'NO_SHOW'] as const) {
      expect(
        refusal(() => decideCallSeat({ ...consultation, status }, user('att-1', 'ATTORNEY'), at(0))),
      ).toBe('CALL_ENDED');
    }
  });
});

describe('initials', () => {
  it('shows only initials, including for names in other scripts', () => {
    expect(initials('María José', 'Hernández')).toBe('M. H.');
    expect(initials('ዮናስ', 'ገብረመድህን')).toBe('ዮ. ገ.');
  });
});
