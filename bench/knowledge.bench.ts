import type { SheetSectionKey, SheetSections } from '../contracts/knowledge.ts';
import { SheetSectionKeys } from '../contracts/knowledge.ts';
import { importFiles, type ParsedSheet, parseSheetMarkdown } from '../server/modules/knowledge/io.ts';
import { kbSheets, kbSheetVersions } from '../server/modules/knowledge/knowledge.schema.ts';
import { addToLexicon, searchVector } from '../server/modules/knowledge/search.ts';
import { bodyTextOf, type SheetContent } from '../server/modules/knowledge/sheets.service.ts';
import { QUALITY_SET, type QualityQuery } from '../server/seed/knowledge/quality-set.ts';
import { demoSheetFiles } from '../server/seed/knowledge.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../server/test/factories.ts';
import { type BenchApp, forEachDatabase, signIn } from './lib/app.ts';
import { measureHttp } from './lib/http-load.ts';
import type { BenchOptions } from './lib/options.ts';
import { measureLoops } from './lib/raw-load.ts';
import { describeRun, markdownTable, rowPrinter, textTable } from './lib/report.ts';
import { type ComparisonRow, settle, traceAlone } from './lib/scenario.ts';
import { checkReplay, replayOf, type SqlTrace, type TracedQuery } from './lib/sql-trace.ts';
import { formatMs, formatNumber } from './lib/stats.ts';

export const id = 'knowledge';
export const title = 'Base de connaissances : qualité de la recherche (60 fiches) et latence parmi 5 000 fiches';

/** The partners of the demo sheets, as knowledge.api.test.ts creates them. */
const ORGANISATION_CODES = [
  'CAF',
  'CPAM',
  'ADIL',
  'FRANCE_TRAVAIL',
  'DGFIP',
  'ANTS',
  'CNAV',
  'MSA',
  'LA_POSTE',
  'JUSTICE',
  'CCAS',
  'CIDFF',
  'DEPARTEMENT',
  'MDPH',
  'MISSION_LOCALE',
  'UDAF',
];
/** Rank cut-off of the mean reciprocal rank (and the page size asked by the quality run). */
const MRR_DEPTH = 10;
/** Sheets inserted per transaction when loading. */
const LOAD_BATCH = 250;
/** Searches of the rotation whose statements are also timed one by one (where the time goes). */
const BREAKDOWN_QUERIES = 12;

/** Sheets in the latency territory: BENCH_KB_SHEETS (5,000), the 60 demo sheets included. */
function sheetCount(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.BENCH_KB_SHEETS || 5000);
  if (!Number.isInteger(value) || value < 100)
    throw new Error(`BENCH_KB_SHEETS : entier ≥ 100 attendu / expected an integer ≥ 100: ${env.BENCH_KB_SHEETS}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Search quality

/** What the quality run needs of an HTTP client: the test suite's ApiClient fits, so does sessionClient. */
export interface SearchClient {
  get(path: string): Promise<{ status: number; body: unknown }>;
}

/** A client that sends a session cookie (the bench signs in once through the real endpoint). */
export const sessionClient = (baseUrl: string, cookie: string): SearchClient => ({
  async get(path) {
    const res = await fetch(baseUrl + path, { headers: { cookie } });
    return { status: res.status, body: await res.json() };
  },
});

interface SearchAnswer {
  items: { slug: string }[];
  total: number;
  corrections: { from: string; to: string }[];
  expansions: { term: string; alternatives: string[] }[];
}

export interface QualityResult extends QualityQuery {
  /** The slugs of the first MRR_DEPTH hits, in order. */
  slugs: string[];
  /** 1-based rank of the first expected slug among them, null when absent. */
  rank: number | null;
  total: number;
  corrections: string[];
  expansions: string[];
}

export interface QualityReport {
  queries: number;
  /** Queries whose first hit is one of `expected` (any of them: several sheets may answer equally well). */
  top1: number;
  /** Queries whose first hit is `expected[0]` (the strict reading). */
  top1Strict: number;
  /** Queries with an expected slug among the first three hits. */
  top3: number;
  /** Mean over the queries of 1/rank of the first expected slug within the first MRR_DEPTH hits (0 when absent). */
  mrr: number;
  results: QualityResult[];
}

/**
 * Runs every query of the quality set through the real search endpoint (GET
 * /api/territories/:t/knowledge/sheets?q=…&limit=10) as the given client and scores the answers.
 * Reusable in a test: `measureQuality(agentApiClient, territoryId)` on a territory holding the demo sheets.
 */
export async function measureQuality(
  client: SearchClient,
  territoryId: string,
  set: readonly QualityQuery[] = QUALITY_SET,
): Promise<QualityReport> {
  const results: QualityResult[] = [];
  for (const q of set) {
    const res = await client.get(`/api/territories/${territoryId}/knowledge/sheets?q=${encodeURIComponent(q.query)}&limit=${MRR_DEPTH}`);
    if (res.status !== 200) throw new Error(`search « ${q.query} » answered ${res.status}: ${JSON.stringify(res.body)}`);
    const body = res.body as SearchAnswer;
    const slugs = body.items.map((i) => i.slug);
    const index = slugs.findIndex((s) => q.expected.includes(s));
    results.push({
      ...q,
      slugs,
      rank: index === -1 ? null : index + 1,
      total: body.total,
      corrections: body.corrections.map((c) => `${c.from}→${c.to}`),
      expansions: body.expansions.map((e) => e.term),
    });
  }
  const n = results.length;
  return {
    queries: n,
    top1: results.filter((r) => r.rank === 1).length,
    top1Strict: results.filter((r) => r.slugs[0] === r.expected[0]).length,
    top3: results.filter((r) => r.rank !== null && r.rank <= 3).length,
    mrr: n ? results.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / n : 0,
    results,
  };
}

// ---------------------------------------------------------------------------------------------
// The territory and its sheets

interface KbWorld {
  territoryId: string;
  organisationIds: Record<string, string>;
  agent: { email: string; password: string };
}

async function seedWorld(bench: BenchApp): Promise<KbWorld> {
  const db = bench.relais.ctx.db;
  const territory = await createTerritory(db, { slug: 'orne-kb-bench', name: 'Orne (banc d’essai des fiches)' });
  const organisationIds: Record<string, string> = {};
  for (const code of ORGANISATION_CODES)
    organisationIds[code] = (
      await createOrganisation(db, territory.id, { nationalCode: code, acronym: code === 'FRANCE_TRAVAIL' ? 'France Travail' : code })
    ).id;
  const place = await createContactPoint(db, territory.id, { name: 'France Services de Mortagne' });
  const agent = await createUser(db, {
    email: 'agent-kb@bench.relais.localhost',
    memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: place.id }],
  });
  const report = await db.transaction((tx) => importFiles(tx, territory.id, demoSheetFiles(), null, false, new Date()));
  if (report.errors.length) throw new Error(`demo sheets refused: ${JSON.stringify(report.errors)}`);
  return { territoryId: territory.id, organisationIds, agent };
}

/** Deterministic pseudo-random numbers (mulberry32), so that both databases get the same sheets. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

/** Local variants a network writes of a national procedure: a public, a place, a special case. */
const QUALIFIERS = [
  'pour les étudiants',
  'pour les travailleurs indépendants',
  'pour une personne sous tutelle ou curatelle',
  'sans accès à internet',
  'pour les plus de 60 ans',
  'en urgence',
  'après une séparation',
  'après un déménagement dans l’Orne',
  'depuis l’étranger',
  'pour un jeune de moins de 25 ans',
  'pendant une hospitalisation',
  'pour une famille monoparentale',
  'à la permanence d’Alençon',
  'à la permanence de Flers',
  'à la permanence de L’Aigle',
  'avec un interprète',
  'pour une personne en situation de handicap',
  'pour les saisonniers agricoles',
  'pour une personne hébergée chez un tiers',
  'après un décès dans la famille',
  'pour les frontaliers',
  'pour les gens du voyage',
  'pour une personne détenue ou sortant de détention',
  'pour les aidants familiaux',
  'cas d’un dossier bloqué',
  'cas d’un premier rendez-vous',
  'pour un couple avec enfants',
  'pour une personne étrangère titulaire d’un titre de séjour',
];
const LOCAL_NOTES = [
  'La permanence du mardi matin permet de faire la démarche avec un conseiller numérique.',
  'Le partenaire reçoit sans rendez-vous le jeudi après-midi à la maison France Services.',
  'Prévoir une heure au guichet : la connexion aux espaces en ligne prend souvent du temps.',
  'En cas de doute, appeler la ligne réservée aux agents du réseau avant de saisir le partenaire.',
  'Les pièces peuvent être scannées sur place et envoyées depuis le poste en libre-service.',
  'Le bus de la France Services passe une fois par mois dans les communes rurales du canton.',
  'Noter dans le passage les pièces manquantes pour que le collègue suivant reprenne le dossier.',
  'Le délai de réponse constaté localement est d’environ trois semaines.',
];

/** A demo sheet as material: its content, its lines per section, its owner's code. */
interface Material {
  parsed: ParsedSheet;
  lines: Record<SheetSectionKey, string[]>;
  sentences: string[];
}

function materialOf(parsed: ParsedSheet): Material {
  const lines = Object.fromEntries(
    SheetSectionKeys.map((k) => [
      k,
      (parsed.sections[k] ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ]),
  ) as Record<SheetSectionKey, string[]>;
  const sentences = parsed.summary
    .split(/(?<=[.;!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { parsed, lines, sentences };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Items of a list renumbered when they are an ordered list ("1. …"). */
const renumber = (lines: string[]) => {
  let n = 0;
  return lines.map((l) => (/^\d+\.\s/.test(l) ? `${++n}. ${l.replace(/^\d+\.\s+/, '')}` : l));
};

/**
 * Sheet number i of the generated base: a demo sheet (round robin) rewritten as a local variant:
 * a qualifier in its title, its summary mixed with a sentence of another sheet, in each section
 * some lines dropped and one or two lines of another sheet (of a shared theme when possible)
 * mixed in, some keywords dropped and one borrowed, another partner or the network for a third,
 * sometimes another theme; 5 % drafts, verification dates spread over the last 20 months.
 */
function variantSheet(
  i: number,
  materials: Material[],
  organisationIds: Record<string, string>,
  themes: string[],
  rand: Random,
  now: Date,
) {
  const base = materials[i % materials.length]!;
  const sharing = materials.filter((m) => m !== base && m.parsed.themes.some((t) => base.parsed.themes.includes(t)));
  const donor = () => (sharing.length && rand.chance(0.7) ? rand.pick(sharing) : rand.pick(materials));
  const d1 = donor();
  const d2 = donor();
  const qualifier = rand.pick(QUALIFIERS);
  const title = rand.chance(0.7)
    ? `${base.parsed.title} ${qualifier}`
    : `${capitalise(qualifier)} : ${base.parsed.title.charAt(0).toLowerCase()}${base.parsed.title.slice(1)}`;
  const summary = [base.sentences[0] ?? base.parsed.summary, rand.pick(d1.sentences.length ? d1.sentences : [''])]
    .join(' ')
    .trim()
    .slice(0, 400);
  const sections: Partial<SheetSections> = {};
  for (const k of SheetSectionKeys) {
    const kept = base.lines[k].filter(() => rand.chance(0.8));
    for (const d of [d1, d2]) {
      if (!d.lines[k].length || !rand.chance(0.75)) continue;
      kept.splice(rand.int(kept.length + 1), 0, rand.pick(d.lines[k]));
    }
    if (k === 'audience') kept.push(`Cette fiche traite le cas suivant : ${qualifier}.`);
    if (k === 'escalate' && rand.chance(0.5)) kept.push(rand.pick(LOCAL_NOTES));
    if (kept.length) sections[k] = renumber(kept).join('\n');
  }
  const keywords = [
    ...new Set([
      ...base.parsed.keywords.filter(() => rand.chance(0.75)),
      ...(d1.parsed.keywords.length ? [rand.pick(d1.parsed.keywords)] : []),
    ]),
  ].slice(0, 30);
  const owner = rand.next();
  const baseOrg = base.parsed.organisation ? organisationIds[base.parsed.organisation] : undefined;
  const organisationId = owner < 0.65 && baseOrg !== undefined ? baseOrg : owner < 0.9 ? rand.pick(Object.values(organisationIds)) : null;
  const sheetThemes = [...new Set([...base.parsed.themes, ...(rand.chance(0.3) ? [rand.pick(themes)] : [])])];
  const content: SheetContent = { title, summary, organisationId, themes: sheetThemes, keywords, sections: sections as SheetSections };
  const status: 'brouillon' | 'publiee' = rand.chance(0.05) ? 'brouillon' : 'publiee';
  const verifiedAt = new Date(now.getTime() - rand.int(20 * 30) * 86_400_000);
  return {
    content,
    status,
    slug: `${base.parsed.slug}-v${i}`.slice(0, 80),
    verified: status === 'publiee' ? { at: verifiedAt, byId: null, byName: 'Coordination du réseau' } : null,
  };
}

/**
 * Brings the territory to `total` sheets with generated variants, LOAD_BATCH per transaction: the
 * rows as insertSheet writes them (same `searchVector` expression, one multi-row INSERT), their
 * version 1, and the batch's words added to the lexicon by `addToLexicon` (one call per batch).
 */
async function loadSheets(bench: BenchApp, world: KbWorld, total: number) {
  const materials = demoSheetFiles().map((f) => materialOf(parseSheetMarkdown(f.text)));
  const themes = [...new Set(materials.flatMap((m) => m.parsed.themes))].sort();
  const rand = random(20261130);
  const now = new Date();
  const started = performance.now();
  const count = total - materials.length;
  for (let from = 0; from < count; from += LOAD_BATCH) {
    const batch = Array.from({ length: Math.min(LOAD_BATCH, count - from) }, (_, k) =>
      variantSheet(from + k, materials, world.organisationIds, themes, rand, now),
    );
    await bench.relais.ctx.db.transaction(async (tx) => {
      const rows = await tx
        .insert(kbSheets)
        .values(
          batch.map((v) => {
            const bodyText = bodyTextOf(v.content.sections);
            return {
              territoryId: world.territoryId,
              slug: v.slug,
              ...v.content,
              status: v.status,
              version: 1,
              bodyText,
              search: searchVector({ ...v.content, bodyText }),
              verifiedAt: v.verified?.at ?? null,
              verifiedByName: v.verified?.byName ?? null,
              createdAt: now,
              updatedAt: now,
            };
          }),
        )
        .returning({ id: kbSheets.id });
      await tx.insert(kbSheetVersions).values(
        batch.map((v, k) => ({
          sheetId: rows[k]!.id,
          version: 1,
          territoryId: world.territoryId,
          ...v.content,
          status: v.status,
          note: 'Banc d’essai',
          createdAt: now,
        })),
      );
      await addToLexicon(
        tx,
        world.territoryId,
        batch
          .map((v) => `${v.content.title} ${v.content.summary} ${v.content.keywords.join(' ')} ${bodyTextOf(v.content.sections)}`)
          .join(' '),
      );
    });
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const pool = bench.relais.ctx.database.pool;
  await pool.query('ANALYZE kb_sheets');
  await pool.query('ANALYZE kb_lexicon');
  await pool.query('ANALYZE kb_sheet_versions');
  const { rows } = await pool.query<{ sheets: number; published: number; lexicon: number; avg_chars: number }>(
    `SELECT (SELECT count(*)::int FROM kb_sheets WHERE territory_id = $1) AS sheets,
       (SELECT count(*)::int FROM kb_sheets WHERE territory_id = $1 AND status = 'publiee') AS published,
       (SELECT count(*)::int FROM kb_lexicon WHERE territory_id = $1) AS lexicon,
       (SELECT avg(length(body_text))::int FROM kb_sheets WHERE territory_id = $1) AS avg_chars`,
    [world.territoryId],
  );
  return { ...rows[0]!, insertSeconds, totalSeconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Latency

/** The quality-set queries, the three kinds interleaved (typos, familiar words, sentences). */
function queryMix(): string[] {
  const typos = QUALITY_SET.filter((q) => /faute|accent|apostrophe/.test(q.note ?? ''));
  const familiar = QUALITY_SET.filter((q) => !typos.includes(q) && /sigle|nom|familier/.test(q.note ?? ''));
  const plain = QUALITY_SET.filter((q) => !typos.includes(q) && !familiar.includes(q));
  const out: string[] = [];
  for (let i = 0; i < Math.max(typos.length, familiar.length, plain.length); i++)
    for (const list of [typos, familiar, plain]) if (list[i]) out.push(list[i]!.query);
  return out;
}

/** What an agent is writing when the form asks for suggestions: the partner chosen and the note. */
const SUGGESTIONS: { code: string; text: string }[] = [
  { code: 'CAF', text: 'Usager a déménagé le mois dernier, veut savoir si son APL continue et comment déclarer sa nouvelle adresse' },
  { code: 'CPAM', text: 'Carte vitale perdue, plus de mutuelle depuis janvier, ne sait pas à quoi il a droit' },
  { code: 'FRANCE_TRAVAIL', text: 'N’arrive pas à s’actualiser, l’attestation employeur de son dernier contrat manque' },
  { code: 'DGFIP', text: 'Première déclaration de revenus, ne retrouve pas son numéro fiscal ni son avis d’impôt' },
  { code: 'ANTS', text: 'Passeport volé, pas de rendez-vous en mairie avant deux mois, voyage prévu' },
  { code: 'CNAV', text: 'Départ à la retraite l’an prochain, relevé de carrière incomplet pour les années à l’étranger' },
  { code: 'MSA', text: 'Exploitant agricole en arrêt de travail depuis trois semaines, indemnités pas encore versées' },
  { code: 'JUSTICE', text: 'Litige avec son propriétaire, voudrait un avocat gratuit et savoir quel tribunal saisir' },
  { code: 'CCAS', text: 'Sans domicile stable, besoin d’une adresse pour recevoir son courrier et ouvrir ses droits' },
  { code: 'MDPH', text: 'Renouvellement de l’AAH, dossier MDPH déposé il y a huit mois sans réponse' },
];

const SEARCH_KIND = 'recherche (`runSearch`)';
const kind = (q: TracedQuery) => {
  const t = q.text.replace(/\s+/g, ' ');
  if (/WITH m AS MATERIALIZED/i.test(t)) return SEARCH_KIND;
  if (/kb_lexicon/.test(t)) return 'correction des mots (`kb_lexicon`)';
  if (/kb_synonyms/.test(t)) return 'synonymes du territoire';
  if (/"sessions"|"memberships"/.test(t)) return 'session et droits';
  if (/territory_themes|reporting_group|"procedures"/.test(t)) return 'libellés des thèmes (`themeLabeller`)';
  if (/partner_organisations/.test(t)) return 'noms des partenaires (`organisationRefs`)';
  return 'autre';
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Each statement of a trace run alone (same text, same values), median of `passes`. */
async function timeStatements(bench: BenchApp, trace: SqlTrace, passes: number) {
  const pool = bench.relais.ctx.database.pool;
  const out: { kind: string; ms: number; text: string; values: unknown[] }[] = [];
  for (const q of trace.statements) {
    if (/^\s*(begin|commit)/i.test(q.text)) continue;
    const times: number[] = [];
    for (let p = 0; p < passes; p++) {
      const t0 = performance.now();
      await pool.query({ text: q.text, values: q.values, rowMode: q.rowMode, types: q.types } as never);
      times.push(performance.now() - t0);
    }
    out.push({ kind: kind(q), ms: median(times), text: q.text, values: q.values });
  }
  return out;
}

/** One request of a rotation, traced alone: its SQL, its raw replay, and what each cost once. */
interface Traced {
  label: string;
  path: string;
  trace: SqlTrace;
  replay: (i: number) => Promise<(number | null)[]>;
  /** The traced HTTP request, alone (ms). */
  app: number;
  /** Its statements replayed once, alone (ms): checkReplay's pass. */
  raw: number;
  /** Sheets that match (the search's total; for suggestions, the count of its search statement). */
  total: number;
  /** Concepts the query was cut into (one `ts_filter` per concept in the search statement). */
  concepts: number;
}

interface Plan {
  label: string;
  ms: number;
  plan: string;
}

interface DatabaseResult {
  label: string;
  quality: QualityReport;
  searches: Traced[];
  suggestions: Traced[];
  /** Statement kinds of the first BREAKDOWN_QUERIES searches, each statement run alone once (ms, summed). */
  byKind: Map<string, number>;
  breakdownQueries: number;
  plans: Plan[];
}

/**
 * Traces each request alone (the SQL the app sends, timed over HTTP), checks its replay (timed:
 * the same statements run by the driver alone), and keeps the replay for the raw baseline.
 */
async function traceEach(bench: BenchApp, requests: { label: string; path: string }[], cookie: string): Promise<Traced[]> {
  const pool = bench.relais.ctx.database.pool;
  const out: Traced[] = [];
  for (const { label, path } of requests) {
    let app = 0;
    let body = '';
    const trace = await traceAlone(bench, async () => {
      const t0 = performance.now();
      const res = await fetch(bench.baseUrl + path, { headers: { cookie } });
      body = await res.text();
      app = performance.now() - t0;
      return new Response(body, { status: res.status });
    });
    const replay = replayOf(pool, trace);
    const t0 = performance.now();
    await checkReplay(trace, replay);
    const raw = performance.now() - t0;
    const answer = JSON.parse(body) as { total?: number; items: unknown[] };
    const main = trace.statements.find((q) => kind(q) === SEARCH_KIND);
    // Suggestions answer a page without its total: the search statement counts the matches all the same.
    if (answer.total === undefined && main) {
      const { rows } = await pool.query({ text: main.text, values: main.values, rowMode: main.rowMode } as never);
      const first = rows[0] as { total?: number } | unknown[];
      answer.total = Number(Array.isArray(first) ? first[0] : first.total);
    }
    out.push({
      label,
      path,
      trace,
      replay,
      app,
      raw,
      total: answer.total ?? answer.items.length,
      concepts: main ? (main.text.match(/ts_filter/g) ?? []).length : 0,
    });
  }
  return out;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the search statement of a traced request. */
async function explainSearch(bench: BenchApp, traced: Traced, label: string): Promise<Plan | null> {
  const main = traced.trace.statements.find((q) => kind(q) === SEARCH_KIND);
  if (!main) return null;
  const { rows } = await bench.relais.ctx.database.pool.query<{ 'QUERY PLAN': string }>({
    text: `EXPLAIN (ANALYZE, BUFFERS) ${main.text}`,
    values: main.values,
  } as never);
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  return { label, ms: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN), plan };
}

/**
 * The app over HTTP then the raw replays at each concurrency, the requests in rotation. A level
 * above 10 clients is skipped when, at the app's throughput of the previous level, its clients
 * could not all be answered once within the measured seconds (they would only queue).
 */
async function compare(
  bench: BenchApp,
  options: BenchOptions,
  scenario: string,
  traced: Traced[],
  cookie: string,
  concurrencies: number[],
  onRow: (row: ComparisonRow) => void,
): Promise<{ rows: ComparisonRow[]; skipped: string[] }> {
  const rows: ComparisonRow[] = [];
  const skipped: string[] = [];
  for (const concurrency of [...concurrencies].sort((x, y) => x - y)) {
    const previous = rows.at(-1);
    if (concurrency > 10 && previous && concurrency / Math.max(previous.app.throughput, 0.001) > options.seconds) {
      skipped.push(
        `${bench.label}, ${scenario} : ${concurrency} clients sautés (à ${previous.concurrency} clients l’app sert ${formatNumber(previous.app.throughput, 1)} req/s : ${concurrency} requêtes simultanées demanderaient ${formatNumber(concurrency / Math.max(previous.app.throughput, 0.001), 0)} s, plus que les ${formatNumber(options.seconds, 0)} s mesurées)`,
      );
      console.log(skipped.at(-1));
      continue;
    }
    await settle(bench);
    const app = await measureHttp(
      {
        baseUrl: bench.baseUrl,
        method: 'GET',
        paths: traced.map((t) => t.path),
        headers: { cookie },
        connections: concurrency,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
      },
      () => settle(bench),
    );
    await settle(bench);
    const raw = await measureLoops((i) => traced[i % traced.length]!.replay(i), {
      concurrency,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
    });
    const row = { database: bench.label, scenario, concurrency, app, raw };
    rows.push(row);
    onRow(row);
  }
  return { rows, skipped };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (n: number, of: number) => `${formatNumber((100 * n) / of, 0)} %`;
const seconds = (s: number) => `${formatNumber(s, s < 10 ? 1 : 0)} s`;
const code = (s: string) => `\`${s.replaceAll('|', '\\|')}\``;

function qualityTable(results: DatabaseResult[]): string[] {
  return [
    '| Base | Requêtes | Top-1 (premier résultat attendu) | dont `expected[0]` en tête | Top-3 | MRR@10 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      ({ label, quality: q }) =>
        `| ${label} | ${q.queries} | ${q.top1} (${pct(q.top1, q.queries)}) | ${q.top1Strict} (${pct(q.top1Strict, q.queries)}) | ${q.top3} (${pct(q.top3, q.queries)}) | ${formatNumber(q.mrr, 3)} |`,
    ),
  ];
}

function missesTable(quality: QualityReport): string[] {
  const misses = quality.results.filter((r) => r.rank === null || r.rank > 3);
  if (!misses.length) return ['Aucune requête hors du top-3.'];
  return [
    '| Requête | Nature | Attendu | Rang de l’attendu | Premiers résultats | Compris comme |',
    '| --- | --- | --- | ---: | --- | --- |',
    ...misses.map(
      (r) =>
        `| ${code(r.query)} | ${r.note ?? ''} | ${r.expected.map(code).join(', ')} | ${r.rank ?? `absent des ${MRR_DEPTH}`} | ${r.slugs.slice(0, 3).map(code).join(', ') || '(aucun)'} (${formatNumber(r.total)} trouvées) | ${[...r.corrections.map((c) => `correction ${c}`), ...r.expansions.map((e) => `synonymes de « ${e} »`)].join(' ; ') || '–'} |`,
    ),
  ];
}

/** Where the two databases disagree: first hit or rank of the expected sheet. */
function differences(results: DatabaseResult[]): string[] {
  if (results.length < 2) return [];
  const [a, b] = results as [DatabaseResult, DatabaseResult];
  const diff = a.quality.results.flatMap((r, i) => {
    const o = b.quality.results[i]!;
    return r.rank !== o.rank || r.slugs[0] !== o.slugs[0]
      ? [
          `${code(r.query)} : ${a.label} ${r.slugs[0] ?? '–'} (rang ${r.rank ?? '–'}), ${b.label} ${o.slugs[0] ?? '–'} (rang ${o.rank ?? '–'})`,
        ]
      : [];
  });
  return diff.length
    ? [`**Les deux bases diffèrent** sur ${diff.length} requête(s) :`, '', ...diff.map((d) => `- ${d}`)]
    : [
        `Les deux bases donnent, pour chacune des ${a.quality.queries} requêtes, le même premier résultat et le même rang de la fiche attendue : les chiffres et les échecs ci-dessous valent pour les deux.`,
      ];
}

const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / Math.max(1, values.length);

function breakdown(result: DatabaseResult): string {
  const n = result.breakdownQueries;
  const sql = [...result.byKind.values()].reduce((a, b) => a + b, 0);
  const first = result.searches.slice(0, n);
  return `${result.label} : sur les ${n} premières requêtes de la rotation, une recherche seule prend ${formatMs(mean(first.map((t) => t.app)))} ms par HTTP, ses ${first[0]?.trace.statements.length ?? 0} instructions SQL exécutées une à une ${formatMs(sql / n)} ms : ${[
    ...result.byKind,
  ]
    .sort((x, y) => y[1] - x[1])
    .map(([k, ms]) => `${k} ${formatMs(ms / n)} ms (${pct(ms, sql)})`)
    .join(
      ', ',
    )} ; sur les ${result.searches.length} requêtes : ${formatMs(mean(result.searches.map((t) => t.app)))} ms par HTTP, ${formatMs(mean(result.searches.map((t) => t.raw)))} ms de SQL rejoué, ${formatNumber(mean(result.searches.map((t) => t.total)))} fiches trouvées en moyenne.`;
}

function slowest(label: string, list: Traced[], count: number): string[] {
  const top = [...list].sort((a, b) => b.app - a.app).slice(0, count);
  return [
    `| ${label} | Concepts | Fiches trouvées | App seule (ms) | SQL rejoué seul (ms) |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...top.map((t) => `| ${code(t.label)} | ${t.concepts} | ${formatNumber(t.total)} | ${formatMs(t.app)} | ${formatMs(t.raw)} |`),
  ];
}

/** Search time against the number of sheets found, over the rotation: a line per bucket. */
function byMatches(result: DatabaseResult): string {
  const buckets = [
    [0, 100],
    [100, 500],
    [500, 1000],
    [1000, 2000],
    [2000, Number.POSITIVE_INFINITY],
  ] as const;
  return `${result.label} : ${buckets
    .map(([lo, hi]) => {
      const inside = result.searches.filter((t) => t.total >= lo && t.total < hi);
      if (!inside.length) return null;
      return `${hi === Number.POSITIVE_INFINITY ? `${formatNumber(lo)} fiches et plus` : `${formatNumber(lo)} à ${formatNumber(hi - 1)} fiches`} trouvées : ${inside.length} requêtes, SQL ${formatMs(mean(inside.map((t) => t.raw)))} ms en moyenne`;
    })
    .filter(Boolean)
    .join(' ; ')}.`;
}

const INTRO_TEXT = (total: number, rotation: number) =>
  [
    `**Qualité.** Un territoire et ses ${ORGANISATION_CODES.length} partenaires (codes nationaux CAF, CPAM, France Travail…), les 60 fiches de démonstration (\`server/seed/knowledge/sheets/\`) importées comme le fait la démo (\`importFiles\`). Chacune des ${QUALITY_SET.length} requêtes du jeu de qualité (\`server/seed/knowledge/quality-set.ts\` : fautes de frappe et accents manquants, sigles, mots familiers et anciens noms, phrases entières) passe par la vraie recherche, \`GET /api/territories/:t/knowledge/sheets?q=…&limit=10\`, en agent connecté. Le jeu donne pour chaque requête une ou plusieurs fiches attendues (\`expected\` : plusieurs quand plusieurs fiches répondent aussi bien). Définitions : **top-1** = le premier résultat est l’une des fiches attendues (à côté, le compte plus strict où c’est \`expected[0]\`) ; **top-3** = une fiche attendue figure parmi les trois premiers résultats ; **MRR@10** = moyenne, sur les requêtes, de 1/rang de la première fiche attendue parmi les 10 premiers résultats (0 si aucune n’y figure). \`measureQuality(client, territoryId)\`, exportée par \`bench/knowledge.bench.ts\`, fait la même mesure dans un test avec l’\`ApiClient\` d’un agent.`,
    '',
    `**Latence.** Le même territoire porté à **${formatNumber(total)} fiches** : aux 60 fiches s’ajoutent ${formatNumber(total - 60)} variantes locales générées (graine fixe : mêmes fiches sur les deux bases) — titre complété d’un public, d’un lieu ou d’un cas particulier (« … pour les étudiants », « … à la permanence de Flers »), résumé mêlé d’une phrase d’une autre fiche, dans chaque section des lignes retirées et une ou deux lignes d’une autre fiche (du même thème le plus souvent) ajoutées, mots-clés en partie retirés et empruntés, un tiers attribué à un autre partenaire ou au réseau, un thème ajouté une fois sur trois, 5 % de brouillons, dates de vérification étalées sur 20 mois. Insertion comme le fait \`insertSheet\` (mêmes colonnes, même expression \`searchVector\` pour le vecteur \`search\`, version 1 dans \`kb_sheet_versions\`), un INSERT de ${LOAD_BATCH} fiches par transaction, les mots de chaque lot ajoutés au lexique par \`addToLexicon\`, puis \`ANALYZE\`. **Recherche** : \`GET …/knowledge/sheets?q=…\` (20 résultats avec titres et extraits surlignés, total et facettes), les ${rotation} requêtes du jeu de qualité en rotation (une faute, un sigle ou mot familier, une phrase, et ainsi de suite), un agent connecté. **Suggestions** : \`GET …/knowledge/suggestions?organisationId=…&text=…\`, ${SUGGESTIONS.length} couples (partenaire choisi, note d’accueil de 80 à 120 caractères) en rotation, à 1 et 10 clients. La **référence brute** rejoue, dans autant de boucles et dans le même ordre de rotation, le SQL que l’app a envoyé pour chacune de ces requêtes (tracé une fois par requête, nombre de lignes vérifié). \`BENCH_KB_SHEETS=500\` pour un essai rapide ; au-delà de 10 clients, un niveau est sauté quand l’app, au débit mesuré au niveau précédent, ne pourrait pas répondre une fois à chaque client pendant la durée mesurée.`,
  ].join('\n');

/** What the measures of 30 November 2026 say (kept as written: the tables above are rewritten at each run). */
export const READING_NOTE = [
  '**Lecture (mesures du 30 novembre 2026, machine partagée : 2 cœurs ; première mesure à une charge moyenne de 5 à 7, la seconde de 3 à 5).**',
  '',
  '- **Qualité.** 82 requêtes sur 85 ont une fiche attendue en tête, 84 dans les trois premières, sur les deux bases à l’identique. Les trois échecs de top-1 montrent deux biais du classement, qui compte d’abord les *concepts couverts* : (1) `pointer au chômage` — `ft-actualisation` ne dit jamais « chômage » et ne couvre qu’un concept sur deux, alors que les fiches sur l’allocation, l’inscription ou l’attestation employeur citent les deux (l’actualisation dans leur corps) et passent devant : un mot de contexte très répandu fait reculer la fiche qui répond à l’intention ; (2) `inscripsion chomage` et `inscription pôle emploi` — `ft-attestations-paiement` porte « inscription » dans son titre, `ft-inscription` dit « S’inscrire » (la racinisation française ne rapproche pas *inscrire* et *inscription*) : à couverture égale, la similarité des mots du titre départage en faveur de la mauvaise fiche.',
  '- **Première mesure, avant correction.** Un seul concept suffit pour qu’une fiche corresponde (OU entre concepts) : une requête du jeu trouve en moyenne 1 518 des 4 752 fiches publiées, les plus générales 60 à 99 %, et le plan est un parcours séquentiel. Chaque fiche trouvée était **notée entièrement** : un `@@` et un `ts_filter` par concept, `ts_rank_cd`, `word_similarity`, chaque appel relisant le vecteur `search` stocké hors ligne (TOAST, de l’ordre de 40 pages lues par fiche). Recherche : p50 79 ms / p95 223 ms sur PostgreSQL à 1 client, 92 / 336 ms sur PGlite ; suggestions (une note d’accueil apporte jusqu’à 12 concepts) : 506 / 908 ms sur PostgreSQL, 926 / 1 092 ms sur PGlite, et aucune réponse en 5 s à 10 clients sur PGlite. Le sigle PAS (prélèvement à la source) se déclenchait sur le « pas » de toute phrase négative.',
  '- **Ce qui a été changé.** (1) Un classement préalable bon marché : les fiches qui ont *tous* les concepts (un `@@` de leur ET), puis `ts_rank_cd` — deux lectures du vecteur par fiche trouvée au lieu de deux par concept — et la note complète (couverture, `ts_filter`, similarité du titre) pour les 200 premières seulement ; (2) le vecteur gardé dans la ligne (`ALTER COLUMN search SET STORAGE MAIN` : les sections et le texte partent en TOAST d’abord) ; (3) `body_text` lu pour les extraits de la page seulement ; (4) un sigle qui est aussi un mot de question (« PAS ») sort de son groupe ; (5) la taxonomie chargée une fois par recherche. La qualité est inchangée (mêmes rangs pour les 85 requêtes).',
  '- **Après.** Tableau ci-dessus : recherche p50 50 ms / p95 93 ms sur PostgreSQL à 1 client (1,6 et 2,4 fois mieux), 30 recherches/s à 10 clients ; PGlite p50 94 / p95 283 ms. Suggestions : 138 / 193 ms sur PostgreSQL (3,7 et 4,7 fois mieux), 177 / 279 ms sur PGlite, qui répond désormais à 10 clients (6 par seconde, une seule connexion). L’écart app/brut reste faible : c’est la base qui travaille.',
  '- **Essai écarté.** Classer d’abord sans lire aucun vecteur (les fiches à tous les concepts par l’index GIN, puis la similarité du titre) : plus lent sur PostgreSQL dans la même journée (recherche p50 68 ms, suggestions 179 ms) ; non retenu.',
  '- **Ce qui reste.** Le coût suit encore le nombre de fiches trouvées, parce que le `@@` du filtre lit le vecteur de chacune : 36 ms de SQL pour 100 à 499 fiches trouvées, 85 ms au-delà de 2 000 (PostgreSQL). Pistes : exiger tous les concepts et ne relâcher en OU que s’il y a peu de résultats ; pour les suggestions, garder les concepts rares de la note (fréquence dans le lexique) plutôt que les 12 premiers. Les variantes générées recombinent 60 fiches : une vraie base de 5 000 fiches, plus variée, trouverait moins de fiches par requête.',
].join('\n');

export async function run(options: BenchOptions): Promise<string> {
  const total = sheetCount();
  const rows: ComparisonRow[] = [];
  const results: DatabaseResult[] = [];
  const engines: string[] = [];
  const poolSizes: string[] = [];
  const notes: string[] = [];
  const levelsSkipped: string[] = [];
  const printRow = rowPrinter();
  const mix = queryMix();
  let searchSql: string[] = [];
  const skipped = await forEachDatabase(options, async (bench) => {
    const started = performance.now();
    engines.push(bench.engine);
    poolSizes.push(`${bench.label} ${bench.poolSize}`);
    const world = await seedWorld(bench);
    const { cookie } = await signIn(bench.baseUrl, world.agent);

    const t0 = performance.now();
    const quality = await measureQuality(sessionClient(bench.baseUrl, cookie), world.territoryId);
    console.log(
      `${bench.label}, qualité (${quality.queries} requêtes, 60 fiches, ${formatMs(performance.now() - t0)} ms) : top-1 ${quality.top1}, top-3 ${quality.top3}, MRR ${quality.mrr.toFixed(3)}`,
    );

    const load = await loadSheets(bench, world, total);
    notes.push(
      `${bench.label} : ${formatNumber(load.sheets)} fiches (${formatNumber(load.published)} publiées, texte moyen ${formatNumber(load.avg_chars)} caractères), lexique de ${formatNumber(load.lexicon)} mots, ${formatNumber(load.sheets - 60)} fiches générées insérées en ${seconds(load.insertSeconds)} (ANALYZE compris : ${seconds(load.totalSeconds)})`,
    );
    console.log(notes.at(-1));

    const kb = `/api/territories/${world.territoryId}/knowledge`;
    const t1 = performance.now();
    const searches = await traceEach(
      bench,
      mix.map((q) => ({ label: q, path: `${kb}/sheets?q=${encodeURIComponent(q)}` })),
      cookie,
    );
    console.log(
      `${bench.label} : ${searches.length} recherches tracées et rejouées une fois en ${seconds((performance.now() - t1) / 1000)}`,
    );
    if (!searchSql.length) searchSql = searches[0]!.trace.statements.map((q) => q.text.replace(/\s+/g, ' ').trim());
    const byKind = new Map<string, number>();
    const breakdownQueries = Math.min(BREAKDOWN_QUERIES, searches.length);
    for (const t of searches.slice(0, breakdownQueries))
      for (const st of await timeStatements(bench, t.trace, 1)) byKind.set(st.kind, (byKind.get(st.kind) ?? 0) + st.ms);

    const measured = await compare(
      bench,
      options,
      `recherche (${mix.length} requêtes en rotation)`,
      searches,
      cookie,
      options.concurrency,
      printRow,
    );
    rows.push(...measured.rows);
    levelsSkipped.push(...measured.skipped);

    const suggestions = await traceEach(
      bench,
      SUGGESTIONS.map((s) => ({
        label: `${s.code} : ${s.text}`,
        path: `${kb}/suggestions?organisationId=${world.organisationIds[s.code]}&text=${encodeURIComponent(s.text)}`,
      })),
      cookie,
    );
    const suggested = await compare(
      bench,
      options,
      `suggestions (${SUGGESTIONS.length} notes en rotation)`,
      suggestions,
      cookie,
      options.concurrency.filter((c) => c <= 10),
      printRow,
    );
    rows.push(...suggested.rows);

    const slowSearch = [...searches].sort((a, b) => b.raw - a.raw)[0]!;
    const slowSuggestion = [...suggestions].sort((a, b) => b.raw - a.raw)[0]!;
    const plans = [
      await explainSearch(bench, slowSearch, `${bench.label}, recherche ${code(slowSearch.label)}`),
      await explainSearch(bench, slowSuggestion, `${bench.label}, suggestions ${code(slowSuggestion.label)}`),
    ].filter((p): p is Plan => p !== null);
    results.push({ label: bench.label, quality, searches, suggestions, byKind, breakdownQueries, plans });
    console.log(breakdown(results.at(-1)!));
    console.log(byMatches(results.at(-1)!));
    notes.push(`${bench.label} : section mesurée en ${seconds((performance.now() - started) / 1000)}, chargement compris`);
    console.log(notes.at(-1));
  });

  console.log(`\n${textTable(rows)}`);
  const first = results[0];
  return [
    `## ${title}`,
    '',
    INTRO_TEXT(total, mix.length),
    '',
    describeRun(options, { engines, poolSizes, skipped, notes }),
    '',
    '### Qualité de la recherche (60 fiches)',
    '',
    ...qualityTable(results),
    '',
    ...differences(results),
    '',
    ...(first
      ? [
          `Requêtes hors du top-3 (${first.label}) ; « Compris comme » : corrections de fautes et groupes de synonymes appliqués par l’app.`,
          '',
          ...missesTable(first.quality),
          '',
          `Fiche attendue au rang 2 ou 3 seulement : ${
            first.quality.results
              .filter((r) => r.rank === 2 || r.rank === 3)
              .map((r) => `${code(r.query)} (rang ${r.rank}, en tête : ${code(r.slugs[0]!)})`)
              .join(' ; ') || 'aucune'
          }.`,
          '',
        ]
      : []),
    `### Latence parmi ${formatNumber(total)} fiches`,
    '',
    'Latences en millisecondes. « Débit app/brut » = req/s de l’app ÷ opérations/s du pilote brut ; « p50 app/brut » = latence médiane de l’app ÷ celle du pilote brut.',
    '',
    markdownTable(rows),
    '',
    ...(levelsSkipped.length ? [...levelsSkipped.map((s) => `> ${s}.`), ''] : []),
    ...(rows.some((r) => r.app.count === 0)
      ? [
          `**Lignes sans latence app.** Aucune réponse de l’app n’est arrivée pendant les ${formatNumber(options.seconds, 0)} s mesurées : chaque requête attend son tour derrière celles des autres clients, plus longtemps que la fenêtre de mesure ; la référence brute, qui attend la fin de ses opérations en cours, donne l’ordre de grandeur de la latence (colonnes « Brut »).`,
          '',
        ]
      : []),
    `**Où passe le temps.** Chaque requête de la rotation a été envoyée seule une fois (tracée), puis son SQL rejoué seul une fois ; pour les ${BREAKDOWN_QUERIES} premières, chaque instruction a aussi été exécutée seule :`,
    '',
    ...results.flatMap((r) => [`- ${breakdown(r)}`, `- ${byMatches(r)}`]),
    '',
    'Les recherches les plus lentes, seules :',
    '',
    ...results.flatMap((r) => [...slowest(`${r.label} : recherche`, r.searches, 6), '']),
    'Les suggestions, seules :',
    '',
    ...results.flatMap((r) => [...slowest(`${r.label} : partenaire et note`, r.suggestions, SUGGESTIONS.length), '']),
    ...(READING_NOTE ? [READING_NOTE, ''] : []),
    '<details><summary>SQL d’une recherche (première requête de la rotation), rejoué par la référence brute</summary>',
    '',
    '```sql',
    `${searchSql.join(';\n')};`,
    '```',
    '',
    '</details>',
    '',
    '<details><summary>EXPLAIN ANALYZE de la recherche et de la suggestion les plus lentes</summary>',
    '',
    ...results.flatMap((r) => r.plans.flatMap((p) => [`${p.label}, ${formatMs(p.ms)} ms :`, '', '```', p.plan, '```', ''])),
    '</details>',
  ].join('\n');
}
