/** What one search field holds, as the people search route's criteria. */
export type PersonSearch = { q: string } | { birthDate: string } | { phone: string } | { identifier: string };

const DATE_FR = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE = /^(?:0|\+33)[1-9]\d{8}$/;
/** 13 characters (or 15 with the key): sex, year, month, department (2A/2B for Corsica), commune, order. */
const NIR = /^[0-9]{6}[0-9AB][0-9]{6}(?:[0-9]{2})?$/i;

/**
 * Reads what the agent typed: a birth date (12/03/1985 or 1985-03-12), a phone number, a NIR, or
 * else names (at least 2 characters). Null when there is nothing to search yet.
 */
export function searchParamsOf(input: string): PersonSearch | null {
  const text = input.trim();
  const fr = DATE_FR.exec(text);
  if (fr) return { birthDate: `${fr[3]}-${fr[2]?.padStart(2, '0')}-${fr[1]?.padStart(2, '0')}` };
  if (DATE_ISO.test(text)) return { birthDate: text };
  const compact = text.replace(/[\s.\-()]/g, '');
  if (PHONE.test(compact)) return { phone: compact };
  if (NIR.test(compact)) return { identifier: compact.toUpperCase() };
  return text.length >= 2 ? { q: text } : null;
}
