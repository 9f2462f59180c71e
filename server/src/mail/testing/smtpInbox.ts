import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 for tests: it accepts every message, parses it with mailparser
 * and keeps it, so a test reads what actually arrived over SMTP.
 */
export class SmtpInbox {
  readonly messages: ReceivedMail[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
          this.messages.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' });
          for (const wake of this.waiters) wake();
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  port = 0;

  async start(port = 0): Promise<string> {
    // A taken port (a fixed one, as the e2e server's SMTP_URL names) fails the start, not a test later.
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first message to `to` that matches, waiting up to `timeoutMs` for it to arrive. */
  async waitFor(to: string, match: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 10_000) {
    const find = () => this.messages.find((m) => m.to.includes(to) && match(m));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} arrived`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The first https?:// link in a mail's text. */
export function linkIn(text: string): string {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error('no link in the mail');
  return match[0];
}
