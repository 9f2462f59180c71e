import { describe, expect, it } from 'vitest';
import { AppError } from '../http/AppError.ts';
import { InterpretationDesk } from './InterpretationDesk.ts';

const RELAY = [
  { id: 'spanish', pair: ['en', 'es'] as ['en', 'es'] },
  { id: 'mam', pair: ['es', 'mam'] as ['es', 'mam'] },
];
const BOOTH = [
  { id: 'lucia', pair: ['en', 'es'] as ['en', 'es'] },
  { id: 'ana', pair: ['en', 'es'] as ['en', 'es'] },
];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    if (err instanceof RangeError) return 'VALIDATION_FAILED';
    throw err;
  }
  return 'ALLOWED';
}

function channelsOf(desk: InterpretationDesk) {
  return Object.fromEntries(desk.interpreterState(null).channels!.map((c) => [c.id, c]));
}

describe('InterpretationDesk: relay', () => {
  it('an interpreter relays only from another interpreter present, and renders only into their pair', () => {
    const desk = new InterpretationDesk(RELAY, ['en', 'mam']);
    const present = new Set(['spanish', 'mam']);
    desk.seat('spanish', present);
    desk.seat('mam', present);
    desk.setInput('mam', { kind: 'RELAY', fromId: 'spanish' }, present);
    desk.setOutput('mam', 'mam');
    expect(codeOf(() => desk.setOutput('mam', 'en'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => desk.setInput('mam', { kind: 'RELAY', fromId: 'mam' }, present))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => desk.setInput('mam', { kind: 'RELAY', fromId: 'nobody' }, present))).toBe(
      'VALIDATION_FAILED',
    );
    // Refusals changed nothing.
    expect(channelsOf(desk).mam).toMatchObject({
      input: { kind: 'RELAY', fromId: 'spanish' },
      renderingInto: 'mam',
    });
    // Both are live: they are not booth partners (different pairs).
    expect(desk.bothLive(present)).toEqual([]);
    expect(channelsOf(desk).spanish!.live && channelsOf(desk).mam!.live).toBe(true);
  });

  it('when the relay source leaves, relaying from them falls back to the floor', () => {
    const desk = new InterpretationDesk(RELAY, ['en', 'mam']);
    const present = new Set(['spanish', 'mam']);
    desk.seat('spanish', present);
    desk.seat('mam', present);
    desk.setInput('mam', { kind: 'RELAY', fromId: 'spanish' }, present);
    expect(desk.left('spanish', new Set(['mam']))).toBeNull();
    expect(channelsOf(desk).mam!.input).toEqual({ kind: 'FLOOR' });
  });

  it("keeps each listener's original level in percent, and gives the plan 0–1", () => {
    const desk = new InterpretationDesk(RELAY, ['en', 'mam']);
    desk.setOriginalLevel('attorney', 45);
    expect(desk.interpreterState(null).originalLevels).toEqual({ attorney: 0.45 });
    expect(desk.view('attorney', 'en', new Set()).originalLevel).toBe(45);
    expect(desk.view('client', 'mam', new Set()).originalLevel).toBe(20);
    expect(codeOf(() => desk.setOriginalLevel('attorney', 101))).toBe('VALIDATION_FAILED');
  });
});

describe('InterpretationDesk: booth partners', () => {
  function booth() {
    const desk = new InterpretationDesk(BOOTH, ['en', 'es']);
    const present = new Set(['lucia']);
    desk.seat('lucia', present);
    present.add('ana');
    desk.seat('ana', present);
    desk.setOutput('lucia', 'es');
    return { desk, present };
  }

  it('the second partner joins resting', () => {
    const { desk } = booth();
    expect(channelsOf(desk).lucia!.live).toBe(true);
    expect(channelsOf(desk).ana!.live).toBe(false);
  });

  it('hand over: request, then accept; the partner takes the channel over, the requester rests', () => {
    const { desk, present } = booth();
    expect(codeOf(() => desk.handover('ana', 'REQUEST', present))).toBe('CONFLICT');
    expect(codeOf(() => desk.handover('lucia', 'ACCEPT', present))).toBe('CONFLICT');
    expect(desk.handover('lucia', 'REQUEST', present)).toBeNull();
    expect(desk.view('ana', 'es', present).handovers).toMatchObject([{ fromId: 'lucia', toId: 'ana' }]);
    expect(desk.handover('ana', 'ACCEPT', present)).toEqual({
      fromParticipantId: 'lucia',
      toParticipantId: 'ana',
      how: 'ACCEPTED',
    });
    expect(channelsOf(desk).ana).toMatchObject({ live: true, renderingInto: 'es' });
    expect(channelsOf(desk).lucia!.live).toBe(false);
    expect(desk.view('ana', 'es', present).handovers).toEqual([]);
  });

  it('take over now: at once, no request needed', () => {
    const { desk, present } = booth();
    expect(desk.handover('ana', 'TAKE_OVER', present)).toEqual({
      fromParticipantId: 'lucia',
      toParticipantId: 'ana',
      how: 'TAKEN_OVER',
    });
    expect(channelsOf(desk).lucia!.live).toBe(false);
    expect(channelsOf(desk).ana).toMatchObject({ live: true, renderingInto: 'es' });
  });

  it('both live is allowed and reported; resting one clears it', () => {
    const { desk, present } = booth();
    desk.handover('ana', 'GO_LIVE', present);
    expect(desk.bothLive(present)).toEqual([['ana', 'lucia']]);
    desk.handover('lucia', 'REST', present);
    expect(desk.bothLive(present)).toEqual([]);
  });

  it('without a partner present there is nothing to hand over or take over', () => {
    const desk = new InterpretationDesk(BOOTH, ['en', 'es']);
    const present = new Set(['lucia']);
    desk.seat('lucia', present);
    expect(codeOf(() => desk.handover('lucia', 'REQUEST', present))).toBe('CONFLICT');
    expect(codeOf(() => desk.handover('lucia', 'TAKE_OVER', present))).toBe('CONFLICT');
    expect(codeOf(() => desk.handover('lucia', 'CANCEL', present))).toBe('CONFLICT');
  });

  it('the live partner leaves: the resting one goes on with their channel', () => {
    const { desk } = booth();
    expect(desk.left('lucia', new Set(['ana']))).toEqual({
      fromParticipantId: 'lucia',
      toParticipantId: 'ana',
      how: 'PARTNER_LEFT',
    });
    expect(channelsOf(desk).ana).toMatchObject({ live: true, renderingInto: 'es' });
  });
});
