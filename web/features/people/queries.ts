import { useQuery } from '@tanstack/react-query';
import {
  type IdentifierField,
  IdentifierLabels,
  InformedHowLabels,
  InformedHows,
  type PersonSearchResult,
  type PersonView,
} from '../../../contracts/people.ts';
import { api } from '../../api/client.ts';
import { type PersonSearch, searchParamsOf } from './search-input.ts';

export const peopleKeys = {
  all: (territoryId: string) => ['territory', territoryId, 'people'] as const,
  search: (territoryId: string, search: PersonSearch | null) => ['territory', territoryId, 'people', 'search', search] as const,
  person: (territoryId: string, id: string) => ['territory', territoryId, 'people', id] as const,
};

/** One search field: what the agent typed, read as a name, a birth date, a phone or a NIR. */
export const usePeopleSearch = (territoryId: string, input: string) => {
  const search = searchParamsOf(input);
  return useQuery({
    queryKey: peopleKeys.search(territoryId, search),
    queryFn: ({ signal }) =>
      api.get<PersonSearchResult>(`/api/territories/${territoryId}/people?${new URLSearchParams(search ?? {})}`, { signal }),
    enabled: search !== null,
  });
};

/** The file, read from the person file screen (the journal keeps « fiche »). */
export const usePerson = (territoryId: string, id: string) =>
  useQuery({
    queryKey: peopleKeys.person(territoryId, id),
    queryFn: () => api.get<PersonView>(`/api/territories/${territoryId}/people/${id}?screen=fiche`),
  });

/** The identifiers with what helps typing them. */
export const IdentifierInputs: { field: IdentifierField; label: string; hint: string; inputMode: 'numeric' | 'text' }[] = [
  {
    field: 'nir',
    label: IdentifierLabels.nir,
    hint: '15 chiffres (13 + clé de 2 chiffres), espaces permis ; 2A ou 2B pour la Corse. Exemple : 2 84 05 61 123 456 42',
    inputMode: 'text',
  },
  { field: 'cafNumber', label: IdentifierLabels.cafNumber, hint: '4 à 13 chiffres, sur les courriers de la CAF', inputMode: 'numeric' },
  {
    field: 'taxNumber',
    label: IdentifierLabels.taxNumber,
    hint: '13 chiffres commençant par 0, 1, 2 ou 3, en haut de l’avis d’impôt',
    inputMode: 'numeric',
  },
  {
    field: 'franceTravailId',
    label: IdentifierLabels.franceTravailId,
    hint: '6 à 11 lettres ou chiffres, par exemple 1234567A',
    inputMode: 'text',
  },
];

export const InformedHowOptions = InformedHows.map((value) => ({ value, label: InformedHowLabels[value] }));

/** "DUPONT Marie (née MARTIN)". */
export function personName(p: { firstName: string; lastName: string; birthName?: string | null }): string {
  const born = p.birthName && p.birthName !== p.lastName ? ` (nom de naissance ${p.birthName.toLocaleUpperCase('fr-FR')})` : '';
  return `${p.lastName.toLocaleUpperCase('fr-FR')} ${p.firstName}${born}`;
}

/** "1985-03-12" → "12/03/1985" (a calendar date: no time zone involved). */
export function formatBirthDate(date: string | null | undefined): string {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '—';
}

/** A date field's value (AAAA-MM-JJ) as an instant at noon, local time (so the day stays the same); null when empty. */
export function dateInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value.trim() || null;
  return new Date(`${value}T12:00:00`).toISOString();
}

/** Today as a date field's value. */
export function todayInput(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
