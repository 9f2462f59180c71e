import type { RoutingParticipant } from '@parley/shared';
import type { MediaParticipant } from '../MediaParticipant.ts';
import type { MediaRoom } from '../MediaRoom.ts';
import { WeriftTestPeer } from './WeriftTestPeer.ts';

/** Polls `predicate` every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface JoinedPeer {
  participant: MediaParticipant;
  peer: WeriftTestPeer;
}

/** Joins a headless peer to `room` as signalling would: offer, answer, both sides connected. */
export async function joinPeer(
  room: MediaRoom,
  info: RoutingParticipant,
  index: number,
): Promise<JoinedPeer> {
  const participant = room.addParticipant(info, {});
  const peer = new WeriftTestPeer(index);
  try {
    const answer = await peer.answer(await participant.negotiated);
    await participant.negotiate({ step: 'answer', answer });
    await peer.connected();
    await waitUntil(
      () => participant.connectionState === 'connected',
      `${info.id} is connected on the server`,
    );
  } catch (error) {
    participant.close();
    await peer.close();
    throw error;
  }
  return { participant, peer };
}

export const ATTORNEY: RoutingParticipant = { id: 'attorney', role: 'ATTORNEY', language: 'en' };
export const INTERPRETER: RoutingParticipant = { id: 'interpreter', role: 'INTERPRETER', language: 'es' };
export const CLIENT: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'es' };
