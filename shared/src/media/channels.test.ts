import { describe, expect, it } from 'vitest';
import type { LanguageCode } from '../languages.ts';
import type { InterpretationMode } from '../scheduling/consultations.schema.ts';
import { ChannelRoutingInputSchema } from './channels.schema.ts';
import { DUCKED_GAIN, SIDEBAR_BACKGROUND_GAIN, planAudioRouting, planChannelRouting } from './routing.ts';
import type {
  AudioRoutingPlan,
  InterpreterChannel,
  InterpreterInput,
  RouteDecision,
  RoutingParticipant,
  Sidebar,
} from './routing.schema.ts';

/**
 * The channel plan (issue 17): relay through a pivot language, booth partners and each listener's
 * own channel. The invariants are checked exhaustively over small calls: every interpreter state of
 * a three-interpreter relay call, and every sidebar/lobby/absence layout of the pool.
 */

const attorney: RoutingParticipant = { id: 'attorney', role: 'ATTORNEY', language: 'en' };
const mamClient: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'mam' };
const spanishClient: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'es' };
/** English ↔ Spanish, and their booth partner. */
const spanish: RoutingParticipant = { id: 'spanish', role: 'INTERPRETER', language: 'es' };
const partner: RoutingParticipant = { id: 'partner', role: 'INTERPRETER', language: 'es' };
/** Spanish ↔ Mam. */
const mam: RoutingParticipant = { id: 'mam', role: 'INTERPRETER', language: 'mam' };
const staff: RoutingParticipant = { id: 'staff', role: 'STAFF', language: 'en' };

const PAIRS: Record<string, [LanguageCode, LanguageCode]> = {
  spanish: ['en', 'es'],
  partner: ['en', 'es'],
  mam: ['es', 'mam'],
};
const SIMULTANEOUS: InterpretationMode = 'SIMULTANEOUS';
const CONSECUTIVE: InterpretationMode = 'CONSECUTIVE';
const MODES: readonly InterpretationMode[] = [SIMULTANEOUS, CONSECUTIVE];

function channel(
  id: string,
  renderingInto: LanguageCode | null,
  input: InterpreterInput = { kind: 'FLOOR' },
  live = true,
): InterpreterChannel {
  return { id, pair: PAIRS[id], input, renderingInto, live };
}
const relayFrom = (fromId: string): InterpreterInput => ({ kind: 'RELAY', fromId });

type Expected = number | string;
function matrix(plan: AudioRoutingPlan, keys: string[]): Record<string, Expected> {
  const decide = lookup(plan);
  const out: Record<string, Expected> = {};
  for (const key of keys) {
    const [listenerId, speakerId] = key.split('<-') as [string, string];
    const d = decide(listenerId, speakerId);
    out[key] = d.sent ? d.gain : d.reason;
  }
  return out;
}
function expectMatrix(plan: AudioRoutingPlan, expected: Record<string, Expected>): void {
  expect(matrix(plan, Object.keys(expected))).toEqual(expected);
}

function lookup(plan: AudioRoutingPlan): (listenerId: string, speakerId: string) => RouteDecision {
  const byPair = new Map(plan.routes.map((r) => [`${r.listenerId}<-${r.speakerId}`, r.decision]));
  return (l, s) => byPair.get(`${l}<-${s}`) ?? { sent: false, reason: 'NOT_IN_PLAN' };
}

describe('planChannelRouting: relay through Spanish (attorney en ↔ Spanish interpreter ↔ Mam interpreter ↔ client mam)', () => {
  const call = [attorney, spanish, mam, mamClient];

  it('the attorney speaks: Spanish renders into es from the floor, Mam relays from Spanish into mam', () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('mam', 'mam', relayFrom('spanish'))],
      sidebars: [],
    });
    expectMatrix(plan, {
      // The client hears their channel: the Mam interpreter over the ducked attorney, nothing of Spanish.
      'client<-mam': 1,
      'client<-attorney': DUCKED_GAIN,
      'client<-spanish': 'OTHER_DIRECTION',
      // The attorney receives nothing of the Spanish or Mam channels, and the client's original.
      'attorney<-spanish': 'OTHER_DIRECTION',
      'attorney<-mam': 'OTHER_DIRECTION',
      'attorney<-client': 1,
      // The relay interpreter hears their source at full level and the floor ducked under it.
      'mam<-spanish': 1,
      'mam<-attorney': DUCKED_GAIN,
      'mam<-client': DUCKED_GAIN,
      // The pivot interpreter works from the floor; the mam channel is not a language of their pair.
      'spanish<-attorney': 1,
      'spanish<-client': 1,
      'spanish<-mam': 'OTHER_DIRECTION',
    });
  });

  it('the client speaks: Mam renders into es from the floor, Spanish relays from Mam into en', () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('mam', 'es'), channel('spanish', 'en', relayFrom('mam'))],
      sidebars: [],
    });
    expectMatrix(plan, {
      'attorney<-spanish': 1,
      'attorney<-client': DUCKED_GAIN,
      'attorney<-mam': 'OTHER_DIRECTION',
      'client<-spanish': 'OTHER_DIRECTION',
      'client<-mam': 'OTHER_DIRECTION',
      'client<-attorney': 1,
      'spanish<-mam': 1,
      'spanish<-client': DUCKED_GAIN,
      'mam<-client': 1,
      // English is not a language of the Mam interpreter's pair: nothing of that channel.
      'mam<-spanish': 'OTHER_DIRECTION',
    });
  });

  it("a listener's chosen level of the original replaces the default duck, for them only", () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('mam', 'mam', relayFrom('spanish'))],
      sidebars: [],
      originalLevels: { client: 0, attorney: 0.5 },
    });
    expectMatrix(plan, { 'client<-attorney': 0, 'attorney<-client': 1, 'mam<-attorney': DUCKED_GAIN });
  });

  it('a sidebar of the attorney with the Spanish interpreter reaches neither the Mam interpreter nor the client', () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('mam', 'mam', relayFrom('spanish'))],
      sidebars: [{ id: 's', memberIds: ['attorney', 'spanish'] }],
    });
    expectMatrix(plan, {
      'mam<-spanish': 'SIDEBAR_PRIVACY',
      'mam<-attorney': 'SIDEBAR_PRIVACY',
      'client<-spanish': 'SIDEBAR_PRIVACY',
      'client<-attorney': 'SIDEBAR_PRIVACY',
      'attorney<-spanish': 1,
      'spanish<-attorney': 1,
      // The client's channel has no live interpretation in the main room any more: Mam's source is
      // in the sidebar, but Mam itself is live in the main room rendering into mam.
      'client<-mam': 1,
    });
  });

  it('CONSECUTIVE stays "everyone hears everyone", whatever the channel states', () => {
    const plan = planChannelRouting({
      participants: [...call, partner],
      mode: CONSECUTIVE,
      interpreters: [
        channel('spanish', 'es'),
        channel('mam', 'mam', relayFrom('spanish')),
        channel('partner', 'en', undefined, false),
      ],
      sidebars: [],
    });
    for (const route of plan.routes) {
      if (route.listenerId === route.speakerId) continue;
      expect(route.decision).toEqual({ sent: true, gain: 1 });
    }
  });
});

describe('planChannelRouting: booth partners', () => {
  const call = [attorney, spanish, partner, spanishClient];

  it('the resting partner hears the floor and the live partner; listeners hear only the live one', () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('partner', null, undefined, false)],
      sidebars: [],
    });
    expectMatrix(plan, {
      'client<-spanish': 1,
      'client<-partner': 'PARTNER_RESTING',
      'attorney<-partner': 'PARTNER_RESTING',
      'client<-attorney': DUCKED_GAIN,
      'partner<-attorney': 1,
      'partner<-client': 1,
      'partner<-spanish': 1,
      'spanish<-partner': 1,
    });
  });

  it('a handover swaps who the listeners hear, in one plan', () => {
    const before = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('partner', 'es', undefined, false)],
      sidebars: [],
    });
    const after = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es', undefined, false), channel('partner', 'es')],
      sidebars: [],
    });
    expect(matrix(before, ['client<-spanish', 'client<-partner'])).toEqual({
      'client<-spanish': 1,
      'client<-partner': 'PARTNER_RESTING',
    });
    expect(matrix(after, ['client<-spanish', 'client<-partner'])).toEqual({
      'client<-spanish': 'PARTNER_RESTING',
      'client<-partner': 1,
    });
  });

  it('both live: both are heard (the console warns; the plan never silences a live interpreter)', () => {
    const plan = planChannelRouting({
      participants: call,
      mode: SIMULTANEOUS,
      interpreters: [channel('spanish', 'es'), channel('partner', 'es')],
      sidebars: [],
    });
    expectMatrix(plan, { 'client<-spanish': 1, 'client<-partner': 1 });
  });
});

describe('planChannelRouting ≡ planAudioRouting for one interpreter', () => {
  it('the light switch is a channel state: same plan for every direction, mode and sidebar', () => {
    const call = [attorney, spanish, spanishClient, staff];
    const sidebars: Sidebar[][] = [
      [],
      [{ id: 's', memberIds: ['attorney', 'spanish'] }],
      [{ id: 'lobby', memberIds: ['client'], hearsMainRoom: false }],
    ];
    for (const mode of [SIMULTANEOUS, CONSECUTIVE])
      for (const into of [null, 'en', 'es'] as const)
        for (const s of sidebars) {
          const single = planAudioRouting(call, mode, { renderingInto: into }, s);
          const channels = planChannelRouting({
            participants: call,
            mode,
            interpreters: [{ id: 'spanish', input: { kind: 'FLOOR' }, renderingInto: into, live: true }],
            sidebars: s,
          });
          expect(channels).toEqual(single);
        }
  });
});

describe('planAudioRouting with per-interpreter channels (what a live call hands the media room)', () => {
  it('is planChannelRouting over the channels and the original levels', () => {
    const interpreters = [channel('spanish', 'en', relayFrom('mam')), channel('mam', 'es')];
    const originalLevels = { attorney: 0.55 };
    for (const mode of MODES) {
      for (const sidebars of [[], [{ id: 's', memberIds: ['attorney', 'spanish'] }]]) {
        const participants = [attorney, spanish, mam, mamClient];
        expect(
          planAudioRouting(
            participants,
            mode,
            { renderingInto: 'en', channels: interpreters, originalLevels },
            sidebars,
          ),
        ).toEqual(planChannelRouting({ participants, mode, interpreters, sidebars, originalLevels }));
      }
    }
  });

  it('an empty channel list is not the shared light switch: interpreters default to into nobody', () => {
    const plan = planAudioRouting(
      [attorney, spanish, mamClient],
      SIMULTANEOUS,
      { renderingInto: 'es', channels: [] },
      [],
    );
    expect(plan).toEqual(
      planChannelRouting({
        participants: [attorney, spanish, mamClient],
        mode: SIMULTANEOUS,
        interpreters: [],
        sidebars: [],
      }),
    );
  });
});

describe('ChannelRoutingInputSchema', () => {
  const base = { participants: [attorney, spanish, mam, mamClient], mode: SIMULTANEOUS, sidebars: [] };

  it('accepts a relay call', () => {
    const input = {
      ...base,
      interpreters: [channel('spanish', 'es'), channel('mam', 'mam', relayFrom('spanish'))],
    };
    expect(ChannelRoutingInputSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    [
      'rendering outside the pair',
      [channel('spanish', 'es'), { ...channel('mam', 'mam'), renderingInto: 'en' }],
    ],
    ['relaying from oneself', [channel('mam', 'mam', relayFrom('mam'))]],
    ['relaying from someone who is not an interpreter', [channel('mam', 'mam', relayFrom('attorney'))]],
    ['a pair of one language', [{ ...channel('spanish', 'es'), pair: ['es', 'es'] }]],
    ['two states for one interpreter', [channel('spanish', 'es'), channel('spanish', 'en')]],
  ])('refuses %s', (_, interpreters) => {
    expect(ChannelRoutingInputSchema.safeParse({ ...base, interpreters }).success).toBe(false);
  });

  it('refuses an original level outside 0–1', () => {
    const input = { ...base, interpreters: [], originalLevels: { client: 1.5 } };
    expect(ChannelRoutingInputSchema.safeParse(input).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Invariants, exhaustively over small calls.

interface Case {
  participants: RoutingParticipant[];
  mode: InterpretationMode;
  interpreters: InterpreterChannel[];
  sidebars: Sidebar[];
  originalLevels: Record<string, number>;
}

function describeCase(c: Case): string {
  return JSON.stringify({
    p: c.participants.map((p) => `${p.id}:${p.language}`),
    mode: c.mode,
    i: c.interpreters,
    s: c.sidebars,
    o: c.originalLevels,
  });
}

/**
 * Checks one plan against the rules stated independently of the implementation. Collects
 * violations instead of calling expect per pair: hundreds of thousands of pairs stay fast.
 */
function checkInvariants(c: Case, plan: AudioRoutingPlan, violations: string[]): void {
  const fail = (what: string) => {
    if (violations.length < 20) violations.push(`${what} in ${describeCase(c)}`);
  };
  const { participants, mode, sidebars } = c;
  if (plan.routes.length !== participants.length ** 2) fail('not every pair is decided');
  const sidebarOf = (id: string) => sidebars.find((s) => s.memberIds.includes(id));
  const present = new Set(participants.map((p) => p.id));
  const state = (id: string): InterpreterChannel =>
    c.interpreters.find((i) => i.id === id) ?? {
      id,
      input: { kind: 'FLOOR' },
      renderingInto: null,
      live: true,
    };
  const interpreted = (language: LanguageCode) =>
    participants.some((p) => {
      if (p.role !== 'INTERPRETER' || sidebarOf(p.id)) return false;
      const s = state(p.id);
      return s.live && s.renderingInto === language;
    });
  const decide = lookup(plan);
  for (const listener of participants) {
    for (const speaker of participants) {
      const d = decide(listener.id, speaker.id);
      const pair = `${listener.id}<-${speaker.id}`;
      const ls = sidebarOf(listener.id);
      const ss = sidebarOf(speaker.id);
      if (d.sent && (d.gain < 0 || d.gain > 1)) fail(`gain out of range ${pair}`);
      if (listener.id === speaker.id) {
        if (d.sent || d.reason !== 'SELF') fail(`self-routing ${pair}`);
        continue;
      }
      if (listener.role === 'STAFF' || speaker.role === 'STAFF') {
        if (d.sent) fail(`staff media ${pair}`);
        continue;
      }
      // Privacy first: nothing of a sidebar (or a lobby) reaches anyone outside it.
      if (ss !== undefined && ls !== ss) {
        if (d.sent || d.reason !== 'SIDEBAR_PRIVACY') fail(`sidebar leak ${pair}`);
        continue;
      }
      if (ss !== undefined) {
        if (!d.sent || d.gain !== 1) fail(`sidebar members not at full gain ${pair}`);
        continue;
      }
      // The speaker is in the main room.
      if (ls?.hearsMainRoom === false) {
        if (d.sent) fail(`lobby hears the main room ${pair}`);
        continue;
      }
      if (ls !== undefined && d.sent && d.gain > SIDEBAR_BACKGROUND_GAIN)
        fail(`main room too loud in sidebar ${pair}`);
      const full = ls === undefined ? 1 : SIDEBAR_BACKGROUND_GAIN;
      if (mode === CONSECUTIVE) {
        if (!d.sent || d.gain !== full) fail(`consecutive: not everyone hears everyone ${pair}`);
        continue;
      }
      if (listener.role === 'INTERPRETER') {
        const me = state(listener.id);
        if (speaker.role !== 'INTERPRETER') {
          // An interpreter never loses the original; relaying, it is ducked under the source.
          const expected = me.input.kind === 'FLOOR' ? full : Math.min(full, DUCKED_GAIN);
          if (!d.sent || d.gain !== expected) fail(`interpreter's original wrong ${pair}`);
          continue;
        }
        const other = state(speaker.id);
        const isSource = me.input.kind === 'RELAY' && me.input.fromId === speaker.id;
        const isPartner =
          !!me.pair && !!other.pair && me.pair.includes(other.pair[0]) && me.pair.includes(other.pair[1]);
        if (isSource || isPartner) {
          if (!d.sent || d.gain !== full) fail(`relay source or partner not heard ${pair}`);
          continue;
        }
        const understood = other.renderingInto === null || !me.pair || me.pair.includes(other.renderingInto);
        if (d.sent !== (other.live && understood)) fail(`interpreter hears the wrong channel ${pair}`);
        continue;
      }
      // A listener on the floor hears their own channel and nothing of the others.
      if (speaker.role === 'INTERPRETER') {
        const other = state(speaker.id);
        const theirs =
          other.live && (other.renderingInto === null || other.renderingInto === listener.language);
        if (d.sent !== theirs) fail(`another channel's packets sent ${pair}`);
        if (!d.sent && d.reason !== (other.live ? 'OTHER_DIRECTION' : 'PARTNER_RESTING'))
          fail(`wrong reason ${pair}`);
        if (d.sent && d.gain !== full) fail(`channel not at full level ${pair}`);
        continue;
      }
      if (!d.sent) {
        fail(`original speech dropped ${pair}`);
        continue;
      }
      const ducked = speaker.language !== listener.language && interpreted(listener.language);
      const level = c.originalLevels[listener.id] ?? DUCKED_GAIN;
      if (d.gain !== (ducked ? Math.min(full, level) : full)) fail(`ducking wrong ${pair}`);
    }
  }
  // Nothing leaks to someone absent: the plan is made only of present participants.
  for (const r of plan.routes)
    if (!present.has(r.listenerId) || !present.has(r.speakerId)) fail(`route for an absent participant`);
}

const INTERPRETER_IDS = ['spanish', 'mam', 'partner'] as const;

/** Every state of one interpreter: into nobody or either language, from the floor or a relay of another, live or resting. */
function statesOf(id: (typeof INTERPRETER_IDS)[number]): InterpreterChannel[] {
  const out: InterpreterChannel[] = [];
  const inputs: InterpreterInput[] = [
    { kind: 'FLOOR' },
    ...INTERPRETER_IDS.filter((o) => o !== id).map((o) => relayFrom(o)),
  ];
  for (const into of [null, ...PAIRS[id]!] as (LanguageCode | null)[])
    for (const input of inputs) for (const live of [true, false]) out.push(channel(id, into, input, live));
  return out;
}

// Exhaustive: tens of thousands of plans take seconds on a busy 2-core machine; a timeout, not a timing assertion.
describe('planChannelRouting: invariants', { timeout: 60_000 }, () => {
  it('hold for every state of three interpreters (relay and partner), with and without a sidebar or lobby', () => {
    const participants = [attorney, spanish, mam, partner, mamClient, staff];
    const layouts: Sidebar[][] = [
      [],
      [{ id: 's', memberIds: ['attorney', 'spanish'] }],
      [{ id: 's', memberIds: ['client', 'mam'] }],
      [{ id: 'lobby', memberIds: ['client'], hearsMainRoom: false }],
    ];
    const violations: string[] = [];
    let plans = 0;
    for (const a of statesOf('spanish'))
      for (const b of statesOf('mam'))
        for (const p of statesOf('partner'))
          for (const sidebars of layouts) {
            const c: Case = {
              participants,
              mode: SIMULTANEOUS,
              interpreters: [a, b, p],
              sidebars,
              originalLevels: plans % 3 === 0 ? { client: 0.5, attorney: 0 } : {},
            };
            checkInvariants(c, planChannelRouting(c), violations);
            plans++;
          }
    expect(violations).toEqual([]);
    expect(plans).toBe(18 ** 3 * 4);
  });

  it('hold for every layout of sidebars, lobbies and absent (reconnecting) participants, in 2- and 3-language calls', () => {
    const presets: InterpreterChannel[][] = [
      [],
      [channel('spanish', 'es'), channel('mam', 'mam', relayFrom('spanish'))],
      [
        channel('mam', 'es'),
        channel('spanish', 'en', relayFrom('mam')),
        channel('partner', 'en', undefined, false),
      ],
      [channel('spanish', 'es'), channel('partner', 'es')],
      [channel('spanish', null), channel('mam', 'mam', relayFrom('spanish'), false)],
    ];
    const violations: string[] = [];
    let plans = 0;
    for (const client of [mamClient, spanishClient]) {
      const pool = [attorney, spanish, mam, partner, client];
      // Sidebars over the whole pool (away members stay listed), then every subset present.
      for (let code = 0; code < 3 ** pool.length; code++) {
        const x: string[] = [];
        const lobby: string[] = [];
        let rest = code;
        for (const p of pool) {
          const slot = rest % 3;
          rest = Math.floor(rest / 3);
          if (slot === 1) x.push(p.id);
          if (slot === 2) lobby.push(p.id);
        }
        const sidebars: Sidebar[] = [];
        if (x.length > 0) sidebars.push({ id: 'x', memberIds: x });
        if (lobby.length > 0) sidebars.push({ id: 'lobby', memberIds: lobby, hearsMainRoom: false });
        for (let mask = 0; mask < 1 << pool.length; mask++) {
          const participants = pool.filter((_, i) => (mask & (1 << i)) !== 0);
          for (const interpreters of presets)
            for (const mode of MODES) {
              if (mode === CONSECUTIVE && interpreters !== presets[1]) continue;
              const c: Case = {
                participants,
                mode,
                interpreters,
                sidebars,
                originalLevels: { client: 0.35 },
              };
              checkInvariants(c, planChannelRouting(c), violations);
              plans++;
            }
        }
      }
    }
    expect(violations).toEqual([]);
    expect(plans).toBeGreaterThan(80_000);
  });

  it('does not depend on the order of participants, interpreters or sidebars', () => {
    const participants = [attorney, spanish, mam, partner, mamClient];
    const interpreters = [
      channel('spanish', 'es'),
      channel('mam', 'mam', relayFrom('spanish')),
      channel('partner', 'es', undefined, false),
    ];
    const sidebars: Sidebar[] = [
      { id: 'x', memberIds: ['attorney', 'partner'] },
      { id: 'lobby', memberIds: ['client'], hearsMainRoom: false },
    ];
    const key = (plan: AudioRoutingPlan) =>
      plan.routes
        .map((r) => `${r.listenerId}<-${r.speakerId}:${JSON.stringify(r.decision)}`)
        .sort()
        .join('\n');
    const reference = key(planChannelRouting({ participants, mode: SIMULTANEOUS, interpreters, sidebars }));
    const reversed = key(
      planChannelRouting({
        participants: [...participants].reverse(),
        mode: SIMULTANEOUS,
        interpreters: [...interpreters].reverse(),
        sidebars: [...sidebars].reverse(),
      }),
    );
    expect(reversed).toBe(reference);
  });
});
