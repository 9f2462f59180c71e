import { findLanguage, type LoggedSessionEvent } from '@parley/shared';

const ROLE: Record<string, string> = {
  ATTORNEY: 'attorney',
  INTERPRETER: 'interpreter',
  CLIENT: 'client',
  STAFF: 'facility staff',
  ADMIN: 'administrator',
};

const LEAVE: Record<string, string> = {
  LEFT: 'left',
  CONNECTION_LOST: 'lost the connection',
  REMOVED: 'was removed',
  CALL_ENDED: 'left as the call ended',
};

const END: Record<string, string> = {
  ENDED_BY_ATTORNEY: 'the attorney ended it',
  ENDED_BY_STAFF: 'staff ended it',
  ENDED_BY_FACILITY: 'the facility ended it',
  TIME_LIMIT: 'the time limit was reached',
  EVERYONE_LEFT: 'everyone left',
  SERVER_ERROR: 'a server error',
};

const language = (code: string) => findLanguage(code)?.englishName ?? code;

/** Seconds as "1 h 05 min", "12 min 30 s" or "45 s". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}

/** One line of a consultation's timeline, in plain words. */
export function describeEvent(event: LoggedSessionEvent, names: Record<string, string>): string {
  const who = (id: string, role: string) => {
    const name = names[id];
    return name ? `${name} (${ROLE[role] ?? role})` : `The ${ROLE[role] ?? role}`;
  };
  switch (event.type) {
    case 'CONSULTATION_SCHEDULED':
      return `Scheduled in ${language(event.payload.language)}, ${event.payload.mode.toLowerCase()} interpretation`;
    case 'CONSULTATION_RESCHEDULED':
      return 'Rescheduled';
    case 'CONSULTATION_CANCELLED':
      return event.payload.reasonCode
        ? `Cancelled (${event.payload.reasonCode.toLowerCase().replaceAll('_', ' ')})`
        : 'Cancelled';
    case 'CONSULTATION_NO_SHOW':
      return 'Marked as a no-show';
    case 'FACILITY_CONFIRMATION_REQUESTED':
      return event.payload.mailed
        ? 'The facility was asked by email to confirm'
        : 'The facility was asked to confirm (no contact email: confirm by phone)';
    case 'FACILITY_CONFIRMATION_REMINDED':
      return `The facility was reminded to confirm (reminder ${event.payload.reminder})`;
    case 'FACILITY_CONFIRMED':
      return event.payload.via === 'LINK'
        ? 'The facility confirmed'
        : event.payload.via === 'STAFF'
          ? 'The facility’s confirmation was recorded by staff'
          : 'Moved to the time the facility proposed: confirmed';
    case 'FACILITY_DECLINED':
      return 'The facility declined';
    case 'FACILITY_PROPOSED_TIME':
      return 'The facility proposed another time';
    case 'CLIENT_TRANSFERRED':
      return 'The client was moved to another facility';
    case 'CALL_STARTED':
      return 'Call started';
    case 'PARTICIPANT_JOINED':
      return `${who(event.payload.participantId, event.payload.role)} joined by ${event.payload.device.toLowerCase()}`;
    case 'PARTICIPANT_LEFT':
      return `${who(event.payload.participantId, event.payload.role)} ${LEAVE[event.payload.reason] ?? 'left'}`;
    case 'PARTICIPANT_RECONNECTED': {
      const person = who(event.payload.participantId, event.payload.role);
      const after = formatDuration(event.payload.offlineMs / 1000);
      if (event.payload.reason === 'REPLACED')
        return `${person} continued the call in another window or device`;
      if (event.payload.reason === 'MEDIA_RESTARTED')
        return `${person}'s audio and video reconnected after ${after}`;
      return `${person} reconnected after ${after}`;
    }
    case 'ROUTING_CHANGED':
      return event.payload.mode === 'SIMULTANEOUS' && event.payload.direction
        ? `Simultaneous interpretation, ${language(event.payload.direction.from)} → ${language(event.payload.direction.to)}`
        : `Switched to ${event.payload.mode.toLowerCase()} interpretation`;
    case 'SIDEBAR_STARTED':
      return `Private sidebar started (${event.payload.participantIds.length} people)`;
    case 'SIDEBAR_ENDED':
      return 'Private sidebar ended';
    case 'INTERPRETER_HANDOVER':
      return event.payload.how === 'PARTNER_LEFT'
        ? `${who(event.payload.toParticipantId, 'INTERPRETER')} took over when their booth partner left`
        : event.payload.fromParticipantId
          ? `Interpreter handover: ${who(event.payload.fromParticipantId, 'INTERPRETER')} → ${who(event.payload.toParticipantId, 'INTERPRETER')}`
          : `${who(event.payload.toParticipantId, 'INTERPRETER')} went live`;
    case 'BACK_CHANNEL_USED':
      return `${who(event.payload.participantId, 'INTERPRETER')} used the interpreters' back-channel`;
    case 'QUALITY_WARNING':
      return `Poor connection for ${who(event.payload.participantId, event.payload.role)}: ${event.payload.lossPct}% loss, ${event.payload.jitterMs} ms jitter, ${event.payload.rttMs} ms round trip`;
    case 'CALL_ENDED':
      return `Call ended: ${END[event.payload.reason] ?? event.payload.reason}`;
  }
}
