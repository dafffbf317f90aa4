import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_OPERATOR_CODES } from '../../../contracts/partner-catalogue.ts';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { busStops, contactPointPartners } from './network.schema.ts';

let t: TestApp;
let admin: ApiClient;
/** Tuesday 24 November 2026, 10:00 in Paris. */
const clock = fixedClock(new Date('2026-11-24T09:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await t.signIn(await createUser(t.ctx.db, { isPlatformAdmin: true }));
});
afterAll(() => t.close());

const fresh = () => randomUUID().slice(0, 8);

/** A territory of its own with its coordinator signed in. */
async function coordinatedTerritory() {
  const territory = await createTerritory(t.ctx.db);
  const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  return { territory, coordinator: await t.signIn(user), user, base: `/api/territories/${territory.id}` };
}

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; actorUserId: string; targetId: string; data: Record<string, unknown> }[];
}

describe('territories', () => {
  it('lets a platform administrator create a territory, journaled', async () => {
    const slug = `bocage-${fresh()}`;
    const res = await admin.post('/api/territories', { slug, name: 'Bocage ornais', departmentCode: '61', regionCode: '28' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug, name: 'Bocage ornais', departmentCode: '61', regionCode: '28', timezone: 'Europe/Paris' });
    const events = await journal(admin, res.body.id, 'territory.created');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetId: res.body.id, data: { slug } });
  });

  it('refuses a second territory with the same slug with 409 TERRITORY_SLUG_TAKEN', async () => {
    const slug = `perche-${fresh()}`;
    const body = { slug, name: 'Perche', departmentCode: '61', regionCode: '28' };
    expect((await admin.post('/api/territories', body)).status).toBe(201);
    const res = await admin.post('/api/territories', { ...body, name: 'Autre Perche' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'TERRITORY_SLUG_TAKEN', status: 409, title: 'Conflit' });
  });

  it('refuses a slug or a department code that is not well formed', async () => {
    const res = await admin.post('/api/territories', { slug: 'Pas Bon', name: 'Perche', departmentCode: '99', regionCode: '28' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.departmentCode', 'body.slug']);
  });

  it('lists only the territories a person belongs to, all of them for an administrator', async () => {
    const mine = await coordinatedTerritory();
    const other = await createTerritory(t.ctx.db);
    const seen = (await mine.coordinator.get('/api/territories')).body.map((x: { id: string }) => x.id);
    expect(seen).toEqual([mine.territory.id]);
    const all = (await admin.get('/api/territories')).body.map((x: { id: string }) => x.id);
    expect(all).toEqual(expect.arrayContaining([mine.territory.id, other.id]));
  });
});

describe('contact points', () => {
  it('lets a coordinator create a contact point, journaled with what was set', async () => {
    const { territory, coordinator, user, base } = await coordinatedTerritory();
    const body = { name: 'France Services de Bellême', kind: 'france_services', commune: 'Bellême', inseeCode: '61038' };
    const res = await coordinator.post(`${base}/contact-points`, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, territoryId: territory.id });
    expect((await coordinator.get(`${base}/contact-points/${res.body.id}`)).body).toMatchObject(res.body);
    const [event] = await journal(coordinator, territory.id, 'contact_point.created');
    expect(event).toMatchObject({ actorUserId: user.id, targetId: res.body.id, data: { after: body } });
  });

  it('lets a coordinator update a contact point, journaled with the values before and after', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id, { name: 'Mairie de Rémalard', kind: 'mairie', commune: 'Rémalard' });
    const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, { commune: 'Rémalard en Perche', inseeCode: '61345' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: cp.id, name: 'Mairie de Rémalard', commune: 'Rémalard en Perche', inseeCode: '61345' });
    const [event] = await journal(coordinator, territory.id, 'contact_point.updated');
    expect(event).toMatchObject({
      targetId: cp.id,
      data: { before: { commune: 'Rémalard', inseeCode: null }, after: { commune: 'Rémalard en Perche', inseeCode: '61345' } },
    });
  });

  it('refuses a second contact point with the same name in the territory with 409 CONTACT_POINT_NAME_TAKEN', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const existing = await createContactPoint(t.ctx.db, territory.id, { name: 'Bus France Services' });
    const created = await coordinator.post(`${base}/contact-points`, { name: 'Bus France Services', kind: 'bus', commune: 'Mortagne' });
    expect(created.status).toBe(409);
    expect(created.body.code).toBe('CONTACT_POINT_NAME_TAKEN');
    const other = await createContactPoint(t.ctx.db, territory.id, { name: 'Antenne de Longny' });
    const renamed = await coordinator.patch(`${base}/contact-points/${other.id}`, { name: existing.name });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe('CONTACT_POINT_NAME_TAKEN');
    expect(await journal(coordinator, territory.id, 'contact_point.created')).toEqual([]);
    expect(await journal(coordinator, territory.id, 'contact_point.updated')).toEqual([]);
  });

  it('accepts the same contact point name in two territories', async () => {
    const a = await coordinatedTerritory();
    const b = await coordinatedTerritory();
    const body = { name: 'Maison France Services', kind: 'france_services', commune: 'Tourouvre' };
    expect((await a.coordinator.post(`${a.base}/contact-points`, body)).status).toBe(201);
    expect((await b.coordinator.post(`${b.base}/contact-points`, body)).status).toBe(201);
  });

  it('refuses an INSEE code that is not five characters of the official form', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    for (const inseeCode of ['6103', '61A38', 'abcde', '610388']) {
      const res = await coordinator.post(`${base}/contact-points`, {
        name: `Lieu ${fresh()}`,
        kind: 'mairie',
        commune: 'Bellême',
        inseeCode,
      });
      expect(res.status, inseeCode).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.inseeCode' })]);
    }
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, { inseeCode: '1234' });
    expect(res.status).toBe(400);
    // Corsica's codes carry a letter.
    expect((await coordinator.patch(`${base}/contact-points/${cp.id}`, { inseeCode: '2A004' })).status).toBe(200);
  });

  it('refuses an empty update with 400', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for a contact point that does not exist in the territory', async () => {
    const { coordinator, base } = await coordinatedTerritory();
    const elsewhere = await createContactPoint(t.ctx.db, (await createTerritory(t.ctx.db)).id);
    for (const id of [randomUUID(), elsewhere.id]) {
      expect((await coordinator.get(`${base}/contact-points/${id}`)).status).toBe(404);
      const res = await coordinator.patch(`${base}/contact-points/${id}`, { commune: 'Ailleurs' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  it('lists only the contact points of the territory asked, to its members', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const mine = await createContactPoint(t.ctx.db, territory.id);
    const other = await coordinatedTerritory();
    await createContactPoint(t.ctx.db, other.territory.id);
    const res = await coordinator.get(`${base}/contact-points`);
    expect(res.body.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await coordinator.get(`${other.base}/contact-points`)).status).toBe(403);
  });
});

describe('partner organisations', () => {
  it('lets a coordinator add an organisation, journaled', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const body = { name: 'Caisse d’allocations familiales de l’Orne', acronym: 'CAF 61', nationalCode: 'CAF' };
    const res = await coordinator.post(`${base}/organisations`, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, territoryId: territory.id });
    const [event] = await journal(coordinator, territory.id, 'organisation.created');
    expect(event).toMatchObject({ targetId: res.body.id, data: { after: body } });
  });

  it('refuses a second organisation with the same acronym in the territory with 409 ORGANISATION_ACRONYM_TAKEN', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    await createOrganisation(t.ctx.db, territory.id, { acronym: 'CPAM' });
    const res = await coordinator.post(`${base}/organisations`, { name: 'Assurance maladie', acronym: 'CPAM' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'ORGANISATION_ACRONYM_TAKEN', status: 409 });
    expect(res.body.detail).toMatch(/sigle/);
  });

  it('refuses a national code that is not an upper-case identifier', async () => {
    const { coordinator, base } = await coordinatedTerritory();
    const res = await coordinator.post(`${base}/organisations`, { name: 'Partenaire', acronym: 'PT', nationalCode: 'caf' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.nationalCode' })]);
  });

  it('lists only the organisations of the territory asked, to its members', async () => {
    const { territory, base } = await coordinatedTerritory();
    const org = await createOrganisation(t.ctx.db, territory.id);
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const agent = await t.signIn(
      await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }] }),
    );
    await createOrganisation(t.ctx.db, (await createTerritory(t.ctx.db)).id);
    expect((await agent.get(`${base}/organisations`)).body.map((o: { id: string }) => o.id)).toEqual([org.id]);
    expect((await agent.post(`${base}/organisations`, { name: 'Partenaire', acronym: 'PT' })).status).toBe(403);
  });
});

/** Every field a coordinator can fill in on a France Services. */
const fullBody = () => ({
  name: `France Services de Rémalard ${fresh()}`,
  kind: 'france_services',
  commune: 'Rémalard en Perche',
  inseeCode: '61345',
  matricule: `MSAP-61-${fresh()}`,
  labelDate: '2020-01-01',
  address: '1 place du Général de Gaulle',
  addressComplement: 'Bureau de poste',
  postcode: '61110',
  latitude: 48.4295,
  longitude: 0.7773,
  phone: '02 33 73 81 00',
  email: 'France-Services.Remalard@exemple.fr',
  website: 'https://www.remalard-en-perche.fr/france-services',
  managingBody: 'La Poste',
  managingBodyType: 'La Poste',
  description: 'Accompagnement aux démarches administratives.',
  accessibility: 'Accès de plain-pied, boucle magnétique à l’accueil.',
  wheelchairAccessible: true,
  openingHours: 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off',
  themes: ['famille', 'social-sante'],
});

describe('contact point details', () => {
  it('creates and updates a contact point with every field, journaled before and after', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const body = fullBody();
    const res = await coordinator.post(`${base}/contact-points`, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, email: 'france-services.remalard@exemple.fr', closedAt: null, hoursReview: null });
    const details = await coordinator.get(`${base}/contact-points/${res.body.id}`);
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ ...body, email: 'france-services.remalard@exemple.fr' });
    // Tuesday 10:00 in Paris: open until noon, 33 hours a week.
    expect(details.body.now).toMatchObject({ state: 'open', closesAt: '2026-11-24T11:00:00.000Z' });
    expect(details.body.weeklyOpenHours).toBe(33);
    expect(details.body.week).toHaveLength(7);
    expect(details.body.week[0]).toEqual({
      date: '2026-11-23',
      holiday: null,
      intervals: [
        { start: '09:00', end: '12:00', state: 'open', comment: null },
        { start: '14:00', end: '17:00', state: 'open', comment: null },
      ],
    });
    expect(details.body.week[6].intervals).toEqual([]);

    const changes = {
      phone: '+33 2 33 73 81 01',
      website: null,
      wheelchairAccessible: false,
      openingHours: 'Mo-Th 09:00-12:00; Fr 14:00-17:00 "sur rendez-vous"',
      themes: ['emploi-formation'],
      latitude: 48.43,
      longitude: 0.78,
    };
    const updated = await coordinator.patch(`${base}/contact-points/${res.body.id}`, changes);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject(changes);
    const [event] = await journal(coordinator, territory.id, 'contact_point.updated');
    expect(event!.data).toMatchObject({
      before: {
        phone: body.phone,
        website: body.website,
        wheelchairAccessible: true,
        openingHours: body.openingHours,
        themes: body.themes,
      },
      after: { ...changes, hoursReview: null },
    });
  });

  it('refuses malformed fields with French messages on each path', async () => {
    const { coordinator, base } = await coordinatedTerritory();
    const res = await coordinator.post(`${base}/contact-points`, {
      ...fullBody(),
      phone: '06 12 34',
      email: 'pas-une-adresse',
      website: 'ftp://exemple.fr',
      postcode: '6111',
      inseeCode: '613',
      latitude: 91,
      longitude: -181,
      themes: ['cuisine'],
      labelDate: '01/01/2020',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const byPath = Object.fromEntries(res.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'body.email',
        'body.inseeCode',
        'body.labelDate',
        'body.latitude',
        'body.longitude',
        'body.phone',
        'body.postcode',
        'body.themes.0',
        'body.website',
      ].sort(),
    );
    expect(byPath['body.phone']).toMatch(/téléphone français/);
    expect(byPath['body.website']).toMatch(/https:\/\//);
    expect(byPath['body.postcode']).toBe('code postal à 5 chiffres');
    const half = await coordinator.post(`${base}/contact-points`, {
      name: `Lieu ${fresh()}`,
      kind: 'mairie',
      commune: 'Bellême',
      latitude: 48,
    });
    expect(half.status).toBe(400);
    expect(half.body.errors).toEqual([expect.objectContaining({ path: 'body.longitude' })]);
  });

  it('accepts the French phone formats', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    for (const phone of ['0233738100', '02.33.73.81.00', '02-33-73-81-00', '+33 (0)2 33 73 81 00', '+262 262 12 34 56', '3646']) {
      const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, { phone });
      expect(res.status, phone).toBe(200);
    }
  });

  it('refuses invalid opening hours with 400 OPENING_HOURS_INVALID and writes nothing', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id, { openingHours: 'Mo 09:00-12:00' });
    const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, { openingHours: 'lundi matin' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'OPENING_HOURS_INVALID', errors: [expect.objectContaining({ path: 'body.openingHours' })] });
    expect(res.body.detail).toMatch(/Horaires invalides/);
    expect((await coordinator.get(`${base}/contact-points/${cp.id}`)).body.openingHours).toBe('Mo 09:00-12:00');
    const created = await coordinator.post(`${base}/contact-points`, {
      name: `Lieu ${fresh()}`,
      kind: 'mairie',
      commune: 'Bellême',
      openingHours: 'Mo 25:00-26:00',
    });
    expect(created.status).toBe(400);
    expect(created.body.code).toBe('OPENING_HOURS_INVALID');
    expect(await journal(coordinator, territory.id, 'contact_point.updated')).toEqual([]);
    // What the engine understands is stored in its normal form.
    const tolerated = await coordinator.patch(`${base}/contact-points/${cp.id}`, { openingHours: 'lundi 9h-12h' });
    expect(tolerated.status).toBe(200);
    expect(tolerated.body.openingHours).toBe('Mo 09:00-12:00');
  });

  it('clears the import’s review request when the hours are saved', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id, { hoursReview: 'samedi : « 9h – 12h le premier samedi »' });
    expect((await coordinator.get(`${base}/contact-points/${cp.id}`)).body.hoursReview).toMatch(/samedi/);
    const res = await coordinator.patch(`${base}/contact-points/${cp.id}`, { openingHours: 'Mo-Fr 09:00-12:00; Sa[1] 09:00-12:00' });
    expect(res.status).toBe(200);
    expect(res.body.hoursReview).toBeNull();
  });

  it('keeps the matricule and label date for France Services, each matricule once per territory', async () => {
    const { coordinator, base } = await coordinatedTerritory();
    const mairie = await coordinator.post(`${base}/contact-points`, {
      name: `Mairie ${fresh()}`,
      kind: 'mairie',
      commune: 'Bellême',
      matricule: 'X-1',
    });
    expect(mairie.status).toBe(400);
    expect(mairie.body.code).toBe('LABEL_ONLY_FRANCE_SERVICES');
    const body = fullBody();
    expect((await coordinator.post(`${base}/contact-points`, body)).status).toBe(201);
    const again = await coordinator.post(`${base}/contact-points`, { ...fullBody(), matricule: body.matricule });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONTACT_POINT_MATRICULE_TAKEN');
  });

  it('closes and reopens a contact point instead of deleting it, journaled', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id, { openingHours: 'Mo-Fr 09:00-17:00' });
    const closed = await coordinator.post(`${base}/contact-points/${cp.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ closedAt: '2026-11-24T09:00:00.000Z', now: { state: 'closed' } });
    expect((await coordinator.post(`${base}/contact-points/${cp.id}/close`)).body.code).toBe('CONTACT_POINT_ALREADY_CLOSED');
    expect((await coordinator.get(`${base}/contact-points`)).body.map((c: { id: string }) => c.id)).toContain(cp.id);
    const reopened = await coordinator.post(`${base}/contact-points/${cp.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ closedAt: null, now: { state: 'open' } });
    expect((await coordinator.post(`${base}/contact-points/${cp.id}/reopen`)).status).toBe(409);
    const [closing] = await journal(coordinator, territory.id, 'contact_point.closed');
    expect(closing).toMatchObject({
      targetId: cp.id,
      data: { before: { closedAt: null }, after: { closedAt: '2026-11-24T09:00:00.000Z' } },
    });
    const [reopening] = await journal(coordinator, territory.id, 'contact_point.reopened');
    expect(reopening!.data).toEqual({ before: { closedAt: '2026-11-24T09:00:00.000Z' }, after: { closedAt: null } });
  });

  it('shows the agents of the place to the territory’s members only', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const agent = await createUser(t.ctx.db, {
      displayName: 'Aurélie Agent',
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }],
    });
    await createUser(t.ctx.db, {
      status: 'deactivated',
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }],
    });
    const res = await coordinator.get(`${base}/contact-points/${cp.id}`);
    expect(res.body.agents).toEqual([{ userId: agent.id, displayName: 'Aurélie Agent', email: agent.email }]);
    const asAgent = await t.signIn(agent);
    expect((await asAgent.get(`${base}/contact-points/${cp.id}`)).status).toBe(200);
    const other = await coordinatedTerritory();
    const otherCp = await createContactPoint(t.ctx.db, other.territory.id);
    const stranger = await t.signIn(
      await createUser(t.ctx.db, { memberships: [{ territoryId: other.territory.id, role: 'agent', contactPointId: otherCp.id }] }),
    );
    expect((await stranger.get(`${base}/contact-points/${cp.id}`)).status).toBe(403);
  });
});

describe('partners served at a contact point', () => {
  it('replaces the set of partners, journaled with the lists before and after', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const caf = await createOrganisation(t.ctx.db, territory.id, { name: 'CAF de l’Orne', acronym: 'CAF 61', nationalCode: 'CAF' });
    const msa = await createOrganisation(t.ctx.db, territory.id, { name: 'MSA Mayenne-Orne-Sarthe', acronym: 'MSA', nationalCode: 'MSA' });
    const ccas = await createOrganisation(t.ctx.db, territory.id, { name: 'CCAS de Rémalard', acronym: 'CCAS' });
    const first = await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, {
      body: {
        partners: [{ organisationId: caf.id, note: 'permanence le 1er mardi' }, { organisationId: msa.id }],
      },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      { organisationId: caf.id, name: 'CAF de l’Orne', acronym: 'CAF 61', nationalCode: 'CAF', note: 'permanence le 1er mardi' },
      { organisationId: msa.id, name: 'MSA Mayenne-Orne-Sarthe', acronym: 'MSA', nationalCode: 'MSA', note: null },
    ]);
    const second = await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, {
      body: {
        partners: [
          { organisationId: ccas.id, note: 'visio sur rendez-vous' },
          { organisationId: msa.id, note: 'le jeudi' },
        ],
      },
    });
    expect(second.body.map((p: { acronym: string }) => p.acronym)).toEqual(['CCAS', 'MSA']);
    expect((await coordinator.get(`${base}/contact-points/${cp.id}`)).body.partners).toEqual(second.body);
    const events = await journal(coordinator, territory.id, 'contact_point.partners_set');
    expect(events).toHaveLength(2);
    const sorted = (list: { organisationId: string; note: string | null }[]) =>
      [...list].sort((a, b) => a.organisationId.localeCompare(b.organisationId));
    const latest = events.find((e) => (e.data.before as unknown[]).length === 2)!;
    expect(latest.data).toEqual({
      before: sorted([
        { organisationId: caf.id, note: 'permanence le 1er mardi' },
        { organisationId: msa.id, note: null },
      ]),
      after: sorted([
        { organisationId: ccas.id, note: 'visio sur rendez-vous' },
        { organisationId: msa.id, note: 'le jeudi' },
      ]),
    });
    const emptied = await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, { body: { partners: [] } });
    expect(emptied.body).toEqual([]);
  });

  it('refuses an organisation of another territory and changes nothing', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const mine = await createOrganisation(t.ctx.db, territory.id);
    const foreign = await createOrganisation(t.ctx.db, (await createTerritory(t.ctx.db)).id);
    await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, { body: { partners: [{ organisationId: mine.id }] } });
    const res = await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, {
      body: {
        partners: [{ organisationId: mine.id }, { organisationId: foreign.id }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'ORGANISATION_NOT_IN_TERRITORY',
      errors: [{ path: 'body.partners.1.organisationId', message: 'ce partenaire n’appartient pas à ce territoire' }],
    });
    expect(
      (await coordinator.get(`${base}/contact-points/${cp.id}`)).body.partners.map((p: { organisationId: string }) => p.organisationId),
    ).toEqual([mine.id]);
    const twice = await coordinator.request('PUT', `${base}/contact-points/${cp.id}/partners`, {
      body: {
        partners: [{ organisationId: mine.id }, { organisationId: mine.id }],
      },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('France Services label checks', () => {
  /** A France Services with `agents` agents, the operators given served there, and its hours. */
  async function house(territoryId: string, options: { agents: number; operators: readonly string[]; openingHours: string | null }) {
    const cp = await createContactPoint(t.ctx.db, territoryId, { kind: 'france_services', openingHours: options.openingHours });
    for (let i = 0; i < options.agents; i++)
      await createUser(t.ctx.db, { memberships: [{ territoryId, role: 'agent', contactPointId: cp.id }] });
    for (const code of options.operators) {
      const org = await createOrganisation(t.ctx.db, territoryId, { nationalCode: code });
      await t.ctx.db.insert(contactPointPartners).values({ territoryId, contactPointId: cp.id, organisationId: org.id });
    }
    return cp;
  }

  it('passes a house open 24 hours with 2 agents and the 9 operators, and lists what another one misses', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const good = await house(territory.id, {
      agents: 2,
      operators: REQUIRED_OPERATOR_CODES,
      openingHours: 'Mo-Th 09:00-12:00,14:00-17:00',
    });
    const poor = await house(territory.id, {
      agents: 1,
      operators: REQUIRED_OPERATOR_CODES.filter((c) => c !== 'MSA' && c !== 'ANTS'),
      openingHours: 'Mo-Fr 09:00-12:00',
    });
    const unknown = await house(territory.id, { agents: 3, operators: REQUIRED_OPERATOR_CODES, openingHours: null });
    await createContactPoint(t.ctx.db, territory.id, { kind: 'mairie' });

    const details = (await coordinator.get(`${base}/contact-points/${good.id}`)).body;
    expect(details.labelCheck).toEqual({
      ok: true,
      missing: [],
      checks: [
        expect.objectContaining({ code: 'weekly_hours', ok: true, detail: '24 h d’ouverture par semaine (24 h au moins)' }),
        expect.objectContaining({ code: 'agents', ok: true, detail: '2 agents (2 au moins)' }),
        expect.objectContaining({ code: 'operators', ok: true }),
      ],
    });

    const res = await coordinator.get(`${base}/label-checks`);
    expect(res.status).toBe(200);
    expect(res.body.map((r: { contactPointId: string }) => r.contactPointId).sort()).toEqual([good.id, poor.id, unknown.id].sort());
    const byId = Object.fromEntries(res.body.map((r: { contactPointId: string; labelCheck: unknown }) => [r.contactPointId, r.labelCheck]));
    expect(byId[good.id]).toEqual(details.labelCheck);
    expect(byId[poor.id]).toMatchObject({
      ok: false,
      missing: [
        '9 h d’ouverture par semaine (15 h sur 24 h)',
        '1 agent d’accueil (1 sur 2)',
        expect.stringMatching(/^opérateur non couvert : Mutualité sociale agricole/),
        expect.stringMatching(/^opérateur non couvert : .*titres/i),
      ],
    });
    expect(byId[unknown.id]).toMatchObject({
      ok: false,
      checks: [expect.objectContaining({ code: 'weekly_hours', detail: 'horaires non renseignés' }), {}, {}],
    });
    expect(byId[unknown.id].missing).toHaveLength(1);
  });

  it('is for the coordination: an agent cannot list the label checks', async () => {
    const { territory, base } = await coordinatedTerritory();
    const cp = await createContactPoint(t.ctx.db, territory.id);
    const agent = await t.signIn(
      await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }] }),
    );
    expect((await agent.get(`${base}/label-checks`)).status).toBe(403);
    // The place's own page shows its check to its agents.
    expect((await agent.get(`${base}/contact-points/${cp.id}`)).body.labelCheck).toMatchObject({ ok: false });
  });
});

describe('opening hours preview', () => {
  it('checks a value and shows its week in the territory’s calendar', async () => {
    const { territory, coordinator } = await coordinatedTerritory();
    const res = await coordinator.post('/api/opening-hours/preview', { value: 'Mo-Fr 09:00-12:00; PH off', territoryId: territory.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, weeklyOpenHours: 15, now: { state: 'open' } });
    expect(res.body.week.map((d: { intervals: unknown[] }) => d.intervals.length)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    const bad = await coordinator.post('/api/opening-hours/preview', { value: 'lundi matin', territoryId: territory.id });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, week: [] });
    expect(bad.body.message).toMatch(/Horaires invalides/);
    const other = await createTerritory(t.ctx.db);
    expect((await coordinator.post('/api/opening-hours/preview', { value: 'Mo 09:00-12:00', territoryId: other.id })).status).toBe(403);
  });
});

describe('the next stop of a bus or an antenna', () => {
  it('shows in the list and on the page the next stop not cancelled, the current one while it lasts', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const bus = await createContactPoint(t.ctx.db, territory.id, { name: 'Bus numérique', kind: 'bus', commune: 'Mortagne-au-Perche' });
    const antenna = await createContactPoint(t.ctx.db, territory.id, { name: 'Antenne', kind: 'antenne', commune: 'Bellême' });
    const idle = await createContactPoint(t.ctx.db, territory.id, { name: 'Bus au garage', kind: 'bus', commune: 'Bellême' });
    const hall = await createContactPoint(t.ctx.db, territory.id, { name: 'Mairie', kind: 'mairie', commune: 'Bellême' });
    const at = (hours: number) => new Date(clock.now().getTime() + hours * 3600_000);
    const stop = (contactPointId: string, commune: string, from: number, to: number, cancelled = false) => ({
      territoryId: territory.id,
      contactPointId,
      commune,
      place: `place de ${commune}`,
      startsAt: at(from),
      endsAt: at(to),
      cancelledAt: cancelled ? at(-48) : null,
    });
    await t.ctx.db
      .insert(busStops)
      .values([
        stop(bus.id, 'Longny les Villages', -26, -23),
        stop(bus.id, 'Tourouvre au Perche', 1, 4, true),
        stop(bus.id, 'Bretoncelles', 48, 51),
        stop(bus.id, 'Rémalard en Perche', 72, 75),
        stop(antenna.id, 'Bellême', -1, 2),
      ]);
    const list = await coordinator.get(`${base}/contact-points`);
    expect(list.status).toBe(200);
    const next = Object.fromEntries(list.body.map((cp: { id: string; nextStop: unknown }) => [cp.id, cp.nextStop]));
    expect(next[bus.id]).toEqual({
      startsAt: at(48).toISOString(),
      endsAt: at(51).toISOString(),
      commune: 'Bretoncelles',
      place: 'place de Bretoncelles',
      current: false,
    });
    expect(next[antenna.id]).toMatchObject({ commune: 'Bellême', current: true, endsAt: at(2).toISOString() });
    expect(next[idle.id]).toBeNull();
    expect(next[hall.id]).toBeNull();
    const page = await coordinator.get(`${base}/contact-points/${bus.id}`);
    expect(page.body.nextStop).toEqual(next[bus.id]);
    // A bus closed for good has no next stop.
    const closed = await coordinator.post(`${base}/contact-points/${antenna.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.nextStop).toBeNull();
  });
});
