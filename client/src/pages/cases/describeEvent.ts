import type { LoggedSessionEvent } from '@parley/shared';
import { currentLanguageName } from '../../i18n/languageName.ts';

/** i18next's `t` over the `staff` namespace, loosely typed: the keys are built from the event. */
export type StaffT = (key: string, options?: Record<string, unknown>) => string;

const language = currentLanguageName;

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

/** One line of a consultation's timeline, in plain words, in the staff language of `t`. */
export function describeEvent(event: LoggedSessionEvent, names: Record<string, string>, t: StaffT): string {
  const role = (r: string) => t(`events.role.${r}`, { defaultValue: r.toLowerCase() });
  const who = (id: string, r: string) => {
    const name = names[id];
    return name ? t('events.named', { name, role: role(r) }) : t('events.unnamed', { role: role(r) });
  };
  switch (event.type) {
    case 'CONSULTATION_SCHEDULED':
      return t('events.scheduled', {
        language: language(event.payload.language),
        mode: t(`events.mode.${event.payload.mode}`),
      });
    case 'CONSULTATION_RESCHEDULED':
      return t('events.rescheduled');
    case 'CONSULTATION_CANCELLED':
      return event.payload.reasonCode
        ? t('events.cancelledBecause', { reason: t(`events.cancelReason.${event.payload.reasonCode}`) })
        : t('events.cancelled');
    case 'CONSULTATION_NO_SHOW':
      return t('events.noShow');
    case 'FACILITY_CONFIRMATION_REQUESTED':
      return event.payload.mailed
        ? t('events.confirmationRequested')
        : t('events.confirmationRequestedNoMail');
    case 'FACILITY_CONFIRMATION_REMINDED':
      return t('events.confirmationReminded', { reminder: event.payload.reminder });
    case 'FACILITY_CONFIRMED':
      return t(`events.confirmed.${event.payload.via}`);
    case 'FACILITY_DECLINED':
      return t('events.declined');
    case 'FACILITY_PROPOSED_TIME':
      return t('events.proposed');
    case 'CLIENT_TRANSFERRED':
      return t('events.transferred');
    case 'CALL_STARTED':
      return t('events.callStarted');
    case 'PARTICIPANT_JOINED':
      return t('events.joined', {
        who: who(event.payload.participantId, event.payload.role),
        device: t(`events.device.${event.payload.device}`),
      });
    case 'PARTICIPANT_LEFT':
      return t(`events.left.${event.payload.reason}`, {
        who: who(event.payload.participantId, event.payload.role),
      });
    case 'PARTICIPANT_RECONNECTED': {
      const person = who(event.payload.participantId, event.payload.role);
      const after = formatDuration(event.payload.offlineMs / 1000);
      if (event.payload.reason === 'REPLACED') return t('events.replaced', { who: person });
      if (event.payload.reason === 'MEDIA_RESTARTED')
        return t('events.mediaRestarted', { who: person, after });
      return t('events.reconnected', { who: person, after });
    }
    case 'ROUTING_CHANGED':
      return event.payload.mode === 'SIMULTANEOUS' && event.payload.direction
        ? t('events.simultaneous', {
            from: language(event.payload.direction.from),
            to: language(event.payload.direction.to),
          })
        : t('events.switched', { mode: t(`events.mode.${event.payload.mode}`) });
    case 'SIDEBAR_STARTED':
      return t('events.sidebarStarted', { count: event.payload.participantIds.length });
    case 'SIDEBAR_ENDED':
      return t('events.sidebarEnded');
    case 'PHONE_DIAL_OUT': {
      const values = {
        who: who(event.payload.participantId, event.payload.role),
        number: String(event.payload.numberEnding).padStart(2, '0'),
        failure: t(`events.dialOut.failure.${event.payload.failure ?? 'ERROR'}`, {
          defaultValue: (event.payload.failure ?? 'ERROR').toLowerCase().replaceAll('_', ' '),
        }),
      };
      return t(`events.dialOut.${event.payload.outcome}`, values);
    }
    case 'INTERPRETER_HANDOVER':
      return t(`events.handover.${event.payload.how}`, {
        from: event.payload.fromParticipantId ? who(event.payload.fromParticipantId, 'INTERPRETER') : '',
        to: who(event.payload.toParticipantId, 'INTERPRETER'),
      });
    case 'BACK_CHANNEL_USED':
      return t('events.backChannel', { who: who(event.payload.participantId, 'INTERPRETER') });
    case 'PAUSE_REQUESTED':
      return t('events.pauseRequested', {
        from: who(event.payload.fromParticipantId, 'INTERPRETER'),
        to: who(event.payload.toParticipantId, event.payload.toRole),
      });
    case 'PAUSE_ACKNOWLEDGED':
      return t('events.pauseAcknowledged', {
        who: who(event.payload.participantId, event.payload.role),
        after: formatDuration(event.payload.afterMs / 1000),
      });
    case 'FURTHER_INTERPRETER_ADDED':
      return t(`events.furtherAdded.${event.payload.kind}`, {
        who: who(event.payload.interpreterId, 'INTERPRETER'),
        a: language(event.payload.languageA),
        b: language(event.payload.languageB),
      });
    case 'FURTHER_INTERPRETER_REMOVED':
      return t(`events.furtherRemoved.${event.payload.kind}`, {
        who: who(event.payload.interpreterId, 'INTERPRETER'),
      });
    case 'QUALITY_WARNING':
      return t('events.quality', {
        who: who(event.payload.participantId, event.payload.role),
        loss: event.payload.lossPct,
        jitter: event.payload.jitterMs,
        rtt: event.payload.rttMs,
      });
    case 'CALL_ENDED':
      return t('events.callEnded', { reason: t(`events.end.${event.payload.reason}`) });
    default:
      return unknownEvent(event);
  }
}

/** An event type this screen has no sentence for yet (added to the log's vocabulary since). */
function unknownEvent(event: { type: string }): string {
  const words = event.type.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
