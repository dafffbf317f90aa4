/**
 * The French social security number (NIR, « numéro de sécurité sociale »): pure validation,
 * normalisation and masking. No Node API, so the web can use it too.
 *
 * Layout (15 characters once spaces and dots are removed):
 *
 * | pos | length | field | accepted |
 * |---|---|---|---|
 * | 1 | 1 | sex | 1 (man), 2 (woman); 3 and 4 (provisional numbers of people born abroad), 7 and 8 (temporary registration numbers, NIA) |
 * | 2 | 2 | year of birth | 00 to 99 |
 * | 4 | 2 | month of birth | 01 to 12; 20 to 42 and 50 to 99 (pseudo-months given when the month is unknown or the civil status incomplete) |
 * | 6 | 2 | département | 01 to 99 (20 for Corsica before 1976, 97 and 98 overseas with a 3-digit commune, 99 born abroad), 2A, 2B |
 * | 8 | 3 | commune (INSEE) or country | 3 digits (000 accepted: unknown place) |
 * | 11 | 3 | birth register order | 001 to 999 |
 * | 14 | 2 | key | 01 to 97: 97 - (the 13 first digits mod 97), with 2A read as 19 and 2B as 18 |
 *
 * Anything else is a format error; a well-formed number whose key does not match is a key error,
 * which catches every single-digit typo and every swap of two different adjacent digits.
 */

export type NirResult =
  | { ok: true; nir: string }
  | { ok: false; reason: 'format' | 'key'; code: 'NIR_INVALID_FORMAT' | 'NIR_INVALID_KEY'; message: string };

const NIR_SHAPE =
  /^([1-478])([0-9]{2})(0[1-9]|1[0-2]|[2-3][0-9]|4[0-2]|[5-9][0-9])(0[1-9]|[1-9][0-9]|2A|2B)([0-9]{3})(00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})([0-9]{2})$/;

/** Removes spaces, dots, dashes and non-breaking spaces; upper-cases the Corsican A/B. */
export function normaliseNirInput(input: string): string {
  return input.replace(/[\s.\u00a0\u202f-]/g, '').toUpperCase();
}

/** The key of the 13 first characters (2A → 19, 2B → 18). */
export function nirKey(body13: string): number {
  const digits = body13.replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  return 97 - Number(BigInt(digits) % 97n);
}

/** Validates a NIR typed by a person; the normalised form is 15 characters without separators. */
export function parseNir(input: string): NirResult {
  const nir = normaliseNirInput(input);
  const match = NIR_SHAPE.exec(nir);
  if (!match) {
    return {
      ok: false,
      reason: 'format',
      code: 'NIR_INVALID_FORMAT',
      message:
        'Le numéro de sécurité sociale doit comporter 15 caractères : sexe (1 ou 2), année, mois, département (2A et 2B pour la Corse), commune, numéro d’ordre et clé de 2 chiffres.',
    };
  }
  if (nirKey(nir.slice(0, 13)) !== Number(match[7])) {
    return {
      ok: false,
      reason: 'key',
      code: 'NIR_INVALID_KEY',
      message: 'La clé de contrôle du numéro de sécurité sociale ne correspond pas : vérifiez les chiffres saisis.',
    };
  }
  return { ok: true, nir };
}

export function isValidNir(input: string): boolean {
  return parseNir(input).ok;
}

/** Groups a normalised NIR as printed on the carte Vitale: « 2 84 05 2A 123 456 42 ». */
export function formatNir(nir: string): string {
  const n = normaliseNirInput(nir);
  return [n.slice(0, 1), n.slice(1, 3), n.slice(3, 5), n.slice(5, 7), n.slice(7, 10), n.slice(10, 13), n.slice(13, 15)].join(' ');
}

/** Shows only the sex digit and the key: « 2 ** ** ** *** *** 42 ». */
export function maskNir(nir: string): string {
  const n = normaliseNirInput(nir);
  return `${n.slice(0, 1)} ** ** ** *** *** ${n.slice(13, 15)}`;
}

/** Other identifiers (CAF, tax, France Travail): only the last 2 characters. */
export function maskIdentifier(value: string): string {
  return `${'*'.repeat(Math.max(3, value.length - 2))}${value.slice(-2)}`;
}
