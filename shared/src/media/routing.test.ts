import { describe, expect, it } from 'vitest';
import type { InterpretationMode } from '../scheduling/consultations.schema.ts';
import {
  DUCKED_GAIN,
  SIDEBAR_BACKGROUND_GAIN,
  gainsForListener,
  planAudioRouting,
  planVideoRouting,
  routeFor,
} from './routing.ts';
import {
  AudioRoutingPlanSchema,
  RoutingInputSchema,
  type AudioRoutingPlan,
  type InterpreterState,
  type RouteDecision,
  type RoutingParticipant,
  type Sidebar,
} from './routing.schema.ts';

const attorney: RoutingParticipant = { id: 'attorney', role: 'ATTORNEY', language: 'en' };
const interpreter: RoutingParticipant = { id: 'interpreter', role: 'INTERPRETER', language: 'es' };
const client: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'es' };
const staff: RoutingParticipant = { id: 'staff', role: 'STAFF', language: 'en' };
const CALL = [attorney, interpreter, client, staff];

const CONSECUTIVE: InterpretationMode = 'CONSECUTIVE';
const SIMULTANEOUS: InterpretationMode = 'SIMULTANEOUS';
const IDLE: InterpreterState = { renderingInto: null };
const TO_CLIENT: InterpreterState = { renderingInto: 'es' };
const TO_ATTORNEY: InterpreterState = { renderingInto: 'en' };

/** A gain, or the reason a pair is not sent. */
type Expected = number | string;

/**
 * Asserts the whole matrix among the non-staff participants of CALL: `'listener<-speaker'` →
 * a gain, or the reason it is not sent. Self and staff pairs are checked by the invariants.
 */
function expectMatrix(plan: AudioRoutingPlan, expected: Record<string, Expected>): void {
  const actual: Record<string, Expected> = {};
  for (const key of Object.keys(expected)) {
    const [listenerId, speakerId] = key.split('<-') as [string, string];
    const d = routeFor(plan, listenerId, speakerId);
    actual[key] = d.sent ? d.gain : d.reason;
  }
  expect(actual).toEqual(expected);
}

describe('planAudioRouting: the three-party call', () => {
  it('CONSECUTIVE: everyone hears everyone at full gain', () => {
    expectMatrix(planAudioRouting(CALL, CONSECUTIVE, IDLE, []), {
      'attorney<-interpreter': 1,
      'attorney<-client': 1,
      'interpreter<-attorney': 1,
      'interpreter<-client': 1,
      'client<-attorney': 1,
      'client<-interpreter': 1,
    });
  });

  it('CONSECUTIVE ignores a left-over interpreter direction', () => {
    expect(planAudioRouting(CALL, CONSECUTIVE, TO_CLIENT, [])).toEqual(
      planAudioRouting(CALL, CONSECUTIVE, IDLE, []),
    );
  });

  it("SIMULTANEOUS toward the client's language: the client hears the interpreter over the ducked attorney; the attorney gets none of the interpreter", () => {
    expectMatrix(planAudioRouting(CALL, SIMULTANEOUS, TO_CLIENT, []), {
      'client<-interpreter': 1,
      'client<-attorney': DUCKED_GAIN,
      'attorney<-interpreter': 'OTHER_DIRECTION',
      'attorney<-client': 1,
      'interpreter<-attorney': 1,
      'interpreter<-client': 1,
    });
  });

  it('SIMULTANEOUS toward English: the attorney hears the interpreter over the ducked client; the client gets none of the interpreter', () => {
    expectMatrix(planAudioRouting(CALL, SIMULTANEOUS, TO_ATTORNEY, []), {
      'attorney<-interpreter': 1,
      'attorney<-client': DUCKED_GAIN,
      'client<-interpreter': 'OTHER_DIRECTION',
      'client<-attorney': 1,
      'interpreter<-attorney': 1,
      'interpreter<-client': 1,
    });
  });

  it('SIMULTANEOUS before the first toggle behaves like CONSECUTIVE', () => {
    expect(planAudioRouting(CALL, SIMULTANEOUS, IDLE, [])).toEqual(
      planAudioRouting(CALL, CONSECUTIVE, IDLE, []),
    );
  });

  it('SIMULTANEOUS without an interpreter in the call ducks nobody', () => {
    const plan = planAudioRouting([attorney, client], SIMULTANEOUS, TO_CLIENT, []);
    expectMatrix(plan, { 'client<-attorney': 1, 'attorney<-client': 1 });
  });

  for (const [mode, state] of [
    [CONSECUTIVE, IDLE],
    [SIMULTANEOUS, TO_CLIENT],
    [SIMULTANEOUS, TO_ATTORNEY],
  ] as const) {
    it(`attorney + interpreter sidebar (${mode}, ${String(state.renderingInto)}): the client receives nothing of either; they hear each other fully and the client in the background`, () => {
      expectMatrix(
        planAudioRouting(CALL, mode, state, [{ id: 's1', memberIds: ['attorney', 'interpreter'] }]),
        {
          'client<-attorney': 'SIDEBAR_PRIVACY',
          'client<-interpreter': 'SIDEBAR_PRIVACY',
          'attorney<-interpreter': 1,
          'interpreter<-attorney': 1,
          'attorney<-client': SIDEBAR_BACKGROUND_GAIN,
          'interpreter<-client': SIDEBAR_BACKGROUND_GAIN,
        },
      );
    });
  }

  it('interpreter + client sidebar: the attorney receives nothing of either', () => {
    expectMatrix(
      planAudioRouting(CALL, CONSECUTIVE, IDLE, [{ id: 's1', memberIds: ['interpreter', 'client'] }]),
      {
        'attorney<-interpreter': 'SIDEBAR_PRIVACY',
        'attorney<-client': 'SIDEBAR_PRIVACY',
        'interpreter<-client': 1,
        'client<-interpreter': 1,
        'interpreter<-attorney': SIDEBAR_BACKGROUND_GAIN,
        'client<-attorney': SIDEBAR_BACKGROUND_GAIN,
      },
    );
  });

  it('a sidebar member does not hear the main-room interpreter rendering into another language', () => {
    // The attorney steps aside with the client; the interpreter, left in the main room, renders into Spanish.
    const plan = planAudioRouting(CALL, SIMULTANEOUS, TO_CLIENT, [
      { id: 's1', memberIds: ['attorney', 'client'] },
    ]);
    expectMatrix(plan, {
      'attorney<-interpreter': 'OTHER_DIRECTION',
      'client<-interpreter': SIDEBAR_BACKGROUND_GAIN,
      'interpreter<-attorney': 'SIDEBAR_PRIVACY',
      'interpreter<-client': 'SIDEBAR_PRIVACY',
      'attorney<-client': 1,
      'client<-attorney': 1,
    });
  });

  it('staff receive nothing and send nothing, in every mode', () => {
    for (const [mode, state] of [
      [CONSECUTIVE, IDLE],
      [SIMULTANEOUS, TO_CLIENT],
    ] as const) {
      const plan = planAudioRouting(CALL, mode, state, []);
      expect(gainsForListener(plan, 'staff')).toEqual({});
      for (const p of CALL)
        expect(routeFor(plan, p.id, 'staff')).toEqual({
          sent: false,
          reason: p.id === 'staff' ? 'SELF' : 'STAFF',
        });
    }
  });

  it('gainsForListener lists exactly the speakers sent, with their gains', () => {
    const plan = planAudioRouting(CALL, SIMULTANEOUS, TO_CLIENT, []);
    expect(gainsForListener(plan, 'client')).toEqual({ attorney: DUCKED_GAIN, interpreter: 1 });
    expect(gainsForListener(plan, 'attorney')).toEqual({ client: 1 });
  });

  it('fails closed for a pair the plan was not made for', () => {
    const plan = planAudioRouting(CALL, CONSECUTIVE, IDLE, []);
    expect(routeFor(plan, 'attorney', 'someone-new')).toEqual({ sent: false, reason: 'NOT_IN_PLAN' });
  });
});

// ---------------------------------------------------------------------------------------------
// Invariants over every combination: participant sets (every subset of a pool with two of each
// media role and one staff member), both modes, every interpreter state, and every sidebar.

const POOL: RoutingParticipant[] = [
  { id: 'a1', role: 'ATTORNEY', language: 'en' },
  { id: 'a2', role: 'ATTORNEY', language: 'en' },
  { id: 'i1', role: 'INTERPRETER', language: 'es' },
  { id: 'i2', role: 'INTERPRETER', language: 'es' },
  { id: 'c1', role: 'CLIENT', language: 'es' },
  { id: 'c2', role: 'CLIENT', language: 'ht' },
  { id: 's1', role: 'STAFF', language: 'en' },
];
const STATES: InterpreterState[] = [
  IDLE,
  TO_CLIENT,
  TO_ATTORNEY,
  { renderingInto: 'ht' },
  { renderingInto: 'fr' },
];
const MODES: InterpretationMode[] = [CONSECUTIVE, SIMULTANEOUS];

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++)
    out.push(items.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/** Every way to put each participant in no sidebar, sidebar x or sidebar y (disjoint sidebars). */
function sidebarAssignments(participants: readonly RoutingParticipant[], maxTwo: boolean): Sidebar[][] {
  const out: Sidebar[][] = [];
  const base = maxTwo ? 3 : 2;
  const total = base ** participants.length;
  for (let code = 0; code < total; code++) {
    const x: string[] = [];
    const y: string[] = [];
    let rest = code;
    for (const p of participants) {
      const slot = rest % base;
      rest = Math.floor(rest / base);
      if (slot === 1) x.push(p.id);
      if (slot === 2) y.push(p.id);
    }
    const sidebars: Sidebar[] = [];
    if (x.length > 0) sidebars.push({ id: 'x', memberIds: x });
    if (y.length > 0) sidebars.push({ id: 'y', memberIds: y });
    out.push(sidebars);
  }
  return out;
}

interface Case {
  participants: RoutingParticipant[];
  mode: InterpretationMode;
  state: InterpreterState;
  sidebars: Sidebar[];
}

function* allCases(): Generator<Case> {
  for (const participants of subsets(POOL)) {
    // Two disjoint sidebars for calls of up to five; one sidebar (every subset) for larger ones.
    const assignments = sidebarAssignments(participants, participants.length <= 5);
    for (const mode of MODES) {
      for (const state of mode === CONSECUTIVE ? [IDLE] : STATES) {
        for (const sidebars of assignments) yield { participants, mode, state, sidebars };
      }
    }
  }
}

/** routeFor is a linear scan; over tens of thousands of plans the tests index each plan once. */
function lookup(plan: AudioRoutingPlan): (listenerId: string, speakerId: string) => RouteDecision {
  const byPair = new Map(plan.routes.map((r) => [`${r.listenerId}<-${r.speakerId}`, r.decision]));
  return (listenerId, speakerId) =>
    byPair.get(`${listenerId}<-${speakerId}`) ?? { sent: false, reason: 'NOT_IN_PLAN' };
}

function sidebarOf(sidebars: readonly Sidebar[], id: string): string | undefined {
  return sidebars.find((s) => s.memberIds.includes(id))?.id;
}

function describeCase(c: Case): string {
  return `${c.mode} ${String(c.state.renderingInto)} [${c.participants.map((p) => p.id).join(',')}] ${JSON.stringify(c.sidebars)}`;
}

/** Collects violations instead of calling expect per pair: tens of thousands of plans stay fast. */
function checkInvariants(c: Case, plan: AudioRoutingPlan, violations: string[]): void {
  const fail = (what: string) => violations.push(`${what} in ${describeCase(c)}`);
  const { participants, mode, state, sidebars } = c;
  if (plan.routes.length !== participants.length ** 2) fail('not every pair is decided');
  const interpreterInMain = participants.some((p) => p.role === 'INTERPRETER' && !sidebarOf(sidebars, p.id));
  const decide = lookup(plan);
  for (const listener of participants) {
    for (const speaker of participants) {
      const d = decide(listener.id, speaker.id);
      const pair = `${listener.id}<-${speaker.id}`;
      const ls = sidebarOf(sidebars, listener.id);
      const ss = sidebarOf(sidebars, speaker.id);
      if (listener.id === speaker.id) {
        if (d.sent || d.reason !== 'SELF') fail(`self-routing ${pair}`);
        continue;
      }
      if (listener.role === 'STAFF' || speaker.role === 'STAFF') {
        if (d.sent) fail(`staff media ${pair}`);
        continue;
      }
      // Privacy: nobody outside a sidebar gets a member of it.
      if (ss !== undefined && ls !== ss) {
        if (d.sent || d.reason !== 'SIDEBAR_PRIVACY') fail(`sidebar leak ${pair}`);
        continue;
      }
      // Members of one sidebar hear each other fully, whatever the mode.
      if (ss !== undefined && ls === ss) {
        if (!d.sent || d.gain !== 1) fail(`sidebar members not at full gain ${pair}`);
        continue;
      }
      if (d.sent && d.gain !== 1 && d.gain !== DUCKED_GAIN && d.gain !== SIDEBAR_BACKGROUND_GAIN)
        fail(`odd gain ${pair}`);
      if (d.sent && d.gain <= 0) fail(`sent at zero gain ${pair}`);
      // A sidebar member hears the main room only in the background.
      if (ls !== undefined && d.sent && d.gain > SIDEBAR_BACKGROUND_GAIN)
        fail(`main room too loud in sidebar ${pair}`);
      const target = mode === SIMULTANEOUS ? state.renderingInto : null;
      if (target === null) {
        if (ls === undefined && (!d.sent || d.gain !== 1)) fail(`not everyone hears everyone ${pair}`);
        continue;
      }
      // SIMULTANEOUS with a direction.
      if (listener.role === 'INTERPRETER') {
        if (!d.sent) fail(`interpreter misses the original ${pair}`);
      } else if (speaker.role === 'INTERPRETER') {
        if (d.sent !== (listener.language === target))
          fail(`interpreter sent to the wrong direction ${pair}`);
        if (!d.sent && d.reason !== 'OTHER_DIRECTION') fail(`wrong reason ${pair}`);
      } else {
        if (!d.sent) fail(`original speech dropped ${pair}`);
        const ducked = listener.language === target && speaker.language !== target && interpreterInMain;
        if (ls === undefined && d.sent && d.gain !== (ducked ? DUCKED_GAIN : 1))
          fail(`ducking wrong ${pair}`);
      }
    }
  }
}

// Exhaustive: tens of thousands of plans take seconds on a busy 2-core machine; a timeout, not a timing assertion.
describe(
  'planAudioRouting: invariants over every mode × role combination × interpreter state × sidebar',
  { timeout: 60_000 },
  () => {
    it('holds privacy, staff, self, sidebar, direction and ducking rules everywhere', () => {
      const violations: string[] = [];
      let count = 0;
      for (const c of allCases()) {
        count++;
        checkInvariants(c, planAudioRouting(c.participants, c.mode, c.state, c.sidebars), violations);
      }
      expect(count).toBeGreaterThan(50_000);
      expect(violations.slice(0, 20)).toEqual([]);
    });

    it('main-room pairs are decided as if the sidebar members were not in the call', () => {
      const violations: string[] = [];
      for (const c of allCases()) {
        if (c.sidebars.length === 0) continue;
        const main = c.participants.filter((p) => !sidebarOf(c.sidebars, p.id));
        const whole = planAudioRouting(c.participants, c.mode, c.state, c.sidebars);
        const alone = planAudioRouting(main, c.mode, c.state, []);
        const decide = lookup(whole);
        for (const route of alone.routes) {
          if (JSON.stringify(decide(route.listenerId, route.speakerId)) !== JSON.stringify(route.decision)) {
            violations.push(`${route.listenerId}<-${route.speakerId} in ${describeCase(c)}`);
          }
        }
      }
      expect(violations.slice(0, 20)).toEqual([]);
    });

    it('does not depend on the order of participants or sidebars', () => {
      const violations: string[] = [];
      for (const c of allCases()) {
        if (c.participants.length < 4 || c.sidebars.length < 2) continue;
        const a = planAudioRouting(c.participants, c.mode, c.state, c.sidebars);
        const b = lookup(
          planAudioRouting([...c.participants].reverse(), c.mode, c.state, [...c.sidebars].reverse()),
        );
        for (const route of a.routes) {
          if (JSON.stringify(b(route.listenerId, route.speakerId)) !== JSON.stringify(route.decision)) {
            violations.push(`${route.listenerId}<-${route.speakerId} in ${describeCase(c)}`);
          }
        }
      }
      expect(violations.slice(0, 20)).toEqual([]);
    });

    it('produces plans the socket schema accepts', () => {
      const plan = planAudioRouting(POOL, SIMULTANEOUS, TO_CLIENT, [{ id: 'x', memberIds: ['a1', 'i1'] }]);
      expect(AudioRoutingPlanSchema.parse(plan)).toEqual(plan);
    });
  },
);

describe('planVideoRouting', { timeout: 60_000 }, () => {
  it('applies the privacy rules and nothing else', () => {
    const violations: string[] = [];
    for (const c of allCases()) {
      if (c.mode !== CONSECUTIVE) continue;
      const video = planVideoRouting(c.participants, c.sidebars);
      const audio = planAudioRouting(c.participants, CONSECUTIVE, IDLE, c.sidebars);
      const decideVideo = lookup(video);
      for (const route of audio.routes) {
        const v = decideVideo(route.listenerId, route.speakerId);
        const expected: RouteDecision = route.decision.sent ? { sent: true, gain: 1 } : route.decision;
        if (JSON.stringify(v) !== JSON.stringify(expected))
          violations.push(`${route.listenerId}<-${route.speakerId} in ${describeCase(c)}`);
      }
    }
    expect(violations.slice(0, 20)).toEqual([]);
  });
});

describe('RoutingInputSchema', () => {
  const valid = { participants: CALL, mode: 'SIMULTANEOUS', interpreterState: TO_CLIENT, sidebars: [] };

  it('accepts a well-formed call', () => {
    expect(RoutingInputSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['a duplicate participant', { ...valid, participants: [...CALL, attorney] }],
    ['an unknown role', { ...valid, participants: [{ ...attorney, role: 'JUDGE' }] }],
    ['an unknown language', { ...valid, participants: [{ ...attorney, language: 'xx' }] }],
    ['an unknown mode', { ...valid, mode: 'SIDEBAR' }],
    ['an unknown direction', { ...valid, interpreterState: { renderingInto: 'xx' } }],
    ['a sidebar of someone not in the call', { ...valid, sidebars: [{ id: 's', memberIds: ['nobody'] }] }],
    ['an empty sidebar', { ...valid, sidebars: [{ id: 's', memberIds: [] }] }],
    [
      'overlapping sidebars',
      {
        ...valid,
        sidebars: [
          { id: 's', memberIds: ['attorney', 'interpreter'] },
          { id: 't', memberIds: ['interpreter', 'client'] },
        ],
      },
    ],
    ['an extra field', { ...valid, extra: true }],
  ])('refuses %s', (_name, input) => {
    expect(RoutingInputSchema.safeParse(input).success).toBe(false);
  });
});

describe('a lobby (a sidebar that does not hear the main room)', () => {
  const people = [
    { id: 'att', role: 'ATTORNEY', language: 'en' },
    { id: 'int', role: 'INTERPRETER', language: 'es' },
    { id: 'cli', role: 'CLIENT', language: 'es' },
  ] as const;
  const lobby = { id: 'lobby', memberIds: ['cli'], hearsMainRoom: false };

  it('keeps the waiting client from hearing anyone or being heard', () => {
    for (const mode of ['CONSECUTIVE', 'SIMULTANEOUS'] as const) {
      for (const renderingInto of [null, 'en', 'es'] as const) {
        const plan = planAudioRouting(people, mode, { renderingInto }, [lobby]);
        for (const other of ['att', 'int']) {
          expect(routeFor(plan, 'cli', other).sent).toBe(false);
          expect(routeFor(plan, other, 'cli').sent).toBe(false);
        }
        // The attorney and interpreter still hear each other (as the mode allows).
        expect(routeFor(plan, 'int', 'att').sent).toBe(true);
        const video = planVideoRouting(people, [lobby]);
        expect(routeFor(video, 'cli', 'att').sent).toBe(false);
      }
    }
  });

  it('leaves an ordinary sidebar hearing the main room in the background', () => {
    const plan = planAudioRouting(people, 'CONSECUTIVE', { renderingInto: null }, [
      { id: 'side', memberIds: ['att', 'int'] },
    ]);
    expect(routeFor(plan, 'att', 'cli')).toEqual({ sent: true, gain: 0.2 });
    expect(routeFor(plan, 'cli', 'att').sent).toBe(false);
  });
});
