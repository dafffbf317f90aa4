import { inArray } from 'drizzle-orm';
import type { Executor } from '../server/db/client.ts';
import { deadlineState } from '../server/modules/requests/deadline.ts';
import { calendarOf, clockEventsOfMany } from '../server/modules/requests/log.ts';
import { sweepDeadlines } from '../server/modules/requests/requests.jobs.ts';
import { partnerRequestSettings, requests } from '../server/modules/requests/requests.schema.ts';
import { OPEN_STATUSES } from '../server/modules/requests/status.ts';
import { validateOpeningHours } from '../server/platform/calendar/opening-hours.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../server/test/factories.ts';
import { type BenchApp, forEachDatabase, signIn } from './lib/app.ts';
import { measureHttp } from './lib/http-load.ts';
import type { BenchOptions } from './lib/options.ts';
import { measureLoops } from './lib/raw-load.ts';
import { describeRun, markdownTable, rowPrinter, textTable } from './lib/report.ts';
import { loadRequests, REFERENTS_PER_ORGANISATION, type RequestsLoadTimes, type RequestsWorld } from './lib/requests-load.ts';
import { type ComparisonRow, settle, traceAlone } from './lib/scenario.ts';
import { checkReplay, describeTrace, replayOf, type SqlTrace, traceSql } from './lib/sql-trace.ts';
import { formatMs, formatNumber, type Measurement } from './lib/stats.ts';

export const id = 'requests';
export const title = 'Saisines : boîte de réception des partenaires parmi 1 000 000 de saisines, et balayage des délais';

const CONTACT_POINTS = 30;
const OPEN = 5000;
const SWEEP_BATCH = 500;
const SWEEP_RUNS = 5;
/** At 50 clients on PGlite a page can wait its turn behind 49 slow ones: let the app drain for up to 15 minutes. */
const SETTLE_MS = 900_000;
const FILTERS = ['toutes', 'nouvelles'] as const;
/** Three organisations answer within business hours: their deadlines count open minutes, not whole days. */
const BUSINESS_HOURS = 'Mo-Fr 08:30-12:00,13:30-16:30';
const ORGANISATIONS = [
  { acronym: 'CAF', name: 'Caisse d’allocations familiales du Nord' },
  { acronym: 'CPAM', name: 'Caisse primaire d’assurance maladie de Lille-Douai', hours: true },
  { acronym: 'FT', name: 'France Travail Hauts-de-France' },
  { acronym: 'CARSAT', name: 'Carsat Nord-Picardie', hours: true },
  { acronym: 'DGFIP', name: 'Service des impôts des particuliers de Lille', hours: true },
  { acronym: 'MSA', name: 'MSA Nord-Pas de Calais' },
  { acronym: 'ANTS', name: 'Préfecture du Nord (titres)' },
  { acronym: 'ML', name: 'Mission locale de la métropole lilloise' },
  { acronym: 'CCAS', name: 'CCAS de Roubaix' },
  { acronym: 'ADIL', name: 'ADIL du Nord' },
  { acronym: 'UDAF', name: 'UDAF du Nord' },
  { acronym: 'LMH', name: 'Lille Métropole Habitat' },
];

function positiveCount(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[name] || fallback);
  if (!Number.isInteger(value) || value < 1000)
    throw new Error(`${name} : entier ≥ 1000 attendu / expected an integer ≥ 1000: ${env[name]}`);
  return value;
}

/** Historical requests per database: BENCH_REQUESTS (1,000,000), BENCH_REQUESTS_PGLITE for PGlite alone (default the same). */
function historyCounts() {
  const history = positiveCount('BENCH_REQUESTS', 1_000_000);
  return { postgres: history, pglite: positiveCount('BENCH_REQUESTS_PGLITE', history) };
}

/** One département, 30 contact points with one agent each, 12 partners with 5 referents each. */
export async function seed(bench: BenchApp): Promise<RequestsWorld & { referents: { email: string; password: string }[] }> {
  const db = bench.relais.ctx.db;
  const territory = await createTerritory(db, { slug: 'nord-bench', name: 'Nord (banc d’essai)', departmentCode: '59', regionCode: '32' });
  const contactPointIds: string[] = [];
  const agentIds: string[] = [];
  for (let i = 1; i <= CONTACT_POINTS; i++) {
    const cp = await createContactPoint(db, territory.id, { name: `France Services ${String(i).padStart(2, '0')}` });
    const agent = await createUser(db, {
      email: `agent-${i}@bench.relais.localhost`,
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }],
    });
    contactPointIds.push(cp.id);
    agentIds.push(agent.id);
  }
  const hours = validateOpeningHours(BUSINESS_HOURS);
  if (!hours.ok) throw new Error(hours.message);
  const organisationIds: string[] = [];
  const referentIds: string[] = [];
  const referents: { email: string; password: string }[] = [];
  const calendars: Record<string, unknown> = {};
  for (const [o, spec] of ORGANISATIONS.entries()) {
    const org = await createOrganisation(db, territory.id, { name: spec.name, acronym: spec.acronym });
    organisationIds.push(org.id);
    if (spec.hours)
      await db
        .insert(partnerRequestSettings)
        .values({ organisationId: org.id, territoryId: territory.id, businessHours: hours.normalized });
    calendars[org.id] = (await calendarOf(db, org.id)).calendar;
    for (let k = 1; k <= REFERENTS_PER_ORGANISATION; k++) {
      const user = await createUser(db, {
        email: `referent-${o + 1}-${k}@bench.relais.localhost`,
        displayName: `Référent ${k} ${spec.acronym}`,
        memberships: [{ territoryId: territory.id, role: 'referent', organisationId: org.id }],
      });
      referentIds.push(user.id);
      referents.push(user);
    }
  }
  return { territoryId: territory.id, contactPointIds, agentIds, organisationIds, referentIds, calendars, referents };
}

/**
 * The deadline sweep's core: every open request, its clock events read by batches of 500
 * (`clockEventsOfMany`, one query each) and its deadline state computed (`deadlineState`).
 */
async function openDeadlines(db: Executor, now: Date) {
  const open = await db
    .select({ id: requests.id })
    .from(requests)
    .where(inArray(requests.status, [...OPEN_STATUSES]));
  const states = new Map<string, ReturnType<typeof deadlineState>>();
  for (let i = 0; i < open.length; i += SWEEP_BATCH) {
    const ids = open.slice(i, i + SWEEP_BATCH).map((r) => r.id);
    const clocks = await clockEventsOfMany(db, ids);
    for (const id of ids) states.set(id, deadlineState(clocks.get(id) ?? [], now));
  }
  return states;
}

/** `due_at` of the open requests, as the app derives it from their log. */
export async function setDueDates(bench: BenchApp) {
  const states = await openDeadlines(bench.relais.ctx.db, new Date());
  const rows = [...states].map(([id, s]) => ({ id, due: s.dueAt?.toISOString() ?? null }));
  await bench.relais.ctx.database.pool.query(
    `UPDATE requests SET due_at = x.due FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, due timestamptz) WHERE requests.id = x.id`,
    [JSON.stringify(rows)],
  );
  await bench.relais.ctx.database.pool.query('ANALYZE requests');
  return rows.filter((r) => r.due).length;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface SweepResult {
  database: string;
  name: string;
  examined: number;
  statements: number;
  /** The first pass, with what it did (reminders written) when it differs from the next ones. */
  first: number;
  firstNote?: string;
  app: number;
  raw: number;
  /** deadlineState alone over clock events already in memory. */
  compute?: number;
}

const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

/** Traces one pass, checks its replay, then times SWEEP_RUNS passes of each side, alternating; medians. */
async function appVersusReplay(bench: BenchApp, pass: () => Promise<unknown>) {
  const pool = bench.relais.ctx.database.pool;
  for (let attempt = 1; ; attempt++) {
    await settle(bench, SETTLE_MS);
    const { trace } = await traceSql(pool, pass);
    const replay = replayOf(pool, trace);
    try {
      await checkReplay(trace, replay);
    } catch (error) {
      // A request may cross a threshold between the two passes: trace again.
      if (attempt === 3) throw error;
      continue;
    }
    const app: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run < SWEEP_RUNS; run++) {
      app.push(await time(pass));
      raw.push(await time(() => replay(run)));
    }
    return { statements: trace.statements.length, app: median(app), raw: median(raw) };
  }
}

/**
 * The reminder job itself (`sweepDeadlines`, requests.jobs.ts): its first pass writes the
 * reminders due on this freshly loaded history, the next ones (every 5 minutes in production) only
 * read; those are timed against their SELECTs replayed alone. Then the deadline state of every
 * open request, the sweep's core (`clockEventsOfMany` by 500 + `deadlineState`), the same way.
 */
async function measureSweeps(bench: BenchApp): Promise<SweepResult[]> {
  const { ctx } = bench.relais;
  await settle(bench, SETTLE_MS);
  let counts = { examined: 0, half: 0, three_quarters: 0, breach: 0 };
  const first = await time(async () => {
    counts = await sweepDeadlines(ctx);
  });
  const job = await appVersusReplay(bench, () => sweepDeadlines(ctx));
  const { rows } = await ctx.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications`);
  const results: SweepResult[] = [
    {
      database: bench.label,
      name: 'tâche de relance (`sweepDeadlines`)',
      examined: counts.examined,
      first,
      firstNote: `${formatNumber(counts.half)} rappels à 50 %, ${formatNumber(counts.three_quarters)} à 75 %, ${formatNumber(counts.breach)} dépassements écrits (${formatNumber(rows[0]!.n)} notifications)`,
      ...job,
    },
  ];

  let states = new Map<string, ReturnType<typeof deadlineState>>();
  const coreFirst = await time(async () => {
    states = await openDeadlines(ctx.db, new Date());
  });
  const core = await appVersusReplay(bench, () => openDeadlines(ctx.db, new Date()));
  const ids = [...states.keys()];
  const clocks: Awaited<ReturnType<typeof clockEventsOfMany>>[] = [];
  for (let i = 0; i < ids.length; i += SWEEP_BATCH) clocks.push(await clockEventsOfMany(ctx.db, ids.slice(i, i + SWEEP_BATCH)));
  const compute: number[] = [];
  for (let run = 0; run < SWEEP_RUNS; run++) {
    const now = new Date();
    compute.push(
      await time(async () => {
        for (const batch of clocks) for (const events of batch.values()) deadlineState(events, now);
      }),
    );
  }
  results.push({
    database: bench.label,
    name: 'état du délai de toutes les saisines ouvertes',
    examined: states.size,
    first: coreFirst,
    ...core,
    compute: median(compute),
  });
  return results;
}

interface Client {
  headers: Record<string, string>;
  paths: Record<(typeof FILTERS)[number], string>;
  replays: Record<(typeof FILTERS)[number], (i: number) => Promise<(number | null)[]>>;
  /** The same SQL with the participants subquery rewritten (rewriteParticipantsIn): what the fix would cost. */
  rewritten: Record<(typeof FILTERS)[number], (i: number) => Promise<(number | null)[]>>;
}

/** The trace with each statement rewritten by rewriteParticipantsIn where it applies. */
function rewriteTrace(trace: SqlTrace): SqlTrace {
  const copy = new Map(trace.statements.map((q) => [q, { ...q, text: rewriteParticipantsIn(q.text) ?? q.text }]));
  return {
    statements: trace.statements.map((q) => copy.get(q)!),
    steps: trace.steps.map((step) =>
      step.kind === 'query'
        ? { kind: 'query', query: copy.get(step.query)! }
        : { kind: 'transaction', queries: step.queries.map((q) => copy.get(q)!) },
    ),
  };
}

/** Client j: organisation j mod 12, its (j div 12)-th referent, with its own session; each filter traced once. */
async function prepareClients(bench: BenchApp, world: Awaited<ReturnType<typeof seed>>, count: number) {
  const clients: Client[] = [];
  const traces = new Map<string, SqlTrace>();
  const orgs = world.organisationIds.length;
  for (let j = 0; j < count; j++) {
    const o = j % orgs;
    const referent = world.referents[o * REFERENTS_PER_ORGANISATION + (Math.floor(j / orgs) % REFERENTS_PER_ORGANISATION)]!;
    const session = await signIn(bench.baseUrl, referent);
    const headers = { cookie: session.cookie };
    const base = `/api/territories/${world.territoryId}/organisations/${world.organisationIds[o]}/inbox`;
    const client: Client = {
      headers,
      paths: { toutes: '', nouvelles: '' },
      replays: { toutes: async () => [], nouvelles: async () => [] },
      rewritten: { toutes: async () => [], nouvelles: async () => [] },
    };
    for (const filter of FILTERS) {
      const path = `${base}?filtre=${filter}`;
      const trace = await traceAlone(bench, () => fetch(bench.baseUrl + path, { headers }));
      const replay = replayOf(bench.relais.ctx.database.pool, trace);
      await checkReplay(trace, replay);
      client.paths[filter] = path;
      client.replays[filter] = replay;
      const rewrittenTrace = rewriteTrace(trace);
      client.rewritten[filter] = replayOf(bench.relais.ctx.database.pool, rewrittenTrace);
      await checkReplay(rewrittenTrace, client.rewritten[filter]);
      if (j === 0) traces.set(filter, trace);
    }
    clients.push(client);
  }
  return { clients, traces };
}

/**
 * `x IN (SELECT request_id FROM request_participants …)` as `x = ANY(ARRAY(SELECT …))`: the
 * subquery becomes an init plan whose array the planner can look up in the primary key, so that
 * `organisation_id = $o OR id = ANY(…)` is a BitmapOr of two index scans instead of a filter on
 * every row (a hashed SubPlan is not indexable). Null when the statement has no such subquery.
 */
export function rewriteParticipantsIn(text: string): string | null {
  const match = /\bIN\s*\(\s*SELECT\s+("request_participants"\.)?"?request_id"?\s+FROM\s+"request_participants"/i.exec(text);
  if (!match) return null;
  const open = text.indexOf('(', match.index);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0)
      return `${text.slice(0, match.index)}= ANY(ARRAY(${text.slice(open + 1, i)}))${text.slice(i + 1)}`;
  }
  return null;
}

interface Plan {
  text: string;
  ms: number;
  plan: string;
  /** The same statement with rewriteParticipantsIn, when it applies. */
  rewritten?: { ms: number; plan: string; rows: boolean };
}

async function explainOne(bench: BenchApp, text: string, values: unknown[]) {
  const { rows } = await bench.relais.ctx.database.pool.query<{ 'QUERY PLAN': string }>({
    text: `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
    values,
  } as { text: string; values: unknown[] });
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  return { plan, ms: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN) };
}

/** EXPLAIN ANALYZE of each SELECT of a traced request, and of the rewritten inbox statements (same answers checked). */
async function explain(bench: BenchApp, trace: SqlTrace): Promise<Plan[]> {
  const pool = bench.relais.ctx.database.pool;
  const out: Plan[] = [];
  for (const q of trace.statements) {
    if (!/^\s*select/i.test(q.text)) continue;
    const entry: Plan = { text: q.text.replace(/\s+/g, ' ').trim(), ...(await explainOne(bench, q.text, q.values)) };
    const rewritten = rewriteParticipantsIn(q.text);
    if (rewritten) {
      const same =
        JSON.stringify((await pool.query({ text: q.text, values: q.values } as { text: string; values: unknown[] })).rows) ===
        JSON.stringify((await pool.query({ text: rewritten, values: q.values } as { text: string; values: unknown[] })).rows);
      entry.rewritten = { ...(await explainOne(bench, rewritten, q.values)), rows: same };
    }
    out.push(entry);
  }
  return out.sort((a, b) => b.ms - a.ms);
}

/** What EXPLAIN says of the two inbox statements that read the organisation's requests, with and without the rewrite. */
function planSummary(plans: Map<string, Plan[]>): string[] {
  const lines: string[] = [];
  let seqScan = false;
  for (const [label, list] of plans) {
    const parts = list
      .filter((p) => p.rewritten)
      .map((p) => {
        const name = /^select "id"/i.test(p.text) ? 'page' : 'comptes des onglets';
        const seq = /Seq Scan on requests/.test(p.plan);
        const filtered = /Filter: .*OR \(.*hashed SubPlan/.test(p.plan);
        seqScan ||= seq || filtered;
        const how = seq
          ? ' (parcours séquentiel de `requests`)'
          : filtered
            ? ' (le `OR` filtré ligne à ligne sur toutes les saisines des statuts affichés, tous organismes confondus)'
            : '';
        return `${name} ${formatMs(p.ms)} ms${how}, réécrite ${formatMs(p.rewritten!.ms)} ms`;
      });
    if (parts.length) lines.push(`- ${label} : ${parts.join(' ; ')}`);
  }
  if (!lines.length) return [];
  return [
    `**Plans (EXPLAIN ANALYZE, premier organisme, le plus chargé).** ${
      seqScan
        ? 'La page et les comptes des onglets filtrent sur `organisation_id = $o OR id IN (SELECT request_id FROM request_participants WHERE organisation_id = $o …)` : une sous-requête hachée (« hashed SubPlan ») ne se cherche pas dans un index, PostgreSQL ne peut donc pas faire l’union de deux parcours d’index et lit, deux fois par affichage de la boîte (page, puis comptes), **toutes les saisines du territoire**, historique compris (PostgreSQL 15 : parcours séquentiel), ou toutes celles des statuts affichés, tous organismes confondus (PGlite, PostgreSQL 18 : index sur le seul statut), en filtrant l’organisme ligne à ligne. Écrite `id = ANY(ARRAY(SELECT request_id FROM request_participants …))`, la sous-requête devient un « InitPlan » dont le tableau se cherche dans la clé primaire : BitmapOr de `requests_organisation_status` et `requests_pkey`, mêmes lignes rendues (vérifié ci-dessous), sans nouvel index ni migration.'
        : 'Les deux requêtes passent par des index.'
    }`,
    '',
    ...lines,
    '',
  ];
}

/** What this section measured before the inbox fix on main (5f4d488, db700e5), same data and machine. */
export const INDEX_NOTE =
  '**Avant le correctif de la boîte (mesure du 30 novembre 2026, 15 h 22, mêmes données, commit 6a52861 de la branche `bench`).** La page et les comptes des onglets filtraient sur `organisation_id = $o OR id IN (SELECT request_id FROM request_participants …)` : une sous-requête hachée ne se cherche pas dans un index, et chaque affichage lisait deux fois toutes les saisines du territoire (PostgreSQL 15 : parcours séquentiel de 1 000 000 de lignes, 140 ms par requête ; PGlite : toutes les saisines des statuts affichés, 155 ms). « toutes » à 1 référent : 296 ms (PostgreSQL) et 307 ms (PGlite) par page ; à 50 référents, aucune réponse de l’app dans les 5 s mesurées, p95 de la référence brute 12,8 s (PostgreSQL) et 54,6 s (PGlite). Mesuré alors à la main (EXPLAIN ANALYZE, médiane de 5, PostgreSQL 15, premier organisme : 16 000 saisines affichées) : page 237 ms telle quelle, 19 ms avec `id = ANY(ARRAY(SELECT …))`, 9,5 ms en deux branches disjointes réunies, 0,07 ms avec l’index `(organisation_id, due_at, id) WHERE status IN (…statuts affichés…)` ; comptes 188 ms, 20 ms réécrits, index seul (« Index Only Scan ») avec `(organisation_id, status, assignee_user_id) INCLUDE (territory_id)` sur les mêmes statuts : 1,4 ms contre 11 ms sur 300 000 saisines. main a depuis adopté les deux branches et ces index (`requests_inbox`, `requests_inbox_counts`, migration 0008) : les tableaux ci-dessus mesurent cette version.';

const seconds = (s: number) => `${formatNumber(s, s < 10 ? 1 : 0)} s`;
const describeLoad = (label: string, history: number, t: RequestsLoadTimes) =>
  `${label} : ${formatNumber(history)} saisines closes et ${formatNumber(OPEN)} ouvertes, ${formatNumber(t.events)} événements, chargées en ${seconds(t.total)} — historique ${seconds(t.history)}, saisines ouvertes ${seconds(t.open)}, reconstruction des index ${seconds(t.index)}, VACUUM ANALYZE ${seconds(t.vacuumAnalyze)} ; statuts : ${Object.entries(
    t.statuses,
  )
    .map(([s, n]) => `${s} ${formatNumber(n)}`)
    .join(', ')}`;

export async function run(options: BenchOptions): Promise<string> {
  const counts = historyCounts();
  const history = Math.max(...options.databases.map((d) => counts[d]));
  const rows: ComparisonRow[] = [];
  const rewrittenRows: { row: ComparisonRow; fixed: Measurement }[] = [];
  const sweeps: SweepResult[] = [];
  const engines: string[] = [];
  const poolSizes: string[] = [];
  const notes: string[] = [];
  const traced = new Map<string, string[]>();
  const plans = new Map<string, Plan[]>();
  const printRow = rowPrinter();
  const maxClients = Math.max(...options.concurrency);
  const skipped = await forEachDatabase(options, async (bench) => {
    engines.push(bench.engine);
    poolSizes.push(`${bench.label} ${bench.poolSize}`);
    const world = await seed(bench);
    const size = counts[bench.kind];
    const load = await loadRequests(bench, world, { history: size, open: OPEN }, (m) => console.log(m));
    const due = await setDueDates(bench);
    notes.push(
      `${describeLoad(bench.label, size, load)} ; ${formatNumber(due)} saisines ouvertes ont une échéance (les autres : délai suspendu ou arrêté)`,
    );
    console.log(notes.at(-1));

    const sweepResults = await measureSweeps(bench);
    sweeps.push(...sweepResults);
    for (const r of sweepResults)
      console.log(
        `${bench.label}, ${r.name} : ${r.examined} saisines, app ${formatMs(r.app)} ms (premier passage ${formatMs(r.first)} ms${r.firstNote ? ` : ${r.firstNote}` : ''}), brut ${formatMs(r.raw)} ms${r.compute !== undefined ? `, calcul seul ${formatMs(r.compute)} ms` : ''}`,
      );

    const { clients, traces } = await prepareClients(bench, world, maxClients);
    const { rows: tabs } = await bench.relais.ctx.database.pool.query<{ o: string; toutes: number; nouvelles: number }>(
      `SELECT o.acronym AS o, count(*) FILTER (WHERE r.status IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee'))::int AS toutes,
         count(*) FILTER (WHERE r.status = 'envoyee' AND r.assignee_user_id IS NULL)::int AS nouvelles
       FROM requests r JOIN partner_organisations o ON o.id = r.organisation_id GROUP BY o.acronym ORDER BY 2 DESC`,
    );
    notes.push(
      `${bench.label}, saisines par organisme (onglet « toutes », dont les clôturées non archivées / « nouvelles ») : ${tabs.map((t) => `${t.o} ${formatNumber(t.toutes)}/${formatNumber(t.nouvelles)}`).join(', ')}`,
    );
    console.log(notes.at(-1));
    for (const [filter, trace] of traces) {
      if (!traced.has(filter)) traced.set(filter, describeTrace(trace));
      plans.set(`${bench.label}, filtre=${filter}`, await explain(bench, trace));
    }

    // The raw replay of a rewritten inbox only when the app still sends the subquery as `IN (SELECT …)`.
    const rewrites = [...traces.values()].some((t) => t.statements.some((q) => rewriteParticipantsIn(q.text)));
    for (const filter of FILTERS) {
      for (const concurrency of options.concurrency) {
        const mine = clients.slice(0, concurrency);
        await settle(bench, SETTLE_MS);
        const app = await measureHttp(
          {
            baseUrl: bench.baseUrl,
            method: 'GET',
            paths: [mine[0]!.paths[filter]],
            headers: {},
            clients: mine.map((c) => ({ headers: c.headers, bodyTemplates: [], paths: [c.paths[filter]] })),
            connections: concurrency,
            seconds: options.seconds,
            warmupSeconds: options.warmupSeconds,
          },
          () => settle(bench, SETTLE_MS),
        );
        await settle(bench, SETTLE_MS);
        const raw = await measureLoops((i, loop) => mine[loop]!.replays[filter](i), {
          concurrency,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        });
        const row = { database: bench.label, scenario: `boîte, ${filter}`, concurrency, app, raw };
        rows.push(row);
        printRow(row);
        if (!rewrites) continue;
        await settle(bench, SETTLE_MS);
        const fixed = await measureLoops((i, loop) => mine[loop]!.rewritten[filter](i), {
          concurrency,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        });
        rewrittenRows.push({ row, fixed });
        console.log(
          `  brut réécrit : ${formatNumber(fixed.throughput)} op/s, p50 ${formatMs(fixed.p50)}, p95 ${formatMs(fixed.p95)}, p99 ${formatMs(fixed.p99)} ms`,
        );
      }
    }
  });

  console.log(`\n${textTable(rows)}`);
  const perRequest = (ms: number, n: number) => formatNumber((ms / n) * 1000, 0);
  return [
    `## ${title}`,
    '',
    `Un département (le Nord, 59) de ${CONTACT_POINTS} lieux d’accueil (un agent chacun) et ${ORGANISATIONS.length} organismes partenaires de ${REFERENTS_PER_ORGANISATION} référents chacun (${ORGANISATIONS.length * REFERENTS_PER_ORGANISATION} comptes qui se connectent), dont 3 aux horaires d’ouverture déclarés (« ${BUSINESS_HOURS} » : leurs délais comptent des minutes ouvrées). **${formatNumber(history)} saisines historiques**${options.databases.some((d) => counts[d] !== history) ? ` (PGlite : ${formatNumber(counts.pglite)}, voir ci-dessous)` : ''} sur trois ans (répartition inégale : le premier organisme en reçoit un cinquième), chacune avec son journal comme l’app l’écrit : envoi (début du délai, avec le calendrier de l’organisme), prise en charge, pour une sur cinq demande d’informations puis réponse de l’agent (pause, reprise), réponse (arrêt), clôture, archivage 90 jours après la clôture — les clôturées non archivées (les trois derniers mois) restent dans l’onglet « toutes ». Puis **${formatNumber(OPEN)} saisines ouvertes** : 30 % envoyées et pas encore prises, 40 % en cours (la moitié avec un message intermédiaire de l’organisme, qui relance le délai), 15 % en attente d’informations (délai suspendu), 15 % répondues, une sur cinquante avec un autre organisme invité ; les référents ont lu leurs saisines. \`due_at\` est calculé par l’app elle-même (\`clockEventsOfMany\` + \`deadlineState\`). Chargement en SQL ensembliste (\`generate_series\`, une instruction \`WITH … INSERT\` par lot de 50 000 saisines et leurs événements), index secondaires retirés puis reconstruits, \`VACUUM ANALYZE\`. Ni messages, ni pièces jointes, ni dossiers usagers : la boîte de réception ne les lit pas. \`BENCH_REQUESTS=20000\` pour un essai rapide, \`BENCH_REQUESTS_PGLITE\` pour une autre taille sur PGlite seul.`,
    '',
    `**Boîte de réception** : \`GET /api/territories/:t/organisations/:o/inbox?filtre=toutes\` (ouvertes et clôturées, les plus urgentes d’abord, 50 par page, avec le nombre de chaque onglet) et \`?filtre=nouvelles\`. Le client j est le (j div 12)-ième référent de l’organisme j mod 12, avec sa propre session : à 50 clients, 50 référents différents, 4 ou 5 par organisme. La **référence brute** rejoue, dans autant de boucles, le SQL que l’app a envoyé pour chaque client (session, page, comptes des onglets, délais, noms, non-lus).`,
    '',
    `**Balayage des délais** : (1) la tâche de relance elle-même, \`sweepDeadlines\` (requests.jobs.ts, toutes les 5 minutes en production) : les saisines dont le délai court (\`due_at\` renseigné, envoyées, en cours ou répondues) par lots de ${SWEEP_BATCH}, pour chaque lot leurs événements d’horloge (\`clockEventsOfMany\`) et leurs rappels déjà envoyés, \`deadlineState\` pour chacune ; son premier passage sur cet historique fraîchement chargé écrit tous les rappels dus (à part dans le tableau), les suivants ne font que lire ; (2) l’état du délai de **toutes** les saisines ouvertes (identifiants, puis \`clockEventsOfMany\` par lots de ${SWEEP_BATCH} et \`deadlineState\`), le cœur du balayage. Brut : les mêmes SELECT rejoués seuls sur le même pool. Médiane de ${SWEEP_RUNS} passages après le premier (caches de calendrier froids).`,
    '',
    describeRun(options, { engines, poolSizes, skipped, notes }),
    '',
    '| Base | Balayage | Saisines examinées | Requêtes SQL | 1er passage (ms) | App (ms) | Brut (ms) | dont `deadlineState` seul (ms) | App par saisine (µs) | Brut par saisine (µs) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sweeps.map(
      (s) =>
        `| ${s.database} | ${s.name} | ${formatNumber(s.examined)} | ${s.statements} | ${formatMs(s.first)}${s.firstNote ? ` (${s.firstNote})` : ''} | ${formatMs(s.app)} | ${formatMs(s.raw)} | ${s.compute === undefined ? '–' : formatMs(s.compute)} | ${perRequest(s.app, s.examined)} | ${perRequest(s.raw, s.examined)} |`,
    ),
    '',
    ...planSummary(plans),
    'Latences en millisecondes. « Débit app/brut » = req/s de l’app ÷ opérations/s du pilote brut ; « p50 app/brut » = latence médiane de l’app ÷ celle du pilote brut.',
    '',
    INDEX_NOTE,
    '',
    ...(rows.some((r) => r.app.count === 0)
      ? [
          `**Lignes sans latence app.** Aucune réponse de l’app n’est arrivée pendant les ${formatNumber(options.seconds, 0)} s mesurées : chaque page attend son tour derrière celles des autres référents, plus longtemps que la fenêtre de mesure ; la référence brute, qui attend la fin de ses opérations en cours, donne l’ordre de grandeur de la latence (colonnes « Brut »).`,
          '',
        ]
      : []),
    markdownTable(rows),
    '',
    ...(rewrittenRows.length
      ? [
          '**Avec la réécriture proposée (référence brute seule).** Les mêmes boucles, le même SQL, sauf `id IN (SELECT … request_participants …)` écrit `id = ANY(ARRAY(SELECT …))` dans la page et les comptes (mêmes lignes rendues, vérifié) : ce que la boîte coûterait à la base une fois la requête corrigée, à comparer à la colonne « Brut » ci-dessus.',
          '',
          '| Base | Scénario | Clients | Brut actuel op/s | Brut actuel p95 | Brut réécrit op/s | Brut réécrit p50 | Brut réécrit p95 | Brut réécrit p99 |',
          '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...rewrittenRows.map(
            ({ row, fixed }) =>
              `| ${row.database} | ${row.scenario} | ${row.concurrency} | ${formatNumber(row.raw.throughput)} | ${formatMs(row.raw.p95)} | ${formatNumber(fixed.throughput)} | ${formatMs(fixed.p50)} | ${formatMs(fixed.p95)} | ${formatMs(fixed.p99)} |`,
          ),
          '',
        ]
      : []),
    '<details><summary>SQL d’une page de boîte de réception (premier organisme), rejoué par la référence brute</summary>',
    '',
    ...[...traced].flatMap(([filter, texts]) => [`filtre=${filter} :`, '', '```sql', `${texts.join(';\n')};`, '```', '']),
    '</details>',
    '',
    '<details><summary>EXPLAIN ANALYZE des requêtes de la page (premier organisme), de la plus lente à la plus rapide</summary>',
    '',
    ...[...plans].flatMap(([label, list]) => [
      `${label} :`,
      '',
      ...list
        .slice(0, 3)
        .flatMap((p) => [
          `${formatMs(p.ms)} ms — \`${p.text.slice(0, 160)}…\``,
          '',
          '```',
          p.plan,
          '```',
          '',
          ...(p.rewritten
            ? [
                `Réécrite avec \`id = ANY(ARRAY(SELECT request_id FROM request_participants …))\` au lieu de \`id IN (SELECT …)\` : ${formatMs(p.rewritten.ms)} ms, ${p.rewritten.rows ? 'mêmes lignes rendues' : '**lignes rendues différentes**'}`,
                '',
                '```',
                p.rewritten.plan,
                '```',
                '',
              ]
            : []),
        ]),
      `Autres : ${list
        .slice(3)
        .map((p) => `${formatMs(p.ms)} ms`)
        .join(', ')}.`,
      '',
    ]),
    '</details>',
  ].join('\n');
}
