import { z } from 'zod';
import type { CallTicket } from './call/callAccess.schema.ts';
import { CLIENT_LANGUAGES, type LanguageCode } from './languages.ts';

/**
 * A call as the kiosk lists it: its time and status. The client's initials only when the
 * organisation has turned them on (`kioskShowInitials`); otherwise null, and the kiosk shows an icon:
 * a shared visiting room sees the screen.
 */
export interface KioskConsultation {
  id: string;
  clientInitials: string | null;
  /** The call's language: shown with the initials, and like them only when the organisation allows. */
  language: string | null;
  startsAt: string;
  endsAt: string;
  status: 'SCHEDULED' | 'IN_PROGRESS';
}

/** The last three digits of an A-Number: what a client proves they are the client with. */
export const A_NUMBER_DIGITS_PATTERN = /^[0-9]{3}$/;

/**
 * How the person at the kiosk proves the call is theirs: the 6-digit code the officer gives them,
 * or a tap on the listed call together with the last three digits of their A-Number. A `seatToken`
 * from an earlier join on the same device returns to the same call (a page reload, a dropped
 * connection) without asking again.
 */
export const KioskJoinRequestSchema = z.union([
  z.object({ pin: z.string().regex(/^[0-9]{6}$/, 'A code has 6 digits') }).strict(),
  z
    .object({
      consultationId: z.uuid(),
      aNumberDigits: z.string().regex(A_NUMBER_DIGITS_PATTERN, 'Three digits of the A-Number'),
    })
    .strict(),
  z.object({ consultationId: z.uuid(), seatToken: z.string().min(20).max(2000) }).strict(),
]);
export type KioskJoinRequest = z.infer<typeof KioskJoinRequestSchema>;

/** A successful kiosk join: the call ticket and a token that lets this device rejoin this call. */
export interface KioskJoinResponse extends CallTicket {
  seatToken: string;
}

/** The organisation's kiosk settings, changed by an ADMIN. */
export const KioskSettingsSchema = z.object({ showInitials: z.boolean() }).strict();
export type KioskSettings = z.infer<typeof KioskSettingsSchema>;

/**
 * The spoken prompts of the kiosk, one per screen (plus each language's own name for the language
 * grid). Every other id is also a client string key: what is heard is what is shown.
 */
export const KIOSK_PROMPT_IDS = [
  'languageName',
  'chooseCall',
  'enterDigits',
  'pinWrong',
  'digitsWrong',
  'tooManyTries',
  'waitingForLawyer',
  'callEnded',
] as const;
export const KioskPromptIdSchema = z.enum(KIOSK_PROMPT_IDS);
export type KioskPromptId = z.infer<typeof KioskPromptIdSchema>;

export const KioskPromptLanguageSchema = z.enum(
  CLIENT_LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]],
);

export const KioskPromptParamsSchema = z
  .object({ language: KioskPromptLanguageSchema, prompt: KioskPromptIdSchema })
  .strict();

/** Recorded prompts an ADMIN may upload: short files in a format every kiosk browser plays. */
export const KIOSK_PROMPT_MIME_TYPES = ['audio/ogg', 'audio/mpeg', 'audio/wav', 'audio/webm'] as const;
export type KioskPromptMimeType = (typeof KIOSK_PROMPT_MIME_TYPES)[number];
/**
 * A prompt is one or two sentences: 64 KiB holds about 20 s of Ogg or MP3 speech at 24 kbit/s. It
 * travels base64-encoded in a JSON body, which keeps within the API's 100 kB JSON limit.
 */
export const KIOSK_PROMPT_MAX_BYTES = 64 * 1024;

export const KioskPromptUploadSchema = z
  .object({
    mimeType: z.enum(KIOSK_PROMPT_MIME_TYPES),
    audioBase64: z
      .string()
      .min(8)
      .max(Math.ceil(KIOSK_PROMPT_MAX_BYTES / 3) * 4, 'A prompt file is at most 64 KiB')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The audio must be base64-encoded'),
  })
  .strict();
export type KioskPromptUpload = z.infer<typeof KioskPromptUploadSchema>;

/** Which prompts an organisation has recorded for a language (they replace the generated ones). */
export interface KioskRecordedPrompts {
  language: LanguageCode;
  recorded: KioskPromptId[];
}

/**
 * The generated prompts shipped with the client (`client/public/prompts/manifest.json`, written by
 * `server/scripts/prompts/generatePrompts.ts`): per language, which prompts exist as files, and for
 * a language without a voice, why not. Recorded prompts take precedence; a language with neither
 * gets the pictures-only screen, never another language's voice.
 */
export interface KioskPromptManifest {
  format: 'ogg';
  languages: Record<
    string,
    { voice: string | null; prompts: Partial<Record<KioskPromptId, string>>; fallback: string }
  >;
}
