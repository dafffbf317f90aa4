import { describe, expect, it } from 'vitest';
import { searchParamsOf } from './search-input.ts';

describe('the people search field', () => {
  it('reads a birth date typed the French way or as ISO', () => {
    expect(searchParamsOf('12/03/1985')).toEqual({ birthDate: '1985-03-12' });
    expect(searchParamsOf(' 1.3.1985 ')).toEqual({ birthDate: '1985-03-01' });
    expect(searchParamsOf('1985-03-12')).toEqual({ birthDate: '1985-03-12' });
  });

  it('reads a phone number with spaces, dots or +33', () => {
    expect(searchParamsOf('06 12 34 56 78')).toEqual({ phone: '0612345678' });
    expect(searchParamsOf('+33 6.12.34.56.78')).toEqual({ phone: '+33612345678' });
  });

  it('reads a NIR with or without its key, Corsica included', () => {
    expect(searchParamsOf('2 84 05 61 123 456 42')).toEqual({ identifier: '284056112345642' });
    expect(searchParamsOf('1 84 05 2a 123 456')).toEqual({ identifier: '184052A123456' });
  });

  it('takes anything else of 2 characters or more as names, and nothing shorter', () => {
    expect(searchParamsOf('Dupond Mari')).toEqual({ q: 'Dupond Mari' });
    expect(searchParamsOf('Lé')).toEqual({ q: 'Lé' });
    expect(searchParamsOf(' e ')).toBeNull();
    expect(searchParamsOf('')).toBeNull();
  });
});
