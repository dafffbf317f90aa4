import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPORTING_GROUPS, procedureThemeCode } from '../../../contracts/taxonomy.ts';
import { Themes } from '../../../contracts/themes.ts';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { contactPointPartners } from '../network/network.schema.ts';
import { people, personContactPoints } from '../people/people.schema.ts';
import { visits } from './visits.schema.ts';

let t: TestApp;
const clock = fixedClock(new Date('2030-03-04T09:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock, env: { VISIT_CORRECTION_HOURS: '2' } });
});
afterAll(() => t?.close());

async function world() {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const tid = territory.id;
  const cpA = await createContactPoint(db, tid, { name: 'France Services de Bellême' });
  const cpB = await createContactPoint(db, tid, { name: 'Mairie de Rémalard' });
  const caf = await createOrganisation(db, tid, {
    name: 'Caisse d’allocations familiales',
    acronym: 'CAF',
    themes: ['famille', 'logement'],
    procedures: ['prime d’activité', 'aide personnalisée au logement (APL)'],
  });
  const cpam = await createOrganisation(db, tid, { name: 'Caisse primaire', acronym: 'CPAM', themes: ['social-sante'] });
  const dgfip = await createOrganisation(db, tid, { name: 'Finances publiques', acronym: 'DGFIP', themes: ['argent-impots'] });
  const user = (role: 'agent' | 'coordinator' | 'referent', where: { contactPointId?: string; organisationId?: string } = {}) =>
    createUser(db, { displayName: `${role} ${randomUUID().slice(0, 4)}`, memberships: [{ territoryId: tid, role, ...where }] });
  const agentAUser = await user('agent', { contactPointId: cpA.id });
  const agentA2User = await user('agent', { contactPointId: cpA.id });
  const agentBUser = await user('agent', { contactPointId: cpB.id });
  const coordinatorUser = await user('coordinator');
  const referentUser = await user('referent', { organisationId: caf.id });
  const adminUser = await createUser(db, { isPlatformAdmin: true });
  return {
    territory,
    cpA,
    cpB,
    caf,
    cpam,
    dgfip,
    agentAUser,
    agentA: await t.signIn(agentAUser),
    agentA2: await t.signIn(agentA2User),
    agentB: await t.signIn(agentBUser),
    coordinator: await t.signIn(coordinatorUser),
    referent: await t.signIn(referentUser),
    admin: await t.signIn(adminUser),
    base: `/api/territories/${tid}`,
  };
}
type World = Awaited<ReturnType<typeof world>>;

const visit = (w: World, extra: Record<string, unknown> = {}) => ({
  contactPointId: w.cpA.id,
  channel: 'sur_place',
  idempotencyKey: randomUUID(),
  ...extra,
});

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; actorUserId: string; targetId: string; data: Record<string, unknown> }[];
}

const rowsWithKey = async (key: string) => t.ctx.db.select().from(visits).where(eq(visits.idempotencyKey, key));

describe('logging a visit', () => {
  it('takes the agent and the time from the context, journaled', async () => {
    const w = await world();
    const res = await w.agentA.post(`${w.base}/visits`, visit(w));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      territoryId: w.territory.id,
      contactPointId: w.cpA.id,
      contactPointName: 'France Services de Bellême',
      agentUserId: w.agentAUser.id,
      agentName: w.agentAUser.displayName,
      occurredAt: clock.now().toISOString(),
      channel: 'sur_place',
      organisationIds: [],
      themeCodes: [],
      actions: [],
      autonomy: null,
      durationMinutes: null,
      personId: null,
      correctedAt: null,
      canCorrect: true,
      correctableUntil: new Date(clock.now().getTime() + 2 * 3600_000).toISOString(),
    });
    const [event] = await journal(w.coordinator, w.territory.id, 'visit.created');
    expect(event).toMatchObject({ actorUserId: w.agentAUser.id, targetId: res.body.id, data: { after: { channel: 'sur_place' } } });
  });

  it('keeps what the agent chose: partners, themes, actions, autonomy, duration, comment, an earlier time', async () => {
    const w = await world();
    const body = visit(w, {
      occurredAt: '2030-03-04T08:15:00.000Z',
      channel: 'telephone',
      organisationIds: [w.caf.id, w.cpam.id],
      themeCodes: ['famille', procedureThemeCode('CAF', 'prime d’activité')],
      actions: ['information', 'rendez_vous_pris'],
      autonomy: 'avec_aide',
      durationMinutes: 20,
      comment: 'Prise de rendez-vous avec la CAF',
    });
    const res = await w.agentA.post(`${w.base}/visits`, body);
    expect(res.status).toBe(201);
    const { idempotencyKey, ...rest } = body;
    expect(res.body).toMatchObject({ ...rest, idempotencyKey });
  });

  it('answers the visit already stored (200) when the same key comes again, never a duplicate', async () => {
    const w = await world();
    const body = visit(w, { themeCodes: ['logement'] });
    const first = await w.agentA.post(`${w.base}/visits`, body);
    const second = await w.agentA.post(`${w.base}/visits`, body);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body).toEqual(first.body);
    expect(await rowsWithKey(body.idempotencyKey)).toHaveLength(1);
    expect(await journal(w.coordinator, w.territory.id, 'visit.created')).toHaveLength(1);
  });

  it('stores one visit when the same key is sent twice at once', async () => {
    const w = await world();
    for (let round = 0; round < 3; round++) {
      const body = visit(w);
      const answers = await Promise.all([w.agentA.post(`${w.base}/visits`, body), w.agentA.post(`${w.base}/visits`, body)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(answers[0]!.body.id).toBe(answers[1]!.body.id);
      expect(await rowsWithKey(body.idempotencyKey)).toHaveLength(1);
    }
  });

  it('keeps the same key of two agents apart', async () => {
    const w = await world();
    const key = randomUUID();
    expect((await w.agentA.post(`${w.base}/visits`, visit(w, { idempotencyKey: key }))).status).toBe(201);
    expect((await w.agentA2.post(`${w.base}/visits`, visit(w, { idempotencyKey: key }))).status).toBe(201);
    expect(await rowsWithKey(key)).toHaveLength(2);
  });

  it('refuses a contact point where the caller is not an agent, another territory, partners and administrators', async () => {
    const w = await world();
    const other = await world();
    const res = await w.agentA.post(`${w.base}/visits`, visit(w, { contactPointId: w.cpB.id }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/pas agent de ce lieu/);
    expect((await w.agentA.post(`${other.base}/visits`, visit(other))).status).toBe(403);
    expect((await w.coordinator.post(`${other.base}/visits`, visit(other))).status).toBe(403);
    // A coordinator logs at any contact point of their territory, but not at another territory's.
    expect((await w.coordinator.post(`${w.base}/visits`, visit(w, { contactPointId: w.cpB.id }))).status).toBe(201);
    expect((await w.coordinator.post(`${w.base}/visits`, visit(w, { contactPointId: other.cpA.id }))).status).toBe(404);
    expect((await w.referent.post(`${w.base}/visits`, visit(w))).status).toBe(403);
    expect((await w.admin.post(`${w.base}/visits`, visit(w))).status).toBe(403);
    const count = await t.ctx.db.select().from(visits).where(eq(visits.territoryId, other.territory.id));
    expect(count).toHaveLength(0);
  });

  it('refuses partners of another territory, unknown themes, a future time, a person the contact point does not hold', async () => {
    const w = await world();
    const other = await world();
    const refused = async (extra: Record<string, unknown>, code: string, path: string) => {
      const res = await w.agentA.post(`${w.base}/visits`, visit(w, extra));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ code, errors: [{ path }] });
    };
    await refused({ organisationIds: [w.caf.id, other.caf.id] }, 'ORGANISATION_UNKNOWN', 'organisationIds.1');
    await refused({ themeCodes: ['famille', 'astrologie'] }, 'THEME_UNKNOWN', 'themeCodes.1');
    await refused({ occurredAt: new Date(clock.now().getTime() + 3600_000).toISOString() }, 'VISIT_IN_FUTURE', 'occurredAt');
    const [person] = await t.ctx.db
      .insert(people)
      .values({ territoryId: w.territory.id, firstName: 'Alex', lastName: 'Martin', searchName: 'alex martin' })
      .returning();
    await refused({ personId: person!.id }, 'PERSON_NOT_HELD', 'personId');
    await t.ctx.db.insert(personContactPoints).values({ territoryId: w.territory.id, personId: person!.id, contactPointId: w.cpA.id });
    const res = await w.agentA.post(`${w.base}/visits`, visit(w, { personId: person!.id }));
    expect(res.status).toBe(201);
    expect(res.body.personId).toBe(person!.id);
    const bad = await w.agentA.post(`${w.base}/visits`, { ...visit(w), channel: 'pigeon', durationMinutes: 5000 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('listing visits', () => {
  it('shows an agent their contact points’ visits and a coordinator all, newest first, page by page', async () => {
    const w = await world();
    const base = clock.now().getTime();
    const at = (minutesAgo: number) => new Date(base - minutesAgo * 60_000).toISOString();
    const a = [];
    for (const m of [50, 40, 30, 30, 10]) a.push((await w.agentA.post(`${w.base}/visits`, visit(w, { occurredAt: at(m) }))).body.id);
    const a2 = (await w.agentA2.post(`${w.base}/visits`, visit(w, { occurredAt: at(20) }))).body.id;
    const b = (await w.agentB.post(`${w.base}/visits`, visit(w, { contactPointId: w.cpB.id, occurredAt: at(5) }))).body.id;

    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((v) => v.id);
    const mine = await w.agentA.get(`${w.base}/visits`);
    expect(mine.status).toBe(200);
    expect(ids(mine)).not.toContain(b);
    expect(ids(mine)).toHaveLength(6);
    const times = mine.body.items.map((v: { occurredAt: string }) => v.occurredAt);
    expect(times).toEqual([...times].sort().reverse());

    const all = await w.coordinator.get(`${w.base}/visits`);
    expect(ids(all)[0]).toBe(b);
    expect(ids(all)).toHaveLength(7);

    expect(ids(await w.agentA.get(`${w.base}/visits?mine=true`)).sort()).toEqual([...a].sort());
    expect(ids(await w.agentA2.get(`${w.base}/visits?mine=true`))).toEqual([a2]);
    expect(ids(await w.coordinator.get(`${w.base}/visits?contactPointId=${w.cpB.id}`))).toEqual([b]);
    expect((await w.agentA.get(`${w.base}/visits?contactPointId=${w.cpB.id}`)).status).toBe(403);
    expect(ids(await w.agentA.get(`${w.base}/visits?from=${encodeURIComponent(at(35))}&to=${encodeURIComponent(at(10))}`))).toHaveLength(3);

    // Keyset pages: every visit once, in order, even with two at the same minute.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await w.coordinator.get(
        `${w.base}/visits?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((v) => v.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(ids(all));
    expect((await w.coordinator.get(`${w.base}/visits?cursor=abc`)).status).toBe(400);

    for (const client of [w.referent, w.admin]) expect((await client.get(`${w.base}/visits`)).status).toBe(403);
    const other = await world();
    expect((await w.coordinator.get(`${other.base}/visits`)).status).toBe(403);
    expect((await w.agentA.get(`${w.base}/visits/${b}`)).status).toBe(404);
    expect((await w.agentB.get(`${w.base}/visits/${b}`)).status).toBe(200);
    expect((await other.coordinator.get(`${other.base}/visits/${b}`)).status).toBe(404);
  });
});

describe('correcting a visit', () => {
  it('lets its own agent correct it within the window, journaled with before and after; then 409', async () => {
    const w = await world();
    const created = await w.agentA.post(`${w.base}/visits`, visit(w, { durationMinutes: 10, themeCodes: ['famille'] }));
    const path = `${w.base}/visits/${created.body.id}`;
    expect((await w.agentA2.patch(path, { durationMinutes: 15 })).status).toBe(403);
    expect((await w.coordinator.patch(path, { durationMinutes: 15 })).status).toBe(403);
    expect((await w.agentB.patch(path, { durationMinutes: 15 })).status).toBe(404);
    expect((await w.referent.patch(path, { durationMinutes: 15 })).status).toBe(403);
    expect((await w.agentA.patch(path, { themeCodes: ['inconnu'] })).status).toBe(400);

    clock.advance(90 * 60_000);
    const res = await w.agentA.patch(path, { durationMinutes: 25, channel: 'telephone', comment: 'Rappel' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      durationMinutes: 25,
      channel: 'telephone',
      comment: 'Rappel',
      correctedAt: clock.now().toISOString(),
    });
    const [event] = await journal(w.coordinator, w.territory.id, 'visit.corrected');
    expect(event).toMatchObject({
      targetId: created.body.id,
      data: {
        before: { durationMinutes: 10, channel: 'sur_place', comment: null },
        after: { durationMinutes: 25, channel: 'telephone', comment: 'Rappel' },
      },
    });

    clock.advance(31 * 60_000);
    const late = await w.agentA.patch(path, { durationMinutes: 30 });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('VISIT_CORRECTION_CLOSED');
    expect((await w.agentA.get(path)).body).toMatchObject({ durationMinutes: 25, canCorrect: false });
  });
});

describe('quick choices', () => {
  it('falls back to the partners served at the contact point and the national themes, then ranks the last 90 days', async () => {
    const w = await world();
    await t.ctx.db.insert(contactPointPartners).values([
      { territoryId: w.territory.id, contactPointId: w.cpA.id, organisationId: w.dgfip.id },
      { territoryId: w.territory.id, contactPointId: w.cpA.id, organisationId: w.caf.id },
    ]);
    const path = `${w.base}/contact-points/${w.cpA.id}/visit-shortcuts`;
    const empty = await w.agentA.get(path);
    expect(empty.status).toBe(200);
    expect(empty.body.fromHistory).toEqual({ partners: false, themes: false });
    expect(empty.body.partners.map((p: { acronym: string }) => p.acronym)).toEqual(['CAF', 'DGFIP']);
    expect(empty.body.themes.map((th: { code: string }) => th.code)).toEqual(Themes.slice(0, 9).map((th) => th.code));

    const old = new Date(clock.now().getTime() - 100 * 86_400_000).toISOString();
    const post = (organisationIds: string[], themeCodes: string[], occurredAt?: string) =>
      w.agentA.post(`${w.base}/visits`, visit(w, { organisationIds, themeCodes, occurredAt }));
    await post([w.cpam.id], ['social-sante']);
    await post([w.cpam.id], ['social-sante']);
    await post([w.cpam.id, w.caf.id], ['famille', 'social-sante']);
    for (let i = 0; i < 5; i++) await post([w.dgfip.id], ['argent-impots'], old);
    // Another contact point's visits do not count.
    await w.agentB.post(`${w.base}/visits`, visit(w, { contactPointId: w.cpB.id, organisationIds: [w.dgfip.id], themeCodes: ['justice'] }));

    const ranked = await w.agentA.get(path);
    expect(ranked.body.fromHistory).toEqual({ partners: true, themes: true });
    expect(ranked.body.partners).toEqual([
      { organisationId: w.cpam.id, acronym: 'CPAM', name: 'Caisse primaire', count: 3 },
      { organisationId: w.caf.id, acronym: 'CAF', name: 'Caisse d’allocations familiales', count: 1 },
      { organisationId: w.dgfip.id, acronym: 'DGFIP', name: 'Finances publiques', count: 0 },
    ]);
    expect(ranked.body.themes.slice(0, 2)).toEqual([
      { code: 'social-sante', label: 'Social et santé', count: 3 },
      { code: 'famille', label: 'Famille', count: 1 },
    ]);
    expect(ranked.body.themes).toHaveLength(9);

    expect((await w.agentB.get(path)).status).toBe(403);
    expect((await w.coordinator.get(path)).status).toBe(200);
    expect((await w.referent.get(path)).status).toBe(403);
    const other = await world();
    expect((await w.coordinator.get(`${w.base}/contact-points/${other.cpA.id}/visit-shortcuts`)).status).toBe(404);
  });
});

describe('taxonomy', () => {
  it('gives national, partner × procedure and territory themes with the national default grouping', async () => {
    const w = await world();
    const res = await w.agentA.get(`${w.base}/taxonomy`);
    expect(res.status).toBe(200);
    expect(res.body.defaultGrouping).toBe(true);
    expect(res.body.groups.map((g: { code: string }) => g.code)).toEqual(DEFAULT_REPORTING_GROUPS.map((g) => g.code));
    const grouped = res.body.groups.flatMap((g: { themeCodes: string[] }) => g.themeCodes).sort();
    expect(grouped).toEqual(Themes.map((th) => th.code).sort());
    const byCode = new Map(res.body.themes.map((th: { code: string }) => [th.code, th]));
    expect(byCode.get('justice')).toMatchObject({ kind: 'national', groupCode: 'juridique' });
    expect(byCode.get(procedureThemeCode('CAF', 'aide personnalisée au logement (APL)'))).toMatchObject({
      kind: 'partenaire',
      label: 'CAF — aide personnalisée au logement (APL)',
      parentCode: 'famille',
      organisationId: w.caf.id,
      groupCode: 'protection-sociale',
    });
    expect((await w.referent.get(`${w.base}/taxonomy`)).status).toBe(200);
    const other = await world();
    expect((await w.coordinator.get(`${other.base}/taxonomy`)).status).toBe(403);
  });

  it('lets the coordinator add and archive territory themes and define reporting groups, journaled', async () => {
    const w = await world();
    const themeBody = { code: 'cheque-energie', label: 'Chèque énergie', parentCode: 'logement' };
    expect((await w.agentA.post(`${w.base}/taxonomy/themes`, themeBody)).status).toBe(403);
    const created = await w.coordinator.post(`${w.base}/taxonomy/themes`, themeBody);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...themeBody, kind: 'territoire', groupCode: 'action-sociale-logement', archived: false });
    expect((await w.coordinator.post(`${w.base}/taxonomy/themes`, themeBody)).body.code).toBe('THEME_CODE_TAKEN');
    expect((await w.coordinator.post(`${w.base}/taxonomy/themes`, { code: 'famille', label: 'Famille' })).status).toBe(400);
    expect((await w.coordinator.post(`${w.base}/taxonomy/themes`, { code: 'x-y', label: 'X', parentCode: 'nulle-part' })).body.code).toBe(
      'THEME_UNKNOWN',
    );
    expect((await w.agentA.post(`${w.base}/visits`, visit(w, { themeCodes: ['cheque-energie'] }))).status).toBe(201);

    const groupBody = { code: 'energie', label: 'Énergie', sortOrder: 1, themeCodes: ['cheque-energie', 'logement'] };
    const group = await w.coordinator.post(`${w.base}/taxonomy/groups`, groupBody);
    expect(group.status).toBe(201);
    const social = await w.coordinator.post(`${w.base}/taxonomy/groups`, {
      code: 'social',
      label: 'Social',
      sortOrder: 0,
      themeCodes: ['famille', 'logement'],
    });
    expect(social.status).toBe(201);
    // A theme counts in one group: "logement" moved to "social".
    let taxonomy = (await w.agentA.get(`${w.base}/taxonomy`)).body;
    expect(taxonomy.defaultGrouping).toBe(false);
    expect(taxonomy.groups).toEqual([
      { id: social.body.id, code: 'social', label: 'Social', sortOrder: 0, themeCodes: expect.arrayContaining(['famille', 'logement']) },
      { id: group.body.id, code: 'energie', label: 'Énergie', sortOrder: 1, themeCodes: ['cheque-energie'] },
    ]);
    const themeOf = (code: string) => taxonomy.themes.find((th: { code: string }) => th.code === code);
    expect(themeOf('justice').groupCode).toBeNull();
    expect(themeOf(procedureThemeCode('CAF', 'prime d’activité')).groupCode).toBe('social');

    const edited = await w.coordinator.patch(`${w.base}/taxonomy/groups/${group.body.id}`, {
      label: 'Énergie et eau',
      themeCodes: ['justice'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ label: 'Énergie et eau', themeCodes: ['justice'] });
    expect((await w.coordinator.patch(`${w.base}/taxonomy/groups/${group.body.id}`, { themeCodes: ['inconnu'] })).status).toBe(400);

    const archived = await w.coordinator.patch(`${w.base}/taxonomy/themes/${created.body.id}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const refused = await w.agentA.post(`${w.base}/visits`, visit(w, { themeCodes: ['cheque-energie'] }));
    expect(refused.body.code).toBe('THEME_UNKNOWN');
    taxonomy = (await w.agentA.get(`${w.base}/taxonomy`)).body;
    expect(themeOf('cheque-energie')).toMatchObject({ archived: true });

    const other = await world();
    expect((await other.coordinator.patch(`${other.base}/taxonomy/themes/${created.body.id}`, { archived: false })).status).toBe(404);
    expect((await other.coordinator.patch(`${other.base}/taxonomy/groups/${group.body.id}`, { label: 'X' })).status).toBe(404);

    const types = ['taxonomy.theme_created', 'taxonomy.theme_updated', 'taxonomy.group_created', 'taxonomy.group_updated'];
    const counts = await Promise.all(types.map(async (type) => (await journal(w.coordinator, w.territory.id, type)).length));
    expect(counts).toEqual([1, 1, 2, 1]);
    const [updated] = await journal(w.coordinator, w.territory.id, 'taxonomy.group_updated');
    expect(updated!.data).toMatchObject({
      before: { label: 'Énergie', themeCodes: ['cheque-energie'] },
      after: { label: 'Énergie et eau', themeCodes: ['justice'] },
    });
    const rows = await t.ctx.db
      .select()
      .from(visits)
      .where(and(eq(visits.territoryId, w.territory.id)));
    expect(rows).toHaveLength(1);
  });
});
