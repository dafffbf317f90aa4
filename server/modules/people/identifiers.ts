import { createHmac, hkdfSync } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { invalid } from '../../platform/errors.ts';
import { parseNir } from '../../platform/nir.ts';

const indexKeys = new WeakMap<Buffer, Buffer>();

/** The key of the NIR blind index: HKDF-SHA256 of the secret key, label 'relais-nir-index'. */
function nirIndexKey(secretKey: Buffer): Buffer {
  let key = indexKeys.get(secretKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'relais-nir-index', 32));
    indexKeys.set(secretKey, key);
  }
  return key;
}

/** HMAC-SHA256 of the normalised NIR: finds a file by NIR without decrypting anything. */
export function nirHash(ctx: AppContext, normalisedNir: string): string {
  return nirHashWithKey(ctx.config.secretKey, normalisedNir);
}

/** The same blind index under a given secret key (key rotation recomputes it with the new key). */
export function nirHashWithKey(secretKey: Buffer, normalisedNir: string): string {
  return createHmac('sha256', nirIndexKey(secretKey)).update(normalisedNir).digest('base64url');
}

/** The normalised NIR, or 400 NIR_INVALID_FORMAT / NIR_INVALID_KEY with a French message. */
export function validNir(input: string, path = 'nir'): string {
  const r = parseNir(input);
  if (!r.ok) throw invalid(r.code, r.message, [{ path, message: r.message }]);
  return r.nir;
}

/** Lower case, accents and punctuation removed, single spaces: what `search_name` holds and what a search compares. */
export function normaliseName(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((p): p is string => !!p)
    .join(' ')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Phones are kept in one form so the phone index finds them: digits, +33 read as 0. */
export function normalisePhone(phone: string): string {
  const compact = phone.replace(/[\s.\-()]/g, '').replace(/^\+33\(?0\)?/, '+33');
  return compact.startsWith('+33') ? `0${compact.slice(3)}` : compact;
}
