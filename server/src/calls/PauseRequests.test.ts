import { describe, expect, it } from 'vitest';
import { PAUSE_REQUEST_TTL_MS, PAUSE_REQUESTS_PER_MINUTE } from '@parley/shared';
import { AppError } from '../http/AppError.ts';
import { PauseRequests } from './PauseRequests.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
};

describe('please pause', () => {
  it('shows the speaker the open request asked of them, and the interpreter who asked it its answer', () => {
    const c = clock();
    const pauses = new PauseRequests(c.now);
    const asked = pauses.ask('lucia', 'attorney');
    expect(pauses.viewFor('attorney', 'ATTORNEY')).toEqual([
      expect.objectContaining({
        requestId: asked.requestId,
        fromParticipantId: 'lucia',
        acknowledgedAt: null,
      }),
    ]);
    expect(pauses.viewFor('client:1', 'CLIENT')).toEqual([]);
    expect(pauses.viewFor('lucia', 'INTERPRETER')).toHaveLength(1);
    expect(pauses.viewFor('ixchel', 'INTERPRETER')).toEqual([]);
    c.advance(1500);
    expect(pauses.acknowledge(asked.requestId, 'attorney').acknowledgedAt).toBe(c.now());
    expect(pauses.viewFor('attorney', 'ATTORNEY')).toEqual([]);
    expect(pauses.viewFor('lucia', 'INTERPRETER')[0]?.acknowledgedAt).toBe(new Date(c.now()).toISOString());
  });

  it('refuses an acknowledgement by someone else, twice, or after the request lapsed (CONFLICT)', () => {
    const c = clock();
    const pauses = new PauseRequests(c.now);
    const asked = pauses.ask('lucia', 'client:1');
    expect(codeOf(() => pauses.acknowledge(asked.requestId, 'attorney'))).toBe('CONFLICT');
    expect(codeOf(() => pauses.acknowledge('00000000-0000-4000-8000-000000000000', 'client:1'))).toBe(
      'CONFLICT',
    );
    pauses.acknowledge(asked.requestId, 'client:1');
    expect(codeOf(() => pauses.acknowledge(asked.requestId, 'client:1'))).toBe('CONFLICT');
    const late = pauses.ask('lucia', 'client:1');
    c.advance(PAUSE_REQUEST_TTL_MS);
    expect(codeOf(() => pauses.acknowledge(late.requestId, 'client:1'))).toBe('CONFLICT');
    expect(pauses.viewFor('lucia', 'INTERPRETER')).toEqual([]);
  });

  it('keeps one open request per speaker: a new one replaces it', () => {
    const pauses = new PauseRequests(clock().now);
    const first = pauses.ask('lucia', 'attorney');
    const second = pauses.ask('ixchel', 'attorney');
    expect(pauses.viewFor('attorney', 'ATTORNEY').map((r) => r.requestId)).toEqual([second.requestId]);
    expect(codeOf(() => pauses.acknowledge(first.requestId, 'attorney'))).toBe('CONFLICT');
  });

  it('rate-limits each interpreter per minute (RATE_LIMITED), changing nothing', () => {
    const c = clock();
    const pauses = new PauseRequests(c.now);
    for (let n = 0; n < PAUSE_REQUESTS_PER_MINUTE; n++) pauses.ask('lucia', 'attorney');
    const before = pauses.viewFor('lucia', 'INTERPRETER');
    expect(codeOf(() => pauses.ask('lucia', 'attorney'))).toBe('RATE_LIMITED');
    expect(pauses.viewFor('lucia', 'INTERPRETER')).toEqual(before);
    expect(codeOf(() => pauses.ask('ixchel', 'attorney'))).toBeUndefined();
    c.advance(60_000);
    expect(codeOf(() => pauses.ask('lucia', 'attorney'))).toBeUndefined();
  });

  it('forgets the requests of someone who left', () => {
    const pauses = new PauseRequests(clock().now);
    pauses.ask('lucia', 'attorney');
    expect(pauses.forget('attorney')).toBe(true);
    expect(pauses.viewFor('lucia', 'INTERPRETER')).toEqual([]);
  });

  it('per viewer: each speaker sees only what was asked of them, each interpreter only what they asked; nobody anything with no seat', () => {
    const c = clock();
    const pauses = new PauseRequests(c.now);
    const toClient = pauses.ask('lucia', 'client:1');
    c.advance(1000);
    const toAttorney = pauses.ask('ixchel', 'attorney');
    const ids = (viewer: string | null, role: Parameters<PauseRequests['viewFor']>[1]) =>
      pauses.viewFor(viewer, role).map((r) => r.requestId);
    expect(ids('client:1', 'CLIENT')).toEqual([toClient.requestId]);
    expect(ids('attorney', 'ATTORNEY')).toEqual([toAttorney.requestId]);
    expect(ids('lucia', 'INTERPRETER')).toEqual([toClient.requestId]);
    expect(ids('ixchel', 'INTERPRETER')).toEqual([toAttorney.requestId]);
    // Staff, someone else's id, or the role alone see nothing.
    expect(ids('staff', 'STAFF')).toEqual([]);
    expect(ids('client:1', 'ATTORNEY')).toEqual([toClient.requestId]);
    expect(ids('attorney', 'CLIENT')).toEqual([toAttorney.requestId]);
    expect(ids(null, 'INTERPRETER')).toEqual([]);
    expect(ids(null, null)).toEqual([]);
    // The speaker's acknowledgement leaves their screen; the interpreter who asked keeps it.
    pauses.acknowledge(toClient.requestId, 'client:1');
    expect(ids('client:1', 'CLIENT')).toEqual([]);
    expect(pauses.viewFor('lucia', 'INTERPRETER')[0]?.acknowledgedAt).not.toBeNull();
    expect(ids('ixchel', 'INTERPRETER')).toEqual([toAttorney.requestId]);
  });

  it('lapses after PAUSE_REQUEST_TTL_MS, open or acknowledged, from every screen', () => {
    const c = clock();
    const pauses = new PauseRequests(c.now);
    const open = pauses.ask('lucia', 'client:1');
    const answered = pauses.ask('ixchel', 'attorney');
    pauses.acknowledge(answered.requestId, 'attorney');
    c.advance(PAUSE_REQUEST_TTL_MS - 1);
    expect(pauses.expire()).toBe(false);
    expect(pauses.openFor('client:1')?.requestId).toBe(open.requestId);
    c.advance(1);
    expect(pauses.expire()).toBe(true);
    expect(pauses.viewFor('client:1', 'CLIENT')).toEqual([]);
    expect(pauses.viewFor('lucia', 'INTERPRETER')).toEqual([]);
    expect(pauses.viewFor('ixchel', 'INTERPRETER')).toEqual([]);
    expect(pauses.openFor('client:1')).toBeNull();
    expect(pauses.expire()).toBe(false);
  });

  it('openFor: the request open for a speaker, none once acknowledged or for anyone else', () => {
    const pauses = new PauseRequests(clock().now);
    const asked = pauses.ask('lucia', 'client:1');
    expect(pauses.openFor('client:1')).toMatchObject({
      requestId: asked.requestId,
      fromParticipantId: 'lucia',
    });
    expect(pauses.openFor('attorney')).toBeNull();
    expect(pauses.openFor('lucia')).toBeNull();
    // A copy: changing it changes nothing kept.
    pauses.openFor('client:1')!.acknowledgedAt = 1;
    expect(pauses.openFor('client:1')?.acknowledgedAt).toBeNull();
    pauses.acknowledge(asked.requestId, 'client:1');
    expect(pauses.openFor('client:1')).toBeNull();
  });

  it('a snapshot taken back elsewhere keeps the requests, their ids and times; lapsed ones are not taken back', () => {
    const c = clock();
    const before = new PauseRequests(c.now);
    const old = before.ask('lucia', 'attorney');
    c.advance(PAUSE_REQUEST_TTL_MS - 5000);
    const recent = before.ask('ixchel', 'client:1');
    const answered = before.ask('lucia', 'client:2');
    before.acknowledge(answered.requestId, 'client:2');
    const snapshot = JSON.parse(JSON.stringify(before.snapshot())) as ReturnType<PauseRequests['snapshot']>;
    expect(snapshot.map((r) => r.requestId).sort()).toEqual(
      [old.requestId, recent.requestId, answered.requestId].sort(),
    );

    // Another node, 6 s later: the oldest has lapsed on the way.
    c.advance(6000);
    const after = new PauseRequests(c.now);
    after.restore(snapshot);
    expect(
      after
        .snapshot()
        .map((r) => r.requestId)
        .sort(),
    ).toEqual([recent.requestId, answered.requestId].sort());
    expect(after.viewFor('client:1', 'CLIENT')).toEqual([
      {
        requestId: recent.requestId,
        fromParticipantId: 'ixchel',
        toParticipantId: 'client:1',
        requestedAt: new Date(recent.requestedAt).toISOString(),
        acknowledgedAt: null,
      },
    ]);
    expect(after.viewFor('lucia', 'INTERPRETER')[0]?.acknowledgedAt).toBe(
      new Date(answered.acknowledgedAt!).toISOString(),
    );
    // Acknowledged on the new node with the id the speaker saw on the old one; not twice.
    expect(after.acknowledge(recent.requestId, 'client:1').acknowledgedAt).toBe(c.now());
    expect(codeOf(() => after.acknowledge(answered.requestId, 'client:2'))).toBe('CONFLICT');
    expect(codeOf(() => after.acknowledge(old.requestId, 'attorney'))).toBe('CONFLICT');
    // The snapshot is a copy: the restored call's changes do not reach it.
    expect(snapshot.find((r) => r.requestId === recent.requestId)?.acknowledgedAt).toBeNull();
  });
});
