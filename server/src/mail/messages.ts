import type { Role } from '@parley/shared';
import type { OutgoingMail } from './Mailer.ts';

const ROLE_NAMES: Record<Role, string> = {
  ADMIN: 'an administrator',
  STAFF: 'a staff member',
  ATTORNEY: 'an attorney',
  INTERPRETER: 'an interpreter',
};

/** The invite email. Whole sentences with placeholders, so the text can move to a catalog. */
export function inviteMail(input: {
  to: string;
  name: string;
  role: Role;
  organizationName: string;
  invitedBy: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: input.to,
    subject: `You are invited to ${input.organizationName} on Parley`,
    text: [
      `Hello ${input.name},`,
      '',
      `${input.invitedBy} invited you to join ${input.organizationName} on Parley as ${ROLE_NAMES[input.role]}.`,
      'Open this link to choose your password and finish signing up:',
      '',
      input.link,
      '',
      `The link works once and expires on ${input.expiresAt.toUTCString()}.`,
      'If you did not expect this invitation, you can ignore this email.',
    ].join('\n'),
  };
}

/** The password-reset email. */
export function passwordResetMail(input: {
  to: string;
  name: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: input.to,
    subject: 'Reset your Parley password',
    text: [
      `Hello ${input.name},`,
      '',
      'Someone asked to reset the password of your Parley account. Open this link to choose a new one:',
      '',
      input.link,
      '',
      `The link works once and expires on ${input.expiresAt.toUTCString()}.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}
