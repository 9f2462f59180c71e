import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  sessionEventHash,
  type ChainedSessionEvent,
  type SessionEventInput,
} from './appendSessionEvent.ts';
import { verifyChain } from './verifyChain.ts';

const CONSULTATION = '3f0c9a52-6a55-4d3e-9a61-1c2b3d4e5f60';
const ATTORNEY = '8b2d1e4f-0a9c-4b7d-8e6f-5a4b3c2d1e0f';

function event(type: string, payload: SessionEventInput['payload'], minute: number): SessionEventInput {
  return {
    organizationId: 'org',
    consultationId: CONSULTATION,
    type,
    actorUserId: ATTORNEY,
    actorRole: 'ATTORNEY',
    occurredAt: new Date(Date.UTC(2026, 2, 10, 15, minute)),
    payload,
  };
}

function chain(events: SessionEventInput[]): ChainedSessionEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((e, index) => {
    const seq = index + 1;
    const linked = { ...e, seq, prevHash, hash: sessionEventHash(prevHash, { ...e, seq }) };
    prevHash = linked.hash;
    return linked;
  });
}

const call = chain([
  event('CALL_STARTED', { mode: 'CONSECUTIVE' }, 0),
  event('PARTICIPANT_JOINED', { participantId: ATTORNEY, role: 'ATTORNEY', device: 'BROWSER' }, 1),
  event(
    'QUALITY_WARNING',
    { participantId: ATTORNEY, role: 'ATTORNEY', lossPct: 9, jitterMs: 30, rttMs: 200 },
    5,
  ),
  event('CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }, 30),
]);

const replace = (events: ChainedSessionEvent[], seq: number, patch: Partial<ChainedSessionEvent>) =>
  events.map((e) => (e.seq === seq ? { ...e, ...patch } : e));

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    expect(verifyChain(CONSULTATION, call)).toEqual({
      consultationId: CONSULTATION,
      valid: true,
      events: 4,
      headHash: call[3]!.hash,
      firstBrokenSeq: null,
      problem: null,
    });
  });

  it('accepts an empty log', () => {
    expect(verifyChain(CONSULTATION, [])).toMatchObject({ valid: true, events: 0, headHash: null });
  });

  it.each([
    [
      'payload',
      { payload: { participantId: ATTORNEY, role: 'ATTORNEY', lossPct: 1, jitterMs: 30, rttMs: 200 } },
    ],
    ['time', { occurredAt: new Date(Date.UTC(2026, 2, 10, 15, 6)) }],
    ['actor', { actorUserId: null }],
    ['type', { type: 'CALL_ENDED' }],
  ])('finds an altered %s at the altered event', (_what, patch) => {
    expect(verifyChain(CONSULTATION, replace(call, 3, patch))).toMatchObject({
      valid: false,
      firstBrokenSeq: 3,
      problem: 'HASH_MISMATCH',
    });
  });

  it('finds an altered event whose hash was recomputed to hide it, at the next link', () => {
    const forged = {
      ...call[2]!,
      payload: { participantId: ATTORNEY, role: 'ATTORNEY', lossPct: 0, jitterMs: 0, rttMs: 0 },
    };
    forged.hash = sessionEventHash(forged.prevHash, forged);
    const result = verifyChain(CONSULTATION, replace(call, 3, forged));
    expect(result).toMatchObject({ valid: false, firstBrokenSeq: 4, problem: 'LINK_BROKEN' });
  });

  it('finds a removed or reordered event', () => {
    expect(verifyChain(CONSULTATION, [call[0]!, call[2]!, call[3]!])).toMatchObject({
      firstBrokenSeq: 3,
      problem: 'SEQUENCE_GAP',
    });
    expect(verifyChain(CONSULTATION, [call[0]!, call[2]!, call[1]!, call[3]!])).toMatchObject({
      firstBrokenSeq: 3,
      problem: 'SEQUENCE_GAP',
    });
    expect(verifyChain(CONSULTATION, call.slice(1))).toMatchObject({
      firstBrokenSeq: 2,
      problem: 'SEQUENCE_GAP',
    });
  });
});
