import { z } from 'zod';
import { LANGUAGE_CODES } from '../languages.ts';
import { PageQuerySchema, TimeZoneSchema } from '../common.schema.ts';
import { RoleSchema, type Role } from '../roles.ts';

/** US states, DC and territories whose bars admit attorneys: the two-letter postal codes. */
export const BAR_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
] as const;
export const BarStateSchema = z.enum(BAR_STATES, { message: 'Choose a US state or territory' });

/** A password someone chooses: long rather than clever (NIST SP 800-63B). */
export const NewPasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(200, 'Use at most 200 characters');

/** A phone number to dial out to, in E.164 form (+ country code and number, no spaces). */
export const PhoneNumberSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'Use the international form, e.g. +15045550123');

const EmailSchema = z.email().max(254).trim().toLowerCase();
const NameSchema = z.string().trim().min(1, 'Required').max(200);
const BarNumberSchema = z.string().trim().min(1, 'Required').max(40);
const LanguagesSchema = z
  .array(z.enum(LANGUAGE_CODES))
  .min(1, 'Choose at least one language')
  .max(LANGUAGE_CODES.length)
  .refine((codes) => new Set(codes).size === codes.length, { message: 'A language is listed twice' });

export const UserStatusFilterSchema = z.enum(['ACTIVE', 'INACTIVE', 'ALL']);

export const UserListQuerySchema = PageQuerySchema.extend({
  role: RoleSchema.optional(),
  status: UserStatusFilterSchema.default('ALL'),
  /** Part of a name or an email address. */
  q: z.string().trim().max(100).optional(),
}).strict();
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

/** A person as the admin screens show them. */
export interface AdminUserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  barNumber: string | null;
  barState: string | null;
  languages: string[];
  phone: string | null;
  timeZone: string;
  createdAt: string;
  /**
   * Until when sign-in at this account is refused after too many failed attempts (null: it is not
   * locked). An administrator lifts it with POST /api/users/:id/unlock.
   */
  signInLockedUntil: string | null;
}

export const InviteUserRequestSchema = z
  .object({ email: EmailSchema, name: NameSchema, role: RoleSchema })
  .strict();
export type InviteUserRequest = z.infer<typeof InviteUserRequestSchema>;

export type InviteStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';

export interface InviteView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: InviteStatus;
  expiresAt: string;
  createdAt: string;
}

/** Returned once when an invite is made: the link is never shown again (only its hash is kept). */
export interface InviteCreated {
  invite: InviteView;
  /** The sign-up link, to copy when no mail server is configured. */
  link: string;
  /** Whether the link was sent by email (false: no SMTP_URL, or the mail server refused it). */
  emailed: boolean;
}

/** What the sign-up page shows before the invitee sets a password. */
export interface InvitePreview {
  email: string;
  name: string;
  role: Role;
  organizationName: string;
  expiresAt: string;
}

/** Tokens in invite and reset links: 32 random bytes, base64url. */
export const LinkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This link is not valid');

export const InvitePreviewQuerySchema = z.object({ token: LinkTokenSchema }).strict();

/** Role-specific fields: attorneys give their bar card; interpreters their languages and phone. */
const ProfileFields = {
  barNumber: BarNumberSchema,
  barState: BarStateSchema,
  languages: LanguagesSchema,
  phone: PhoneNumberSchema,
  timeZone: TimeZoneSchema,
};

export const AcceptInviteRequestSchema = z
  .object({
    token: LinkTokenSchema,
    name: NameSchema,
    password: NewPasswordSchema,
    barNumber: ProfileFields.barNumber.optional(),
    barState: ProfileFields.barState.optional(),
    languages: ProfileFields.languages.optional(),
    phone: ProfileFields.phone.optional(),
    timeZone: ProfileFields.timeZone.optional(),
  })
  .strict();
export type AcceptInviteRequest = z.infer<typeof AcceptInviteRequestSchema>;

/** An administrator's change to a person; `null` clears an optional field. */
export const UpdateUserRequestSchema = z
  .object({
    name: NameSchema,
    role: RoleSchema,
    barNumber: ProfileFields.barNumber.nullable(),
    barState: ProfileFields.barState.nullable(),
    languages: LanguagesSchema,
    phone: ProfileFields.phone.nullable(),
    timeZone: ProfileFields.timeZone,
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const ForgotPasswordRequestSchema = z.object({ email: EmailSchema }).strict();
export type ForgotPasswordRequest = z.infer<typeof ForgotPasswordRequestSchema>;

export const ResetPasswordRequestSchema = z
  .object({ token: LinkTokenSchema, password: NewPasswordSchema })
  .strict();
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequestSchema>;

/** An administrator's password reset: a link for the person, emailed and shown once. */
export interface PasswordResetIssued {
  link: string;
  emailed: boolean;
}
