import { describe, expect, it } from 'vitest';
import { ERASED, redact } from './anonymise.ts';

describe('the journal redaction rule', () => {
  it('blanks every value under before and after but keeps the keys, so the entry still says which fields changed', () => {
    const data = {
      before: { lastName: 'Quatrefages', phone: null, birthDate: '1990-08-14' },
      after: { lastName: 'Duroc', phone: '0612345678', birthDate: '1990-08-14' },
      identifiers: { nir: 'set' },
    };
    expect(redact(data)).toEqual({
      before: { lastName: ERASED, phone: null, birthDate: ERASED },
      after: { lastName: ERASED, phone: ERASED, birthDate: ERASED },
      identifiers: { nir: 'set' },
    });
  });

  it('blanks free texts (a reveal’s reason, a comment) and keeps ids, types, screens and dates', () => {
    const data = { field: 'nir', reason: 'Appel de Mme Duroc', screen: 'fiche', consentId: 'c-1', givenAt: '2026-01-01T00:00:00.000Z' };
    expect(redact(data)).toEqual({ ...data, reason: ERASED });
  });

  it('keeps a visit’s counted values and blanks only its comment when asked to', () => {
    const data = { after: { channel: 'sur_place', themeCodes: ['famille'], comment: 'Mme Duroc a perdu sa carte', personId: 'p-1' } };
    expect(redact(data, new Set(['comment']))).toEqual({ after: { ...data.after, comment: ERASED } });
  });

  it('leaves an entry with nothing personal unchanged', () => {
    expect(redact({ screen: 'recherche' })).toEqual({ screen: 'recherche' });
    expect(redact({})).toEqual({});
  });
});
