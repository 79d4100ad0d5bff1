import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';

export interface Mail {
  to: string;
  subject: string;
  /** The plain-text part (always). */
  text: string;
  /** The HTML part with the same words (composeMail makes both). */
  html?: string | null;
}

/**
 * The longest one message may take to send: connecting, greeting and every exchange with the SMTP
 * server are each bounded by it. The outbox worker leaves a message to the next lease when less
 * than this is left of its own (so a message is never sent by two workers at once).
 */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * Sends e-mail through SMTP (SMTP_URL), or in development writes each message as an .eml file
 * under data/mail/ and logs the link it carries, so a newcomer can follow it without a mail server.
 * Only the outbox worker calls it: everything else queues mail with OutboxService.enqueue.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transporter =
      config.mail.transport === 'smtp'
        ? // One pooled connection kept open between messages: a connection per message cost ~0.1 s each (bench/worker.mjs).
          nodemailer.createTransport({
            url: config.mail.url,
            pool: true,
            maxConnections: 1,
            connectionTimeout: SEND_TIMEOUT_MS,
            greetingTimeout: SEND_TIMEOUT_MS,
            socketTimeout: SEND_TIMEOUT_MS,
          })
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: Mail): Promise<void> {
    const info = await this.transporter.sendMail({
      from: this.config.mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
    });
    if (this.config.mail.transport === 'file') {
      const dir = this.config.mail.dir;
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`);
      await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
      // Development only: the message's first link into Atelier (it may carry a token; never logged with SMTP).
      const link = this.linkIn(mail.text);
      this.logger.log({
        msg: `mail to ${mail.to}: "${mail.subject}" written to ${path.relative(process.cwd(), file)}`,
        ...(link ? { link } : {}),
      });
    } else {
      this.logger.log({ msg: 'mail sent', subject: mail.subject });
    }
  }

  private linkIn(text: string): string | undefined {
    const base = this.config.publicBaseUrl;
    return text.split(/\s+/).find((word) => word.startsWith(`${base}/`) && !word.startsWith(`${base}/account/`));
  }

  /** After every module's destroy hook, so background jobs still sending mail can finish first. */
  onApplicationShutdown() {
    this.transporter.close();
  }
}
