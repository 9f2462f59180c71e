import { describe, expect, it } from 'vitest';
import {
  fanoutBySpeaker,
  neverSent,
  pairKey,
  RELAY,
  routeChanges,
  sentPairs,
  splitPair,
  THREE,
} from './relayLayout.ts';

const pair = (listener: string, speaker: string) => pairKey(listener, speaker);

describe('the relay layout as the plan routes it', () => {
  it('with the attorney on the floor, the client hears the Mam channel and the attorney no interpreter', () => {
    const sent = sentPairs(RELAY.participants, RELAY.states[0]);
    expect(sent.has(pair('client', 'mam'))).toBe(true);
    expect(sent.has(pair('mam', 'spanish'))).toBe(true); // the relay input
    expect(sent.has(pair('attorney', 'spanish'))).toBe(false);
    expect(sent.has(pair('attorney', 'mam'))).toBe(false);
    expect(sent.has(pair('client', 'spanish'))).toBe(false);
  });

  it('a relay turn starts and stops exactly the pairs the plan changes', () => {
    expect(routeChanges(RELAY.participants, RELAY.states[0], RELAY.states[1])).toEqual({
      gained: [pair('attorney', 'spanish'), pair('spanish', 'mam')].sort(),
      lost: [pair('client', 'mam'), pair('mam', 'spanish')].sort(),
    });
    // And back: the same pairs the other way round.
    expect(routeChanges(RELAY.participants, RELAY.states[1], RELAY.states[0])).toEqual({
      gained: [pair('client', 'mam'), pair('mam', 'spanish')].sort(),
      lost: [pair('attorney', 'spanish'), pair('spanish', 'mam')].sort(),
    });
  });

  it('the attorney never receives the Mam channel and the client never the Spanish one', () => {
    expect(neverSent(RELAY.participants, RELAY.states)).toEqual(
      [pair('attorney', 'mam'), pair('client', 'spanish')].sort(),
    );
  });

  it('counts each speaker’s listeners for the generator’s expected packets', () => {
    expect(Object.fromEntries(fanoutBySpeaker(RELAY.participants, RELAY.states[0]))).toEqual({
      attorney: 3,
      spanish: 1,
      mam: 1,
      client: 3,
    });
    expect(Object.fromEntries(fanoutBySpeaker(THREE.participants, THREE.states[0]))).toEqual({
      attorney: 2,
      interpreter: 1,
      client: 2,
    });
  });

  it('the light switch of a room of three moves the interpreter between attorney and client', () => {
    expect(routeChanges(THREE.participants, THREE.states[0], THREE.states[1])).toEqual({
      gained: [pair('attorney', 'interpreter')],
      lost: [pair('client', 'interpreter')],
    });
    expect(neverSent(THREE.participants, THREE.states)).toEqual([]);
  });

  it('a state against itself changes nothing', () => {
    expect(routeChanges(RELAY.participants, RELAY.states[1], RELAY.states[1])).toEqual({
      gained: [],
      lost: [],
    });
  });

  it('splits a pair key back into its listener and speaker', () => {
    expect(splitPair(pair('client', 'mam'))).toEqual({ listenerId: 'client', speakerId: 'mam' });
  });
});
