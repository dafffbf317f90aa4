import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_STATS_THRESHOLD } from '../../../contracts/observatory.ts';
import type { Executor } from '../../db/client.ts';
import { fixedClock } from '../../platform/clock.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { requestWorld } from '../requests/requests.fixtures.ts';
import { requests } from '../requests/requests.schema.ts';
import { visits } from '../visits/visits.schema.ts';
import {
  statsRequestDelays,
  statsRequestDelaysTerritory,
  statsRequestsMonthly,
  statsVisitsMonthly,
  statsVisitsTerritory,
} from './observatory.schema.ts';

let t: TestApp;
const clock = fixedClock(new Date('2026-11-16T10:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t?.close());

/** Paris month of an instant, as the aggregates key it. */
const parisMonth = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(d);

type VisitRow = typeof visits.$inferSelect;
type RequestRow = typeof requests.$inferSelect;

/** The visit aggregates recomputed from the raw rows, in plain code (independent of the SQL triggers). */
function recountVisits(rows: VisitRow[]): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  const add = (key: string, minutes: number, timed: number) => {
    const cur = out.get(key) ?? [0, 0, 0];
    out.set(key, [cur[0] + 1, cur[1] + minutes, cur[2] + timed]);
  };
  for (const v of rows) {
    const month = parisMonth(v.occurredAt);
    const orgs = [...new Set(v.organisationIds)];
    for (const orgKey of ['', ...orgs]) {
      const k = (facet: string, value: string) => [v.territoryId, month, v.contactPointId, orgKey, facet, value].join('|');
      add(k('total', ''), v.durationMinutes ?? 0, v.durationMinutes === null ? 0 : 1);
      add(k('channel', v.channel), 0, 0);
      add(k('autonomy', v.autonomy ?? ''), 0, 0);
      add(k('person', v.personId ? 'oui' : 'non'), 0, 0);
      for (const th of new Set(v.themeCodes)) add(k('theme', th), 0, 0);
      for (const a of new Set(v.actions)) add(k('action', a), 0, 0);
    }
    for (const o of orgs) add([v.territoryId, month, v.contactPointId, '', 'org', o].join('|'), 0, 0);
  }
  return out;
}

/** The territory rollup of a recount: contact points summed, and each one's total under facet `cp`. */
function rollUpVisits(perContactPoint: Map<string, [number, number, number]>): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  const add = (key: string, v: [number, number, number]) => {
    const cur = out.get(key) ?? [0, 0, 0];
    out.set(key, [cur[0] + v[0], cur[1] + v[1], cur[2] + v[2]]);
  };
  for (const [key, v] of perContactPoint) {
    const [territory, month, cp, orgKey, facet, value] = key.split('|');
    add([territory, month, orgKey, facet, value].join('|'), v);
    if (facet === 'total') add([territory, month, orgKey, 'cp', cp].join('|'), v);
  }
  return out;
}

function recountRequests(rows: RequestRow[]) {
  const counts = new Map<string, number[]>();
  const delays = new Map<string, number>();
  for (const r of rows) {
    if (!r.sentAt) continue;
    const key = [r.territoryId, parisMonth(r.sentAt), r.contactPointId, r.organisationId, r.themeCode ?? ''].join('|');
    const c = counts.get(key) ?? [0, 0, 0, 0, 0, 0, 0];
    const add = [
      1,
      r.firstAnsweredAt ? 1 : 0,
      r.firstAnswerInTime ? 1 : 0,
      r.closedAt ? 1 : 0,
      r.usefulness === 'utile' ? 1 : 0,
      r.usefulness === 'partiellement_utile' ? 1 : 0,
      r.usefulness === 'pas_utile' ? 1 : 0,
    ];
    counts.set(
      key,
      c.map((n, i) => n + (add[i] ?? 0)),
    );
    if (r.firstAnswerTenths !== null) delays.set(`${key}|${r.firstAnswerTenths}`, (delays.get(`${key}|${r.firstAnswerTenths}`) ?? 0) + 1);
  }
  return { counts, delays };
}

/** What the tables hold for a territory, zero rows left out (a delta back to zero leaves one). */
async function aggregates(db: Executor, territoryId: string) {
  const vis = new Map<string, [number, number, number]>();
  for (const r of await db.select().from(statsVisitsMonthly).where(eq(statsVisitsMonthly.territoryId, territoryId))) {
    if (r.visits === 0 && r.minutes === 0 && r.timed === 0) continue;
    vis.set([r.territoryId, r.month.slice(0, 7), r.contactPointId, r.orgKey, r.facet, r.value].join('|'), [r.visits, r.minutes, r.timed]);
  }
  const territory = new Map<string, [number, number, number]>();
  for (const r of await db.select().from(statsVisitsTerritory).where(eq(statsVisitsTerritory.territoryId, territoryId))) {
    if (r.visits === 0 && r.minutes === 0 && r.timed === 0) continue;
    territory.set([r.territoryId, r.month.slice(0, 7), r.orgKey, r.facet, r.value].join('|'), [r.visits, r.minutes, r.timed]);
  }
  const counts = new Map<string, number[]>();
  for (const r of await db.select().from(statsRequestsMonthly).where(eq(statsRequestsMonthly.territoryId, territoryId))) {
    const values = [r.sent, r.answered, r.inTime, r.closed, r.useful, r.partlyUseful, r.notUseful];
    if (values.every((n) => n === 0)) continue;
    counts.set([r.territoryId, r.month.slice(0, 7), r.contactPointId, r.organisationId, r.themeCode].join('|'), values);
  }
  const delays = new Map<string, number>();
  for (const r of await db.select().from(statsRequestDelays).where(eq(statsRequestDelays.territoryId, territoryId))) {
    if (r.requests === 0) continue;
    delays.set([r.territoryId, r.month.slice(0, 7), r.contactPointId, r.organisationId, r.themeCode, r.tenths].join('|'), r.requests);
  }
  const territoryDelays = new Map<string, number>();
  for (const r of await db.select().from(statsRequestDelaysTerritory).where(eq(statsRequestDelaysTerritory.territoryId, territoryId))) {
    if (r.requests === 0) continue;
    territoryDelays.set([r.territoryId, r.month.slice(0, 7), r.organisationId, r.themeCode, r.tenths].join('|'), r.requests);
  }
  return { vis, territory, counts, delays, territoryDelays };
}

describe('aggregates maintained by triggers', () => {
  it('equal a recount from the raw rows after any series of inserts, corrections, merges, anonymisations, re-routings and deletes', async () => {
    const db = t.ctx.db;
    const territory = await createTerritory(db);
    const tid = territory.id;
    const cps = [await createContactPoint(db, tid), await createContactPoint(db, tid), await createContactPoint(db, tid)];
    const orgs = [await createOrganisation(db, tid), await createOrganisation(db, tid), await createOrganisation(db, tid)];
    const agent = randomUUID();
    const people = [randomUUID(), randomUUID()];
    // Instants around month ends in Paris (31 Jan 23:30 UTC is already February there).
    const instants = [
      '2025-12-31T22:59:00Z',
      '2025-12-31T23:01:00Z',
      '2026-01-31T23:30:00Z',
      '2026-02-14T10:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-10-25T01:30:00Z',
    ].map((s) => new Date(s));
    const themes = ['famille', 'logement', 'caf.prime-d-activite', 'retraite'];
    const actions = ['information', 'aide_demarche_en_ligne', 'sous_mandat', 'saisine_partenaire'];

    const visitArb = fc.record({
      cp: fc.nat(2),
      at: fc.nat(instants.length - 1),
      channel: fc.constantFrom('sur_place', 'telephone', 'arret_bus'),
      orgs: fc.subarray([0, 1, 2]),
      // Duplicates on purpose: a visit naming a theme twice counts it once.
      themes: fc.array(fc.constantFrom(...themes), { maxLength: 3 }),
      actions: fc.array(fc.constantFrom(...actions), { maxLength: 2 }),
      autonomy: fc.constantFrom(null, 'seul', 'avec_aide', 'fait_pour'),
      duration: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
      person: fc.option(fc.nat(1), { nil: null }),
    });
    const requestArb = fc.record({
      cp: fc.nat(2),
      org: fc.nat(2),
      at: fc.nat(instants.length - 1),
      theme: fc.option(fc.constantFrom(...themes), { nil: null }),
      answered: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      inTime: fc.boolean(),
      closed: fc.boolean(),
      usefulness: fc.constantFrom(null, 'utile', 'partiellement_utile', 'pas_utile'),
    });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), rows: fc.array(visitArb, { minLength: 1, maxLength: 6 }) }),
      fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), change: visitArb }),
      fc.record({ kind: fc.constant('anonymise' as const), person: fc.nat(1) }),
      fc.record({ kind: fc.constant('merge' as const) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('send' as const), rows: fc.array(requestArb, { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('reroute' as const), pick: fc.nat(), org: fc.nat(2) }),
      fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(), change: requestArb }),
      fc.record({ kind: fc.constant('wipe' as const) }),
    );
    function toVisit(v: {
      cp: number;
      at: number;
      channel: string;
      orgs: number[];
      themes: string[];
      actions: string[];
      autonomy: string | null;
      duration: number | null;
      person: number | null;
    }) {
      return {
        territoryId: tid,
        contactPointId: cps[v.cp]!.id,
        agentUserId: agent,
        occurredAt: instants[v.at]!,
        channel: v.channel as 'sur_place',
        organisationIds: v.orgs.map((i) => orgs[i]!.id),
        themeCodes: v.themes,
        actions: v.actions,
        autonomy: v.autonomy as 'seul' | null,
        durationMinutes: v.duration,
        personId: v.person === null ? null : people[v.person]!,
      };
    }
    let n = 0;
    const requestValues = (r: {
      cp: number;
      org: number;
      at: number;
      theme: string | null;
      answered: number | null;
      inTime: boolean;
      closed: boolean;
      usefulness: string | null;
    }) => ({
      territoryId: tid,
      reference: `RLS-T-${randomUUID()}`,
      statusCodeHash: randomUUID(),
      contactPointId: cps[r.cp]!.id,
      organisationId: orgs[r.org]!.id,
      subject: 'Sujet',
      description: 'Description',
      status: (r.closed ? 'cloturee' : 'envoyee') as 'envoyee',
      themeCode: r.theme,
      firstAnswerDays: 4,
      followUpDays: 4,
      sentAt: instants[r.at]!,
      firstAnsweredAt: r.answered === null ? null : new Date(instants[r.at]!.getTime() + 3600_000),
      firstAnswerTenths: r.answered,
      firstAnswerInTime: r.answered === null ? null : r.inTime,
      closedAt: r.closed ? new Date(instants[r.at]!.getTime() + 7200_000) : null,
      usefulness: r.usefulness as 'utile' | null,
    });

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          n++;
          const visitIds = (await db.select({ id: visits.id }).from(visits).where(eq(visits.territoryId, tid))).map((r) => r.id).sort();
          const requestIds = (await db.select({ id: requests.id }).from(requests).where(eq(requests.territoryId, tid)))
            .map((r) => r.id)
            .sort();
          const pickOf = (ids: string[], i: number) => (ids.length ? ids[i % ids.length] : undefined);
          switch (o.kind) {
            case 'insert':
              await db.insert(visits).values(o.rows.map(toVisit));
              break;
            case 'correct': {
              const id = pickOf(visitIds, o.pick);
              if (id) await db.update(visits).set(toVisit(o.change)).where(eq(visits.id, id));
              break;
            }
            case 'anonymise':
              await db.update(visits).set({ personId: null, comment: null }).where(eq(visits.personId, people[o.person]!));
              break;
            case 'merge':
              await db.update(visits).set({ personId: people[0]! }).where(eq(visits.personId, people[1]!));
              break;
            case 'delete': {
              const id = pickOf(visitIds, o.pick);
              if (id) await db.delete(visits).where(eq(visits.id, id));
              break;
            }
            case 'send':
              await db.insert(requests).values(o.rows.map(requestValues));
              break;
            case 'reroute': {
              const id = pickOf(requestIds, o.pick);
              if (id) await db.update(requests).set({ organisationId: orgs[o.org]!.id }).where(eq(requests.id, id));
              break;
            }
            case 'answer': {
              const id = pickOf(requestIds, o.pick);
              const { reference: _r, statusCodeHash: _s, ...change } = requestValues(o.change);
              if (id) await db.update(requests).set(change).where(eq(requests.id, id));
              break;
            }
            case 'wipe':
              // The retention job's wipe of a whole batch in one statement: the skeleton keeps its figures.
              await db
                .update(requests)
                .set({ subject: '', description: '', status: 'archivee', wipedAt: clock.now() })
                .where(inArray(requests.id, requestIds.slice(0, 3)));
              break;
          }
        }
        const rawVisits = await db.select().from(visits).where(eq(visits.territoryId, tid));
        const rawRequests = await db.select().from(requests).where(eq(requests.territoryId, tid));
        const stored = await aggregates(db, tid);
        const expectedVisits = recountVisits(rawVisits);
        expect(Object.fromEntries(stored.vis)).toEqual(Object.fromEntries(expectedVisits));
        expect(Object.fromEntries(stored.territory)).toEqual(Object.fromEntries(rollUpVisits(expectedVisits)));
        const expectedRequests = recountRequests(rawRequests);
        expect(Object.fromEntries(stored.counts)).toEqual(Object.fromEntries(expectedRequests.counts));
        expect(Object.fromEntries(stored.delays)).toEqual(Object.fromEntries(expectedRequests.delays));
        const withoutContactPoint = new Map<string, number>();
        for (const [key, n] of expectedRequests.delays) {
          const [territory, month, _cp, ...rest] = key.split('|');
          const k = [territory, month, ...rest].join('|');
          withoutContactPoint.set(k, (withoutContactPoint.get(k) ?? 0) + n);
        }
        expect(Object.fromEntries(stored.territoryDelays)).toEqual(Object.fromEntries(withoutContactPoint));
      }),
      { numRuns: 25 },
    );
    expect(n).toBeGreaterThan(25);
  });
});

describe('dashboards', () => {
  it('count visits within each scope: coordinator, agent, partner; filters; comparison year', async () => {
    const w = await requestWorld(t);
    const db = t.ctx.db;
    const base = `/api/territories/${w.tid}/observatory`;
    const at = (iso: string) => new Date(iso);
    const v = (cp: string, when: string, extra: Partial<typeof visits.$inferInsert> = {}) => ({
      territoryId: w.tid,
      contactPointId: cp,
      agentUserId: w.users.agentA.id,
      occurredAt: at(when),
      channel: 'sur_place' as const,
      ...extra,
    });
    await db.insert(visits).values([
      v(w.cpA.id, '2026-03-10T09:00:00Z', {
        organisationIds: [w.caf.id],
        themeCodes: ['famille'],
        durationMinutes: 20,
        autonomy: 'avec_aide',
      }),
      v(w.cpA.id, '2026-03-11T09:00:00Z', {
        organisationIds: [w.caf.id, w.cpam.id],
        themeCodes: ['famille', 'social-sante'],
        durationMinutes: 40,
      }),
      v(w.cpA.id, '2026-04-01T09:00:00Z', { channel: 'telephone', actions: ['information'] }),
      v(w.cpB.id, '2026-04-02T09:00:00Z', { organisationIds: [w.cpam.id], themeCodes: ['social-sante'] }),
      v(w.cpB.id, '2025-04-02T09:00:00Z', { organisationIds: [w.cpam.id] }),
    ]);
    const q = '?from=2026-01&to=2026-12';

    const coord = await w.c.coordinator.get(`${base}/visits${q}`);
    expect(coord.status).toBe(200);
    expect(coord.body.scope.kind).toBe('territoire');
    expect(coord.body.totals).toMatchObject({ visits: 4, previous: 1, growth: 3, averageMinutes: 30 });
    expect(coord.body.byMonth).toHaveLength(12);
    expect(coord.body.byMonth[2]).toEqual({ month: '2026-03', count: 2, previous: 0 });
    expect(coord.body.byMonth[3]).toEqual({ month: '2026-04', count: 2, previous: 1 });
    const partner = (id: string) => coord.body.byPartner.find((p: { code: string }) => p.code === id);
    // Shares among partner mentions: CAF 2 of 4, CPAM 2 of 4.
    expect(partner(w.caf.id)).toMatchObject({ count: 2, share: 0.5 });
    expect(coord.body.byChannel.find((c: { code: string }) => c.code === 'telephone')).toMatchObject({ count: 1, share: 0.25 });
    expect(coord.body.byAutonomy.find((c: { code: string }) => c.code === 'non_renseignee')).toMatchObject({ count: 3 });
    const groups = Object.fromEntries(coord.body.byGroup.map((g: { code: string; count: number }) => [g.code, g.count]));
    expect(groups['protection-sociale']).toBe(4); // famille ×2 + social-sante ×2 (mentions)

    // The coordinator filters by partner: only the visits naming the CAF.
    const cafOnly = await w.c.coordinator.get(`${base}/visits${q}&organisationId=${w.caf.id}`);
    expect(cafOnly.body.totals.visits).toBe(2);
    expect(cafOnly.body.filters.organisationId).toBe(w.caf.id);
    const cpB = await w.c.coordinator.get(`${base}/visits${q}&contactPointId=${w.cpB.id}`);
    expect(cpB.body.totals).toMatchObject({ visits: 1, previous: 1, growth: 0 });

    // The agent of A sees A only, and may not ask for B.
    const agent = await w.c.agentA.get(`${base}/visits${q}`);
    expect(agent.body.scope.kind).toBe('lieux');
    expect(agent.body.totals.visits).toBe(3);
    expect(agent.body.scope.contactPoints.map((c: { id: string }) => c.id)).toEqual([w.cpA.id]);
    const forbidden = await w.c.agentA.get(`${base}/visits${q}&contactPointId=${w.cpB.id}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');

    // The CAF referent sees the visits naming the CAF, and no other partner's.
    const caf = await w.c.referent1.get(`${base}/visits${q}`);
    expect(caf.body.scope.kind).toBe('partenaire');
    expect(caf.body.totals.visits).toBe(2);
    expect((await w.c.referent1.get(`${base}/visits${q}&organisationId=${w.cpam.id}`)).status).toBe(403);

    // The yearly key figures: the coordination's report, the year to the current month.
    const report = await w.c.coordinator.get(`${base}/key-figures?year=2026`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ year: 2026, months: 11 });
    expect(report.body.visits.totals).toMatchObject({ visits: 4, previous: 1 });
    expect(report.body.satisfaction.answers).toBe(0);
    expect((await w.c.agentA.get(`${base}/key-figures?year=2026`)).status).toBe(403);
    expect((await w.c.coordinator.get(`${base}/key-figures?year=2027`)).body.code).toBe('OBSERVATORY_PERIOD_INVALID');

    // Another territory's coordinator, bad months.
    expect((await w.c.otherCoordinator.get(`${base}/visits${q}`)).status).toBe(403);
    const bad = await w.c.coordinator.get(`${base}/visits?from=2026-13`);
    expect(bad.status).toBe(400);
    const reversed = await w.c.coordinator.get(`${base}/visits?from=2026-06&to=2026-01`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('OBSERVATORY_PERIOD_INVALID');
  });

  it('work out deadlines: median and p90 in working days as percentile_disc, in-time share, breaches, backlog', async () => {
    const w = await requestWorld(t);
    const db = t.ctx.db;
    const base = `/api/territories/${w.tid}/observatory`;
    // A real request answered through the API records its first-answer figures.
    const sent = await w.send();
    expect(sent.status).toBe(201);
    clock.advance(2 * 3600_000);
    const answer = await w.c.referent1.post(`${w.base}/${sent.body.id}/messages`, { kind: 'reponse', body: 'Dossier régularisé.' });
    expect(answer.status).toBe(201);
    const [stored] = await db.select().from(requests).where(eq(requests.id, sent.body.id));
    expect(stored?.firstAnswerInTime).toBe(true);
    expect(stored?.firstAnswerTenths).toBeGreaterThan(0);

    // Skeletons with known delays (tenths of working days), sent in March 2026.
    const tenths = [5, 10, 10, 20, 30, 40, 45, 60, 80, 150];
    await db.insert(requests).values(
      tenths.map((d, i) => ({
        territoryId: w.tid,
        reference: `RLS-T-${randomUUID()}`,
        statusCodeHash: randomUUID(),
        contactPointId: i % 2 ? w.cpA.id : w.cpB.id,
        organisationId: w.cpam.id,
        subject: '',
        description: '',
        status: 'archivee' as const,
        firstAnswerDays: 4,
        followUpDays: 4,
        sentAt: new Date('2026-03-02T09:00:00Z'),
        firstAnsweredAt: new Date('2026-03-05T09:00:00Z'),
        firstAnswerTenths: d,
        firstAnswerInTime: d <= 40,
        closedAt: new Date('2026-03-20T09:00:00Z'),
        usefulness: i < 6 ? ('utile' as const) : ('pas_utile' as const),
      })),
    );
    // And one open, unanswered, past its deadline.
    await db.insert(requests).values({
      territoryId: w.tid,
      reference: `RLS-T-${randomUUID()}`,
      statusCodeHash: randomUUID(),
      contactPointId: w.cpA.id,
      organisationId: w.cpam.id,
      subject: 'En retard',
      description: 'Pas de réponse',
      status: 'envoyee',
      firstAnswerDays: 4,
      followUpDays: 4,
      sentAt: new Date('2026-10-01T09:00:00Z'),
      dueAt: new Date('2026-10-07T09:00:00Z'),
    });
    const res = await w.c.coordinator.get(`${base}/requests?from=2026-01&to=2026-12&organisationId=${w.cpam.id}`);
    expect(res.status).toBe(200);
    const raw = await db.execute<{ median: number; p90: number }>(sql`
      SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY first_answer_tenths) AS median,
             percentile_disc(0.9) WITHIN GROUP (ORDER BY first_answer_tenths) AS p90
      FROM requests WHERE territory_id = ${w.tid} AND organisation_id = ${w.cpam.id} AND first_answer_tenths IS NOT NULL`);
    expect(res.body.totals).toMatchObject({
      sent: 11,
      answered: 10,
      inTimeShare: 0.6,
      medianDays: raw.rows[0]!.median / 10,
      p90Days: raw.rows[0]!.p90 / 10,
      closed: 10,
      usefulShare: 0.6,
      rated: 10,
      breaches: 5, // 4 answered late + 1 open past its deadline
    });
    expect(res.body.totals.medianDays).toBe(3);
    expect(res.body.totals.p90Days).toBe(8);
    expect(res.body.backlog).toEqual({ open: 1, overdue: 1, waitingForInformation: 0 });
    const march = res.body.byMonth.find((m: { month: string }) => m.month === '2026-03');
    expect(march).toMatchObject({ sent: 10, answered: 10, inTime: 6, medianDays: 3 });
    const cpA = res.body.byContactPoint.find((c: { code: string }) => c.code === w.cpA.id);
    expect(cpA).toMatchObject({ sent: 6, answered: 5, openNow: 1 });
    // Medians by contact point (per-contact-point histogram) and by organisation (territory histogram).
    const perCp = await db.execute<{ cp: string; median: number; p90: number }>(sql`
      SELECT contact_point_id::text AS cp, percentile_disc(0.5) WITHIN GROUP (ORDER BY first_answer_tenths) AS median,
             percentile_disc(0.9) WITHIN GROUP (ORDER BY first_answer_tenths) AS p90
      FROM requests WHERE territory_id = ${w.tid} AND organisation_id = ${w.cpam.id} AND first_answer_tenths IS NOT NULL GROUP BY 1`);
    expect(perCp.rows).toHaveLength(2);
    for (const r of perCp.rows)
      expect(res.body.byContactPoint.find((c: { code: string }) => c.code === r.cp)).toMatchObject({
        medianDays: r.median / 10,
        p90Days: r.p90 / 10,
      });
    expect(res.body.byOrganisation.find((o: { code: string }) => o.code === w.cpam.id)).toMatchObject({ medianDays: 3, p90Days: 8 });

    // Partners see their own requests only; the CAF referent's view holds the CAF request.
    const caf = await w.c.referent1.get(`${base}/requests?from=2026-01&to=2026-12`);
    expect(caf.body.totals).toMatchObject({ sent: 1, answered: 1, inTimeShare: 1 });
    expect((await w.c.cpamReferent.get(`${base}/requests?from=2026-01&to=2026-12`)).body.totals.sent).toBe(11);
    // The agent of B sees the requests sent from B.
    const agentB = await w.c.agentB.get(`${base}/requests?from=2026-01&to=2026-12`);
    expect(agentB.body.totals.sent).toBe(5);
    const fromB = await db.execute<{ median: number }>(sql`
      SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY first_answer_tenths) AS median
      FROM requests WHERE territory_id = ${w.tid} AND contact_point_id = ${w.cpB.id} AND first_answer_tenths IS NOT NULL`);
    expect(agentB.body.totals.medianDays).toBe(fromB.rows[0]!.median / 10);
  });
});

describe('public statistics', () => {
  it('publish no count below the threshold, nor one that a published total would give away', async () => {
    const db = t.ctx.db;
    const territory = await createTerritory(db);
    const big = await createContactPoint(db, territory.id, { name: 'Grande maison', commune: 'Bellême' });
    const mid = await createContactPoint(db, territory.id, { name: 'Maison moyenne', commune: 'Rémalard' });
    const small = await createContactPoint(db, territory.id, { name: 'Petite mairie', commune: 'Moutiers' });
    const agent = await createUser(db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: big.id }] });
    const row = (cp: string, day: number) => ({
      territoryId: territory.id,
      contactPointId: cp,
      agentUserId: agent.id,
      occurredAt: new Date(Date.UTC(2026, 2, 1 + (day % 28), 9)),
      channel: 'sur_place' as const,
    });
    await db
      .insert(visits)
      .values([
        ...Array.from({ length: 40 }, (_, i) => row(big.id, i)),
        ...Array.from({ length: 15 }, (_, i) => row(mid.id, i)),
        ...Array.from({ length: 3 }, (_, i) => row(small.id, i)),
      ]);
    const anonymous = t.client();
    const res = await anonymous.get(`/api/public/statistics/${territory.slug}?year=2026`);
    expect(res.status).toBe(200);
    expect(res.body.threshold).toBe(PUBLIC_STATS_THRESHOLD);
    expect(res.body.visits).toBe(58);
    expect(res.body.months).toBe(10); // January to October: November is not over on 16 November
    const byName = Object.fromEntries(res.body.contactPoints.map((c: { name: string; count: number | null }) => [c.name, c.count]));
    // 3 is hidden; 15 too, or 58 − 40 − 15 would give the 3 away.
    expect(byName).toEqual({ 'Grande maison': 40, 'Maison moyenne': null, 'Petite mairie': null });
    for (const list of [res.body.byMonth, res.body.byGroup, res.body.byPartner, res.body.byChannel, res.body.contactPoints])
      for (const item of list as { count: number | null }[])
        expect(item.count === null || item.count === 0 || item.count >= PUBLIC_STATS_THRESHOLD).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/agent|personId|comment/i);
    expect((await anonymous.get('/api/public/statistics/pas-un-territoire')).status).toBe(404);
    expect((await anonymous.get(`/api/public/statistics/${territory.slug}?year=dix`)).status).toBe(400);
  });
});
