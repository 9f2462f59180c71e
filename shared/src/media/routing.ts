import type { LanguageCode } from '../languages.ts';
import type { InterpretationMode } from '../scheduling/consultations.schema.ts';
import type {
  AudioRoute,
  AudioRoutingPlan,
  InterpreterChannel,
  InterpreterState,
  RouteDecision,
  RoutingParticipant,
  Sidebar,
} from './routing.schema.ts';

/** Gain of the original speaker for a listener who is hearing the interpreter over them. */
export const DUCKED_GAIN = 0.2;

/**
 * Gain at which sidebar members hear the main room (the people outside every sidebar). They are
 * talking among themselves, yet must notice when the client speaks up ("hello? are you there?").
 * Only this direction is allowed: the main room never hears the sidebar.
 */
export const SIDEBAR_BACKGROUND_GAIN = 0.2;

const NOT_SENT_SELF: RouteDecision = { sent: false, reason: 'SELF' };
const NOT_SENT_STAFF: RouteDecision = { sent: false, reason: 'STAFF' };
const NOT_SENT_PRIVATE: RouteDecision = { sent: false, reason: 'SIDEBAR_PRIVACY' };
const NOT_SENT_OTHER_DIRECTION: RouteDecision = { sent: false, reason: 'OTHER_DIRECTION' };
const NOT_SENT_RESTING: RouteDecision = { sent: false, reason: 'PARTNER_RESTING' };

function sentAt(gain: number): RouteDecision {
  return { sent: true, gain };
}

/** Sidebar ids by member; a member of several (refused by the schema) is handled conservatively. */
function sidebarsByMember(sidebars: readonly Sidebar[]): Map<string, Set<string>> {
  const byMember = new Map<string, Set<string>>();
  for (const sidebar of sidebars) {
    for (const memberId of sidebar.memberIds) {
      let ids = byMember.get(memberId);
      if (!ids) byMember.set(memberId, (ids = new Set()));
      ids.add(sidebar.id);
    }
  }
  return byMember;
}

function shareAny(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  if (!b) return false;
  for (const id of a) if (b.has(id)) return true;
  return false;
}

/**
 * The rules every plan shares, audio or video: nobody gets themself, staff get and give nothing,
 * and a sidebar member reaches only those who share a sidebar with them. Returns the decision
 * when one of these rules settles the pair, `'MEMBERS'` when both share a sidebar, `'BACKGROUND'`
 * when a sidebar member listens to the main room, and `'MAIN'` when both are in the main room.
 */
function privacyRules(
  listener: RoutingParticipant,
  speaker: RoutingParticipant,
  sidebarsOf: Map<string, Set<string>>,
  closedSidebars: ReadonlySet<string>,
): RouteDecision | 'MEMBERS' | 'BACKGROUND' | 'MAIN' {
  if (listener.id === speaker.id) return NOT_SENT_SELF;
  if (listener.role === 'STAFF' || speaker.role === 'STAFF') return NOT_SENT_STAFF;
  const speakerSidebars = sidebarsOf.get(speaker.id);
  const listenerSidebars = sidebarsOf.get(listener.id);
  if (speakerSidebars) return shareAny(speakerSidebars, listenerSidebars) ? 'MEMBERS' : NOT_SENT_PRIVATE;
  if (!listenerSidebars) return 'MAIN';
  for (const id of listenerSidebars) if (closedSidebars.has(id)) return NOT_SENT_PRIVATE;
  return 'BACKGROUND';
}

/** Sidebars whose members hear nothing of the main room (a lobby). */
function closedSidebarIds(sidebars: readonly Sidebar[]): Set<string> {
  return new Set(sidebars.filter((s) => s.hearsMainRoom === false).map((s) => s.id));
}

/** What the plan knows of the interpreters, indexed once per plan. */
interface ChannelContext {
  mode: InterpretationMode;
  /** Every interpreter present, with their channel state (defaults filled in). */
  interpreters: Map<string, InterpreterChannel>;
  /** Languages some live interpreter in the main room is rendering into now. */
  interpretedChannels: Set<LanguageCode>;
  originalLevels: Readonly<Record<string, number>>;
}

/** An interpreter present without a state: live, from the floor, into nobody. */
function defaultChannel(id: string): InterpreterChannel {
  return { id, input: { kind: 'FLOOR' }, renderingInto: null, live: true };
}

function samePair(a: InterpreterChannel, b: InterpreterChannel): boolean {
  return !!a.pair && !!b.pair && a.pair.includes(b.pair[0]) && a.pair.includes(b.pair[1]);
}

/**
 * What an interpreter hears in the main room. From the floor they hear the original at full level;
 * relaying, they hear their source at full level and the floor ducked under it. Of the other
 * interpreters they hear their booth partner (resting or live), their relay source, anyone
 * rendering into nobody, and any channel in a language of their pair; nothing of a channel they do
 * not understand.
 */
function interpreterHears(
  listener: InterpreterChannel,
  speaker: RoutingParticipant,
  ctx: ChannelContext,
): RouteDecision {
  const relaying = listener.input.kind === 'RELAY';
  if (speaker.role !== 'INTERPRETER') return sentAt(relaying ? DUCKED_GAIN : 1);
  const other = ctx.interpreters.get(speaker.id) ?? defaultChannel(speaker.id);
  if (listener.input.kind === 'RELAY' && listener.input.fromId === other.id) return sentAt(1);
  if (samePair(listener, other)) return sentAt(1);
  if (!other.live) return NOT_SENT_RESTING;
  if (other.renderingInto === null || !listener.pair || listener.pair.includes(other.renderingInto))
    return sentAt(1);
  return NOT_SENT_OTHER_DIRECTION;
}

/**
 * The mode's decision for a pair of the main room. CONSECUTIVE: everyone hears everyone. In
 * SIMULTANEOUS, a listener on the floor hears their own channel: the interpreters rendering into
 * their language at full level, nothing of the other channels, and the original speakers of other
 * languages ducked to the listener's chosen level — provided their channel is being interpreted
 * right now by someone in the main room (otherwise nothing would replace the original).
 */
function modeDecision(
  listener: RoutingParticipant,
  speaker: RoutingParticipant,
  ctx: ChannelContext,
): RouteDecision {
  if (ctx.mode === 'CONSECUTIVE') return sentAt(1);
  if (listener.role === 'INTERPRETER')
    return interpreterHears(ctx.interpreters.get(listener.id) ?? defaultChannel(listener.id), speaker, ctx);
  if (speaker.role === 'INTERPRETER') {
    const interpreter = ctx.interpreters.get(speaker.id) ?? defaultChannel(speaker.id);
    if (!interpreter.live) return NOT_SENT_RESTING;
    if (interpreter.renderingInto === null || interpreter.renderingInto === listener.language)
      return sentAt(1);
    return NOT_SENT_OTHER_DIRECTION;
  }
  if (speaker.language !== listener.language && ctx.interpretedChannels.has(listener.language))
    return sentAt(ctx.originalLevels[listener.id] ?? DUCKED_GAIN);
  return sentAt(1);
}

/**
 * The audio routing plan over language channels (issue 17): for every ordered (listener, speaker)
 * pair, not sent (with why) or sent at a gain the listener's client applies. Pure; the server
 * enforces "not sent" by not forwarding packets, the client applies the gains.
 *
 * Rules, first match wins:
 * 1. nobody receives themself;
 * 2. STAFF neither receive nor send media;
 * 3. a sidebar member's audio reaches only those sharing a sidebar with them, at full gain — so
 *    nothing of a sidebar reaches anyone outside it through any channel or relay, because no
 *    packet of its members does;
 * 4. a sidebar member hears the main room at most at {@link SIDEBAR_BACKGROUND_GAIN} (and not
 *    at all where the mode would not send it, nor in a lobby);
 * 5. in the main room, the mode and the channels decide (see `modeDecision`).
 */
export function planChannelRouting(input: {
  participants: readonly RoutingParticipant[];
  mode: InterpretationMode;
  interpreters: readonly InterpreterChannel[];
  sidebars: readonly Sidebar[];
  originalLevels?: Readonly<Record<string, number>>;
}): AudioRoutingPlan {
  const { participants, mode, sidebars } = input;
  const sidebarsOf = sidebarsByMember(sidebars);
  const closed = closedSidebarIds(sidebars);
  const present = new Set(participants.filter((p) => p.role === 'INTERPRETER').map((p) => p.id));
  const interpreters = new Map(input.interpreters.filter((i) => present.has(i.id)).map((i) => [i.id, i]));
  for (const id of present) if (!interpreters.has(id)) interpreters.set(id, defaultChannel(id));
  const interpretedChannels = new Set<LanguageCode>();
  for (const i of interpreters.values())
    if (i.live && i.renderingInto !== null && !sidebarsOf.has(i.id)) interpretedChannels.add(i.renderingInto);
  const ctx: ChannelContext = {
    mode,
    interpreters,
    interpretedChannels,
    originalLevels: input.originalLevels ?? {},
  };
  const routes: AudioRoute[] = [];
  for (const listener of participants) {
    for (const speaker of participants) {
      const rule = privacyRules(listener, speaker, sidebarsOf, closed);
      let decision: RouteDecision;
      if (rule === 'MEMBERS') decision = sentAt(1);
      else if (rule === 'MAIN') decision = modeDecision(listener, speaker, ctx);
      else if (rule === 'BACKGROUND') {
        const main = modeDecision(listener, speaker, ctx);
        decision = main.sent ? sentAt(Math.min(main.gain, SIDEBAR_BACKGROUND_GAIN)) : main;
      } else decision = rule;
      routes.push({ listenerId: listener.id, speakerId: speaker.id, decision });
    }
  }
  return { routes };
}

/**
 * The plan of a call's routing state. With per-interpreter `channels` (relay, booth partners) it is
 * {@link planChannelRouting} over them and the listeners' original levels; without, one state is
 * shared by every interpreter (a call of one interpreter, the light switch between the two
 * languages): each is live, working from the floor, rendering into `renderingInto`.
 */
export function planAudioRouting(
  participants: readonly RoutingParticipant[],
  mode: InterpretationMode,
  interpreterState: InterpreterState,
  sidebars: readonly Sidebar[],
): AudioRoutingPlan {
  if (interpreterState.channels)
    return planChannelRouting({
      participants,
      mode,
      interpreters: interpreterState.channels,
      sidebars,
      ...(interpreterState.originalLevels ? { originalLevels: interpreterState.originalLevels } : {}),
    });
  const interpreters = participants
    .filter((p) => p.role === 'INTERPRETER')
    .map((p): InterpreterChannel => ({
      ...defaultChannel(p.id),
      renderingInto: interpreterState.renderingInto,
    }));
  return planChannelRouting({ participants, mode, interpreters, sidebars });
}

/**
 * Which video is sent: the same privacy rules as audio (no self, no staff, nothing of a sidebar
 * to anyone outside it — lips can be read), everything else is sent; interpretation modes do
 * not hide anyone's picture.
 */
export function planVideoRouting(
  participants: readonly RoutingParticipant[],
  sidebars: readonly Sidebar[],
): AudioRoutingPlan {
  const sidebarsOf = sidebarsByMember(sidebars);
  const closed = closedSidebarIds(sidebars);
  const routes: AudioRoute[] = [];
  for (const listener of participants) {
    for (const speaker of participants) {
      const rule = privacyRules(listener, speaker, sidebarsOf, closed);
      const decision = typeof rule === 'string' ? sentAt(1) : rule;
      routes.push({ listenerId: listener.id, speakerId: speaker.id, decision });
    }
  }
  return { routes };
}

/** The decision for one pair; a pair absent from the plan is not sent (fail closed). */
export function routeFor(plan: AudioRoutingPlan, listenerId: string, speakerId: string): RouteDecision {
  const route = plan.routes.find((r) => r.listenerId === listenerId && r.speakerId === speakerId);
  return route ? route.decision : { sent: false, reason: 'NOT_IN_PLAN' };
}

/** The gains one listener's client applies, by speaker id; speakers not sent are absent. */
export function gainsForListener(plan: AudioRoutingPlan, listenerId: string): Record<string, number> {
  const gains: Record<string, number> = {};
  for (const route of plan.routes) {
    if (route.listenerId === listenerId && route.decision.sent) gains[route.speakerId] = route.decision.gain;
  }
  return gains;
}
