import { describe, expect, it } from 'vitest';
import type { contactPoints } from '../network.schema.ts';
import { diffContactPoint } from './import.service.ts';
import type { ImportedContactPoint } from './records.ts';

type Row = typeof contactPoints.$inferSelect;
const existing = (over: Partial<Row> = {}): Row => ({
  id: '00000000-0000-4000-8000-000000000001',
  territoryId: '00000000-0000-4000-8000-000000000002',
  name: 'L’Aigle',
  kind: 'france_services',
  commune: 'L’Aigle',
  inseeCode: '61214',
  matricule: '364',
  labelDate: '2020-01-01',
  address: 'Rue de la Merillière',
  addressComplement: null,
  postcode: '61300',
  latitude: 48.76,
  longitude: 0.63,
  phone: '02 33 84 44 44',
  email: 'accueil@ville-laigle.fr',
  website: 'https://laigle.fr',
  managingBody: 'Commune de L’Aigle',
  managingBodyType: 'Collectivité',
  description: null,
  accessibility: 'Plain-pied',
  wheelchairAccessible: true,
  openingHours: 'Mo-Fr 08:30-12:30',
  hoursReview: null,
  themes: [],
  source: 'anct',
  closedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...over,
});
const incoming = (over: Partial<ImportedContactPoint> = {}): ImportedContactPoint => ({
  name: 'L’Aigle',
  kind: 'france_services',
  commune: 'L’Aigle',
  inseeCode: '61214',
  matricule: '364',
  labelDate: '2020-01-01',
  address: 'Rue de la Merillière',
  addressComplement: null,
  postcode: '61300',
  latitude: 48.76,
  longitude: 0.63,
  phone: null,
  email: null,
  website: null,
  managingBody: 'Commune de L’Aigle',
  managingBodyType: 'Collectivité',
  openingHours: 'Mo-Fr 08:30-12:30',
  hoursReview: null,
  source: 'anct',
  ...over,
});

describe('what an import changes on an existing contact point', () => {
  it('never erases a known value with an empty or invalid cell', () => {
    expect(diffContactPoint(existing(), incoming())).toEqual([]);
  });

  it('lists each changed field with its value before and after', () => {
    expect(diffContactPoint(existing(), incoming({ postcode: '61301', phone: '02 33 00 00 00' }))).toEqual([
      { field: 'postcode', before: '61300', after: '61301' },
      { field: 'phone', before: '02 33 84 44 44', after: '02 33 00 00 00' },
    ]);
  });

  it('keeps hours someone set when the file’s cannot be converted, and takes converted hours with their review', () => {
    const unreadable = incoming({ openingHours: null, hoursReview: 'Horaires de la liste ANCT à vérifier : lundi « ? »' });
    expect(diffContactPoint(existing(), unreadable)).toEqual([]);
    expect(diffContactPoint(existing({ openingHours: null }), unreadable)).toEqual([
      { field: 'hoursReview', before: null, after: unreadable.hoursReview },
    ]);
    expect(
      diffContactPoint(existing({ openingHours: null, hoursReview: 'à vérifier' }), incoming({ openingHours: 'Mo 09:00-12:00' })),
    ).toEqual([
      { field: 'openingHours', before: null, after: 'Mo 09:00-12:00' },
      { field: 'hoursReview', before: 'à vérifier', after: null },
    ]);
  });

  it('leaves the fields a file does not really say', () => {
    expect(diffContactPoint(existing({ kind: 'bus' }), incoming({ kind: 'agence_partenaire' }), ['kind'])).toEqual([]);
  });
});
