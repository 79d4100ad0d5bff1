import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { MailService } from './mail.service';

describe('MailService, development .eml transport', () => {
  it('writes the text and HTML parts to an .eml file and logs the link into Atelier the message carries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-mail-'));
    const mail = new MailService(loadConfig({ DATA_DIR: dir, PUBLIC_BASE_URL: 'http://localhost:3000' }));
    const logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await mail.send({
        to: 'someone@example.org',
        subject: 'Reset your Atelier password',
        text: 'Hello,\n\nChoose a new password: http://localhost:3000/password/reset/abc123\n\n--\n\nChange them: http://localhost:3000/account/notifications\n',
        html: '<p>Hello</p>',
      });
      const files = fs.readdirSync(path.join(dir, 'mail'));
      expect(files).toHaveLength(1);
      const eml = fs.readFileSync(path.join(dir, 'mail', files[0]), 'utf8');
      expect(eml).toContain('Content-Type: text/plain');
      expect(eml).toContain('Content-Type: text/html');
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ link: 'http://localhost:3000/password/reset/abc123' }));
    } finally {
      logged.mockRestore();
      mail.onApplicationShutdown();
    }
  });
});
