import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/** Where SNS email subscriptions deliver locally: an SMTP server, or `.eml` files in the outbox. */
export class Mailer {
  private readonly transport: nodemailer.Transporter;

  constructor(
    private readonly outbox: string,
    smtpUrl?: string,
    private readonly from = 'Vigil <vigil@localhost>',
  ) {
    this.transport = smtpUrl
      ? nodemailer.createTransport(smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    this.smtp = Boolean(smtpUrl);
  }

  private readonly smtp: boolean;

  /** Sends one message; without SMTP, writes it as `<outbox>/<time>-<id>.eml` and returns the path. */
  async send(message: {
    to: string[];
    subject: string;
    text: string;
    html?: string;
    id: string;
  }): Promise<string | undefined> {
    const info = await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${message.id}@vigil.local>`,
    });
    if (this.smtp) return undefined;
    mkdirSync(this.outbox, { recursive: true });
    const file = join(this.outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.id}.eml`);
    writeFileSync(file, (info as unknown as { message: Buffer }).message);
    return file;
  }
}
