import { DateTime } from 'luxon';
import type { OutgoingMail } from '../mail/Mailer.ts';

/** A time as the facility reads it: its own zone, named. */
export function facilityTime(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ");
}

/**
 * The request to the facility's scheduling contact. It names the facility and the time, never the
 * client: who the call is for is on the page behind the link.
 */
export function confirmationRequestMail(input: {
  to: string;
  contactName: string;
  organizationName: string;
  facilityName: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  link: string;
  expiresAt: Date;
  reminder: number;
}): OutgoingMail {
  const when = facilityTime(input.startsAt, input.timeZone);
  const until = DateTime.fromJSDate(input.endsAt, { zone: input.timeZone }).toFormat('HH:mm');
  return {
    to: input.to,
    subject: `${input.reminder > 0 ? 'Reminder: please confirm' : 'Please confirm'} a legal video visit at ${input.facilityName}, ${when}`,
    text: [
      `Hello${input.contactName ? ` ${input.contactName}` : ''},`,
      '',
      `${input.organizationName} asks ${input.facilityName} to confirm a legal video visit on ${when} until ${until}.`,
      'Open this link to see who the visit is for and to confirm it, decline it with a reason, or propose another time:',
      '',
      input.link,
      '',
      `The link is for this visit at this time only and works until ${facilityTime(input.expiresAt, input.timeZone)}.`,
      'You need no account. If you did not expect this email, you can ignore it.',
    ].join('\n'),
  };
}

const ANSWER_WORDS = {
  CONFIRMED: 'confirmed',
  DECLINED: 'declined',
  PROPOSED: 'proposed another time for',
} as const;

/** Tells the staff member who booked the call what the facility answered. */
export function confirmationAnswerMail(input: {
  to: string;
  staffName: string;
  facilityName: string;
  timeZone: string;
  startsAt: Date;
  answer: keyof typeof ANSWER_WORDS;
  proposedStartsAt?: Date | null;
  link: string;
}): OutgoingMail {
  const when = facilityTime(input.startsAt, input.timeZone);
  return {
    to: input.to,
    subject: `${input.facilityName} ${ANSWER_WORDS[input.answer]} the call on ${when}`,
    text: [
      `Hello ${input.staffName},`,
      '',
      `${input.facilityName} ${ANSWER_WORDS[input.answer]} the call you booked on ${when}.`,
      ...(input.proposedStartsAt
        ? [`The facility proposes ${facilityTime(input.proposedStartsAt, input.timeZone)} instead.`]
        : []),
      'See the consultation in Parley:',
      '',
      input.link,
    ].join('\n'),
  };
}
