/**
 * Where the e2e server sends mail (playwright.config.ts sets SMTP_URL to it): a port beside the
 * app's, so parallel runs on other E2E_PORTs do not collide. The inbox itself is the one the
 * server's integration tests use: a real SMTP server that keeps what arrived, parsed.
 */
export { linkIn, SmtpInbox, type ReceivedMail } from '../server/src/mail/testing/smtpInbox.ts';

export function e2eSmtpPort(): number {
  return Number(process.env.E2E_SMTP_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 2000);
}
