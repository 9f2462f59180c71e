import {
  SessionEventBodySchema,
  type CallEndReason,
  type CallRole,
  type ConsultationSummary,
  type ParticipantTime,
  type QualityPeriod,
  type SessionEventBody,
} from '@parley/shared';

/** The parts of a stored event the summary reads. */
export interface LoggedEvent {
  type: string;
  occurredAt: Date;
  payload: unknown;
}

/** Quality warnings further apart than this start a new period. */
export const QUALITY_PERIOD_GAP_MS = 60_000;

interface Presence {
  role: CallRole;
  /** When the current connected stretch began; null while away. */
  since: number | null;
  connectedMs: number;
  drops: number;
  reconnections: number;
}

type Typed = SessionEventBody & { at: number };

/**
 * Summarises a consultation from its session log (events in seq order). Pure.
 *
 * A participant is connected from PARTICIPANT_JOINED to PARTICIPANT_LEFT. A reconnection either
 * follows a logged departure (connected again from then) or reports a gap the server bridged
 * (`offlineMs` is taken off the connected time). A takeover by the same person's newer window or
 * device (reason REPLACED) is neither a drop nor a reconnection; only the time their media was
 * already down, if any, is taken off. Stretches still open at the end are closed at CALL_ENDED or,
 * when the log has no end, at its last event.
 */
export function summarizeConsultation(events: readonly LoggedEvent[]): ConsultationSummary {
  const typed: Typed[] = [];
  for (const event of events) {
    const parsed = SessionEventBodySchema.safeParse({ type: event.type, payload: event.payload });
    if (parsed.success) typed.push({ ...parsed.data, at: event.occurredAt.getTime() });
  }
  const presence = new Map<string, Presence>();
  const warnings: {
    participantId: string;
    role: CallRole;
    at: number;
    lossPct: number;
    jitterMs: number;
    rttMs: number;
  }[] = [];
  let start: number | null = null;
  let end: number | null = null;
  let endReason: CallEndReason | null = null;
  let sidebars = 0;
  let simultaneousSince: number | null = null;
  let simultaneousMs = 0;
  const lastAt = typed.at(-1)?.at ?? null;

  const close = (p: Presence, at: number) => {
    if (p.since !== null) p.connectedMs += Math.max(0, at - p.since);
    p.since = null;
  };

  for (const e of typed) {
    if (end !== null) break; // nothing after the call's end counts towards it
    switch (e.type) {
      case 'CALL_STARTED':
        start ??= e.at;
        if (e.payload.mode === 'SIMULTANEOUS') simultaneousSince ??= e.at;
        break;
      case 'PARTICIPANT_JOINED': {
        start ??= e.at;
        const p = presence.get(e.payload.participantId) ?? {
          role: e.payload.role,
          since: null,
          connectedMs: 0,
          drops: 0,
          reconnections: 0,
        };
        p.since ??= e.at;
        presence.set(e.payload.participantId, p);
        break;
      }
      case 'PARTICIPANT_LEFT': {
        const p = presence.get(e.payload.participantId);
        if (!p) break;
        close(p, e.at);
        if (e.payload.reason === 'CONNECTION_LOST') p.drops++;
        break;
      }
      case 'PARTICIPANT_RECONNECTED': {
        const p = presence.get(e.payload.participantId);
        if (!p) break;
        const takeover = e.payload.reason === 'REPLACED';
        if (!takeover) p.reconnections++;
        if (p.since === null) {
          p.since = e.at;
        } else {
          // The server kept the place: the gap it bridged was not connected time.
          if (!takeover) p.drops++;
          p.connectedMs -= Math.min(e.payload.offlineMs, e.at - p.since);
        }
        break;
      }
      case 'ROUTING_CHANGED':
        if (e.payload.mode === 'SIMULTANEOUS') simultaneousSince ??= e.at;
        else if (simultaneousSince !== null) {
          simultaneousMs += e.at - simultaneousSince;
          simultaneousSince = null;
        }
        break;
      case 'SIDEBAR_STARTED':
        sidebars++;
        break;
      case 'QUALITY_WARNING':
        warnings.push({ ...e.payload, at: e.at });
        break;
      case 'CALL_ENDED':
        end = e.at;
        endReason = e.payload.reason;
        break;
      default:
        break;
    }
  }

  const closeAt = end ?? lastAt ?? 0;
  for (const p of presence.values()) close(p, closeAt);
  if (simultaneousSince !== null) simultaneousMs += closeAt - simultaneousSince;

  const participants: ParticipantTime[] = [...presence.entries()].map(([participantId, p]) => ({
    participantId,
    role: p.role,
    connectedSeconds: Math.round(Math.max(0, p.connectedMs) / 1000),
    drops: p.drops,
    reconnections: p.reconnections,
  }));
  const interpreterMs = [...presence.values()]
    .filter((p) => p.role === 'INTERPRETER')
    .reduce((sum, p) => sum + Math.max(0, p.connectedMs), 0);

  return {
    actualStart: start === null ? null : new Date(start).toISOString(),
    actualEnd: end === null ? null : new Date(end).toISOString(),
    durationSeconds: start !== null && end !== null ? Math.round((end - start) / 1000) : null,
    endReason,
    complete: start === null || end !== null,
    participants,
    interpreterSeconds: Math.round(interpreterMs / 1000),
    interpreterMinutes: Math.ceil(interpreterMs / 60_000),
    interpreterMinutesEach: participants
      .filter((p) => p.role === 'INTERPRETER')
      .map((p) => ({
        participantId: p.participantId,
        minutes: Math.ceil(Math.max(0, presence.get(p.participantId)?.connectedMs ?? 0) / 60_000),
      })),
    reconnections: participants.reduce((sum, p) => sum + p.reconnections, 0),
    drops: participants.reduce((sum, p) => sum + p.drops, 0),
    qualityWarnings: warnings.length,
    sidebars,
    simultaneousSeconds: Math.round(simultaneousMs / 1000),
    worstQuality: worstQualityPeriod(warnings),
  };
}

function worstQualityPeriod(
  warnings: {
    participantId: string;
    role: CallRole;
    at: number;
    lossPct: number;
    jitterMs: number;
    rttMs: number;
  }[],
): QualityPeriod | null {
  const open = new Map<string, QualityPeriod & { lastAt: number }>();
  const periods: QualityPeriod[] = [];
  for (const w of warnings) {
    const current = open.get(w.participantId);
    if (current && w.at - current.lastAt <= QUALITY_PERIOD_GAP_MS) {
      current.lastAt = w.at;
      current.to = new Date(w.at).toISOString();
      current.warnings++;
      current.maxLossPct = Math.max(current.maxLossPct, w.lossPct);
      current.maxJitterMs = Math.max(current.maxJitterMs, w.jitterMs);
      current.maxRttMs = Math.max(current.maxRttMs, w.rttMs);
      continue;
    }
    const period = {
      participantId: w.participantId,
      role: w.role,
      from: new Date(w.at).toISOString(),
      to: new Date(w.at).toISOString(),
      warnings: 1,
      maxLossPct: w.lossPct,
      maxJitterMs: w.jitterMs,
      maxRttMs: w.rttMs,
      lastAt: w.at,
    };
    open.set(w.participantId, period);
    periods.push(period);
  }
  let worst: QualityPeriod | null = null;
  for (const p of periods) {
    if (
      !worst ||
      p.maxLossPct > worst.maxLossPct ||
      (p.maxLossPct === worst.maxLossPct && p.maxJitterMs > worst.maxJitterMs) ||
      (p.maxLossPct === worst.maxLossPct &&
        p.maxJitterMs === worst.maxJitterMs &&
        p.maxRttMs > worst.maxRttMs)
    ) {
      worst = p;
    }
  }
  if (!worst) return null;
  const { participantId, role, from, to, warnings: count, maxLossPct, maxJitterMs, maxRttMs } = worst;
  return { participantId, role, from, to, warnings: count, maxLossPct, maxJitterMs, maxRttMs };
}
