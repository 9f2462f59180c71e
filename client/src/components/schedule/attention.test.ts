import type { ConsultationView } from '@parley/shared';
import { describe, expect, it } from 'vitest';
import { attentionOf } from './AttentionList.tsx';

const NOW = Date.parse('2027-03-01T15:00:00Z');
function call(patch: Partial<ConsultationView>): ConsultationView {
  return {
    id: 'c',
    case: { id: 'k', reference: 'GS-1' },
    client: { id: 'p', firstName: 'A', lastName: 'B' },
    facility: { id: 'f', name: 'Adams', code: 'ADAMS', timeZone: 'America/Chicago' },
    attorney: { id: 'a', name: 'Grace' },
    interpreter: { id: 'i', name: 'Lucía' },
    language: 'es',
    mode: 'CONSECUTIVE',
    startsAt: '2027-03-02T15:00:00Z',
    endsAt: '2027-03-02T16:00:00Z',
    status: 'SCHEDULED',
    kioskPin: '123456',
    cancelReason: null,
    confirmation: null,
    ...patch,
  };
}

describe('attentionOf', () => {
  it('has nothing to say about a confirmed call with an interpreter tomorrow', () => {
    expect(attentionOf(call({}), NOW)).toEqual([]);
  });
  it('flags an unconfirmed call, a missing interpreter and a start within the hour', () => {
    expect(
      attentionOf(call({ status: 'REQUESTED', interpreter: null, startsAt: '2027-03-01T15:30:00Z' }), NOW),
    ).toEqual(['notConfirmed', 'noInterpreter', 'startingSoon']);
  });
  it('says what the facility answered when it proposed or never answered', () => {
    const state = {
      sentTo: '',
      requestedAt: '',
      expiresAt: '',
      remindersSent: 0,
      answeredAt: null,
      declineReason: null,
      proposedStartsAt: null,
      recordedByStaff: false,
    };
    expect(
      attentionOf(call({ status: 'REQUESTED', confirmation: { ...state, state: 'PROPOSED' } }), NOW)[0],
    ).toBe('proposed');
    expect(
      attentionOf(call({ status: 'REQUESTED', confirmation: { ...state, state: 'EXPIRED' } }), NOW)[0],
    ).toBe('neverAnswered');
  });
});
