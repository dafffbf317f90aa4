import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nirKey } from '../../platform/nir.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { people } from './people.schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const withKey = (body: string) => body + String(nirKey(body)).padStart(2, '0');

async function world() {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const other = await createTerritory(db);
  const tid = territory.id;
  const [cpA, cpB] = [await createContactPoint(db, tid), await createContactPoint(db, tid)];
  const org = await createOrganisation(db, tid);
  const user = (
    role: 'agent' | 'referent' | 'manager' | 'coordinator',
    where: { contactPointId?: string; organisationId?: string } = {},
    territoryId = tid,
  ) => createUser(db, { memberships: [{ territoryId, role, ...where }] });
  const clients = {
    agentA: await t.signIn(await user('agent', { contactPointId: cpA.id })),
    agentB: await t.signIn(await user('agent', { contactPointId: cpB.id })),
    coordinator: await t.signIn(await user('coordinator')),
    otherCoordinator: await t.signIn(await user('coordinator', {}, other.id)),
    manager: await t.signIn(await user('manager', { organisationId: org.id })),
    admin: await t.signIn(await createUser(db, { isPlatformAdmin: true })),
  };
  return { tid, base: `/api/territories/${tid}/people`, cpA, cpB, org, clients };
}

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; targetId: string; data: Record<string, unknown> }[];
}

describe('person files', () => {
  it('creates a file with a sealed NIR; the row holds neither the NIR nor its digits; search by NIR finds it', async () => {
    const w = await world();
    const nir = withKey('1850561123045');
    const res = await w.clients.agentA.post(w.base, {
      firstName: 'Gérard',
      lastName: 'Depardieu',
      birthDate: '1985-05-12',
      phone: '06 12 34 56 78',
      nir: `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`,
      cafNumber: '7350921',
      contactPointId: w.cpA.id,
      informedHow: 'oral',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      firstName: 'Gérard',
      hasNir: true,
      identifiers: { nir: `1 ** ** ** *** *** ${nir.slice(13)}`, cafNumber: '*****21', taxNumber: null },
      contactPoints: [{ id: w.cpA.id }],
      informedHow: 'oral',
    });
    expect(res.body.informedAt).not.toBeNull();
    const [row] = await t.ctx.db.select().from(people).where(eq(people.id, res.body.id));
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(nir);
    expect(raw).not.toContain(nir.slice(1, 13));
    expect(raw).not.toContain('7350921');
    expect(row?.searchName).toBe('gerard depardieu');
    expect(row?.phone).toBe('0612345678');

    const found = await w.clients.agentA.get(`${w.base}?identifier=${encodeURIComponent(nir)}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
  });

  it('refuses an invalid NIR: 400 NIR_INVALID_KEY for a typo, NIR_INVALID_FORMAT for a malformed number', async () => {
    const w = await world();
    const nir = withKey('2840561123045');
    const typo = nir.slice(0, 8) + String((Number(nir[8]) + 1) % 10) + nir.slice(9);
    const bad = await w.clients.agentA.post(w.base, { firstName: 'Anne', lastName: 'Roy', nir: typo });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('NIR_INVALID_KEY');
    expect(bad.body.detail).toMatch(/clé de contrôle/);
    const malformed = await w.clients.agentA.post(w.base, { firstName: 'Anne', lastName: 'Roy', nir: '9 99' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('NIR_INVALID_FORMAT');
  });

  it('finds names with typos and without accents, by phone, and only within the caller’s contact points', async () => {
    const w = await world();
    const created = await w.clients.agentA.post(w.base, {
      firstName: 'Gérard',
      lastName: 'Depardieu',
      birthDate: '1948-12-27',
      phone: '0233250000',
    });
    expect(created.status).toBe(201);
    await w.clients.agentA.post(w.base, { firstName: 'Hélène', lastName: 'Lefèvre', birthDate: '1960-01-01' });
    for (const q of ['Gerard Depardiu', 'depardieu', 'GÉRARD DEPARDIEU']) {
      const res = await w.clients.agentA.get(`${w.base}?q=${encodeURIComponent(q)}`);
      expect(res.body).toMatchObject({ items: expect.any(Array) });
      expect(res.body.items.map((p: { lastName: string }) => p.lastName)).toEqual(['Depardieu']);
      expect(res.body.items[0]).toEqual({
        id: created.body.id,
        firstName: 'Gérard',
        lastName: 'Depardieu',
        birthName: null,
        birthDate: '1948-12-27',
        commune: null,
        hasNir: false,
      });
    }
    const byPhone = await w.clients.agentA.get(`${w.base}?phone=${encodeURIComponent('+33 2 33 25 00 00')}`);
    expect(byPhone.body.items.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    const byBirth = await w.clients.agentA.get(`${w.base}?birthDate=1948-12-27`);
    expect(byBirth.body.items.map((p: { id: string }) => p.id)).toEqual([created.body.id]);

    // Strict per contact point: the agent of another contact point does not find it nor open it.
    const other = await w.clients.agentB.get(`${w.base}?q=Depardieu`);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    expect((await w.clients.agentB.get(`${w.base}/${created.body.id}`)).status).toBe(404);
    // The coordinator sees every file of the territory, and can share it with contact point B.
    expect((await w.clients.coordinator.get(`${w.base}?q=Depardieu`)).body.items).toHaveLength(1);
    const shared = await w.clients.coordinator.post(`${w.base}/${created.body.id}/contact-points`, { contactPointId: w.cpB.id });
    expect(shared.status).toBe(200);
    expect(shared.body.contactPoints.map((c: { id: string }) => c.id).sort()).toEqual([w.cpA.id, w.cpB.id].sort());
    expect((await w.clients.agentB.get(`${w.base}?q=Depardieu`)).body.items).toHaveLength(1);
    expect((await w.clients.agentA.post(`${w.base}/${created.body.id}/contact-points`, { contactPointId: w.cpB.id })).status).toBe(403);
  });

  it('asks to confirm a probable duplicate (409 with candidates), then creates it', async () => {
    const w = await world();
    const nir = withKey('2900175056012');
    const first = await w.clients.agentA.post(w.base, { firstName: 'Émilie', lastName: 'Durand', birthDate: '1990-01-15', nir });
    expect(first.status).toBe(201);
    const dup = await w.clients.agentA.post(`${w.base}/duplicates`, { firstName: 'Emilie', lastName: 'Durant', birthDate: '1990-01-15' });
    expect(dup.status).toBe(200);
    expect(dup.body.candidates).toEqual([expect.objectContaining({ id: first.body.id, reasons: ['name_birth_date'] })]);
    const byNir = await w.clients.agentA.post(`${w.base}/duplicates`, { lastName: 'Autre', nir });
    expect(byNir.body.candidates).toEqual([expect.objectContaining({ id: first.body.id, reasons: ['nir'] })]);
    // Not among the files agent B may see.
    expect(
      (await w.clients.agentB.post(`${w.base}/duplicates`, { lastName: 'Durand', firstName: 'Émilie', birthDate: '1990-01-15', nir })).body
        .candidates,
    ).toEqual([]);

    const body = { firstName: 'Emilie', lastName: 'Durant', birthDate: '1990-01-15', contactPointId: w.cpA.id };
    const refused = await w.clients.agentA.post(w.base, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PERSON_PROBABLE_DUPLICATE');
    expect(refused.body.candidates).toEqual([expect.objectContaining({ id: first.body.id })]);
    const confirmed = await w.clients.agentA.post(w.base, { ...body, confirmNotDuplicate: true });
    expect(confirmed.status).toBe(201);
  });

  it('journals every read with its screen, and every reveal; the journal never holds the clear identifiers', async () => {
    const w = await world();
    const nir = withKey('1770375056012');
    const created = await w.clients.agentA.post(w.base, { firstName: 'Paul', lastName: 'Martin', nir, taxNumber: '1234567890123' });
    const id = created.body.id;
    const read = await w.clients.agentA.get(`${w.base}/${id}?screen=recherche`);
    expect(read.status).toBe(200);
    expect(read.body.identifiers.nir).toBe(`1 ** ** ** *** *** ${nir.slice(13)}`);
    const reads = await journal(w.clients.coordinator, w.tid, 'person.read');
    expect(reads).toEqual([expect.objectContaining({ targetId: id, data: { screen: 'recherche' } })]);

    const revealed = await w.clients.agentA.post(`${w.base}/${id}/reveal`, { field: 'nir', reason: 'dossier CAF' });
    expect(revealed.status).toBe(200);
    expect(revealed.body.value.replace(/ /g, '')).toBe(nir);
    expect((await w.clients.agentA.post(`${w.base}/${id}/reveal`, { field: 'taxNumber' })).body.value).toBe('1234567890123');
    expect((await w.clients.agentA.post(`${w.base}/${id}/reveal`, { field: 'cafNumber' })).status).toBe(404);
    const reveals = await journal(w.clients.coordinator, w.tid, 'person.identifier_revealed');
    expect(reveals.map((e) => e.data.field).sort()).toEqual(['nir', 'taxNumber']);

    const patched = await w.clients.agentA.patch(`${w.base}/${id}`, {
      lastName: 'Martins',
      nir: null,
      cafNumber: '7654321',
      informedHow: 'notice_remise',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ lastName: 'Martins', hasNir: false, identifiers: { nir: null, cafNumber: '*****21' } });
    const [updated] = await journal(w.clients.coordinator, w.tid, 'person.updated');
    expect(updated?.data).toMatchObject({
      before: { lastName: 'Martin', informedHow: null },
      after: { lastName: 'Martins', informedHow: 'notice_remise' },
      identifiers: { nir: 'cleared', cafNumber: 'set' },
    });
    const rows = await t.ctx.db.execute(sql`select type, data::text as d from audit_events where territory_id = ${w.tid}`);
    const all = JSON.stringify(rows.rows);
    expect(all).toContain('person.identifier_revealed');
    expect(all).not.toContain(nir.slice(1, 13));
    expect(all).not.toContain('7654321');
    expect(all).not.toContain('1234567890123');
  });

  it('records and withdraws a consent to share with a partner of the territory, journaled', async () => {
    const w = await world();
    const { body: p } = await w.clients.agentA.post(w.base, { firstName: 'Lina', lastName: 'Benali' });
    const given = await w.clients.agentA.post(`${w.base}/${p.id}/consents`, { organisationId: w.org.id, how: 'oral' });
    expect(given.status).toBe(201);
    expect(given.body.consents).toEqual([expect.objectContaining({ organisationId: w.org.id, how: 'oral', withdrawnAt: null })]);
    const consentId = given.body.consents[0].id;
    const withdrawn = await w.clients.agentA.delete(`${w.base}/${p.id}/consents/${consentId}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.consents[0].withdrawnAt).not.toBeNull();
    expect((await w.clients.agentA.delete(`${w.base}/${p.id}/consents/${consentId}`)).status).toBe(409);
    expect(await journal(w.clients.coordinator, w.tid, 'person.consent_given')).toHaveLength(1);
    expect(await journal(w.clients.coordinator, w.tid, 'person.consent_withdrawn')).toHaveLength(1);
  });

  it('keeps files from partners, platform administrators and other territories', async () => {
    const w = await world();
    const { body: p } = await w.clients.agentA.post(w.base, { firstName: 'Jean', lastName: 'Valjean' });
    for (const c of [w.clients.manager, w.clients.admin, w.clients.otherCoordinator]) {
      expect((await c.get(`${w.base}/${p.id}`)).status).toBe(403);
      expect((await c.get(`${w.base}?q=Valjean`)).status).toBe(403);
      expect((await c.post(w.base, { firstName: 'A', lastName: 'B' })).status).toBe(403);
    }
    // An agent cannot create a file for a contact point that is not theirs.
    expect((await w.clients.agentA.post(w.base, { firstName: 'A', lastName: 'B', contactPointId: w.cpB.id })).status).toBe(403);
    expect((await w.clients.coordinator.get(`${w.base}/${p.id}?screen=accueil`)).status).toBe(200);
  });
});
