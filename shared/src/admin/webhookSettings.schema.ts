import { z } from 'zod';

/**
 * The case-system connection as an administrator sets it from the screen: the URL and whether it
 * is on. The signing secret is made by the server (`whsec_` + 32 random bytes, base64, the Standard
 * Webhooks form) and shown once, when the connection is first saved and at every rotation.
 */
export const WebhookSettingsRequestSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    active: z.boolean().default(true),
  })
  .strict();
export type WebhookSettingsRequest = z.infer<typeof WebhookSettingsRequestSchema>;

/** A new signing secret, returned once. */
export interface WebhookSecretIssued {
  secret: string;
}

export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** The body of the test event the admin screen sends. */
export interface WebhookTestBody {
  event: typeof WEBHOOK_TEST_EVENT;
  deliveryId: string;
  organizationId: string;
  sentAt: string;
}

/** The body of an action that takes no input (deactivate, rotate, send a test): nothing, or `{}`. */
export const EmptyRequestSchema = z.union([z.undefined(), z.object({}).strict()]);
