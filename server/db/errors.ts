/** PostgreSQL error codes we turn into clear answers instead of 500s. */
export const isUniqueViolation = (error: unknown) => pgCode(error) === '23505';
export const isForeignKeyViolation = (error: unknown) => pgCode(error) === '23503';
/** Text PostgreSQL refuses to store whatever the column: a NUL character, or one the encoding lacks. */
export const isUnstorableText = (error: unknown) => ['22021', '22P05'].includes(pgCode(error) ?? '');

function pgCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
