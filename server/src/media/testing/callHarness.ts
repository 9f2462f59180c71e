import type { RoutingParticipant } from '@parley/shared';
import type { MediaParticipant } from '../MediaParticipant.ts';
import type { MediaRoom } from '../MediaRoom.ts';
import { PlainRtpTestPeer } from './PlainRtpTestPeer.ts';
import { WeriftTestPeer } from './WeriftTestPeer.ts';

/** Polls `predicate` every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What every headless test peer does: publish stamped packets, record what arrives. */
export type TestPeer = WeriftTestPeer | PlainRtpTestPeer;

export interface JoinedPeer {
  participant: MediaParticipant;
  peer: TestPeer;
}

/**
 * Joins a headless peer to `room` through the real engine: on werift a WebRTC peer answering the
 * server's offer (ICE, DTLS-SRTP); on mediasoup a plain RTP leg on the worker (mediasoup-client
 * needs a browser). Resolves once both sides are connected.
 */
export async function joinPeer(
  room: MediaRoom,
  info: RoutingParticipant,
  index: number,
): Promise<JoinedPeer> {
  if (room.backendName !== 'werift') {
    const participant = room.addParticipant(info, {}, { transport: 'plainRtp' });
    const peer = new PlainRtpTestPeer(index);
    try {
      await peer.connect(participant, await participant.negotiated);
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

/**
 * Restarts a plain RTP peer's media as signalling does on `restartMedia` (LiveCall): the old media
 * participant is closed, the room seats them again (same id, role and language, so the same place
 * in the plan), and the same peer negotiates the new leg. Resolves once the server sees it connected.
 */
export async function restartPeer(room: MediaRoom, joined: JoinedPeer): Promise<JoinedPeer> {
  const { participant: old, peer } = joined;
  if (!(peer instanceof PlainRtpTestPeer)) throw new Error('restartPeer drives plain RTP peers');
  old.close();
  const participant = room.addParticipant(old.info, {}, { transport: 'plainRtp' });
  await peer.reconnect(participant, await participant.negotiated);
  await waitUntil(
    () => participant.connectionState === 'connected',
    `${old.id} is connected again on the server`,
  );
  return { participant, peer };
}

export const ATTORNEY: RoutingParticipant = { id: 'attorney', role: 'ATTORNEY', language: 'en' };
export const INTERPRETER: RoutingParticipant = { id: 'interpreter', role: 'INTERPRETER', language: 'es' };
export const CLIENT: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'es' };
