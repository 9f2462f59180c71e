/**
 * The room layouts of the relay benchmark (issue 17) and what the routing plan says each listener
 * receives in them: pure, so the benchmark's expectations (which packets must arrive, which must
 * stop, which must never come) are computed by the product's own plan, not written by hand.
 */
import { planAudioRouting, type RoutingParticipant, type RoutingState } from '@parley/shared';

/** A room as the benchmark builds it: who joins (in order) and the routing states it switches between. */
export interface RoomLayout {
  name: 'three' | 'relay';
  participants: RoutingParticipant[];
  /** The state the room runs under load, and the one a switch turns it to (and back). */
  states: [RoutingState, RoutingState];
  /** What the switch stands for, in words. */
  switchDescription: string;
}

/** Today's call: attorney, one interpreter, a Spanish-speaking client; the interpreter's light switch. */
export const THREE: RoomLayout = {
  name: 'three',
  participants: [
    { id: 'attorney', role: 'ATTORNEY', language: 'en' },
    { id: 'interpreter', role: 'INTERPRETER', language: 'es' },
    { id: 'client', role: 'CLIENT', language: 'es' },
  ],
  states: [
    { mode: 'SIMULTANEOUS', interpreterState: { renderingInto: 'es' }, sidebars: [] },
    { mode: 'SIMULTANEOUS', interpreterState: { renderingInto: 'en' }, sidebars: [] },
  ],
  switchDescription: 'the interpreter renders into English instead of Spanish (and back)',
};

/**
 * Relay through Spanish: attorney (en) ↔ Spanish interpreter ↔ Mam interpreter ↔ client (mam).
 * State 0, the attorney has the floor: the Spanish interpreter works from the floor into Spanish,
 * the Mam interpreter relays from the Spanish channel into Mam. State 1, the client has the floor:
 * the Mam interpreter works from the floor into Spanish, the Spanish interpreter relays from the
 * Mam interpreter into English. One routing command turns both interpreters, as a relay turn does.
 */
export const RELAY: RoomLayout = {
  name: 'relay',
  participants: [
    { id: 'attorney', role: 'ATTORNEY', language: 'en' },
    { id: 'spanish', role: 'INTERPRETER', language: 'es' },
    { id: 'mam', role: 'INTERPRETER', language: 'mam' },
    { id: 'client', role: 'CLIENT', language: 'mam' },
  ],
  states: [
    {
      mode: 'SIMULTANEOUS',
      interpreterState: {
        renderingInto: 'es',
        channels: [
          { id: 'spanish', pair: ['en', 'es'], input: { kind: 'FLOOR' }, renderingInto: 'es', live: true },
          {
            id: 'mam',
            pair: ['es', 'mam'],
            input: { kind: 'RELAY', fromId: 'spanish' },
            renderingInto: 'mam',
            live: true,
          },
        ],
      },
      sidebars: [],
    },
    {
      mode: 'SIMULTANEOUS',
      interpreterState: {
        renderingInto: 'en',
        channels: [
          {
            id: 'spanish',
            pair: ['en', 'es'],
            input: { kind: 'RELAY', fromId: 'mam' },
            renderingInto: 'en',
            live: true,
          },
          { id: 'mam', pair: ['es', 'mam'], input: { kind: 'FLOOR' }, renderingInto: 'es', live: true },
        ],
      },
      sidebars: [],
    },
  ],
  switchDescription:
    'a relay turn: both interpreters switch in one routing command (Spanish into English relaying from Mam, Mam from the floor into Spanish) and back',
};

/** `listener\nspeaker` of every pair the plan sends (self-pairs never are). */
export function sentPairs(participants: readonly RoutingParticipant[], state: RoutingState): Set<string> {
  const plan = planAudioRouting(participants, state.mode, state.interpreterState, state.sidebars);
  return new Set(plan.routes.filter((r) => r.decision.sent).map((r) => pairKey(r.listenerId, r.speakerId)));
}

export function pairKey(listenerId: string, speakerId: string): string {
  return `${listenerId}\n${speakerId}`;
}

export function splitPair(key: string): { listenerId: string; speakerId: string } {
  const [listenerId, speakerId] = key.split('\n') as [string, string];
  return { listenerId, speakerId };
}

/** How many listeners receive each speaker's packets under `state`. */
export function fanoutBySpeaker(
  participants: readonly RoutingParticipant[],
  state: RoutingState,
): Map<string, number> {
  const fanout = new Map(participants.map((p) => [p.id, 0]));
  for (const key of sentPairs(participants, state)) {
    const { speakerId } = splitPair(key);
    fanout.set(speakerId, (fanout.get(speakerId) ?? 0) + 1);
  }
  return fanout;
}

/** What a switch from `before` to `after` changes: pairs that start and stop receiving. */
export function routeChanges(
  participants: readonly RoutingParticipant[],
  before: RoutingState,
  after: RoutingState,
): { gained: string[]; lost: string[] } {
  const was = sentPairs(participants, before);
  const is = sentPairs(participants, after);
  return {
    gained: [...is].filter((k) => !was.has(k)).sort(),
    lost: [...was].filter((k) => !is.has(k)).sort(),
  };
}

/** Pairs of different participants sent in none of `states`: not one packet may cross them. */
export function neverSent(
  participants: readonly RoutingParticipant[],
  states: readonly RoutingState[],
): string[] {
  const sentInAny = new Set(states.flatMap((s) => [...sentPairs(participants, s)]));
  const pairs: string[] = [];
  for (const listener of participants)
    for (const speaker of participants)
      if (listener.id !== speaker.id && !sentInAny.has(pairKey(listener.id, speaker.id)))
        pairs.push(pairKey(listener.id, speaker.id));
  return pairs.sort();
}
