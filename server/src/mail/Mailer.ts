import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

/** One plain-text message. Parley's mail carries links, never personal data of clients. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends Parley's mail (invites, password-reset links) through the SMTP server at `SMTP_URL`.
 * Without one, `send` returns false and the admin screens show the link to copy instead.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly config: MailConfig,
    private readonly logger: Logger,
  ) {
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  /** True when the mail server accepted the message; a refusal is logged, not thrown. */
  async send(mail: OutgoingMail): Promise<boolean> {
    if (!this.transport) return false;
    try {
      await this.transport.sendMail({ from: this.config.from, ...mail });
      return true;
    } catch (err) {
      this.logger.warn({ err, subject: mail.subject }, 'mail not sent');
      return false;
    }
  }

  close(): void {
    this.transport?.close();
  }
}

const mailers = new WeakMap<MailConfig, Mailer>();

/** The one Mailer per configuration (a pooled SMTP connection is shared by every route). */
export function mailerFor(config: MailConfig, logger: Logger): Mailer {
  let mailer = mailers.get(config);
  if (!mailer) {
    mailer = new Mailer(config, logger.child({ component: 'mail' }));
    mailers.set(config, mailer);
  }
  return mailer;
}
