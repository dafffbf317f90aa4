import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await createTestApp();
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
    expect((await coordinator.get(`${base}/contact-points/${res.body.id}`)).body).toEqual(res.body);
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
