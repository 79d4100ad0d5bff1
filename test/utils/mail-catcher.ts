import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server inside the test: the app sends through nodemailer exactly as in production. */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  private server?: SMTPServer;
  private waiters: (() => void)[] = [];
  /** When set, the next deliveries are refused (to test what the app does when mail fails). */
  failNext = 0;
  /** A slow mail server: wait this long before accepting each message (it is recorded on acceptance). */
  delayMs = 0;
  /** While set, the server is "down": every connection is refused at the greeting (421), nothing is received. */
  down = false;
  /** How the app's queued mail reaches this server: createTestApp sets it to one worker pass. */
  deliver?: () => Promise<void>;

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      onConnect: (_session, callback) => {
        if (this.down) return callback(Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }));
        callback();
      },
      // A connection opened before the outage (the app keeps one open) is refused at its next message.
      onMailFrom: (_address, _session, callback) => {
        if (this.down) return callback(Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }));
        callback();
      },
      onData: (stream, _session, callback) => {
        if (this.failNext > 0) {
          this.failNext--;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
          return;
        }
        simpleParser(stream)
          .then(async (parsed) => {
            if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            this.messages.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' });
            this.waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  /**
   * The newest message to this address (waits up to 5 s for it, running the app's worker while it
   * waits: mail is queued in the outbox and sent by the worker). With `atLeast`, waits until that
   * many such messages have arrived.
   */
  async last(to: string, subject?: RegExp, atLeast = 1): Promise<CaughtMail> {
    const deadline = Date.now() + 5000;
    for (;;) {
      if (this.deliver) await this.deliver();
      const found = this.messages.filter((m) => m.to.includes(to) && (!subject || subject.test(m.subject)));
      if (found.length >= atLeast) return found[found.length - 1];
      if (Date.now() > deadline)
        throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ''}; got: ${this.messages.map((m) => `${m.to}: ${m.subject}`).join('; ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  to(address: string): CaughtMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The path of the first link in a mail that starts with the given path prefix. */
export function linkIn(mail: CaughtMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s/]+(${prefix.replace(/\//g, '\\/')}[A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${prefix} link in mail:\n${mail.text}`);
  return match[1];
}
