import type { CallRole } from '@parley/shared';
import type { QualitySample } from './linkQuality.ts';
import type { ParticipantConnectionState } from './MediaParticipant.ts';
import type { AppliedRouting } from './MediaRoom.ts';

interface ParticipantRef {
  roomId: string;
  participantId: string;
  role: CallRole;
}

/**
 * What the engine tells signalling and the session log. Payloads are metadata only — never
 * media — so a consumer can store them as they are.
 */
export interface MediaEvents {
  participantJoined: ParticipantRef;
  /** ICE and DTLS are up; `sinceJoinMs` is the time from joining to now. */
  participantConnected: ParticipantRef & { sinceJoinMs: number; reconnected: boolean };
  /** The connection left the connected state, or the participant left. */
  participantDisconnected: ParticipantRef & {
    reason: 'LEFT' | 'CONNECTION_LOST' | 'CONNECTION_FAILED' | 'ROOM_CLOSED' | 'ENGINE_FAILED';
    state: ParticipantConnectionState;
  };
  participantLeft: ParticipantRef & { reason: 'LEFT' | 'ROOM_CLOSED' };
  /**
   * The engine lost the participant's media through no fault of theirs (a worker died): their
   * client should restart media (`restartMedia`), which puts them on a live engine.
   */
  participantMediaLost: ParticipantRef;
  /** A plan was applied and acknowledged; send each listener `room.listenerRouting(listenerId)`. */
  routingApplied: { roomId: string; routing: AppliedRouting };
  /** A listener's receive tracks changed after its join (client-driven engines: new consumers). */
  tracksChanged: { roomId: string; listenerId: string };
  /** Room-wide; tell each listener `room.activeSpeakerFor(listenerId)`, never this id as is. */
  activeSpeakerChanged: { roomId: string; participantId: string | null };
  /** Every quality sample, for badges. */
  qualitySampled: ParticipantRef & { sample: QualitySample };
  /** A sample crossed a threshold after one that did not (edge-triggered, for the session log). */
  qualityWarning: ParticipantRef & { sample: QualitySample };
  roomClosed: { roomId: string };
}
