import { describe, expect, it } from 'vitest';
import { ErrorCode, type CallState, type InterpretationView } from '@parley/shared';
import { AppError, ForbiddenError } from '../http/AppError.ts';
import {
  alertsFor,
  KeySequence,
  keysFor,
  keysPrompt,
  planCommand,
  refusalPrompt,
  STAR_WINDOW_MS,
} from './PhoneKeypad.ts';

const ATTORNEY = { participantId: 'att', role: 'ATTORNEY' as const };
const INTERPRETER = { participantId: 'int', role: 'INTERPRETER' as const };
const CLIENT = { participantId: 'client:c1', role: 'CLIENT' as const };

function view(over: Partial<CallState> = {}, interpretation: Partial<InterpretationView> = {}): CallState {
  return {
    consultationId: 'c1',
    lobby: false,
    mode: 'CONSECUTIVE',
    renderingInto: null,
    languages: { client: 'es', attorney: 'en' },
    sidebar: { active: false, memberIds: [] },
    participants: [],
    activeSpeakerId: null,
    interpretation: {
      interpreters: [
        {
          participantId: 'int',
          pair: ['en', 'es'],
          input: { kind: 'FLOOR' },
          renderingInto: null,
          live: true,
          partnerIds: [],
        },
      ],
      handovers: [],
      bothLive: [],
      channel: 'en',
      originalLevel: 20,
      pauseRequests: [],
      ...interpretation,
    },
    endsAt: new Date(0).toISOString(),
    warnAt: new Date(0).toISOString(),
    ...over,
  };
}

const pause = (requestId: string, to: string, requestedAt: string, acknowledgedAt: string | null = null) => ({
  requestId,
  fromParticipantId: 'int',
  toParticipantId: to,
  requestedAt,
  acknowledgedAt,
});

describe('KeySequence', () => {
  it('reads * and a digit as one command, once', () => {
    const keys = new KeySequence();
    expect(keys.press('*', 0)).toBeNull();
    expect(keys.press('1', 100)).toBe('1');
    expect(keys.press('1', 200)).toBeNull();
  });

  it('ignores digits without a star, a star past its window, # and the letter keys', () => {
    const keys = new KeySequence();
    expect(keys.press('5', 0)).toBeNull();
    keys.press('*', 0);
    expect(keys.press('5', STAR_WINDOW_MS + 1)).toBeNull();
    keys.press('*', 10_000);
    expect(keys.press('#', 10_100)).toBeNull();
    expect(keys.press('5', 10_200)).toBeNull();
    keys.press('*', 20_000);
    expect(keys.press('A', 20_100)).toBeNull();
  });

  it('a second star starts again', () => {
    const keys = new KeySequence();
    keys.press('*', 0);
    keys.press('*', 3000);
    expect(keys.press('2', 3000 + STAR_WINDOW_MS)).toBe('2');
  });
});

describe('the key map by seat (from the role table the socket gateway checks)', () => {
  it('gives each seat its own keys and everyone *0 and *9', () => {
    expect(keysFor('ATTORNEY')).toEqual(['0', '1', '5', '9']);
    expect(keysFor('INTERPRETER')).toEqual(['0', '2', '3', '4', '9']);
    expect(keysFor('CLIENT')).toEqual(['0', '5', '9']);
    expect(keysPrompt('ATTORNEY')).toBe('keys-attorney');
    expect(keysPrompt('INTERPRETER')).toBe('keys-interpreter');
    expect(keysPrompt('CLIENT')).toBe('keys-client');
  });
});

describe('planCommand', () => {
  it('*1 starts the sidebar, and ends it when one is on', () => {
    expect(planCommand('1', view(), ATTORNEY)).toEqual({
      kind: 'setSidebar',
      active: true,
      then: ['sidebar-on'],
    });
    expect(
      planCommand('1', view({ sidebar: { active: true, memberIds: ['att', 'int'] } }), ATTORNEY),
    ).toEqual({ kind: 'setSidebar', active: false, then: ['sidebar-off'] });
  });

  it('*2 switches to SIMULTANEOUS into the client’s language first (as the console), and back', () => {
    expect(planCommand('2', view(), INTERPRETER)).toEqual({
      kind: 'setInterpretation',
      mode: 'SIMULTANEOUS',
      renderingInto: 'es',
      then: ['simultaneous', 'into-spanish'],
    });
    expect(planCommand('2', view({ mode: 'SIMULTANEOUS', renderingInto: 'es' }), INTERPRETER)).toEqual({
      kind: 'setInterpretation',
      mode: 'CONSECUTIVE',
      renderingInto: null,
      then: ['consecutive'],
    });
  });

  it('*3 turns the light switch to the other language of the interpreter’s own pair', () => {
    const simultaneous = (into: 'en' | 'es' | 'mam', pair: ['en' | 'es', 'es' | 'mam'] = ['en', 'es']) =>
      view(
        { mode: 'SIMULTANEOUS', languages: { client: pair[1], attorney: 'en' } },
        {
          interpreters: [
            {
              participantId: 'int',
              pair,
              input: { kind: 'FLOOR' },
              renderingInto: into,
              live: true,
              partnerIds: [],
            },
          ],
        },
      );
    expect(planCommand('3', simultaneous('es'), INTERPRETER)).toEqual({
      kind: 'setInterpreterOutput',
      renderingInto: 'en',
      then: ['into-english'],
    });
    expect(planCommand('3', simultaneous('en'), INTERPRETER)).toMatchObject({ renderingInto: 'es' });
    // A relay interpreter between Spanish and Mam: into Mam is "the client's language".
    expect(planCommand('3', simultaneous('es', ['es', 'mam']), INTERPRETER)).toEqual({
      kind: 'setInterpreterOutput',
      renderingInto: 'mam',
      then: ['into-client'],
    });
  });

  it('*3 in CONSECUTIVE says to switch to simultaneous first, and asks the call for nothing', () => {
    expect(planCommand('3', view(), INTERPRETER)).toEqual({ kind: 'say', prompts: ['simultaneous-first'] });
  });

  it('*4 accepts a handover asked of the interpreter, else takes over', () => {
    expect(planCommand('4', view(), INTERPRETER)).toMatchObject({ kind: 'handover', action: 'TAKE_OVER' });
    const asked = view(
      {},
      { handovers: [{ fromId: 'partner', toId: 'int', requestedAt: '2026-12-02T08:00:00Z' }] },
    );
    expect(planCommand('4', asked, INTERPRETER)).toMatchObject({ kind: 'handover', action: 'ACCEPT' });
    const askedOfOther = view(
      {},
      { handovers: [{ fromId: 'int', toId: 'partner', requestedAt: '2026-12-02T08:00:00Z' }] },
    );
    expect(planCommand('4', askedOfOther, INTERPRETER)).toMatchObject({ action: 'TAKE_OVER' });
  });

  it('*5 acknowledges the newest open request asked of the caller, and says so when there is none', () => {
    const requests = view(
      {},
      {
        pauseRequests: [
          pause('old', 'att', '2026-12-02T08:00:00.000Z'),
          pause('new', 'att', '2026-12-02T08:00:05.000Z'),
          pause('done', 'att', '2026-12-02T08:00:09.000Z', '2026-12-02T08:00:10.000Z'),
          pause('theirs', 'client:c1', '2026-12-02T08:00:09.000Z'),
        ],
      },
    );
    expect(planCommand('5', requests, ATTORNEY)).toEqual({
      kind: 'acknowledgePause',
      requestId: 'new',
      then: ['pause-acknowledged'],
    });
    expect(planCommand('5', requests, CLIENT)).toMatchObject({ requestId: 'theirs' });
    expect(planCommand('5', view(), ATTORNEY)).toEqual({ kind: 'say', prompts: ['no-pause'] });
  });

  it('*0 and digits without a command say the seat’s keys; *9 switches the prompts’ language', () => {
    expect(planCommand('0', view(), CLIENT)).toEqual({ kind: 'say', prompts: ['keys-client'] });
    expect(planCommand('7', view(), ATTORNEY)).toEqual({ kind: 'say', prompts: ['keys-attorney'] });
    expect(planCommand('9', view(), INTERPRETER)).toEqual({ kind: 'language' });
  });
});

describe('alertsFor', () => {
  it('tells a speaker once of each please-pause asked of them, and an interpreter of a handover asked of them', () => {
    const given = new Set<string>();
    const asked = view({}, { pauseRequests: [pause('p1', 'att', '2026-12-02T08:00:00Z')] });
    expect(alertsFor(asked, 'att', given)).toEqual(['pause-asked']);
    expect(alertsFor(asked, 'att', given)).toEqual([]);
    expect(alertsFor(asked, 'client:c1', new Set())).toEqual([]);
    const again = view(
      {},
      {
        pauseRequests: [
          pause('p1', 'att', '2026-12-02T08:00:00Z'),
          pause('p2', 'att', '2026-12-02T08:00:30Z'),
        ],
      },
    );
    expect(alertsFor(again, 'att', given)).toEqual(['pause-asked']);
    const acknowledged = view(
      {},
      { pauseRequests: [pause('p3', 'att', '2026-12-02T08:01:00Z', '2026-12-02T08:01:01Z')] },
    );
    expect(alertsFor(acknowledged, 'att', given)).toEqual([]);
    const handover = view(
      {},
      { handovers: [{ fromId: 'partner', toId: 'int', requestedAt: '2026-12-02T08:02:00Z' }] },
    );
    expect(alertsFor(handover, 'int', new Set())).toEqual(['handover-asked']);
    expect(alertsFor(handover, 'partner', new Set())).toEqual([]);
  });
});

describe('refusalPrompt', () => {
  it('says why by the error’s stable code', () => {
    expect(refusalPrompt(new ForbiddenError(ErrorCode.FORBIDDEN_ROLE, 'no'))).toBe('not-allowed');
    expect(refusalPrompt(new AppError(ErrorCode.RATE_LIMITED, 'slow', 429))).toBe('too-fast');
    expect(refusalPrompt(new AppError(ErrorCode.CONFLICT, 'no partner', 409))).toBe('not-now');
    expect(refusalPrompt(new RangeError('bad'))).toBe('not-now');
  });
});
