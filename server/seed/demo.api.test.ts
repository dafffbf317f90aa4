import { createRequire } from 'node:module';
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_OPERATOR_CODES } from '../../contracts/partner-catalogue.ts';
import { ThemeCodes } from '../../contracts/themes.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import { kbSheets } from '../modules/knowledge/knowledge.schema.ts';
import {
  busStops,
  contactPointPartners,
  contactPoints,
  partnerOrganisations,
  partnerReferents,
  territories,
} from '../modules/network/network.schema.ts';
import { surveyResponses } from '../modules/observatory/observatory.schema.ts';
import { requestAttachments, requestEvents, requests } from '../modules/requests/requests.schema.ts';
import { OPEN_STATUSES } from '../modules/requests/status.ts';
import { validateOpeningHours, weeklyOpenHours } from '../platform/calendar/opening-hours.ts';
import { toWallClock } from '../platform/calendar/zoned-time.ts';
import { fixedClock } from '../platform/clock.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { DEMO_ACCOUNTS, DEMO_HISTORY, DEMO_LOT_SLUG, DEMO_PASSWORD, DEMO_SLUG, seedDemo } from './demo.ts';
import { demoSheetFiles } from './knowledge.ts';

const require = createRequire(import.meta.url);
const communes: {
  code: string;
  nom: string;
  type: string;
  codesPostaux?: string[];
  departement?: string;
}[] = require('@etalab/decoupage-administratif/data/communes.json');
const current = new Map(communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]));

// Friday 20 March 2026, 11:00 in Paris: the schedule crosses the change to summer time (29 March).
const NOW = new Date('2026-03-20T10:00:00Z');

let t: TestApp;
beforeAll(async () => {
  // The app's clock stays at the seed date: the demo requests' deadlines are read as of then.
  t = await createTestApp({ clock: fixedClock(NOW) });
});
afterAll(() => t?.close());

async function territory(slug: string) {
  const [row] = await t.ctx.db.select().from(territories).where(eq(territories.slug, slug));
  return row!;
}

async function counts(territoryId: string) {
  const n = async (table: typeof contactPoints | typeof partnerOrganisations | typeof partnerReferents | typeof busStops) =>
    (await t.ctx.db.select({ n: count() }).from(table).where(eq(table.territoryId, territoryId)))[0]!.n;
  return {
    contactPoints: await n(contactPoints),
    partners: await n(partnerOrganisations),
    referents: await n(partnerReferents),
    busStops: await n(busStops),
    agents: (
      await t.ctx.db
        .select({ n: count() })
        .from(memberships)
        .where(and(eq(memberships.territoryId, territoryId), eq(memberships.role, 'agent')))
    )[0]!.n,
  };
}

describe('the demo seed', () => {
  it('builds the Perche as the seeds describe it: 9 contact points (8 places and the bus), 16 partners, 19 agents', async () => {
    expect((await seedDemo(t.ctx, { now: NOW })).created).toBe(true);
    const perche = await territory(DEMO_SLUG);
    expect(perche).toMatchObject({ name: 'Perche (Orne)', departmentCode: '61', regionCode: '28', timezone: 'Europe/Paris' });
    const c = await counts(perche.id);
    expect(c).toMatchObject({ contactPoints: 9, partners: 16, agents: 19 });
    const cps = await t.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, perche.id));
    expect(cps.map((cp) => cp.name)).toEqual(
      expect.arrayContaining(['Mairie de Bretoncelles', 'Mairie de Berd’huis', 'Bus numérique 61', 'Agence MSA de Mortagne-au-Perche']),
    );
    expect(cps.filter((cp) => cp.kind === 'mairie')).toHaveLength(4);
    expect(cps.filter((cp) => cp.matricule !== null).map((cp) => Number(cp.matricule))).toEqual([9001, 9002, 9003]);

    // Every partner comes from the national catalogue, with 1 to 3 referents.
    const orgs = await t.ctx.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.territoryId, perche.id));
    const referents = await t.ctx.db.select().from(partnerReferents).where(eq(partnerReferents.territoryId, perche.id));
    for (const org of orgs) {
      expect(org.nationalCode).not.toBeNull();
      expect(org.procedures.length).toBeGreaterThan(0);
      const mine = referents.filter((r) => r.organisationId === org.id);
      expect(mine.length, org.name).toBeGreaterThanOrEqual(1);
      expect(mine.length, org.name).toBeLessThanOrEqual(3);
    }
    for (const theme of [...orgs, ...referents, ...cps].flatMap((row) => row.themes)) expect(ThemeCodes).toContain(theme);
    const [caf] = orgs.filter((o) => o.acronym === 'CAF');
    const [romain] = await t.ctx.db.select().from(users).where(eq(users.email, 'referent.caf@relais.demo'));
    expect(referents.find((r) => r.userId === romain!.id)).toMatchObject({ organisationId: caf!.id, fullName: 'Romain Référent' });
  });

  it('keeps every demo account, with the demo password, and agents at their place', async () => {
    const accounts = await t.ctx.db
      .select()
      .from(users)
      .where(
        inArray(
          users.email,
          DEMO_ACCOUNTS.map((a) => a.email),
        ),
      );
    expect(accounts.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    for (const email of [
      'admin@relais.demo',
      'agent.bretoncelles@relais.demo',
      'agent.mortagne@relais.demo',
      'coordination.lot@relais.demo',
    ]) {
      const client = await t.signIn({ email, password: DEMO_PASSWORD });
      expect((await client.get('/api/auth/me')).status, email).toBe(200);
    }
    const [aurelie] = await t.ctx.db
      .select({ place: contactPoints.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(contactPoints, eq(contactPoints.id, memberships.contactPointId))
      .where(eq(users.email, 'agent.bretoncelles@relais.demo'));
    expect(aurelie).toEqual({ place: 'Mairie de Bretoncelles' });
  });

  it('gives valid opening hours everywhere but the buses, 24 h a week at least in every France Services', async () => {
    const cps = await t.ctx.db.select().from(contactPoints);
    expect(cps.length).toBeGreaterThan(9);
    for (const cp of cps) {
      if (cp.kind === 'bus') {
        expect(cp.openingHours).toBeNull();
        continue;
      }
      const result = validateOpeningHours(cp.openingHours!);
      expect(result, cp.name).toMatchObject({ ok: true, warnings: [] });
      if (cp.matricule) expect(weeklyOpenHours(cp.openingHours!, { from: '2026-03-02' }).open, cp.name).toBeGreaterThanOrEqual(24);
    }
    // Town halls: some afternoons by appointment only.
    const bretoncelles = cps.find((cp) => cp.name === 'Mairie de Bretoncelles')!;
    expect(weeklyOpenHours(bretoncelles.openingHours!, { from: '2026-03-02' }).appointment).toBeGreaterThan(0);
  });

  it('has three France Services (one run by La Poste), two covering the nine national operators and one missing Justice, for the label check to show', async () => {
    const perche = await territory(DEMO_SLUG);
    const rows = await t.ctx.db
      .select({ place: contactPoints.name, code: partnerOrganisations.nationalCode })
      .from(contactPointPartners)
      .innerJoin(contactPoints, eq(contactPoints.id, contactPointPartners.contactPointId))
      .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, contactPointPartners.organisationId))
      .where(eq(contactPointPartners.territoryId, perche.id));
    const missing = (place: string) => REQUIRED_OPERATOR_CODES.filter((code) => !rows.some((r) => r.place === place && r.code === code));
    expect(missing('France Services de Mortagne-au-Perche')).toEqual([]);
    expect(missing('France Services postale de Rémalard-en-Perche')).toEqual([]);
    expect(missing('France Services intercommunale de Val-au-Perche')).toEqual(['JUSTICE']);
    // The postal one is a France Services run by La Poste: the label check covers it too.
    const coordination = await t.signIn({ email: 'coordination@relais.demo', password: DEMO_PASSWORD });
    const checks = await coordination.get(`/api/territories/${perche.id}/label-checks`);
    expect(checks.status).toBe(200);
    const postale = checks.body.find((r: { name: string }) => r.name === 'France Services postale de Rémalard-en-Perche');
    expect(postale).toMatchObject({ matricule: '9001', labelCheck: { ok: true, missing: [] } });
    const [place] = await t.ctx.db
      .select({ kind: contactPoints.kind, labelDate: contactPoints.labelDate, managingBody: contactPoints.managingBody })
      .from(contactPoints)
      .where(eq(contactPoints.id, postale.contactPointId));
    expect(place).toEqual({ kind: 'france_services', labelDate: '2020-01-01', managingBody: 'La Poste' });
    expect(checks.body.map((r: { name: string }) => r.name).sort()).toEqual([
      'France Services de Mortagne-au-Perche',
      'France Services intercommunale de Val-au-Perche',
      'France Services postale de Rémalard-en-Perche',
    ]);
  });

  it('uses the real communes: INSEE codes, postcodes and names of the département, coordinates inside it', async () => {
    const places = await t.ctx.db.select().from(contactPoints);
    const stops = await t.ctx.db.select().from(busStops);
    const departments = new Map((await t.ctx.db.select().from(territories)).map((te) => [te.id, te.departmentCode]));
    // Bounding boxes of the Orne and the Lot.
    const boxes: Record<string, [number, number, number, number]> = { '61': [48.17, 48.98, -0.87, 0.98], '46': [44.2, 45.05, 0.98, 2.22] };
    for (const p of [...places, ...stops.map((s) => ({ ...s, postcode: null }))]) {
      const commune = current.get(p.inseeCode!);
      expect(commune, `${p.commune} ${p.inseeCode}`).toBeDefined();
      expect(commune!.nom.replace(/'/g, '’')).toBe(p.commune);
      expect(commune!.departement).toBe(departments.get(p.territoryId));
      if (p.postcode) expect(commune!.codesPostaux, p.commune).toContain(p.postcode);
      const [south, north, west, east] = boxes[commune!.departement!]!;
      expect(p.latitude!, p.commune).toBeGreaterThan(south);
      expect(p.latitude!, p.commune).toBeLessThan(north);
      expect(p.longitude!, p.commune).toBeGreaterThan(west);
      expect(p.longitude!, p.commune).toBeLessThan(east);
    }
  });

  it('schedules the buses over the next 8 weeks, at local times across the change to summer time, one stop cancelled', async () => {
    const perche = await territory(DEMO_SLUG);
    const stops = await t.ctx.db.select().from(busStops).where(eq(busStops.territoryId, perche.id)).orderBy(busStops.startsAt);
    expect(stops.length).toBeGreaterThan(30);
    // The 56 days after the seed day.
    const eightWeeks = NOW.getTime() + (8 * 7 + 1) * 86_400_000;
    for (const s of stops) {
      expect(s.startsAt.getTime()).toBeGreaterThan(NOW.getTime());
      expect(s.startsAt.getTime()).toBeLessThan(eightWeeks);
      const start = toWallClock(s.startsAt, 'Europe/Paris');
      expect([`${start.hour}:${start.minute}`]).toEqual([expect.stringMatching(/^(9:30|14:0)$/)]);
    }
    // Tuesday 24 March, 09:30 winter time (UTC+1); Tuesday 31 March, 09:30 summer time (UTC+2).
    expect(stops.map((s) => s.startsAt.toISOString())).toEqual(
      expect.arrayContaining(['2026-03-24T08:30:00.000Z', '2026-03-31T07:30:00.000Z']),
    );
    // Easter Monday (6 April) is a public holiday: the Lot bus does not run.
    const lot = await territory(DEMO_LOT_SLUG);
    const lotStops = await t.ctx.db.select().from(busStops).where(eq(busStops.territoryId, lot.id));
    expect(lotStops.length).toBeGreaterThan(50);
    expect(lotStops.some((s) => s.startsAt.toISOString().startsWith('2026-04-06'))).toBe(false);
    expect(lotStops.some((s) => s.startsAt.toISOString().startsWith('2026-04-13'))).toBe(true);
    expect(stops.filter((s) => s.cancelledAt)).toHaveLength(1);
  });

  it('adds the Lot — Grand Cahors with its France Services, bus, partners and coordinator', async () => {
    const lot = await territory(DEMO_LOT_SLUG);
    expect(lot).toMatchObject({ name: 'Lot — Grand Cahors', departmentCode: '46', regionCode: '76' });
    const c = await counts(lot.id);
    expect(c.contactPoints).toBe(2);
    expect(c.partners).toBeGreaterThanOrEqual(4);
    const [coordinator] = await t.ctx.db
      .select({ territoryId: memberships.territoryId, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(users.email, 'coordination.lot@relais.demo'));
    expect(coordinator).toEqual({ territoryId: lot.id, role: 'coordinator' });
  });

  it('has requests in every open status, through the services: the CAF and CPAM referents find them in their inbox', async () => {
    const perche = await territory(DEMO_SLUG);
    // The live ones: the history's archived skeletons (wiped) are counted in the next test.
    const rows = await t.ctx.db
      .select()
      .from(requests)
      .where(and(eq(requests.territoryId, perche.id), isNull(requests.wipedAt)));
    expect(rows.length).toBeGreaterThanOrEqual(18);
    const statuses = new Set(rows.map((r) => r.status));
    for (const status of [...OPEN_STATUSES, 'cloturee']) expect([...statuses], status).toContain(status);
    // Every request has its log, starting with its creation; the re-routed one went from the CAF to the CPAM.
    const events = await t.ctx.db.select().from(requestEvents).where(eq(requestEvents.territoryId, perche.id));
    for (const r of rows) expect(events.find((e) => e.requestId === r.id)?.kind, r.reference).toBe('created');
    expect(events.filter((e) => e.kind === 'rerouted')).toHaveLength(1);
    expect(rows.filter((r) => r.mandateId).length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.usefulness).length).toBeGreaterThanOrEqual(3);
    // One overdue, one past 75 % of its allowance, as the inbox shows them.
    const referent = await t.signIn({ email: 'referent.caf@relais.demo', password: DEMO_PASSWORD });
    const caf = rows.find((r) => r.reference && r.subject.startsWith('Prime d’activité suspendue'))!;
    const inbox = await referent.get(`/api/territories/${perche.id}/organisations/${caf.organisationId}/inbox?filtre=toutes`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.length).toBeGreaterThanOrEqual(5);
    const levels = inbox.body.items.map((i: { deadline: { level: string } }) => i.deadline.level);
    expect(levels).toContain('depassee');
    expect(levels).toContain('bientot');
    // Two PDFs, stored and readable by the partner.
    const files = await t.ctx.db.select().from(requestAttachments).where(eq(requestAttachments.territoryId, perche.id));
    expect(files.map((f) => f.contentType)).toEqual(['application/pdf', 'application/pdf']);
    const cnav = rows.find((r) => r.id === files.find((f) => f.fileName.includes('apprentissage'))!.requestId)!;
    const pascal = await t.signIn({ email: 'pascal.giraud@carsat.relais.demo', password: DEMO_PASSWORD });
    const details = await pascal.get(`/api/territories/${perche.id}/requests/${cnav.id}`);
    expect(details.status).toBe(200);
    const franck = await t.signIn({ email: 'franck.morel@cpam61.relais.demo', password: DEMO_PASSWORD });
    const cpamInbox = await franck.get(
      `/api/territories/${perche.id}/organisations/${rows.find((r) => r.subject.includes('Carte Vitale'))!.organisationId}/inbox?filtre=toutes`,
    );
    expect(cpamInbox.status).toBe(200);
    expect(cpamInbox.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('has two years of past activity: visits and archived request skeletons, counted by the observatory’s aggregates', async () => {
    const perche = await territory(DEMO_SLUG);
    const lot = await territory(DEMO_LOT_SLUG);
    const rows = async <T>(query: ReturnType<typeof sql>) => (await t.ctx.db.execute(query)).rows as T[];
    const years = async (territoryId: string) =>
      (
        await rows<{ y2025: number; y2026: number; after: number; requests: number }>(sql`
          SELECT count(*) FILTER (WHERE occurred_at < '2025-12-31T23:00:00Z')::int AS y2025,
            count(*) FILTER (WHERE occurred_at >= '2025-12-31T23:00:00Z')::int AS y2026,
            count(*) FILTER (WHERE occurred_at >= ${NOW.toISOString()})::int AS after,
            (SELECT count(*)::int FROM requests WHERE territory_id = ${territoryId} AND wiped_at IS NOT NULL) AS requests
          FROM visits WHERE territory_id = ${territoryId}`)
      )[0]!;
    const p = await years(perche.id);
    expect(p.y2025).toBe(DEMO_HISTORY.perche.visitsPerYear);
    // Up to 20 March 2026: about 2.5 months at +15 %.
    expect(p.y2026).toBeGreaterThan(5000 * 1.15 * 0.18);
    expect(p.y2026).toBeLessThan(5000 * 1.15 * 0.28);
    expect(p.after).toBe(0);
    // ~600 skeletons in 2025, up to 60 days before the seed in 2026.
    expect(p.requests).toBeGreaterThan(600);
    expect(p.requests).toBeLessThan(800);
    const l = await years(lot.id);
    expect(l.y2025).toBe(DEMO_HISTORY.lot.visitsPerYear);
    expect(l.requests).toBeGreaterThan(200);
    // Visits name the Perche's own contact points, agents and partners.
    const [foreign] = await rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM visits v WHERE v.territory_id = ${perche.id} AND (
        NOT EXISTS (SELECT 1 FROM contact_points c WHERE c.id = v.contact_point_id AND c.territory_id = v.territory_id)
        OR EXISTS (SELECT 1 FROM unnest(v.organisation_ids) o WHERE NOT EXISTS (SELECT 1 FROM partner_organisations po WHERE po.id = o AND po.territory_id = v.territory_id)))`);
    expect(foreign!.n).toBe(0);
    // The aggregates the triggers kept match a recount, month by contact point by facet value.
    const [diff] = await rows<{ visits: number; themes: number; territoryThemes: number; requests: number; delays: number }>(sql`
      WITH v AS (
        SELECT v.*, date_trunc('month', v.occurred_at AT TIME ZONE 'Europe/Paris')::date AS month FROM visits v WHERE v.territory_id = ${perche.id}
      ), totals AS (
        SELECT month, contact_point_id, count(*)::int AS n, sum(coalesce(duration_minutes, 0))::bigint AS minutes, count(duration_minutes)::int AS timed
        FROM v GROUP BY 1, 2
      ), themes AS (
        SELECT month, contact_point_id, th AS value, count(*)::int AS n FROM v CROSS JOIN LATERAL unnest(v.theme_codes) th GROUP BY 1, 2, 3
      ), r AS (
        SELECT date_trunc('month', sent_at AT TIME ZONE 'Europe/Paris')::date AS month, contact_point_id, organisation_id,
          coalesce(theme_code, '') AS theme_code, count(*)::int AS sent, count(first_answered_at)::int AS answered,
          count(*) FILTER (WHERE first_answer_in_time)::int AS in_time, count(*) FILTER (WHERE usefulness = 'utile')::int AS useful
        FROM requests WHERE territory_id = ${perche.id} AND sent_at IS NOT NULL GROUP BY 1, 2, 3, 4
      ), d AS (
        SELECT date_trunc('month', sent_at AT TIME ZONE 'Europe/Paris')::date AS month, organisation_id, first_answer_tenths AS tenths, count(*)::int AS n
        FROM requests WHERE territory_id = ${perche.id} AND first_answer_tenths IS NOT NULL GROUP BY 1, 2, 3
      )
      SELECT
        (SELECT count(*)::int FROM totals FULL JOIN (SELECT month, contact_point_id, visits AS n, minutes, timed FROM stats_visits_monthly
           WHERE territory_id = ${perche.id} AND org_key = '' AND facet = 'total') a USING (month, contact_point_id)
         WHERE totals.n IS DISTINCT FROM a.n OR totals.minutes IS DISTINCT FROM a.minutes OR totals.timed IS DISTINCT FROM a.timed) AS visits,
        (SELECT count(*)::int FROM themes FULL JOIN (SELECT month, contact_point_id, value, visits AS n FROM stats_visits_monthly
           WHERE territory_id = ${perche.id} AND org_key = '' AND facet = 'theme') a USING (month, contact_point_id, value)
         WHERE themes.n IS DISTINCT FROM a.n) AS themes,
        (SELECT count(*)::int FROM (SELECT month, value, sum(n)::int AS n FROM themes GROUP BY 1, 2) th
           FULL JOIN (SELECT month, value, visits AS n FROM stats_visits_territory
             WHERE territory_id = ${perche.id} AND org_key = '' AND facet = 'theme') a USING (month, value)
         WHERE th.n IS DISTINCT FROM a.n) AS "territoryThemes",
        (SELECT count(*)::int FROM r FULL JOIN (SELECT month, contact_point_id, organisation_id, theme_code, sent, answered, in_time, useful
           FROM stats_requests_monthly WHERE territory_id = ${perche.id}) a USING (month, contact_point_id, organisation_id, theme_code)
         -- A re-routed live request leaves a row of zeros behind its first partner: absent and zero are the same figure.
         WHERE coalesce(r.sent, 0) <> coalesce(a.sent, 0) OR coalesce(r.answered, 0) <> coalesce(a.answered, 0)
           OR coalesce(r.in_time, 0) <> coalesce(a.in_time, 0) OR coalesce(r.useful, 0) <> coalesce(a.useful, 0)) AS requests,
        (SELECT count(*)::int FROM d FULL JOIN (SELECT month, organisation_id, tenths, sum(requests)::int AS n FROM stats_request_delays
           WHERE territory_id = ${perche.id} GROUP BY 1, 2, 3) a USING (month, organisation_id, tenths)
         WHERE d.n IS DISTINCT FROM a.n) AS delays`);
    expect(diff).toEqual({ visits: 0, themes: 0, territoryThemes: 0, requests: 0, delays: 0 });
    const [filled] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM stats_visits_monthly WHERE territory_id = ${perche.id}`);
    expect(filled!.n).toBeGreaterThan(100);
  });

  it('has the answer sheets: all 60 in the Perche, the Lot’s partners’ in the Lot, one proposal for the CAF referent', async () => {
    const perche = await territory(DEMO_SLUG);
    const lot = await territory(DEMO_LOT_SLUG);
    const sheets = await t.ctx.db.select().from(kbSheets).where(eq(kbSheets.territoryId, perche.id));
    expect(sheets.length).toBe(demoSheetFiles().length);
    expect(sheets.length).toBeGreaterThanOrEqual(40);
    expect(sheets.every((s) => s.status === 'publiee' && s.verifiedAt)).toBe(true);
    const inLot = await t.ctx.db.select().from(kbSheets).where(eq(kbSheets.territoryId, lot.id));
    expect(inLot.length).toBeGreaterThan(5);
    expect(inLot.length).toBeLessThan(sheets.length);
    const referent = await t.signIn({ email: 'referent.caf@relais.demo', password: DEMO_PASSWORD });
    const proposals = await referent.get(`/api/territories/${perche.id}/knowledge/proposals`);
    expect(proposals.body).toHaveLength(1);
    expect(proposals.body[0]).toMatchObject({ sheetTitle: 'Demander la prime d’activité', can: { review: true } });
    const found = await referent.get(`/api/territories/${perche.id}/knowledge/sheets?q=${encodeURIComponent('alocation logement')}`);
    expect(found.body.items[0].slug).toBe('caf-aide-logement');
  });

  it('has a year of anonymous survey answers in the Perche, the bus at about 96 % satisfied', async () => {
    const perche = await territory(DEMO_SLUG);
    const coordinator = await t.signIn({ email: 'coordination@relais.demo', password: DEMO_PASSWORD });
    const res = await coordinator.get(`/api/territories/${perche.id}/observatory/satisfaction?from=2025-03&to=2026-03`);
    expect(res.status).toBe(200);
    expect(res.body.answers).toBeGreaterThanOrEqual(300);
    expect(res.body.answers).toBeLessThanOrEqual(400);
    const bus = res.body.byContactPoint.find((b: { label: string }) => b.label === 'Bus numérique 61');
    expect(bus.count).toBeGreaterThanOrEqual(80);
    expect(bus.satisfiedShare).toBeGreaterThanOrEqual(0.9);
    expect(res.body.satisfiedShare).toBeGreaterThan(0.8);
    expect(res.body.byChannel.map((b: { code: string }) => b.code)).toEqual(
      expect.arrayContaining(['arret_bus', 'sur_place', 'telephone']),
    );
    expect(res.body.comments.length).toBeGreaterThan(0);
    const lot = await territory(DEMO_LOT_SLUG);
    expect(await t.ctx.db.$count(surveyResponses, eq(surveyResponses.territoryId, lot.id))).toBe(0);
  });

  it('does nothing the second time', async () => {
    const perche = await territory(DEMO_SLUG);
    const lot = await territory(DEMO_LOT_SLUG);
    const before = [await counts(perche.id), await counts(lot.id)];
    const userCount = (await t.ctx.db.select({ n: count() }).from(users))[0]!.n;
    const requestCount = (await t.ctx.db.select({ n: count() }).from(requests))[0]!.n;
    const sheetCount = await t.ctx.db.$count(kbSheets);
    const answerCount = await t.ctx.db.$count(surveyResponses);
    expect(await seedDemo(t.ctx, { now: new Date('2026-05-01T08:00:00Z') })).toEqual({ created: false, accounts: DEMO_ACCOUNTS });
    expect([await counts(perche.id), await counts(lot.id)]).toEqual(before);
    expect((await t.ctx.db.select({ n: count() }).from(users))[0]!.n).toBe(userCount);
    expect((await t.ctx.db.select({ n: count() }).from(requests))[0]!.n).toBe(requestCount);
    expect(await t.ctx.db.$count(kbSheets)).toBe(sheetCount);
    expect(await t.ctx.db.$count(surveyResponses)).toBe(answerCount);
  });
});
