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
  it('shows the speaker the open request asked of them, and the interpreters every request with its answer', () => {
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
    expect(pauses.viewFor('ixchel', 'INTERPRETER')).toHaveLength(1);
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
});
