import type { PersonView } from '../../../contracts/people.ts';
import type { RequestIdentifierKind } from '../../../contracts/requests.ts';

/** Whether the person's file holds this identifier (the server then takes it from the file). */
export function personHasIdentifier(person: PersonView | undefined, kind: RequestIdentifierKind): boolean {
  if (!person) return false;
  switch (kind) {
    case 'nir':
      return person.hasNir || !!person.identifiers.nir;
    case 'caf_number':
      return !!person.identifiers.cafNumber;
    case 'tax_number':
      return !!person.identifiers.taxNumber;
    case 'france_travail_id':
      return !!person.identifiers.franceTravailId;
    case 'msa_number':
      return false;
    case 'birth_date':
      return !!person.birthDate;
    case 'address':
      return !!person.address;
    case 'phone':
      return !!person.phone;
    case 'email':
      return !!person.email;
  }
}

/** How each identifier is typed. */
export const IdentifierInputHints: Record<
  RequestIdentifierKind,
  { hint: string; type?: string; inputMode?: 'numeric' | 'text' | 'tel' | 'email' }
> = {
  nir: { hint: '15 chiffres, espaces permis', inputMode: 'text' },
  caf_number: { hint: '4 à 13 chiffres, sur les courriers de la CAF', inputMode: 'numeric' },
  tax_number: { hint: '13 chiffres, en haut de l’avis d’impôt', inputMode: 'numeric' },
  france_travail_id: { hint: '6 à 11 lettres ou chiffres', inputMode: 'text' },
  msa_number: { hint: 'Sur les courriers de la MSA', inputMode: 'text' },
  birth_date: { hint: 'JJ/MM/AAAA', type: 'date' },
  address: { hint: 'Numéro, rue, code postal et commune' },
  phone: { hint: 'Exemple : 06 12 34 56 78', type: 'tel', inputMode: 'tel' },
  email: { hint: 'Exemple : nom@exemple.fr', type: 'email', inputMode: 'email' },
};
