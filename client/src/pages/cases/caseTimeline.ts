import type { CaseRecord, ClientTransferView, LoggedSessionEvent } from '@parley/shared';

/** The events that tell the case's story; joins, drops and quality stay on each call's own timeline. */
const CASE_EVENTS = new Set<LoggedSessionEvent['type']>([
  'CONSULTATION_SCHEDULED',
  'CONSULTATION_RESCHEDULED',
  'CONSULTATION_CANCELLED',
  'CONSULTATION_NO_SHOW',
  'FACILITY_CONFIRMED',
  'FACILITY_DECLINED',
  'FACILITY_PROPOSED_TIME',
  'CALL_STARTED',
  'CALL_ENDED',
]);

export type CaseTimelineEntry =
  | { kind: 'transfer'; at: string; transfer: ClientTransferView }
  | {
      kind: 'event';
      at: string;
      consultation: CaseRecord['consultations'][number];
      event: LoggedSessionEvent;
    };

/**
 * The case as one timeline, oldest first: each call's lifecycle (booked, moved, confirmed,
 * cancelled, held) and the client's moves between facilities. A move appears once, not on each
 * call it cancelled.
 */
export function caseTimeline(record: Pick<CaseRecord, 'consultations' | 'transfers'>): CaseTimelineEntry[] {
  const entries: CaseTimelineEntry[] = record.transfers.map((transfer) => ({
    kind: 'transfer',
    at: transfer.recordedAt,
    transfer,
  }));
  for (const consultation of record.consultations) {
    for (const event of consultation.timeline ?? []) {
      if (CASE_EVENTS.has(event.type))
        entries.push({ kind: 'event', at: event.occurredAt, consultation, event });
    }
  }
  // Stable: a call's events keep their log order at equal instants; a move comes first.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const byTime = Date.parse(a.entry.at) - Date.parse(b.entry.at);
      if (byTime !== 0) return byTime;
      if (a.entry.kind !== b.entry.kind) return a.entry.kind === 'transfer' ? -1 : 1;
      return a.index - b.index;
    })
    .map(({ entry }) => entry);
}
