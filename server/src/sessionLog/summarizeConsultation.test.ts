import { describe, expect, it } from 'vitest';
import { summarizeConsultation, type LoggedEvent } from './summarizeConsultation.ts';

const ATTORNEY = '8b2d1e4f-0a9c-4b7d-8e6f-5a4b3c2d1e0f';
const INTERPRETER = '1c2b3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const INTERPRETER_2 = '2c2b3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const CLIENT = 'client:3f0c9a52-6a55-4d3e-9a61-1c2b3d4e5f60';
const T0 = Date.UTC(2026, 2, 10, 15, 0);

/** An event `minutes` after the call's booked start. */
const at = (minutes: number, type: string, payload: object = {}): LoggedEvent => ({
  type,
  occurredAt: new Date(T0 + minutes * 60_000),
  payload,
});
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const joined = (m: number, participantId: string, role: string, device = 'BROWSER') =>
  at(m, 'PARTICIPANT_JOINED', { participantId, role, device });
const left = (m: number, participantId: string, role: string, reason = 'LEFT') =>
  at(m, 'PARTICIPANT_LEFT', { participantId, role, reason });
const reconnected = (
  m: number,
  participantId: string,
  role: string,
  offlineMs: number,
  reason?: 'REJOINED' | 'MEDIA_RESTARTED' | 'REPLACED',
) => at(m, 'PARTICIPANT_RECONNECTED', { participantId, role, offlineMs, ...(reason ? { reason } : {}) });
const warning = (m: number, participantId: string, lossPct: number, jitterMs = 20, rttMs = 100) =>
  at(m, 'QUALITY_WARNING', { participantId, role: 'CLIENT', lossPct, jitterMs, rttMs });
const scheduled = at(-4000, 'CONSULTATION_SCHEDULED', {
  startsAt: iso(0),
  endsAt: iso(60),
  facilityId: ATTORNEY,
  attorneyId: ATTORNEY,
  interpreterId: INTERPRETER,
  language: 'es',
  mode: 'CONSECUTIVE',
});

const seconds = (summary: ReturnType<typeof summarizeConsultation>, id: string) =>
  summary.participants.find((p) => p.participantId === id)?.connectedSeconds;

describe('summarizeConsultation', () => {
  it('summarises a call that never happened', () => {
    const summary = summarizeConsultation([
      scheduled,
      at(90, 'CONSULTATION_NO_SHOW', { startsAt: iso(0), endsAt: iso(60) }),
    ]);
    expect(summary).toMatchObject({
      actualStart: null,
      actualEnd: null,
      durationSeconds: null,
      complete: true,
      participants: [],
      interpreterMinutes: 0,
      worstQuality: null,
    });
  });

  it('measures start, end, and each participant’s connected time', () => {
    const summary = summarizeConsultation([
      scheduled,
      at(2, 'CALL_STARTED', { mode: 'CONSECUTIVE' }),
      joined(2, ATTORNEY, 'ATTORNEY'),
      joined(3, INTERPRETER, 'INTERPRETER'),
      joined(5, CLIENT, 'CLIENT', 'KIOSK'),
      left(40, CLIENT, 'CLIENT'),
      at(42, 'CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }),
    ]);
    expect(summary).toMatchObject({
      actualStart: iso(2),
      actualEnd: iso(42),
      durationSeconds: 40 * 60,
      endReason: 'ENDED_BY_ATTORNEY',
      complete: true,
      interpreterSeconds: 39 * 60,
      interpreterMinutes: 39,
      reconnections: 0,
      drops: 0,
    });
    expect(seconds(summary, ATTORNEY)).toBe(40 * 60);
    expect(seconds(summary, CLIENT)).toBe(35 * 60);
  });

  it('counts each interpreter of a relay or a booth pair on their own, each rounded up', () => {
    const RELAY = '0c7a3e2b-9d41-4f6a-8b5e-2f1d0c9b8a76';
    const summary = summarizeConsultation([
      at(0, 'CALL_STARTED', { mode: 'SIMULTANEOUS' }),
      joined(0, ATTORNEY, 'ATTORNEY'),
      joined(0, INTERPRETER, 'INTERPRETER'),
      joined(1, RELAY, 'INTERPRETER'),
      left(20.5, RELAY, 'INTERPRETER'),
      at(30, 'CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }),
    ]);
    expect(summary.interpreterMinutesEach).toEqual([
      { participantId: INTERPRETER, minutes: 30 },
      { participantId: RELAY, minutes: 20 },
    ]);
    expect(summary.interpreterSeconds).toBe(30 * 60 + 19.5 * 60);
    expect(summary.interpreterMinutes).toBe(50);
  });

  it('takes drops off connected time and counts reconnections, both ways they are logged', () => {
    const summary = summarizeConsultation([
      at(0, 'CALL_STARTED', { mode: 'CONSECUTIVE' }),
      joined(0, INTERPRETER, 'INTERPRETER'),
      joined(0, CLIENT, 'CLIENT'),
      // A logged drop: away from minute 10 to 12.
      left(10, CLIENT, 'CLIENT', 'CONNECTION_LOST'),
      reconnected(12, CLIENT, 'CLIENT', 120_000),
      // A gap the server bridged without a departure: 30 s away, reported on return.
      reconnected(20.5, INTERPRETER, 'INTERPRETER', 30_000),
      at(30, 'CALL_ENDED', { reason: 'TIME_LIMIT' }),
    ]);
    expect(seconds(summary, CLIENT)).toBe(28 * 60);
    expect(seconds(summary, INTERPRETER)).toBe(30 * 60 - 30);
    expect(summary.interpreterMinutes).toBe(30); // 29.5 min, billed as 30
    expect(summary).toMatchObject({ reconnections: 2, drops: 2 });
  });

  it('counts a media restart as a drop and a reconnection, and a takeover by another window as neither', () => {
    const summary = summarizeConsultation([
      at(0, 'CALL_STARTED', { mode: 'CONSECUTIVE' }),
      joined(0, ATTORNEY, 'ATTORNEY'),
      joined(0, INTERPRETER, 'INTERPRETER'),
      // The interpreter's media failed for 20 s; the server gave them a new connection.
      reconnected(5, INTERPRETER, 'INTERPRETER', 20_000, 'MEDIA_RESTARTED'),
      // The attorney opened the call in another window: no gap.
      reconnected(8, ATTORNEY, 'ATTORNEY', 0, 'REPLACED'),
      // ...and again from a laptop while the first window's media had been down for 10 s.
      reconnected(9, ATTORNEY, 'ATTORNEY', 10_000, 'REPLACED'),
      reconnected(12, INTERPRETER, 'INTERPRETER', 30_000, 'REJOINED'),
      at(30, 'CALL_ENDED', { reason: 'TIME_LIMIT' }),
    ]);
    expect(seconds(summary, INTERPRETER)).toBe(30 * 60 - 50);
    expect(seconds(summary, ATTORNEY)).toBe(30 * 60 - 10);
    expect(summary.participants.find((p) => p.participantId === ATTORNEY)).toMatchObject({
      drops: 0,
      reconnections: 0,
    });
    expect(summary.participants.find((p) => p.participantId === INTERPRETER)).toMatchObject({
      drops: 2,
      reconnections: 2,
    });
    expect(summary).toMatchObject({ reconnections: 2, drops: 2 });
  });

  it('adds up interpreter minutes across interpreters and rejoins', () => {
    const summary = summarizeConsultation([
      joined(0, INTERPRETER, 'INTERPRETER'),
      left(10, INTERPRETER, 'INTERPRETER'),
      joined(10, INTERPRETER_2, 'INTERPRETER'),
      joined(15, INTERPRETER, 'INTERPRETER'),
      at(25, 'CALL_ENDED', { reason: 'EVERYONE_LEFT' }),
    ]);
    expect(summary.actualStart).toBe(iso(0));
    expect(summary.interpreterSeconds).toBe((10 + 15 + 10) * 60);
  });

  it('counts a call without an end up to its last event and says it is incomplete', () => {
    const summary = summarizeConsultation([joined(0, ATTORNEY, 'ATTORNEY'), warning(7, CLIENT, 3)]);
    expect(summary).toMatchObject({ actualEnd: null, durationSeconds: null, complete: false });
    expect(seconds(summary, ATTORNEY)).toBe(7 * 60);
  });

  it('ignores what is logged after the end', () => {
    const summary = summarizeConsultation([
      joined(0, ATTORNEY, 'ATTORNEY'),
      at(10, 'CALL_ENDED', { reason: 'ENDED_BY_STAFF' }),
      left(11, ATTORNEY, 'ATTORNEY', 'CALL_ENDED'),
      warning(12, CLIENT, 90),
    ]);
    expect(seconds(summary, ATTORNEY)).toBe(600);
    expect(summary.worstQuality).toBeNull();
  });

  it('finds the worst quality period: warnings a minute apart form one period', () => {
    const summary = summarizeConsultation([
      joined(0, CLIENT, 'CLIENT'),
      warning(5, CLIENT, 4),
      warning(5.5, CLIENT, 12, 80, 500),
      warning(6.25, CLIENT, 9),
      warning(20, CLIENT, 11, 300, 900), // later, alone: lower peak loss despite worse jitter
      warning(30, ATTORNEY, 12, 10, 100), // same peak loss, lower jitter
      at(40, 'CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }),
    ]);
    expect(summary.qualityWarnings).toBe(5);
    expect(summary.worstQuality).toEqual({
      participantId: CLIENT,
      role: 'CLIENT',
      from: iso(5),
      to: iso(6.25),
      warnings: 3,
      maxLossPct: 12,
      maxJitterMs: 80,
      maxRttMs: 500,
    });
  });

  it('measures simultaneous interpretation and counts sidebars', () => {
    const summary = summarizeConsultation([
      at(0, 'CALL_STARTED', { mode: 'CONSECUTIVE' }),
      at(1, 'SIDEBAR_STARTED', { sidebarId: ATTORNEY, participantIds: [INTERPRETER] }),
      at(4, 'SIDEBAR_ENDED', { sidebarId: ATTORNEY }),
      at(5, 'ROUTING_CHANGED', { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } }),
      at(8, 'ROUTING_CHANGED', { mode: 'SIMULTANEOUS', direction: { from: 'es', to: 'en' } }),
      at(15, 'ROUTING_CHANGED', { mode: 'CONSECUTIVE', direction: null }),
      at(20, 'ROUTING_CHANGED', { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } }),
      at(22, 'CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }),
    ]);
    expect(summary).toMatchObject({ sidebars: 1, simultaneousSeconds: 12 * 60 });
  });
});
