import type { Config } from '../config.ts';

/**
 * Text messages. With SMS_PROVIDER_URL, each message is POSTed as JSON `{ to, from, text }` with the
 * Bearer token to the provider (any SMS gateway accepting that shape, or a small relay in front of
 * one). Without it (the embedded default), nothing leaves the server: the caller keeps the message
 * in `sms_messages` and the outbox page shows what would have been sent.
 */
export interface SmsSender {
  /** 'outbox' when no provider is configured. */
  readonly mode: 'provider' | 'outbox';
  /** Sends one message; resolves with the provider's message id (or null), rejects with SmsError. */
  send(to: string, text: string): Promise<{ providerId: string | null }>;
}

export class SmsError extends Error {}

const TIMEOUT_MS = 10_000;

/** A French number as the provider expects it: 0612345678 → +33612345678; +… numbers unchanged. */
export function internationalPhone(phone: string): string {
  const digits = phone.replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+')) return digits;
  if (/^0[1-9][0-9]{8}$/.test(digits)) return `+33${digits.slice(1)}`;
  return digits;
}

/** « ** ** ** 56 78 »: enough for the person to recognise their number, not enough to read it. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const last = digits.slice(-4);
  return `** ** ** ${last.slice(0, 2)} ${last.slice(2)}`.trim();
}

export function createSmsSender(config: Pick<Config, 'sms'>): SmsSender {
  const provider = config.sms.provider;
  if (!provider) {
    return {
      mode: 'outbox',
      send: async () => ({ providerId: null }),
    };
  }
  return {
    mode: 'provider',
    async send(to, text) {
      let res: Response;
      try {
        res = await fetch(provider.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${provider.token}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ to: internationalPhone(to), from: config.sms.sender, text }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const name = (error as Error).name;
        throw new SmsError(
          name === 'TimeoutError' ? `pas de réponse en ${TIMEOUT_MS / 1000} s` : `injoignable (${(error as Error).message})`,
        );
      }
      const body = await res.text().catch(() => '');
      if (!res.ok) throw new SmsError(`HTTP ${res.status} ${body.slice(0, 200)}`.trim());
      let providerId: string | null = null;
      try {
        const parsed = JSON.parse(body) as { id?: unknown; messageId?: unknown };
        const id = parsed.id ?? parsed.messageId;
        if (typeof id === 'string' || typeof id === 'number') providerId = String(id).slice(0, 200);
      } catch {
        // A provider answering 2xx without JSON still took the message.
      }
      return { providerId };
    },
  };
}
