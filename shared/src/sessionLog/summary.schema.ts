import type { CallRole } from '../call/callAccess.schema.ts';
import type { CallEndReason } from './events.schema.ts';

/** How long one participant was in the call, computed from the session log. */
export interface ParticipantTime {
  participantId: string;
  role: CallRole;
  connectedSeconds: number;
  /** Times the connection dropped (left with CONNECTION_LOST, or a reconnection after a gap). */
  drops: number;
  reconnections: number;
}

/** A run of quality warnings for one participant, no more than a minute apart. */
export interface QualityPeriod {
  participantId: string;
  role: CallRole;
  from: string;
  to: string;
  warnings: number;
  maxLossPct: number;
  maxJitterMs: number;
  maxRttMs: number;
}

/** What a consultation's log says happened: for billing, grant reports and the case note. */
export interface ConsultationSummary {
  /** The call started (CALL_STARTED, or the first join). Null when nobody ever joined. */
  actualStart: string | null;
  /** The call ended (CALL_ENDED). Null while running or when the log has no end. */
  actualEnd: string | null;
  durationSeconds: number | null;
  endReason: CallEndReason | null;
  /** False when the log has joins but no end: times are counted up to the last event. */
  complete: boolean;
  participants: ParticipantTime[];
  /** Seconds any interpreter was connected. */
  interpreterSeconds: number;
  /** Interpreter time in whole minutes, rounded up, as interpreters bill. */
  interpreterMinutes: number;
  /**
   * Each interpreter's own minutes, rounded up per interpreter (a relay or booth partners: issue
   * 17), in the order they first joined. Their sum can exceed `interpreterMinutes` by the rounding.
   */
  interpreterMinutesEach: { participantId: string; minutes: number }[];
  reconnections: number;
  drops: number;
  qualityWarnings: number;
  sidebars: number;
  /** Seconds spent in simultaneous interpretation. */
  simultaneousSeconds: number;
  /** The period with the worst packet loss (then jitter, then round-trip time), if any. */
  worstQuality: QualityPeriod | null;
}
