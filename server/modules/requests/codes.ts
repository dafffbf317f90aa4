import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The request's public handles: a reference (RLS-2026-000123, from a sequence, shown everywhere)
 * and a short code printed on the receipt that proves the person holds the receipt. The code is
 * 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), ~40 bits: with the lookup
 * rate limit, guessing one is out of reach. Only its keyed hash is searched.
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const STATUS_CODE_LENGTH = 8;

export function formatReference(year: number, n: number): string {
  return `RLS-${year}-${String(n).padStart(6, '0')}`;
}

export function newStatusCode(): string {
  let code = '';
  for (let i = 0; i < STATUS_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** « ABCD-EFGH » for print and speech. */
export const displayStatusCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** Upper-cased, spaces and dashes removed, look-alikes mapped (O→0 is not in the alphabet, so O→Q is not guessed). */
export function normaliseStatusCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

function codeKey(secretKey: Buffer) {
  return createHmac('sha256', secretKey).update('relais:request-status-code').digest();
}

export function statusCodeHash(secretKey: Buffer, reference: string, code: string): string {
  return createHmac('sha256', codeKey(secretKey))
    .update(`${reference}:${normaliseStatusCode(code)}`)
    .digest('base64url');
}

export function statusCodeMatches(secretKey: Buffer, reference: string, code: string, hash: string): boolean {
  const a = Buffer.from(statusCodeHash(secretKey, reference, code));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
