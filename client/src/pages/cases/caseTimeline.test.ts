import { describe, expect, it } from 'vitest';
import type { CaseRecord, LoggedSessionEvent } from '@parley/shared';
import { caseTimeline } from './caseTimeline.ts';

const FACILITY = { id: 'f1', name: 'Adams', timeZone: 'America/Chicago' };
const event = (seq: number, occurredAt: string, body: Pick<LoggedSessionEvent, 'type' | 'payload'>) =>
  ({ ...body, seq, occurredAt, actorUserId: null, actorRole: 'STAFF' }) as LoggedSessionEvent;

function consultation(id: string, timeline: LoggedSessionEvent[]): CaseRecord['consultations'][number] {
  return {
    id,
    startsAt: '2026-03-10T15:00:00.000Z',
    endsAt: '2026-03-10T16:00:00.000Z',
    status: 'CANCELLED',
    language: 'es',
    mode: 'CONSECUTIVE',
    facility: FACILITY,
    attorney: { id: 'a', name: 'Grace' },
    interpreter: null,
    summary: {} as CaseRecord['consultations'][number]['summary'],
    timeline,
    integrity: null,
    names: {},
  };
}

describe('caseTimeline', () => {
  it("merges the calls' lifecycles and the client's moves, oldest first, a move once", () => {
    const transfer = {
      id: 't1',
      clientId: 'c',
      from: { id: 'f1', name: 'Adams' },
      to: { id: 'f2', name: 'Jackson' },
      recordedAt: '2026-03-05T12:00:00.000Z',
      recordedBy: { id: 's', name: 'Marcus' },
    };
    const timeline = caseTimeline({
      transfers: [transfer],
      consultations: [
        consultation('c1', [
          event(1, '2026-03-01T10:00:00.000Z', {
            type: 'CONSULTATION_SCHEDULED',
            payload: {
              startsAt: '2026-03-10T15:00:00.000Z',
              endsAt: '2026-03-10T16:00:00.000Z',
              facilityId: '00000000-0000-4000-8000-000000000001',
              attorneyId: '00000000-0000-4000-8000-000000000002',
              interpreterId: null,
              language: 'es',
              mode: 'CONSECUTIVE',
            },
          }),
          event(2, '2026-03-05T12:00:00.000Z', {
            type: 'CLIENT_TRANSFERRED',
            payload: {
              transferId: '00000000-0000-4000-8000-000000000003',
              fromFacilityId: null,
              toFacilityId: '00000000-0000-4000-8000-000000000001',
            },
          }),
          event(3, '2026-03-05T12:00:00.000Z', {
            type: 'CONSULTATION_CANCELLED',
            payload: {
              startsAt: '2026-03-10T15:00:00.000Z',
              previousStatus: 'SCHEDULED',
              reasonCode: 'CLIENT_TRANSFERRED',
            },
          }),
        ]),
        consultation('c2', [
          event(1, '2026-03-02T10:00:00.000Z', { type: 'CALL_STARTED', payload: { mode: 'CONSECUTIVE' } }),
          event(2, '2026-03-02T10:05:00.000Z', {
            type: 'QUALITY_WARNING',
            payload: {
              participantId: '00000000-0000-4000-8000-000000000002',
              role: 'ATTORNEY',
              lossPct: 5,
              jitterMs: 1,
              rttMs: 1,
            },
          }),
        ]),
      ],
    });
    expect(
      timeline.map((e) => (e.kind === 'transfer' ? 'transfer' : `${e.consultation.id}:${e.event.type}`)),
    ).toEqual(['c1:CONSULTATION_SCHEDULED', 'c2:CALL_STARTED', 'transfer', 'c1:CONSULTATION_CANCELLED']);
  });

  it('is empty for a case with nothing on it, and for an interpreter (no timelines)', () => {
    expect(caseTimeline({ transfers: [], consultations: [] })).toEqual([]);
    expect(
      caseTimeline({ transfers: [], consultations: [{ ...consultation('c', []), timeline: null }] }),
    ).toEqual([]);
  });
});
