import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../test/factories.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { cumulativeBounds, generateHistory, type HistoryPlan, historyPlan, partnerWeights } from './history.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const rows = async <T>(query: ReturnType<typeof sql>) => (await t.ctx.db.execute(query)).rows as T[];

/** A territory with a France Services, a town hall and a bus, two agents, the five operators and two local partners. */
async function territory(slug: string) {
  const db = t.ctx.db;
  const territory = await createTerritory(db, { slug, timezone: 'Europe/Paris' });
  const fs = await createContactPoint(db, territory.id, { name: 'A — France Services', kind: 'france_services' });
  const mairie = await createContactPoint(db, territory.id, { name: 'B — Mairie', kind: 'mairie' });
  const bus = await createContactPoint(db, territory.id, { name: 'C — Bus', kind: 'bus' });
  const agent = await createUser(db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: fs.id }] });
  await createUser(db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: mairie.id }] });
  const orgs: Record<string, string> = {};
  for (const [code, theme] of [
    ['ANTS', 'papiers-citoyennete'],
    ['CAF', 'famille'],
    ['CPAM', 'social-sante'],
    ['DGFIP', 'argent-impots'],
    ['CNAV', 'retraite'],
    [null, 'logement'],
    [null, 'justice'],
  ] as const) {
    const o = await createOrganisation(db, territory.id, { nationalCode: code, acronym: code ?? `LOCAL-${theme}`, themes: [theme] });
    orgs[code ?? theme] = o.id;
  }
  return { territory, fs, mairie, bus, agent, orgs, plan: await historyPlan(db, territory.id) };
}

describe('history generator: weights', () => {
  it('draws the five operators at their national shares and spreads the rest over the others', () => {
    const w = partnerWeights([{ nationalCode: 'ANTS' }, { nationalCode: 'CAF' }, { nationalCode: null }, { nationalCode: 'MSA' }]);
    expect(w[0]).toBeCloseTo(0.19);
    expect(w[1]).toBeCloseTo(0.16);
    expect(w[2]).toBeCloseTo(0.1);
    expect(w[3]).toBeCloseTo(0.1);
    expect(cumulativeBounds([1, 1, 2])).toEqual([0, 0.25, 0.5]);
    expect(() => cumulativeBounds([0, 0])).toThrow();
  });
});

describe('history generator (set-based SQL through the real tables)', () => {
  let perche: Awaited<ReturnType<typeof territory>>;
  let result: { visits: number; requests: number };
  const volume = {
    from: '2025-01-01',
    to: '2026-07-01',
    visitsPerYear: 3000,
    requestsPerYear: 400,
    growth: 0.15,
    seed: 42,
  };

  beforeAll(async () => {
    perche = await territory('histoire-a');
    result = await generateHistory(t.ctx.db, perche.plan, volume);
  });

  it('writes the volume asked for, grown in the second year', async () => {
    const [byYear] = await rows<{ y2025: number; y2026: number }>(sql`
      SELECT count(*) FILTER (WHERE occurred_at < '2026-01-01T00:00:00+01:00')::int AS y2025,
             count(*) FILTER (WHERE occurred_at >= '2026-01-01T00:00:00+01:00')::int AS y2026
      FROM visits WHERE territory_id = ${perche.territory.id}`);
    expect(byYear!.y2025).toBe(3000);
    expect(result.visits).toBe(byYear!.y2025 + byYear!.y2026);
    // Half a year at +15 %, the first half being a little busier than the second (August, Christmas).
    expect(byYear!.y2026).toBeGreaterThan(3000 * 1.15 * 0.5);
    expect(byYear!.y2026).toBeLessThan(3000 * 1.15 * 0.62);
    // Requests stop 60 days before the end: 2025 whole, 2026 up to early May.
    expect(result.requests).toBeGreaterThan(400 + 400 * 1.15 * 0.25);
    expect(result.requests).toBeLessThan(400 + 400 * 1.15 * 0.4);
  });

  it('is deterministic: the same plan and seed give the same rows', async () => {
    const other = await territory('histoire-b');
    const plan: HistoryPlan = { ...other.plan };
    await generateHistory(t.ctx.db, plan, volume);
    const fingerprint = async (territoryId: string, contactPoints: string[], orgs: Record<string, string>) => {
      const [r] = await rows<{ f: string }>(sql`
        SELECT md5(string_agg(concat_ws('|', occurred_at, array_position(${contactPoints}::uuid[], contact_point_id), channel,
          (SELECT string_agg(k, ',') FROM jsonb_each_text(${JSON.stringify(orgs)}::jsonb) e(k, val) WHERE val::uuid = ANY(organisation_ids)),
          theme_codes, actions, autonomy, duration_minutes), ';' ORDER BY occurred_at, channel, duration_minutes, theme_codes, actions)) AS f
        FROM visits WHERE territory_id = ${territoryId}`);
      return r!.f;
    };
    const cps = (x: typeof perche) => `{${[x.fs.id, x.mairie.id, x.bus.id].join(',')}}`;
    expect(await fingerprint(other.territory.id, cps(other) as never, other.orgs)).toBe(
      await fingerprint(perche.territory.id, cps(perche) as never, perche.orgs),
    );
  });

  it('follows opening hours, weekdays and seasons in the territory’s time zone', async () => {
    const [r] = await rows<{
      sundays: number;
      outside: number;
      monday: number;
      thursday: number;
      august: number;
      october: number;
      christmas: number;
      saturdayAfternoon: number;
    }>(sql`
      WITH l AS (SELECT occurred_at AT TIME ZONE 'Europe/Paris' AS at FROM visits WHERE territory_id = ${perche.territory.id})
      SELECT count(*) FILTER (WHERE extract(isodow FROM at) = 7)::int AS sundays,
        count(*) FILTER (WHERE NOT (at::time >= '09:00' AND at::time < '12:00' OR at::time >= '14:00' AND at::time < '17:00'))::int AS outside,
        count(*) FILTER (WHERE extract(isodow FROM at) = 1)::int AS monday,
        count(*) FILTER (WHERE extract(isodow FROM at) = 4)::int AS thursday,
        count(*) FILTER (WHERE at >= '2025-08-01' AND at < '2025-09-01')::int AS august,
        count(*) FILTER (WHERE at >= '2025-10-01' AND at < '2025-11-01')::int AS october,
        count(*) FILTER (WHERE at >= '2025-12-25' AND at < '2026-01-01')::int AS christmas,
        count(*) FILTER (WHERE extract(isodow FROM at) = 6 AND at::time >= '12:00')::int AS "saturdayAfternoon"
      FROM l`);
    expect(r).toMatchObject({ sundays: 0, outside: 0, saturdayAfternoon: 0 });
    expect(r!.monday).toBeGreaterThan(r!.thursday);
    expect(r!.august).toBeLessThan(r!.october * 0.6);
    // The week between Christmas and New Year is about a third of an ordinary week.
    expect(r!.christmas).toBeLessThan(3000 / 52);
  });

  it('names partners at the national shares, a third of visits naming none, with coherent themes', async () => {
    const shares = await rows<{ org: string | null; n: number; coherent: number }>(sql`
      SELECT CASE WHEN o.id IS NULL THEN NULL ELSE coalesce(o.national_code, o.acronym) END AS org, count(*)::int AS n,
        count(*) FILTER (WHERE o.themes[1] = ANY(v.theme_codes))::int AS coherent
      FROM visits v LEFT JOIN partner_organisations o ON o.id = ANY(v.organisation_ids)
      WHERE v.territory_id = ${perche.territory.id}
      GROUP BY 1`);
    const total = shares.reduce((a, s) => a + s.n, 0);
    const share = (code: string | null) => shares.filter((s) => s.org === code).reduce((a, s) => a + s.n, 0) / total;
    const named = shares.filter((s) => s.org !== null).reduce((a, s) => a + s.n, 0);
    const coherent = shares.filter((s) => s.org !== null).reduce((a, s) => a + s.coherent, 0);
    expect(share(null)).toBeGreaterThan(0.32);
    expect(share(null)).toBeLessThan(0.38);
    // ANTS 19 % of the visits that name a partner, CNAV 14 %.
    expect(share('ANTS') / (1 - share(null))).toBeGreaterThan(0.16);
    expect(share('ANTS') / (1 - share(null))).toBeLessThan(0.22);
    expect(share('CNAV') / (1 - share(null))).toBeGreaterThan(0.11);
    expect(share('CNAV') / (1 - share(null))).toBeLessThan(0.17);
    expect(coherent / named).toBeGreaterThan(0.8);
  });

  it('keeps bus stops to the bus, durations within 5–60 minutes, agents of the place', async () => {
    const [r] = await rows<{ busElsewhere: number; busAtBus: number; badDuration: number; foreignAgent: number; mairieAgents: number }>(sql`
      SELECT count(*) FILTER (WHERE channel = 'arret_bus' AND contact_point_id <> ${perche.bus.id})::int AS "busElsewhere",
        count(*) FILTER (WHERE channel = 'arret_bus' AND contact_point_id = ${perche.bus.id})::int AS "busAtBus",
        count(*) FILTER (WHERE duration_minutes NOT BETWEEN 5 AND 60)::int AS "badDuration",
        count(*) FILTER (WHERE contact_point_id = ${perche.fs.id} AND agent_user_id <> ${perche.agent.id})::int AS "foreignAgent",
        count(DISTINCT agent_user_id) FILTER (WHERE contact_point_id = ${perche.mairie.id})::int AS "mairieAgents"
      FROM visits WHERE territory_id = ${perche.territory.id}`);
    expect(r).toMatchObject({ busElsewhere: 0, badDuration: 0, foreignAgent: 0, mairieAgents: 1 });
    expect(r!.busAtBus).toBeGreaterThan(0);
  });

  it('writes wiped request skeletons with unique references and plausible delays', async () => {
    const [r] = await rows<{
      n: number;
      refs: number;
      hashes: number;
      notWiped: number;
      badRef: number;
      median: number;
      late: number;
      future: number;
      inTimeWrong: number;
    }>(sql`
      SELECT count(*)::int AS n, count(DISTINCT reference)::int AS refs, count(DISTINCT status_code_hash)::int AS hashes,
        count(*) FILTER (WHERE status <> 'archivee' OR wiped_at IS NULL OR archived_at IS NULL OR subject <> 'Saisine archivée'
          OR description <> '' OR status_code_sealed IS NOT NULL OR identifiers_sealed IS NOT NULL OR person_id IS NOT NULL)::int AS "notWiped",
        count(*) FILTER (WHERE reference !~ '^RLS-20(25|26)-[0-9]{6,}$' OR status_code_hash !~ '^[A-Za-z0-9_-]{43}$')::int AS "badRef",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY first_answer_tenths)::float8 AS median,
        count(*) FILTER (WHERE first_answer_in_time = false)::int AS late,
        count(*) FILTER (WHERE wiped_at > '2026-07-01' OR closed_at < sent_at OR first_answered_at < sent_at OR due_at < sent_at)::int AS future,
        count(*) FILTER (WHERE first_answer_in_time IS DISTINCT FROM (first_answer_tenths <= first_answer_days * 10))::int AS "inTimeWrong"
      FROM requests WHERE territory_id = ${perche.territory.id}`);
    expect(r).toMatchObject({ notWiped: 0, badRef: 0, future: 0, inTimeWrong: 0 });
    expect(r!.refs).toBe(r!.n);
    expect(r!.hashes).toBe(r!.n);
    expect(r!.median).toBeGreaterThanOrEqual(17);
    expect(r!.median).toBeLessThanOrEqual(23);
    expect(r!.late / r!.n).toBeGreaterThan(0.02);
    expect(r!.late / r!.n).toBeLessThan(0.2);
  });

  it('fills the monthly aggregates through the triggers: they match a recount', async () => {
    const id = perche.territory.id;
    const [v] = await rows<{ diff: number }>(sql`
      WITH recount AS (
        SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Paris')::date AS month, contact_point_id, count(*)::int AS n,
          sum(coalesce(duration_minutes, 0))::bigint AS minutes
        FROM visits WHERE territory_id = ${id} GROUP BY 1, 2
      ), agg AS (
        SELECT month, contact_point_id, visits AS n, minutes FROM stats_visits_monthly
        WHERE territory_id = ${id} AND org_key = '' AND facet = 'total'
      )
      SELECT count(*)::int AS diff FROM recount FULL JOIN agg USING (month, contact_point_id)
      WHERE recount.n IS DISTINCT FROM agg.n OR recount.minutes IS DISTINCT FROM agg.minutes`);
    expect(v!.diff).toBe(0);
    const [r] = await rows<{ diff: number }>(sql`
      WITH recount AS (
        SELECT date_trunc('month', sent_at AT TIME ZONE 'Europe/Paris')::date AS month, organisation_id, count(*)::int AS sent,
          count(*) FILTER (WHERE first_answer_in_time)::int AS in_time
        FROM requests WHERE territory_id = ${id} GROUP BY 1, 2
      ), agg AS (
        SELECT month, organisation_id, sum(sent)::int AS sent, sum(in_time)::int AS in_time FROM stats_requests_monthly
        WHERE territory_id = ${id} GROUP BY 1, 2
      )
      SELECT count(*)::int AS diff FROM recount FULL JOIN agg USING (month, organisation_id)
      WHERE recount.sent IS DISTINCT FROM agg.sent OR recount.in_time IS DISTINCT FROM agg.in_time`);
    expect(r!.diff).toBe(0);
  });
});
