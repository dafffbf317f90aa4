import { describe, expect, it } from 'vitest';
import { communeByInsee, communes, communesByPostcode, nearbyByPostcode, normaliseName, searchCommunes } from './communes.ts';

describe('communes', () => {
  it('normalises names: accents, case, hyphens, apostrophes and "Saint"', () => {
    expect(normaliseName('Saint-Langis-lès-Mortagne')).toBe('st langis les mortagne');
    expect(normaliseName('St Langis les Mortagne')).toBe('st langis les mortagne');
    expect(normaliseName("L'Abergement-Clémenciat")).toBe('l abergement clemenciat');
    expect(normaliseName('Schœlcher')).toBe('schoelcher');
    expect(normaliseName('SAINTE-Gauburge')).toBe('ste gauburge');
  });

  it('keeps the current communes and the arrondissements municipaux, indexed by INSEE code and postcode', () => {
    const { all } = communes();
    const count = all.filter((c) => c.kind === 'commune').length;
    expect(count).toBeGreaterThan(34_000);
    expect(count).toBeLessThan(36_000);
    expect(all.filter((c) => c.kind === 'arrondissement')).toHaveLength(45);
    const mortagne = communeByInsee('61293');
    expect(mortagne).toMatchObject({ name: 'Mortagne-au-Perche', postcodes: ['61400'], departmentCode: '61', regionCode: '28' });
    expect(mortagne?.coordinates?.lat).toBeCloseTo(48.52, 1);
    expect(mortagne?.coordinates?.lon).toBeCloseTo(0.547, 1);
    expect(communesByPostcode('61400').map((c) => c.name)).toContain('Mortagne-au-Perche');
    expect(
      communesByPostcode('75011')
        .map((c) => c.inseeCode)
        .sort(),
    ).toEqual(['75056', '75111']);
  });

  it('places most communes of more than 1,000 inhabitants by name in their département, communes nouvelles at their seat (measured: 82.1 %; 95.0 % above 5,000)', () => {
    const current = communes().all.filter((c) => c.kind === 'commune');
    const rate = (minPopulation: number) => {
      const set = current.filter((c) => c.population > minPopulation);
      return set.filter((c) => c.coordinates).length / set.length;
    };
    expect(rate(1000)).toBeGreaterThanOrEqual(0.81);
    expect(rate(5000)).toBeGreaterThanOrEqual(0.94);
    // Coordinates stay in the commune's area: every placed commune of the Orne is in the Orne's box.
    for (const c of current.filter((x) => x.departmentCode === '61' && x.coordinates)) {
      expect(c.coordinates!.lat, c.name).toBeGreaterThan(48.1);
      expect(c.coordinates!.lat, c.name).toBeLessThan(48.98);
      expect(c.coordinates!.lon, c.name).toBeGreaterThan(-0.88);
      expect(c.coordinates!.lon, c.name).toBeLessThan(0.98);
    }
  });

  it('places a commune nouvelle GeoNames does not know at its seat, the commune déléguée with its code', () => {
    // Sablons sur Huisne (61116, 2016): its seat is the commune déléguée Condé-sur-Huisne (61116).
    const sablons = communeByInsee('61116');
    expect(sablons?.name).toBe('Sablons sur Huisne');
    expect(sablons?.coordinates?.lat).toBeCloseTo(48.381, 2);
    expect(sablons?.coordinates?.lon).toBeCloseTo(0.851, 2);
  });

  it('invents nothing: a commune nouvelle without a known name or seat has no coordinates', () => {
    // Rémalard en Perche (2016) is not in GeoNames under that name and keeps no commune déléguée.
    const remalard = communeByInsee('61345');
    expect(remalard?.name).toBe('Rémalard en Perche');
    expect(remalard?.coordinates).toBeNull();
  });

  it('gives an approximate position from the placed communes sharing a postcode, else none', () => {
    // 61110: Bretoncelles and Sablons sur Huisne are placed.
    const near = nearbyByPostcode(communeByInsee('61345')!);
    expect(near?.postcodes).toEqual(['61110']);
    expect(near?.coordinates.lat).toBeCloseTo((48.43122 + 48.38103) / 2, 4);
    expect(near?.coordinates.lon).toBeCloseTo((0.88775 + 0.85093) / 2, 4);
    // No commune of 61170 is placed.
    expect(communesByPostcode('61170').some((c) => c.coordinates)).toBe(false);
    expect(nearbyByPostcode(communeByInsee('61026')!)).toBeNull();
  });

  it('places overseas communes (GeoNames files them under their own country codes)', () => {
    expect(communeByInsee('97411')?.coordinates?.lat).toBeCloseTo(-20.88, 1); // Saint-Denis (La Réunion)
  });

  it('completes a name prefix (exact name first, then by population) and a postcode', () => {
    expect(searchCommunes('mortagne').map((c) => c.name)).toEqual(
      expect.arrayContaining(['Mortagne-au-Perche', 'Mortagne-sur-Sèvre', 'Mortagne-sur-Gironde']),
    );
    expect(searchCommunes('Paris')[0]?.inseeCode).toBe('75056');
    expect(searchCommunes('st denis')[0]?.name).toBe('Saint-Denis');
    expect(searchCommunes('61400').every((c) => c.postcodes.includes('61400'))).toBe(true);
    expect(searchCommunes('614').length).toBe(10);
    expect(searchCommunes('x')).toEqual([]);
    expect(searchCommunes('zzzz')).toEqual([]);
  });
});
