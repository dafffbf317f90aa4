import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../server/config.ts';
import { startRelais } from '../server/runtime.ts';
import { generateHistory, historyPlan, seedOf } from '../server/seed/history.ts';
import { createUser, DEFAULT_PASSWORD } from '../server/test/factories.ts';
import { type BenchApp, signIn } from './lib/app.ts';
import type { BenchOptions } from './lib/options.ts';
import { describeMachine } from './lib/report.ts';
import { formatMs, formatNumber, type Measurement, summarize } from './lib/stats.ts';

export const id = 'observatory';
export const title = 'Observatoire : l’année nationale (10 millions d’accueils, 2 millions de saisines)';

/** `--scale=0.01` (or BENCH_OBS_SCALE) for a quick run: 1 % of the national year. */
export function readScale(argv = process.argv, env = process.env): number {
  const arg = argv.find((a) => a.startsWith('--scale='))?.slice('--scale='.length) ?? env.BENCH_OBS_SCALE ?? '1';
  const scale = Number(arg);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1)
    throw new Error(`--scale : nombre entre 0 et 1 attendu / expected 0 < scale ≤ 1: ${arg}`);
  return scale;
}

const TERRITORIES = 100;
const CONTACT_POINTS = 2800;
const VISITS = 10_000_000;
const REQUESTS = 2_000_000;
const YEAR = 2025;
const CHUNK = 200_000;
const PARTNERS: [string | null, string, string][] = [
  ['ANTS', 'ANTS', 'papiers-citoyennete'],
  ['CAF', 'CAF', 'famille'],
  ['CPAM', 'CPAM', 'social-sante'],
  ['DGFIP', 'DGFiP', 'argent-impots'],
  ['CNAV', 'Carsat', 'retraite'],
  ['MSA', 'MSA', 'social-sante'],
  ['FRANCE_TRAVAIL', 'France Travail', 'emploi-formation'],
  ['LA_POSTE', 'La Poste', 'numerique'],
  ['JUSTICE', 'Justice', 'justice'],
  [null, 'ADIL', 'logement'],
  [null, 'CIDFF', 'justice'],
  [null, 'MDPH', 'social-sante'],
  [null, 'UDAF', 'argent-impots'],
  [null, 'CCAS', 'social-sante'],
  [null, 'Département', 'social-sante'],
  [null, 'Mission locale', 'emploi-formation'],
];

/** Territory i's relative size: a few large departments, many small ones (the largest about 3.5× the average). */
const sizeOf = (i: number) => 0.35 + 3.2 * (1 - i / TERRITORIES) ** 4;

const seconds = (ms: number) => formatNumber(ms / 1000, 1);
const mb = (bytes: number) => formatNumber(bytes / 1024 / 1024, 0);

/** The bench's own database: dropped and created (the app migrates it), or reused as a previous `--keep` run left it. */
const DATABASE = 'relais_bench_observatory';

async function withDatabase(options: BenchOptions, reuse: boolean, keep: boolean, body: (bench: BenchApp) => Promise<void>) {
  const admin = new pg.Client({ connectionString: options.postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    return [`PostgreSQL injoignable (${(error as Error).message}) : section observatoire sautée. / PostgreSQL unreachable: skipped.`];
  }
  try {
    if (!reuse) {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(options.postgresUrl);
  url.pathname = `/${DATABASE}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
  try {
    const relais = await startRelais(
      loadConfig({
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        SECRET_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'silent',
        JOBS: 'false',
        SEED_DEMO: 'false',
        DATABASE_URL: url.href,
      }),
    );
    try {
      await relais.app.listen({ host: '127.0.0.1', port: 0 });
      const address = relais.app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const { rows } = await relais.ctx.database.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
      await body({
        kind: 'postgres',
        label: 'PostgreSQL',
        engine: `PostgreSQL ${rows[0]!.v.split(' ')[0]}`,
        relais,
        baseUrl: `http://127.0.0.1:${port}`,
        poolSize: relais.ctx.config.database.kind === 'postgres' ? relais.ctx.config.database.poolSize : 1,
      });
    } finally {
      await relais.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (!keep) {
      const dropper = new pg.Client({ connectionString: options.postgresUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await dropper.end();
    }
  }
  return [];
}

/** 100 territories, 2,800 contact points (one agent each, a bus in one territory out of two), 16 partners each: set-based. */
async function network(pool: pg.Pool, scale: number) {
  const weights = Array.from({ length: TERRITORIES }, (_, i) => sizeOf(i));
  const total = weights.reduce((a, b) => a + b, 0);
  const cps = weights.map((w) => Math.max(3, Math.round((CONTACT_POINTS * w) / total)));
  await pool.query(
    `INSERT INTO territories (slug, name, department_code, region_code)
     SELECT 'national-' || lpad(i::text, 3, '0'), 'Territoire national ' || i, lpad(i::text, 2, '0'), '00' FROM generate_series(1, $1) i`,
    [TERRITORIES],
  );
  await pool.query(
    `INSERT INTO contact_points (territory_id, name, kind, commune)
     SELECT t.id, 'Lieu ' || lpad(k::text, 3, '0') || ' — ' || t.name,
       CASE WHEN k = 1 AND c.i % 2 = 0 THEN 'bus' WHEN k % 3 = 1 THEN 'france_services' WHEN k % 3 = 2 THEN 'mairie' ELSE 'antenne' END,
       'Commune ' || k
     FROM unnest($1::int[]) WITH ORDINALITY c(n, i)
     JOIN territories t ON t.slug = 'national-' || lpad(c.i::text, 3, '0')
     CROSS JOIN LATERAL generate_series(1, c.n) k`,
    [cps],
  );
  await pool.query(
    `INSERT INTO users (email, display_name)
     SELECT 'agent-' || cp.id || '@bench.relais.localhost', 'Agent ' || cp.name FROM contact_points cp
     JOIN territories t ON t.id = cp.territory_id WHERE t.slug LIKE 'national-%'`,
  );
  await pool.query(
    `INSERT INTO memberships (user_id, territory_id, role, contact_point_id)
     SELECT u.id, cp.territory_id, 'agent', cp.id FROM contact_points cp
     JOIN users u ON u.email = 'agent-' || cp.id || '@bench.relais.localhost'`,
  );
  await pool.query(
    `INSERT INTO partner_organisations (territory_id, name, acronym, national_code, themes)
     SELECT t.id, p.acronym || ' (' || t.name || ')', p.acronym, p.code, ARRAY[p.theme]
     FROM territories t CROSS JOIN jsonb_to_recordset($1::jsonb) p(code text, acronym text, theme text)
     WHERE t.slug LIKE 'national-%'`,
    [JSON.stringify(PARTNERS.map(([code, acronym, theme]) => ({ code, acronym, theme })))],
  );
  const { rows } = await pool.query<{ id: string; slug: string }>(
    `SELECT id, slug FROM territories WHERE slug LIKE 'national-%' ORDER BY slug`,
  );
  return rows.map((r, i) => ({
    id: r.id,
    slug: r.slug,
    contactPoints: cps[i]!,
    visits: Math.round((VISITS * scale * weights[i]!) / total),
    requests: Math.round((REQUESTS * scale * weights[i]!) / total),
  }));
}

/** Runs `work` over the items with `concurrency` loops. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

type Territory = Awaited<ReturnType<typeof network>>[number];

/** The territories of a kept database, sized as `network` sized them. */
async function existing(pool: pg.Pool, scale: number): Promise<Territory[]> {
  const weights = Array.from({ length: TERRITORIES }, (_, i) => sizeOf(i));
  const total = weights.reduce((a, b) => a + b, 0);
  const { rows } = await pool.query<{ id: string; slug: string; cps: number }>(
    `SELECT t.id, t.slug, (SELECT count(*)::int FROM contact_points c WHERE c.territory_id = t.id) AS cps
     FROM territories t WHERE t.slug LIKE 'national-%' ORDER BY t.slug`,
  );
  return rows.map((r, i) => ({
    id: r.id,
    slug: r.slug,
    contactPoints: r.cps,
    visits: Math.round((VISITS * scale * weights[i]!) / total),
    requests: Math.round((REQUESTS * scale * weights[i]!) / total),
  }));
}

/** The network, then the national year, then the trigger overhead on a rolled-back chunk. */
async function generate(bench: BenchApp, scale: number, say: (line: string) => void): Promise<Territory[]> {
  const pool = bench.relais.ctx.database.pool;
  const db = bench.relais.ctx.db;
  const t0 = performance.now();
  const territories = await network(pool, scale);
  say(
    `Réseau : ${TERRITORIES} territoires, ${formatNumber(territories.reduce((a, t) => a + t.contactPoints, 0))} lieux (un agent chacun), ${PARTNERS.length} partenaires par territoire, créés en ${seconds(performance.now() - t0)} s`,
  );

  // The national year, territory by territory, two at a time (two cores), each in its own statements.
  const g0 = performance.now();
  let visits = 0;
  let requests = 0;
  let done = 0;
  await inParallel(territories, 2, async (t) => {
    const plan = await historyPlan(db, t.id);
    const r = await generateHistory(db, plan, {
      from: `${YEAR}-01-01`,
      to: `${YEAR + 1}-01-01`,
      visitsPerYear: t.visits,
      requestsPerYear: t.requests,
      growth: 0,
      requestMarginDays: 0,
      seed: seedOf(t.slug),
    });
    visits += r.visits;
    requests += r.requests;
    if (++done % 10 === 0)
      console.log(
        `  ${done}/${TERRITORIES} territoires, ${formatNumber(visits)} accueils, ${formatNumber(requests)} saisines, ${seconds(performance.now() - g0)} s`,
      );
  });
  const generation = performance.now() - g0;
  say(
    `Génération (échelle ${formatNumber(scale * 100, scale < 0.1 ? 1 : 0)} %) : ${formatNumber(visits)} accueils et ${formatNumber(requests)} saisines (squelettes archivées) en ${seconds(generation)} s, soit ${formatNumber((visits + requests) / (generation / 1000))} lignes/s, déclencheurs d’agrégats compris, 2 territoires à la fois`,
  );
  return territories;
}

/** Table sizes once the year is in (VACUUM ANALYZE first, for the planner and the row estimates). */
async function reportSizes(pool: pg.Pool, say: (line: string) => void) {
  await pool.query('VACUUM ANALYZE');
  const { rows: sizes } = await pool.query<{ name: string; n: string; bytes: string }>(
    `SELECT c.relname AS name, c.reltuples::bigint AS n, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
       WHERE c.relname IN ('visits', 'requests', 'stats_visits_monthly', 'stats_visits_territory', 'stats_requests_monthly', 'stats_request_delays', 'stats_request_delays_territory')
       ORDER BY 1`,
  );
  say(
    `Tables (lignes, taille avec index) : ${sizes.map((s) => `${s.name} ${formatNumber(Number(s.n))} lignes, ${mb(Number(s.bytes))} Mo`).join(' ; ')}`,
  );
  say(`Disque : ${execSync('df -h --output=avail / | tail -1').toString().trim()} libres`);
}

/** The same 200k-visit chunk inserted with and without the aggregate triggers, each rolled back. */
async function triggerOverhead(bench: BenchApp, territories: Territory[], say: (line: string) => void) {
  const db = bench.relais.ctx.db;
  // Trigger overhead: the same 200k-visit chunk with and without the aggregate triggers, each rolled back.
  const chunkTerritory = territories[TERRITORIES - 1]!;
  const chunkPlan = await historyPlan(db, chunkTerritory.id);
  const chunk = async (withTriggers: boolean) => {
    let elapsed = 0;
    await db
      .transaction(async (tx) => {
        if (!withTriggers) await tx.execute(sql`ALTER TABLE visits DISABLE TRIGGER USER`);
        const started = performance.now();
        await generateHistory(tx, chunkPlan, {
          from: `${YEAR + 1}-01-01`,
          to: `${YEAR + 2}-01-01`,
          visitsPerYear: CHUNK,
          requestsPerYear: 0,
          growth: 0,
          seed: 1,
        });
        elapsed = performance.now() - started;
        tx.rollback();
      })
      .catch((error) => {
        if (!(error instanceof TransactionRollbackError)) throw error;
      });
    return elapsed;
  };
  const withTriggers = await chunk(true);
  const without = await chunk(false);
  say(
    `Surcoût des déclencheurs sur un lot de ${formatNumber(CHUNK)} accueils (une instruction, annulée ensuite) : ${seconds(withTriggers)} s avec, ${seconds(without)} s sans (ALTER TABLE visits DISABLE TRIGGER USER dans la même transaction), soit ×${formatNumber(withTriggers / without, 2)}`,
  );
}

interface Row {
  scenario: string;
  clients: number;
  app: Measurement;
  raw: Measurement;
}

/** `total` calls of `op`, `clients` at a time; latencies of the successful ones. */
async function measure(op: () => Promise<boolean>, clients: number, total: number): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < total) {
        issued++;
        const t0 = performance.now();
        const ok = await op().catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

/** The dashboards' figures computed from the raw rows, as one would without the aggregates. */
function rawVisitsQueries(territoryId: string, from: string, to: string, filter: string) {
  const base = `FROM visits v WHERE v.territory_id = '${territoryId}' AND v.occurred_at >= '${from}' AND v.occurred_at < '${to}' ${filter}`;
  return [
    `SELECT count(*), avg(duration_minutes), count(person_id) ${base}`,
    `SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/Paris') AS m, count(*) ${base} GROUP BY 1`,
    `SELECT contact_point_id, count(*) ${base} GROUP BY 1`,
    `SELECT o, count(*) ${base.replace('FROM visits v', 'FROM visits v CROSS JOIN LATERAL unnest(v.organisation_ids) o')} GROUP BY 1`,
    `SELECT th, count(*) ${base.replace('FROM visits v', 'FROM visits v CROSS JOIN LATERAL unnest(v.theme_codes) th')} GROUP BY 1`,
    `SELECT a, count(*) ${base.replace('FROM visits v', 'FROM visits v CROSS JOIN LATERAL unnest(v.actions) a')} GROUP BY 1`,
    `SELECT channel, count(*) ${base} GROUP BY 1`,
    `SELECT autonomy, count(*) ${base} GROUP BY 1`,
  ];
}

function rawRequestsQueries(territoryId: string, from: string, to: string, filter: string) {
  const base = `FROM requests r WHERE r.territory_id = '${territoryId}' AND r.sent_at >= '${from}' AND r.sent_at < '${to}' ${filter}`;
  return [
    `SELECT count(*), count(first_answered_at), count(*) FILTER (WHERE first_answer_in_time), count(closed_at),
       count(*) FILTER (WHERE usefulness = 'utile'), count(usefulness),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_answer_tenths), percentile_cont(0.9) WITHIN GROUP (ORDER BY first_answer_tenths) ${base}`,
    `SELECT date_trunc('month', sent_at AT TIME ZONE 'Europe/Paris') AS m, count(*), count(*) FILTER (WHERE first_answer_in_time),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_answer_tenths) ${base} GROUP BY 1`,
    `SELECT organisation_id, count(*), count(*) FILTER (WHERE first_answer_in_time),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_answer_tenths), percentile_cont(0.9) WITHIN GROUP (ORDER BY first_answer_tenths) ${base} GROUP BY 1`,
    `SELECT contact_point_id, count(*) ${base} GROUP BY 1`,
    `SELECT theme_code, count(*) ${base} GROUP BY 1`,
  ];
}

/** Peak RSS above the baseline while `work` runs, sampled every 10 ms (the app runs in this process). */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; baseline: number; peak: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, baseline, peak };
  } finally {
    clearInterval(timer);
  }
}

export async function run(options: BenchOptions): Promise<string> {
  const scale = readScale();
  const lines: string[] = [];
  const notes: string[] = [];
  const rows: Row[] = [];
  const engines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    notes.push(line);
  };
  // --keep leaves the generated database for a later --reuse run (measures only, no generation).
  const reuse = process.argv.includes('--reuse');
  const keep = process.argv.includes('--keep') || reuse;
  const skipped = await withDatabase(options, reuse, keep, async (bench: BenchApp) => {
    engines.push(bench.engine);
    const pool = bench.relais.ctx.database.pool;
    const db = bench.relais.ctx.db;
    say(`Disque avant génération : ${execSync('df -h --output=avail / | tail -1').toString().trim()} libres`);

    let territories: Territory[];
    if (reuse) {
      territories = await existing(pool, scale);
      say(`Base ${DATABASE} réutilisée telle qu’une exécution précédente (--keep) l’a laissée : génération non refaite`);
    } else territories = await generate(bench, scale, say);
    await reportSizes(pool, say);
    await triggerOverhead(bench, territories, say);
    // The largest territory's coordinator reads its year.
    const largest = territories[0]!;
    const coordinator = await createUser(db, {
      // A new coordinator each run (a reused database keeps the previous ones).
      email: `coordination-${randomBytes(4).toString('hex')}@bench.relais.localhost`,
      memberships: [{ territoryId: largest.id, role: 'coordinator' }],
    });
    const session = await signIn(bench.baseUrl, { email: coordinator.email, password: DEFAULT_PASSWORD });
    const headers = { cookie: session.cookie };
    const { rows: picks } = await pool.query<{ cp: string; org: string }>(
      `SELECT (SELECT contact_point_id FROM visits WHERE territory_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS cp,
              (SELECT id FROM partner_organisations WHERE territory_id = $1 AND national_code = 'CAF') AS org`,
      [largest.id],
    );
    const { cp, org } = picks[0]!;
    const [yearFrom, yearTo] = [`${YEAR}-01-01T00:00:00+01:00`, `${YEAR + 1}-01-01T00:00:00+01:00`];
    const [prevFrom, prevTo] = [`${YEAR - 1}-01-01T00:00:00+01:00`, `${YEAR}-01-01T00:00:00+01:00`];
    const scenarios = [
      { name: 'année', query: 'compare=aucune', filter: '', compare: false },
      { name: 'année + comparaison N−1', query: 'compare=annee_precedente', filter: '', compare: true },
      {
        name: 'année, filtre partenaire (CAF)',
        query: `compare=aucune&organisationId=${org}`,
        filter: `AND '${org}' = ANY(v.organisation_ids)`,
        compare: false,
      },
      {
        name: 'année, filtre lieu',
        query: `compare=aucune&contactPointId=${cp}`,
        filter: `AND v.contact_point_id = '${cp}'`,
        compare: false,
      },
    ];
    const route = process.env.BENCH_OBS_ROUTE ?? `/api/territories/${largest.id}/observatory`;
    const probe = await fetch(`${bench.baseUrl}${route}/visits?from=${YEAR}-01&to=${YEAR}-12&compare=aucune`, { headers });
    await probe.arrayBuffer();
    const hasDashboards = probe.status === 200;
    if (!hasDashboards)
      say(`Tableaux de bord absents de cette version (GET ${route}/visits → ${probe.status}) : seule la référence SQL brute est mesurée`);
    for (const kind of ['visits', 'requests'] as const) {
      for (const s of scenarios) {
        const filter =
          kind === 'requests'
            ? s.filter
                .replace(`'${org}' = ANY(v.organisation_ids)`, `r.organisation_id = '${org}'`)
                .replace('v.contact_point_id', 'r.contact_point_id')
            : s.filter;
        const queries = (kind === 'visits' ? rawVisitsQueries : rawRequestsQueries)(largest.id, yearFrom, yearTo, filter);
        if (s.compare) queries.push(...(kind === 'visits' ? rawVisitsQueries : rawRequestsQueries)(largest.id, prevFrom, prevTo, filter));
        const url = `${bench.baseUrl}${route}/${kind}?from=${YEAR}-01&to=${YEAR}-12&${s.query}`;
        const app = async () => {
          const res = await fetch(url, { headers });
          await res.arrayBuffer();
          return res.status === 200;
        };
        const raw = async () => {
          for (const q of queries) await pool.query(q);
          return true;
        };
        for (const clients of [1, 10]) {
          const total = 50;
          // The raw recount reads every row of the year (seconds per dashboard at national scale): fewer of them.
          await raw();
          const rawM = await measure(raw, clients, Number(process.env.BENCH_OBS_RAW_RUNS ?? 10));
          let appM = summarize([], 0, 0);
          if (hasDashboards) {
            await app();
            appM = await measure(app, clients, total);
          }
          const row = { scenario: `${kind === 'visits' ? 'accueils' : 'saisines'} : ${s.name}`, clients, app: appM, raw: rawM };
          rows.push(row);
          console.log(
            `${row.scenario} ×${clients} : app p50 ${formatMs(appM.p50)} p95 ${formatMs(appM.p95)} (${appM.errors} err) ; brut p50 ${formatMs(rawM.p50)} p95 ${formatMs(rawM.p95)}`,
          );
        }
      }
    }

    // The XLSX export of that territory's year, against COPY of the same rows.
    const exportUrl = `${bench.baseUrl}${route}/exports/visits?format=xlsx&from=${YEAR}-01&to=${YEAR}-12`;
    const { rows: countRows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM visits WHERE territory_id = $1 AND occurred_at >= $2 AND occurred_at < $3`,
      [largest.id, yearFrom, yearTo],
    );
    const exported = countRows[0]!.n;
    // psql streams the CSV to wc: the database's own export speed, no Node in between.
    const config = bench.relais.ctx.config.database;
    const copySql = `COPY (SELECT id, contact_point_id, agent_user_id, occurred_at, channel, organisation_ids, theme_codes, actions, autonomy, duration_minutes FROM visits WHERE territory_id = '${largest.id}' AND occurred_at >= '${yearFrom}' AND occurred_at < '${yearTo}' ORDER BY occurred_at) TO STDOUT WITH (FORMAT csv)`;
    const copyStarted = performance.now();
    const copyBytes = Number(
      execSync(`psql "${config.kind === 'postgres' ? config.url : ''}" -c "${copySql}" | wc -c`)
        .toString()
        .trim(),
    );
    const copyMs = performance.now() - copyStarted;
    say(
      `Référence brute de l’export : COPY (SELECT …) TO STDOUT (CSV) des ${formatNumber(exported)} accueils de l’année du plus grand territoire en ${seconds(copyMs)} s (${formatNumber(exported / (copyMs / 1000))} lignes/s, ${mb(copyBytes)} Mo)`,
    );
    const exportProbe = await peakRss(async () => {
      const started = performance.now();
      const res = await fetch(exportUrl, { headers });
      let bytes = 0;
      const reader = res.body?.getReader();
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
      }
      return { status: res.status, bytes, ms: performance.now() - started, type: res.headers.get('content-type') };
    });
    const e = exportProbe.result;
    if (e.status === 200)
      say(
        `Export XLSX (GET …/observatory/exports/visits?format=xlsx) : ${formatNumber(exported)} accueils en ${seconds(e.ms)} s (${formatNumber(exported / (e.ms / 1000))} lignes/s), ${mb(e.bytes)} Mo, pic de mémoire résidente du processus de l’app +${mb(exportProbe.peak - exportProbe.baseline)} Mo au-dessus de ${mb(exportProbe.baseline)} Mo — ×${formatNumber(e.ms / copyMs, 1)} le temps du COPY`,
      );
    else say(`Export XLSX non mesuré : GET …/observatory/exports/visits?format=xlsx → ${e.status} (route absente de cette version)`);
    lines.push(
      `Plus grand territoire : ${formatNumber(largest.contactPoints)} lieux, ${formatNumber(largest.visits)} accueils et ${formatNumber(largest.requests)} saisines dans l’année.`,
    );
  });

  const table = [
    '| Tableau de bord | Clients | App p50 | App p95 | App p99 | Brut p50 | Brut p95 | Brut p99 | p95 brut/app | Requêtes (app/brut) | Erreurs app |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.clients} | ${formatMs(r.app.p50)} | ${formatMs(r.app.p95)} | ${formatMs(r.app.p99)} | ${formatMs(r.raw.p50)} | ${formatMs(r.raw.p95)} | ${formatMs(r.raw.p99)} | ${r.app.count ? formatNumber(r.raw.p95 / r.app.p95, 1) : '–'} | ${r.app.count}/${r.raw.count} | ${r.app.errors} |`,
    ),
  ].join('\n');
  return [
    `## ${title}`,
    '',
    `Échelle de cette exécution : **${formatNumber(scale * 100, scale < 0.1 ? 1 : 0)} %** de l’année nationale (\`npm run bench -- observatory --scale=0.01\` pour un essai rapide).`,
    '',
    describeMachine(engines),
    ...notes.map((n) => `- ${n}`),
    ...lines.map((l) => `- ${l}`),
    ...(skipped.length ? ['', ...skipped.map((s) => `> ${s}`)] : []),
    '',
    table,
  ].join('\n');
}
