import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Development only: the link to print in the log (it carries a token; never logged in production). */
  devLink?: string;
}

/**
 * Sends e-mail through SMTP (SMTP_URL), or in development writes each message as an .eml file
 * under data/mail/ and logs its link so a newcomer can follow it without a mail server.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transporter =
      config.mail.transport === 'smtp'
        ? nodemailer.createTransport(config.mail.url)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: Mail): Promise<void> {
    const info = await this.transporter.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
    if (this.config.mail.transport === 'file') {
      const dir = this.config.mail.dir;
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`);
      await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
      this.logger.log({
        msg: `mail to ${mail.to}: "${mail.subject}" written to ${path.relative(process.cwd(), file)}`,
        ...(mail.devLink ? { link: mail.devLink } : {}),
      });
    } else {
      this.logger.log({ msg: 'mail sent', subject: mail.subject });
    }
  }

  /** After every module's destroy hook, so background jobs still sending mail can finish first. */
  onApplicationShutdown() {
    this.transporter.close();
  }
}
