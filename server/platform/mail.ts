import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The territory the email is about (notifications), so the territory's coordinators see it in the outbox. */
  territoryId?: string | null;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  describe(): string;
}

/**
 * SMTP when SMTP_URL is set; otherwise each email is written as a .eml file in DATA_DIR/mails
 * and handed to `keep` (the runtime stores it for the in-app outbox page), so the demo's links can
 * be followed without a mail server. `keep` runs outside any transaction (senders call the mailer
 * after theirs commit), so it may use the pool.
 */
export function createMailer(
  config: Pick<Config, 'mail' | 'dataDir'>,
  options: { keep?: (message: MailMessage) => Promise<void> } = {},
): Mailer {
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
      await options.keep?.(m);
    },
    describe: () => `fichiers .eml dans ${dir}${options.keep ? ' et boîte d’envoi /boite-mail' : ''}`,
  };
}
