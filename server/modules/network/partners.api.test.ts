import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A territory with a coordinator, two organisations with a manager each, an agent and a referent of A. */
async function world() {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const tid = territory.id;
  const cp = await createContactPoint(db, tid);
  const orgA = await createOrganisation(db, tid, {
    name: 'Caisse d’allocations familiales de l’Orne',
    acronym: 'CAF 61',
    nationalCode: 'CAF',
  });
  const orgB = await createOrganisation(db, tid, { name: 'Mutualité sociale agricole', acronym: 'MSA', nationalCode: 'MSA' });
  const person = (
    role: 'agent' | 'referent' | 'manager' | 'coordinator',
    where: { contactPointId?: string; organisationId?: string } = {},
  ) => createUser(db, { displayName: `${role} ${randomUUID().slice(0, 4)}`, memberships: [{ territoryId: tid, role, ...where }] });
  const users = {
    coordinator: await person('coordinator'),
    agent: await person('agent', { contactPointId: cp.id }),
    managerA: await person('manager', { organisationId: orgA.id }),
    managerB: await person('manager', { organisationId: orgB.id }),
    referentA: await person('referent', { organisationId: orgA.id }),
  };
  const clients = {
    coordinator: await t.signIn(users.coordinator),
    agent: await t.signIn(users.agent),
    managerA: await t.signIn(users.managerA),
    managerB: await t.signIn(users.managerB),
    referentA: await t.signIn(users.referentA),
  };
  return { territory, base: `/api/territories/${tid}`, cp, orgA, orgB, users, clients };
}

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; actorUserId: string; targetId: string; data: Record<string, unknown> }[];
}

describe('partner organisations from the national catalogue', () => {
  it('adds the CAF prefilled, journaled, and refuses it a second time with 409 ORGANISATION_ALREADY_PRESENT', async () => {
    const territory = await createTerritory(t.ctx.db);
    const coordinator = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    const client = await t.signIn(coordinator);
    const base = `/api/territories/${territory.id}`;
    const res = await client.post(`${base}/organisations/from-catalogue`, { catalogueCode: 'CAF' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      acronym: 'CAF',
      nationalCode: 'CAF',
      name: 'Caisse d’allocations familiales',
      referents: [],
      canEdit: true,
    });
    expect(res.body.procedures).toContain('prime d’activité');
    expect(res.body.themes).toContain('famille');
    expect(res.body.links).toContainEqual(expect.objectContaining({ url: 'https://www.caf.fr' }));
    const [event] = await journal(client, territory.id, 'organisation.created');
    expect(event).toMatchObject({ targetId: res.body.id, actorUserId: coordinator.id, data: { catalogueCode: 'CAF' } });

    const again = await client.post(`${base}/organisations/from-catalogue`, { catalogueCode: 'CAF' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORGANISATION_ALREADY_PRESENT', status: 409 });
    expect(again.body.detail).toMatch(/déjà présent/);
    expect(await journal(client, territory.id, 'organisation.created')).toHaveLength(1);

    const unknown = await client.post(`${base}/organisations/from-catalogue`, { catalogueCode: 'NOPE' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
  });

  it('is for coordinators: a manager or an agent gets 403', async () => {
    const w = await world();
    for (const client of [w.clients.managerA, w.clients.agent]) {
      const res = await client.post(`${w.base}/organisations/from-catalogue`, { catalogueCode: 'CPAM' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });
});

describe('partner organisation details', () => {
  it('shows every member the details and referents; only editors see canEdit', async () => {
    const w = await world();
    const created = await w.clients.coordinator.post(`${w.base}/organisations/${w.orgA.id}/referents`, {
      fullName: 'Hélène Géraud',
      email: 'helene.geraud@caf.exemple.fr',
    });
    expect(created.status).toBe(201);
    const asAgent = await w.clients.agent.get(`${w.base}/organisations/${w.orgA.id}`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toMatchObject({ id: w.orgA.id, canEdit: false, accounts: [] });
    expect(asAgent.body.referents).toEqual([expect.objectContaining({ fullName: 'Hélène Géraud', email: 'helene.geraud@caf.exemple.fr' })]);
    const asManager = await w.clients.managerA.get(`${w.base}/organisations/${w.orgA.id}`);
    expect(asManager.body.canEdit).toBe(true);
    expect(asManager.body.accounts.map((a: { userId: string }) => a.userId).sort()).toEqual(
      [w.users.managerA.id, w.users.referentA.id].sort(),
    );
    expect((await w.clients.managerB.get(`${w.base}/organisations/${w.orgA.id}`)).body.canEdit).toBe(false);
  });

  it('lets the organisation’s manager update it, journaled with before and after', async () => {
    const w = await world();
    const body = {
      phone: '3230',
      description: 'Accueil sur rendez-vous à Alençon',
      procedures: ['prime d’activité', 'RSA'],
      themes: ['famille', 'logement'],
      links: [{ label: 'caf.fr', url: 'https://www.caf.fr' }],
    };
    const res = await w.clients.managerA.patch(`${w.base}/organisations/${w.orgA.id}`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(body);
    const [event] = await journal(w.clients.coordinator, w.territory.id, 'organisation.updated');
    expect(event).toMatchObject({
      targetId: w.orgA.id,
      actorUserId: w.users.managerA.id,
      data: { before: { phone: null, description: null, procedures: [], themes: [], links: [] }, after: body },
    });
  });

  it('refuses links that are not http(s), and an acronym already taken', async () => {
    const w = await world();
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://exemple.fr/x', 'caf.fr']) {
      const res = await w.clients.coordinator.patch(`${w.base}/organisations/${w.orgA.id}`, { links: [{ label: 'Lien', url }] });
      expect(res.status, url).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors[0].path).toBe('body.links.0.url');
    }
    const taken = await w.clients.coordinator.patch(`${w.base}/organisations/${w.orgA.id}`, { acronym: 'MSA' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ORGANISATION_ACRONYM_TAKEN');
  });

  it('refuses the manager of another organisation, an agent and a referent with 403', async () => {
    const w = await world();
    for (const client of [w.clients.managerB, w.clients.agent, w.clients.referentA]) {
      const res = await client.patch(`${w.base}/organisations/${w.orgA.id}`, { phone: '3230' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(await journal(w.clients.coordinator, w.territory.id, 'organisation.updated')).toEqual([]);
  });
});

describe('referents', () => {
  it('lets a manager create, read, update and delete their organisation’s referents, each journaled', async () => {
    const w = await world();
    const body = {
      fullName: 'Paul Martin',
      title: 'Conseiller',
      email: 'Paul.Martin@caf.exemple.fr',
      phone: '02 33 00 00 00',
      availability: 'mardi et jeudi matin',
      themes: ['famille'],
    };
    const created = await w.clients.managerA.post(`${w.base}/organisations/${w.orgA.id}/referents`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...body,
      email: 'paul.martin@caf.exemple.fr',
      active: true,
      account: null,
      organisationId: w.orgA.id,
    });
    const id = created.body.id;
    expect((await w.clients.agent.get(`${w.base}/referents/${id}`)).body).toEqual(created.body);

    const updated = await w.clients.managerA.patch(`${w.base}/referents/${id}`, { title: 'Référent France Services', active: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: 'Référent France Services', active: false });

    const deleted = await w.clients.managerA.delete(`${w.base}/referents/${id}`);
    expect(deleted.status).toBe(204);
    expect((await w.clients.agent.get(`${w.base}/referents/${id}`)).status).toBe(404);

    const [c] = await journal(w.clients.coordinator, w.territory.id, 'referent.created');
    expect(c).toMatchObject({
      targetId: id,
      actorUserId: w.users.managerA.id,
      data: { organisationId: w.orgA.id, after: { fullName: 'Paul Martin' } },
    });
    const [u] = await journal(w.clients.coordinator, w.territory.id, 'referent.updated');
    expect(u).toMatchObject({
      targetId: id,
      data: { before: { title: 'Conseiller', active: true }, after: { title: 'Référent France Services', active: false } },
    });
    const [d] = await journal(w.clients.coordinator, w.territory.id, 'referent.deleted');
    expect(d).toMatchObject({ targetId: id, data: { before: { fullName: 'Paul Martin', phone: '02 33 00 00 00' } } });
  });

  it('refuses the manager of organisation B on organisation A’s referents with 403 FORBIDDEN, and writes nothing', async () => {
    const w = await world();
    const referent = (await w.clients.coordinator.post(`${w.base}/organisations/${w.orgA.id}/referents`, { fullName: 'Zoé Lambert' })).body;
    const attempts = [
      () => w.clients.managerB.post(`${w.base}/organisations/${w.orgA.id}/referents`, { fullName: 'Intrus' }),
      () => w.clients.managerB.patch(`${w.base}/referents/${referent.id}`, { fullName: 'Renommée' }),
      () => w.clients.managerB.delete(`${w.base}/referents/${referent.id}`),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await w.clients.agent.get(`${w.base}/referents/${referent.id}`)).body.fullName).toBe('Zoé Lambert');
    // B's manager still manages B's own referents.
    expect((await w.clients.managerB.post(`${w.base}/organisations/${w.orgB.id}/referents`, { fullName: 'Marc Petit' })).status).toBe(201);
  });

  it('lets agents read the directory but not write referents', async () => {
    const w = await world();
    await w.clients.coordinator.post(`${w.base}/organisations/${w.orgA.id}/referents`, { fullName: 'Inès Moreau' });
    const list = await w.clients.agent.get(`${w.base}/referents`);
    expect(list.status).toBe(200);
    expect(list.body.map((r: { fullName: string }) => r.fullName)).toEqual(['Inès Moreau']);
    const res = await w.clients.agent.post(`${w.base}/organisations/${w.orgA.id}/referents`, { fullName: 'Agent Intrus' });
    expect(res.status).toBe(403);
    const asReferent = await w.clients.referentA.post(`${w.base}/organisations/${w.orgA.id}/referents`, { fullName: 'Référent Intrus' });
    expect(asReferent.status).toBe(403);
  });

  it('links a referent to a Relais account only if that account has a role in the organisation', async () => {
    const w = await world();
    const refused = await w.clients.managerA.post(`${w.base}/organisations/${w.orgA.id}/referents`, {
      fullName: 'Compte ailleurs',
      userId: w.users.managerB.id,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'REFERENT_ACCOUNT_NOT_MEMBER' });
    const linked = await w.clients.managerA.post(`${w.base}/organisations/${w.orgA.id}/referents`, {
      fullName: 'Référente CAF',
      userId: w.users.referentA.id,
    });
    expect(linked.status).toBe(201);
    expect(linked.body.account).toMatchObject({ userId: w.users.referentA.id, email: w.users.referentA.email });
    const unlinked = await w.clients.managerA.patch(`${w.base}/referents/${linked.body.id}`, { userId: null });
    expect(unlinked.body.account).toBeNull();
  });

  it('refuses to read or write another territory’s organisations and referents', async () => {
    const w = await world();
    const other = await world();
    const theirs = (
      await other.clients.coordinator.post(`${other.base}/organisations/${other.orgA.id}/referents`, { fullName: 'Ailleurs' })
    ).body;
    // Through the other territory's path: not a member.
    for (const path of [
      `${other.base}/referents`,
      `${other.base}/organisations/${other.orgA.id}`,
      `${other.base}/referents/${theirs.id}`,
    ]) {
      const res = await w.clients.coordinator.get(path);
      expect(res.status, path).toBe(403);
    }
    // Through their own territory's path with the other territory's ids: not found.
    expect((await w.clients.coordinator.get(`${w.base}/organisations/${other.orgA.id}`)).status).toBe(404);
    expect((await w.clients.coordinator.get(`${w.base}/referents/${theirs.id}`)).status).toBe(404);
    expect((await w.clients.coordinator.patch(`${w.base}/referents/${theirs.id}`, { fullName: 'Volé' })).status).toBe(404);
    expect((await w.clients.coordinator.post(`${w.base}/organisations/${other.orgA.id}/referents`, { fullName: 'X Y' })).status).toBe(404);
  });
});

describe('referents directory', () => {
  async function directoryWorld() {
    const w = await world();
    const add = (orgId: string, body: Record<string, unknown>) =>
      w.clients.coordinator.post(`${w.base}/organisations/${orgId}/referents`, body);
    await w.clients.coordinator.patch(`${w.base}/organisations/${w.orgA.id}`, {
      procedures: ['prime d’activité', 'aide personnalisée au logement'],
      themes: ['famille', 'logement'],
    });
    await w.clients.coordinator.patch(`${w.base}/organisations/${w.orgB.id}`, { procedures: ['retraite agricole'], themes: ['retraite'] });
    const helene = (await add(w.orgA.id, { fullName: 'Hélène Géraud', phone: '02 33 11 22 33', email: 'helene@caf.exemple.fr' })).body;
    const leo = (await add(w.orgA.id, { fullName: 'Léo Durand', themes: ['argent-impots'] })).body;
    const francois = (await add(w.orgB.id, { fullName: 'François Noël', title: 'Conseiller retraite' })).body;
    await add(w.orgB.id, { fullName: 'Ancien Référent', active: false });
    const search = async (query: string) => {
      const res = await w.clients.agent.get(`${w.base}/referents${query}`);
      expect(res.status, query).toBe(200);
      return (res.body as { fullName: string }[]).map((r) => r.fullName);
    };
    return { ...w, helene, leo, francois, search };
  }

  it('finds referents by name with or without accents, and by organisation name or acronym', async () => {
    const d = await directoryWorld();
    expect(await d.search('?q=helene')).toEqual(['Hélène Géraud']);
    expect(await d.search(`?q=${encodeURIComponent('HÉLÈNE')}`)).toEqual(['Hélène Géraud']);
    expect(await d.search(`?q=${encodeURIComponent('francois noel')}`)).toEqual(['François Noël']);
    expect(await d.search('?q=caf')).toEqual(['Hélène Géraud', 'Léo Durand']);
    expect(await d.search(`?q=${encodeURIComponent('mutualite')}`)).toEqual(['François Noël']);
    expect(await d.search('')).toEqual(['Hélène Géraud', 'Léo Durand', 'François Noël']);
  });

  it('finds referents by procedure, typed with a plain apostrophe and no accents', async () => {
    const d = await directoryWorld();
    expect(await d.search(`?q=${encodeURIComponent("prime d'activite")}`)).toEqual(['Hélène Géraud', 'Léo Durand']);
    expect(await d.search(`?q=${encodeURIComponent('prime d’activité')}`)).toEqual(['Hélène Géraud', 'Léo Durand']);
    expect(await d.search('?q=agricole')).toEqual(['François Noël']);
    expect(await d.search('?q=100%25')).toEqual([]);
  });

  it('filters by theme (the referent’s own, else the organisation’s) and by organisation', async () => {
    const d = await directoryWorld();
    expect(await d.search('?theme=logement')).toEqual(['Hélène Géraud']);
    expect(await d.search('?theme=argent-impots')).toEqual(['Léo Durand']);
    expect(await d.search('?theme=retraite')).toEqual(['François Noël']);
    expect(await d.search(`?q=${encodeURIComponent('impôts')}`)).toEqual(['Léo Durand']);
    expect(await d.search(`?organisationId=${d.orgB.id}`)).toEqual(['François Noël']);
    const bad = await d.clients.agent.get(`${d.base}/referents?theme=inconnu`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('returns each referent with their organisation’s contacts', async () => {
    const d = await directoryWorld();
    await d.clients.coordinator.patch(`${d.base}/organisations/${d.orgA.id}`, { phone: '3230', website: 'https://www.caf.fr' });
    const res = await d.clients.agent.get(`${d.base}/referents?q=helene`);
    expect(res.body).toEqual([
      expect.objectContaining({
        fullName: 'Hélène Géraud',
        phone: '02 33 11 22 33',
        email: 'helene@caf.exemple.fr',
        organisation: expect.objectContaining({ id: d.orgA.id, acronym: 'CAF 61', phone: '3230', website: 'https://www.caf.fr' }),
      }),
    ]);
  });
});
