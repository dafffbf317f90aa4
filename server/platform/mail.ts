import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  describe(): string;
}

/**
 * SMTP when SMTP_URL is set; otherwise each email is written as a .eml file in DATA_DIR/mails,
 * so the demo's password-reset and invitation links can be followed without a mail server.
 */
export function createMailer(config: Pick<Config, 'mail' | 'dataDir'>): Mailer {
  if (config.mail.smtpUrl) {
    const transport = nodemailer.createTransport(config.mail.smtpUrl);
    return {
      async send(m) {
        await transport.sendMail({ from: config.mail.from, to: m.to, subject: m.subject, text: m.text });
      },
      describe: () => `SMTP ${new URL(config.mail.smtpUrl!).host}`,
    };
  }
  const dir = join(config.dataDir, 'mails');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(m) {
      const info = await transport.sendMail({ from: config.mail.from, to: m.to, subject: m.subject, text: m.text });
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      writeFileSync(join(dir, `${stamp}-${m.to.replace(/[^a-z0-9@.-]/gi, '_')}.eml`), info.message as Buffer);
    },
    describe: () => `fichiers .eml dans ${dir}`,
  };
}
