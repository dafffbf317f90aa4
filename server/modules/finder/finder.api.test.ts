import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createContactPoint, createOrganisation, createTerritory } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { busStops, contactPointPartners, partnerReferents } from '../network/network.schema.ts';

// Wednesday 11 March 2026, 10:00 in Paris (09:00 UTC).
const NOW = new Date('2026-03-11T09:00:00Z');
const clock = fixedClock(NOW);
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);

let t: TestApp;
const ids: Record<string, string> = {};
const names = (body: { items: { id: string }[] }) => body.items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? i.id);

beforeAll(async () => {
  t = await createTestApp({ clock });
  const db = t.ctx.db;
  const perche = await createTerritory(db, { slug: 'perche-finder', name: 'Perche', departmentCode: '61', regionCode: '28' });
  const lot = await createTerritory(db, { slug: 'lot-finder', name: 'Lot', departmentCode: '46', regionCode: '76' });
  const place = async (key: string, territoryId: string, input: Parameters<typeof createContactPoint>[2]) => {
    ids[key] = (await createContactPoint(db, territoryId, { name: key, ...input })).id;
  };
  // Mortagne-au-Perche is at 48.52018, 0.54734 (GeoNames).
  await place('mortagne', perche.id, {
    commune: 'Mortagne-au-Perche',
    inseeCode: '61293',
    postcode: '61400',
    address: '8 place du Général de Gaulle',
    latitude: 48.5205,
    longitude: 0.548,
    openingHours: 'Mo-Fr 09:00-12:00',
    phone: '02 33 00 00 00',
    themes: ['famille', 'social-sante'],
  });
  await place('tourouvre', perche.id, {
    kind: 'mairie',
    commune: 'Tourouvre au Perche',
    latitude: 48.5894,
    longitude: 0.6497,
    openingHours: 'Mo-Fr 08:00-18:00',
  });
  await place('belleme', perche.id, {
    kind: 'mairie',
    commune: 'Bellême',
    latitude: 48.3733,
    longitude: 0.57,
    openingHours: 'Mo 14:00-17:00',
  });
  await place('unknown-hours', perche.id, { kind: 'association', commune: 'Mauves-sur-Huisne', latitude: 48.38, longitude: 0.66 });
  await place('closed', perche.id, {
    commune: 'Mortagne-au-Perche',
    latitude: 48.521,
    longitude: 0.547,
    openingHours: '24/7',
    closedAt: hours(-24),
  });
  await place('no-coordinates', perche.id, { commune: 'Mortagne-au-Perche', openingHours: '24/7' });
  // The bus's garage is in Mortagne itself, but it is placed by its upcoming stops only.
  await place('bus', perche.id, { kind: 'bus', commune: 'Mortagne-au-Perche', latitude: 48.52018, longitude: 0.54734 });
  await place('cahors', lot.id, { commune: 'Cahors', latitude: 44.4475, longitude: 1.4419, openingHours: '24/7' });

  const stop = (
    place: string,
    commune: string,
    lat: number,
    lon: number,
    from: number,
    extra: Partial<typeof busStops.$inferInsert> = {},
  ) => ({
    territoryId: perche.id,
    contactPointId: ids.bus!,
    commune,
    place,
    latitude: lat,
    longitude: lon,
    startsAt: hours(from),
    endsAt: hours(from + 3),
    ...extra,
  });
  await db.insert(busStops).values([
    stop('place de la mairie', 'Mortagne-au-Perche', 48.52018, 0.54734, -26), // yesterday: past
    stop('parking de l’église', 'Mortagne-au-Perche', 48.52, 0.547, 2, { cancelledAt: hours(-1) }),
    stop('place du marché', 'Longny les Villages', 48.5333, 0.75, 24, { inseeCode: '61230' }), // tomorrow
    stop('salle des fêtes', 'Bellême', 48.3733, 0.5701, 120), // in 5 days
  ]);

  const caf = await createOrganisation(db, perche.id, {
    name: 'Caisse d’allocations familiales de l’Orne',
    acronym: 'CAF',
    themes: ['famille'],
  });
  await db
    .insert(contactPointPartners)
    .values({ territoryId: perche.id, contactPointId: ids.mortagne!, organisationId: caf.id, note: 'permanence le mardi' });
  await db.insert(partnerReferents).values({
    territoryId: perche.id,
    organisationId: caf.id,
    fullName: 'Camille Référente',
    email: 'camille.referente@caf.example',
    phone: '06 12 34 56 78',
  });
}, 120_000);
afterAll(() => t?.close());

describe('GET /api/public/communes', () => {
  it('completes a name or a postcode without sign-in', async () => {
    const byName = await t.client().get('/api/public/communes?q=mortagne-au');
    expect(byName.status).toBe(200);
    expect(byName.body[0]).toEqual({
      inseeCode: '61293',
      name: 'Mortagne-au-Perche',
      postcodes: ['61400'],
      departmentCode: '61',
      coordinates: { lat: 48.52018, lon: 0.54734 },
    });
    const byPostcode = await t.client().get('/api/public/communes?q=61400');
    expect(byPostcode.body.map((c: { name: string }) => c.name)).toContain('Mortagne-au-Perche');
    expect(byPostcode.body.length).toBeLessThanOrEqual(10);
  });

  it('refuses an empty query in French', async () => {
    const res = await t.client().get('/api/public/communes?q=');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/public/contact-points', () => {
  it('orders the contact points by distance from a commune, a bus at its stop near the person, closed ones and places without coordinates left out', async () => {
    const res = await t.client().get('/api/public/contact-points?insee=61293');
    expect(res.status).toBe(200);
    expect(res.body.origin).toMatchObject({ kind: 'commune', placedBy: 'commune', coordinates: { lat: 48.52018, lon: 0.54734 } });
    expect(names(res.body)).toEqual(['mortagne', 'tourouvre', 'bus', 'belleme', 'unknown-hours', 'cahors']);
    const distances = res.body.items.map((i: { distanceKm: number }) => i.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances[0]).toBeLessThan(0.1);
    expect(distances[1]).toBeCloseTo(10.4, 0);
    expect(distances[5]).toBeGreaterThan(400);
    // Not the garage, nor the cancelled or past stop in Mortagne: tomorrow's stop in Longny.
    const bus = res.body.items[2];
    expect(bus.nearStop).toMatchObject({ place: 'place du marché', commune: 'Longny les Villages', startsAt: hours(24).toISOString() });
    expect(bus.coordinates).toEqual({ lat: 48.5333, lon: 0.75 });
    expect(bus.open).toEqual({ state: 'closed', comment: null, closesAt: null, nextOpening: hours(24).toISOString() });
  });

  it('places a bus at the stop nearest the person, even a later one', async () => {
    const res = await t.client().get('/api/public/contact-points?lat=48.37&lon=0.57&kind=bus');
    expect(names(res.body)).toEqual(['bus']);
    expect(res.body.items[0].nearStop).toMatchObject({ place: 'salle des fêtes', startsAt: hours(120).toISOString() });
    expect(res.body.items[0].distanceKm).toBeLessThan(1);
  });

  it('says whether each place is open now in its territory’s calendar, and when it closes or opens', async () => {
    const res = await t.client().get('/api/public/contact-points?lat=48.52&lon=0.547&territory=perche-finder');
    const byName = Object.fromEntries(res.body.items.map((i: { id: string; open: unknown }) => [names({ items: [i] })[0], i.open]));
    expect(byName.mortagne).toEqual({ state: 'open', comment: null, closesAt: '2026-03-11T11:00:00.000Z', nextOpening: null });
    expect(byName.belleme).toEqual({ state: 'closed', comment: null, closesAt: null, nextOpening: '2026-03-16T13:00:00.000Z' });
    expect(byName['unknown-hours']).toEqual({ state: 'unknown', comment: null, closesAt: null, nextOpening: null });
    expect(names(res.body)).not.toContain('cahors');
  });

  it('keeps the places open now with openNow=true, following the clock', async () => {
    const open = await t.client().get('/api/public/contact-points?insee=61293&openNow=true');
    expect(names(open.body)).toEqual(['mortagne', 'tourouvre', 'cahors']);
    clock.set(new Date('2026-03-11T12:30:00Z')); // 13:30 in Paris: Mortagne has closed for the day
    try {
      const later = await t.client().get('/api/public/contact-points?insee=61293&openNow=true');
      expect(names(later.body)).toEqual(['tourouvre', 'cahors']);
    } finally {
      clock.set(NOW);
    }
  });

  it('finds from a postcode, filters by kind, and honours the limit', async () => {
    const res = await t.client().get('/api/public/contact-points?postcode=61400&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.origin.kind).toBe('postcode');
    expect(res.body.items).toHaveLength(2);
    const mairies = await t.client().get('/api/public/contact-points?postcode=61400&kind=mairie');
    expect(names(mairies.body)).toEqual(['tourouvre', 'belleme']);
  });

  it('answers bad input with problem+json, stable codes and French messages', async () => {
    const cases: [string, number, string][] = [
      ['lat=95&lon=0.5', 400, 'VALIDATION_FAILED'],
      ['lat=48.5', 400, 'VALIDATION_FAILED'],
      ['lat=abc&lon=0.5', 400, 'VALIDATION_FAILED'],
      ['', 400, 'VALIDATION_FAILED'],
      ['lat=48.5&lon=0.5&insee=61293', 400, 'VALIDATION_FAILED'],
      ['insee=61293&limit=51', 400, 'VALIDATION_FAILED'],
      ['insee=61293&kind=chateau', 400, 'VALIDATION_FAILED'],
      ['insee=61293&openNow=oui', 400, 'VALIDATION_FAILED'],
      ['insee=6129', 400, 'VALIDATION_FAILED'],
      ['insee=61999', 404, 'COMMUNE_NOT_FOUND'],
      ['postcode=00000', 404, 'POSTCODE_NOT_FOUND'],
      ['insee=61293&extra=1', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code] of cases) {
      const res = await t.client().get(`/api/public/contact-points?${query}`);
      expect(res.status, query).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code, query).toBe(code);
      expect(res.body.detail ?? res.body.title).toMatch(/[a-zà-ü]/);
    }
    const notFound = await t.client().get('/api/public/contact-points?postcode=00000');
    expect(notFound.body.detail).toBe('Aucune commune n’a le code postal 00000.');
  });

  it('never answers a 5xx to random query strings: 200, or problem+json with a code', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.double({ noNaN: false }).map(String),
      fc.integer({ min: -1000, max: 100000 }).map(String),
      fc.constantFrom('61293', '61400', '2A004', '97411', '', 'true', '-0', '1e3', 'Infinity'),
    );
    const key = fc.constantFrom('lat', 'lon', 'insee', 'postcode', 'territory', 'kind', 'openNow', 'limit', 'q');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 4 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        for (const path of ['/api/public/contact-points', '/api/public/communes']) {
          const res = await t.client().get(`${path}?${query}`);
          expect(res.status, `${path}?${query}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            expect(res.body.code).toMatch(/^[A-Z_]+$/);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('places a commune GeoNames does not know by its contact points, then by its postcode, and otherwise says it cannot', async () => {
    // Rémalard en Perche (61345) has no coordinates in the datasets; its postcode 61110 has two
    // placed communes, Bretoncelles (48.43122, 0.88775) and Sablons sur Huisne (48.38103, 0.85093).
    const approximate = await t.client().get('/api/public/contact-points?insee=61345&limit=1');
    expect(approximate.status).toBe(200);
    expect(approximate.body.origin).toMatchObject({ kind: 'commune', placedBy: 'postcode', postcodes: ['61110'] });
    expect(approximate.body.origin.coordinates.lat).toBeCloseTo((48.43122 + 48.38103) / 2, 4);
    expect(approximate.body.origin.coordinates.lon).toBeCloseTo((0.88775 + 0.85093) / 2, 4);
    // Barville (61026): no commune of its postcode 61170 is placed.
    const before = await t.client().get('/api/public/contact-points?insee=61026');
    expect(before.status).toBe(422);
    expect(before.body.code).toBe('COMMUNE_NOT_PLACED');
    expect(before.body.detail).toContain('Me localiser');
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    for (const [key, commune, inseeCode, latitude, longitude] of [
      ['remalard', 'Rémalard en Perche', '61345', 48.4297, 0.7786],
      ['barville', 'Barville', '61026', 48.4747, 0.3497],
    ] as const) {
      ids[key] = (await createContactPoint(t.ctx.db, territory.id, { name: key, commune, inseeCode, latitude, longitude })).id;
    }
    const after = await t.client().get('/api/public/contact-points?insee=61345&limit=1');
    expect(after.status).toBe(200);
    expect(after.body.origin).toMatchObject({ placedBy: 'contact_points', coordinates: { lat: 48.4297, lon: 0.7786 } });
    expect(after.body.origin.postcodes).toBeUndefined();
    expect(names(after.body)).toEqual(['remalard']);
    const barville = await t.client().get('/api/public/contact-points?insee=61026&limit=1');
    expect(barville.status).toBe(200);
    expect(names(barville.body)).toEqual(['barville']);
  });
});

describe('GET /api/public/contact-points/:id', () => {
  it('shows the public page: address, this week’s hours, open now, partners served, directions; nothing personal', async () => {
    const res = await t.client().get(`/api/public/contact-points/${ids.mortagne}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'mortagne',
      address: '8 place du Général de Gaulle',
      postcode: '61400',
      phone: '02 33 00 00 00',
      themes: ['famille', 'social-sante'],
      coordinates: { lat: 48.5205, lon: 0.548 },
      open: { state: 'open', closesAt: '2026-03-11T11:00:00.000Z' },
      partners: [
        {
          name: 'Caisse d’allocations familiales de l’Orne',
          acronym: 'CAF',
          themes: ['famille'],
          website: null,
          note: 'permanence le mardi',
        },
      ],
      nextStops: [],
    });
    expect(res.body.week.map((d: { date: string }) => d.date)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
    expect(res.body.week[2].intervals).toEqual([{ start: '09:00', end: '12:00', state: 'open', comment: null }]);
    expect(res.body.week[5].intervals).toEqual([]);
    expect(res.body.directionsUrl).toMatch(/^https:\/\/www\.openstreetmap\.org\/directions\?route=%3B48\.52050%2C0\.54800/);
    const text = JSON.stringify(res.body);
    for (const personal of ['Camille', 'camille.referente@caf.example', '06 12 34 56 78', 'referent', 'agent'])
      expect(text).not.toContain(personal);
  });

  it('lists a bus’s next stops (not cancelled, not past) and routes to the next one', async () => {
    const res = await t.client().get(`/api/public/contact-points/${ids.bus}`);
    expect(res.status).toBe(200);
    expect(res.body.nextStops.map((s: { place: string }) => s.place)).toEqual(['place du marché', 'salle des fêtes']);
    expect(res.body.open).toMatchObject({ state: 'closed', nextOpening: hours(24).toISOString() });
    expect(res.body.directionsUrl).toContain('48.53330%2C0.75000');
  });

  it('answers 404 for a closed or unknown place and 400 for a malformed id', async () => {
    for (const id of [ids.closed, '6f1d1c1e-0000-4000-8000-000000000000']) {
      const res = await t.client().get(`/api/public/contact-points/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CONTACT_POINT_NOT_FOUND');
    }
    expect((await t.client().get('/api/public/contact-points/pas-un-id')).status).toBe(400);
  });
});

describe('GET /api/public/config', () => {
  it('has no tile server unless MAP_TILES_URL is set', async () => {
    expect((await t.client().get('/api/public/config')).body).toEqual({ mapTilesUrl: null, mapTilesAttribution: null });
  });
});
