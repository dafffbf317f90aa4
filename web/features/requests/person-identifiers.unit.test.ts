import { describe, expect, it } from 'vitest';
import type { PersonView } from '../../../contracts/people.ts';
import { personHasIdentifier } from './person-identifiers.ts';

const person = {
  birthDate: '1950-01-02',
  address: null,
  phone: '0611223344',
  email: null,
  hasNir: false,
  identifiers: { nir: null, cafNumber: '*****42', taxNumber: null, franceTravailId: null },
} as unknown as PersonView;

describe('personHasIdentifier', () => {
  it('reads the masked identifiers and the contact details of the file', () => {
    expect(personHasIdentifier(person, 'caf_number')).toBe(true);
    expect(personHasIdentifier(person, 'birth_date')).toBe(true);
    expect(personHasIdentifier(person, 'phone')).toBe(true);
    expect(personHasIdentifier(person, 'nir')).toBe(false);
    expect(personHasIdentifier(person, 'address')).toBe(false);
    expect(personHasIdentifier({ ...person, hasNir: true }, 'nir')).toBe(true);
  });

  it('never claims an MSA number (the file has no such field) nor anything without a file', () => {
    expect(personHasIdentifier(person, 'msa_number')).toBe(false);
    expect(personHasIdentifier(undefined, 'caf_number')).toBe(false);
  });
});
