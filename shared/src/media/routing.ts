import type { InterpretationMode } from '../scheduling/consultations.schema.ts';
import type {
  AudioRoute,
  AudioRoutingPlan,
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

/**
 * The mode's decision for a pair of the main room. In SIMULTANEOUS with a direction, a listener
 * of the target language hears the interpreters at full gain and the original speech (anyone
 * speaking another language) ducked — provided an interpreter is actually there to listen to;
 * listeners of other languages do not receive the interpreters at all. Interpreters hear
 * everything at full gain: they work from the original.
 */
function modeDecision(
  listener: RoutingParticipant,
  speaker: RoutingParticipant,
  mode: InterpretationMode,
  interpreterState: InterpreterState,
  interpreterInMainRoom: boolean,
): RouteDecision {
  const target = interpreterState.renderingInto;
  if (mode === 'CONSECUTIVE' || target === null || listener.role === 'INTERPRETER') return sentAt(1);
  const listenerIsTarget = listener.language === target;
  if (speaker.role === 'INTERPRETER') return listenerIsTarget ? sentAt(1) : NOT_SENT_OTHER_DIRECTION;
  if (listenerIsTarget && speaker.language !== target && interpreterInMainRoom) return sentAt(DUCKED_GAIN);
  return sentAt(1);
}

/**
 * The audio routing plan: for every ordered (listener, speaker) pair, not sent (with why) or sent
 * at a gain the listener's client applies. Pure; the server enforces "not sent" by not forwarding
 * packets, the client applies the gains.
 *
 * Rules, first match wins:
 * 1. nobody receives themself;
 * 2. STAFF neither receive nor send media;
 * 3. a sidebar member's audio reaches only those sharing a sidebar with them, at full gain;
 * 4. a sidebar member hears the main room at most at {@link SIDEBAR_BACKGROUND_GAIN} (and not
 *    at all where the mode would not send it);
 * 5. in the main room, the mode decides (see `modeDecision`).
 */
export function planAudioRouting(
  participants: readonly RoutingParticipant[],
  mode: InterpretationMode,
  interpreterState: InterpreterState,
  sidebars: readonly Sidebar[],
): AudioRoutingPlan {
  const sidebarsOf = sidebarsByMember(sidebars);
  const closed = closedSidebarIds(sidebars);
  const interpreterInMainRoom = participants.some((p) => p.role === 'INTERPRETER' && !sidebarsOf.has(p.id));
  const routes: AudioRoute[] = [];
  for (const listener of participants) {
    for (const speaker of participants) {
      const rule = privacyRules(listener, speaker, sidebarsOf, closed);
      let decision: RouteDecision;
      if (rule === 'MEMBERS') decision = sentAt(1);
      else if (rule === 'MAIN')
        decision = modeDecision(listener, speaker, mode, interpreterState, interpreterInMainRoom);
      else if (rule === 'BACKGROUND') {
        const main = modeDecision(listener, speaker, mode, interpreterState, interpreterInMainRoom);
        decision = main.sent ? sentAt(Math.min(main.gain, SIDEBAR_BACKGROUND_GAIN)) : main;
      } else decision = rule;
      routes.push({ listenerId: listener.id, speakerId: speaker.id, decision });
    }
  }
  return { routes };
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
