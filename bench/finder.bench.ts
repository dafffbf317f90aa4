import { PgDialect } from 'drizzle-orm/pg-core';
import { nearestSql, RADII } from '../server/modules/finder/finder.service.ts';
import { communes } from '../server/modules/geo/communes.ts';
import { busStops, contactPoints, territories } from '../server/modules/network/network.schema.ts';
import { type BenchApp, forEachDatabase } from './lib/app.ts';
import { measureHttp } from './lib/http-load.ts';
import type { BenchOptions } from './lib/options.ts';
import { measureLoops } from './lib/raw-load.ts';
import { describeRun, markdownTable, rowPrinter, textTable } from './lib/report.ts';
import { type ComparisonRow, settle } from './lib/scenario.ts';
import { formatNumber } from './lib/stats.ts';

export const id = 'finder';
export const title = 'Recherche publique : lieux d’accueil les plus proches';

const CONTACT_POINTS = 3000;
const BUSES = 30;
const STOPS_PER_BUS = 12;
const POSITIONS = 200;
const LIMIT = 20;
const HOURS = [
  'Mo-Fr {a}-12:00,14:00-{b}',
  'Mo-Th {a}-12:30,13:30-{b}; Fr {a}-12:30',
  'Mo,We,Fr {a}-12:00; Tu,Th 14:00-{b}; PH off',
  'Mo-Fr {a}-12:30,13:30-{b}; Sa 09:00-12:00',
  'Tu-Sa {a}-12:00; We 14:00-{b} "sur rendez-vous"',
  'Mo-Fr {a}-12:00',
];
const OPENS = ['08:00', '08:30', '09:00', '09:30'];
const CLOSES = ['16:30', '17:00', '17:30', '18:00', '18:30'];
/** 120 different hours strings, as varied as a real network's. */
const hoursFor = (i: number) =>
  HOURS[i % HOURS.length]!.replaceAll('{a}', OPENS[Math.floor(i / 6) % 4]!).replaceAll('{b}', CLOSES[Math.floor(i / 24) % 5]!);

/** A small deterministic generator: the same places every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * 3,000 contact points over France as the network is spread: in communes drawn from the placed
 * communes of every département (overseas included), one territory per département, with
 * ordinary hours; 30 travelling buses with their next stops.
 */
async function seed(bench: BenchApp) {
  const db = bench.relais.ctx.db;
  const rand = random(2026);
  const placed = communes().all.filter((c) => c.kind === 'commune' && c.coordinates);
  const departments = [...new Set(placed.map((c) => c.departmentCode))].sort();
  const rows = await db
    .insert(territories)
    .values(
      departments.map((d) => ({
        slug: `departement-${d.toLowerCase()}`,
        name: `Département ${d}`,
        departmentCode: d,
        regionCode: placed.find((c) => c.departmentCode === d)!.regionCode,
        timezone:
          d === '971' || d === '972'
            ? 'America/Martinique'
            : d === '973'
              ? 'America/Cayenne'
              : d === '974'
                ? 'Indian/Reunion'
                : d === '976'
                  ? 'Indian/Mayotte'
                  : 'Europe/Paris',
      })),
    )
    .returning({ id: territories.id, departmentCode: territories.departmentCode });
  const territoryOf = new Map(rows.map((r) => [r.departmentCode, r.id]));
  const pick = () => placed[Math.floor(rand() * placed.length)]!;
  const jitter = () => (rand() - 0.5) * 0.01;
  const values = Array.from({ length: CONTACT_POINTS }, (_, i) => {
    const c = pick();
    return {
      territoryId: territoryOf.get(c.departmentCode)!,
      name: `France Services ${c.name} ${i + 1}`,
      kind: i % 7 === 0 ? ('mairie' as const) : ('france_services' as const),
      commune: c.name,
      inseeCode: c.inseeCode,
      postcode: c.postcodes[0] ?? null,
      latitude: c.coordinates!.lat + jitter(),
      longitude: c.coordinates!.lon + jitter(),
      openingHours: hoursFor(i),
    };
  });
  for (let i = 0; i < values.length; i += 500) await db.insert(contactPoints).values(values.slice(i, i + 500));
  const now = Date.now();
  for (let b = 0; b < BUSES; b++) {
    const home = pick();
    const [bus] = await db
      .insert(contactPoints)
      .values({ territoryId: territoryOf.get(home.departmentCode)!, name: `Bus France Services ${b + 1}`, kind: 'bus', commune: home.name })
      .returning({ id: contactPoints.id, territoryId: contactPoints.territoryId });
    await db.insert(busStops).values(
      Array.from({ length: STOPS_PER_BUS }, (_, s) => {
        const starts = now + (s + 1) * 86_400_000;
        return {
          territoryId: bus!.territoryId,
          contactPointId: bus!.id,
          commune: home.name,
          place: `Arrêt ${s + 1}`,
          latitude: home.coordinates!.lat + (rand() - 0.5) * 0.3,
          longitude: home.coordinates!.lon + (rand() - 0.5) * 0.3,
          startsAt: new Date(starts),
          endsAt: new Date(starts + 3 * 3600_000),
        };
      }),
    );
  }
  // Where people search from: other placed communes, drawn the same way.
  return Array.from({ length: POSITIONS }, () => pick().coordinates!);
}

const dialect = new PgDialect();

/** The distance queries the app runs for one search (radius widened until 20 places are found), through the raw pool. */
function rawSearch(bench: BenchApp, positions: { lat: number; lon: number }[]) {
  const pool = bench.relais.ctx.database.pool;
  return async (i: number) => {
    const origin = positions[i % positions.length]!;
    const at = new Date();
    for (const radiusKm of RADII) {
      const q = dialect.sqlToQuery(nearestSql(origin, { radiusKm, at, limit: LIMIT }));
      const { rowCount } = await pool.query(q.sql, q.params as unknown[]);
      if ((rowCount ?? 0) >= LIMIT) return;
    }
  };
}

export async function run(options: BenchOptions): Promise<string> {
  const rows: ComparisonRow[] = [];
  const engines: string[] = [];
  const poolSizes: string[] = [];
  const notes: string[] = [];
  const printRow = rowPrinter();
  const skipped = await forEachDatabase(options, async (bench) => {
    engines.push(bench.engine);
    poolSizes.push(`${bench.label} ${bench.poolSize}`);
    const seeding = performance.now();
    const positions = await seed(bench);
    console.log(`${bench.label} : données créées en ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const paths = positions.map((p) => `/api/public/contact-points?lat=${p.lat.toFixed(4)}&lon=${p.lon.toFixed(4)}&limit=${LIMIT}`);
    // One request first: loads the communes (first use) and checks the answer.
    const first = await fetch(bench.baseUrl + paths[0]);
    const body = (await first.json()) as { items: unknown[] };
    if (first.status !== 200 || body.items.length !== LIMIT)
      throw new Error(`unexpected answer ${first.status}: ${JSON.stringify(body).slice(0, 200)}`);
    // How many distance queries a search takes (the radius widens until 20 places are found).
    let queries = 0;
    const pool = bench.relais.ctx.database.pool;
    for (const origin of positions) {
      for (const radiusKm of RADII) {
        queries++;
        const q = dialect.sqlToQuery(nearestSql(origin, { radiusKm, at: new Date(), limit: LIMIT }));
        if (((await pool.query(q.sql, q.params as unknown[])).rowCount ?? 0) >= LIMIT) break;
      }
    }
    notes.push(`${bench.label} : ${formatNumber(queries / positions.length, 2)} requête(s) de distance par recherche en moyenne`);
    const raw = rawSearch(bench, positions);
    for (const concurrency of options.concurrency) {
      await settle(bench);
      const app = await measureHttp(
        {
          baseUrl: bench.baseUrl,
          method: 'GET',
          paths,
          headers: {},
          connections: concurrency,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        },
        () => settle(bench),
      );
      await settle(bench);
      const rawMeasure = await measureLoops(raw, { concurrency, seconds: options.seconds, warmupSeconds: options.warmupSeconds });
      const row = { database: bench.label, scenario: 'plus proches', concurrency, app, raw: rawMeasure };
      rows.push(row);
      printRow(row);
    }
  });

  console.log(`\n${textTable(rows)}`);
  return [
    `## ${title}`,
    '',
    `Une personne, sans connexion, cherche les ${LIMIT} lieux d’accueil les plus proches d’une position : \`GET /api/public/contact-points?lat=…&lon=…&limit=${LIMIT}\`, sur ${formatNumber(CONTACT_POINTS)} lieux répartis sur toute la France (communes tirées au hasard parmi celles qui ont des coordonnées, outre-mer compris, un territoire par département, horaires au format OSM) et ${BUSES} bus itinérants de ${STOPS_PER_BUS} arrêts à venir. Les positions de recherche tournent sur ${POSITIONS} communes tirées de la même façon.`,
    '',
    'Chaque recherche calcule la distance (haversine en SQL) dans un rectangle autour de la personne (25 km, puis 80, 250, puis sans limite tant que 20 lieux ne sont pas trouvés), un bus étant placé à son arrêt à venir le plus proche ; l’app calcule ensuite « ouvert maintenant » de chaque lieu (moteur d’horaires, fuseau et jours fériés du territoire ; une évaluation coûte quelques millisecondes, elle est gardée en mémoire jusqu’au prochain changement d’état, une heure au plus, pour les mêmes horaires, fuseau et zone de jours fériés : 120 horaires différents ici) et sérialise la réponse. La **référence brute** exécute les mêmes requêtes de distance (même texte SQL, mêmes paramètres, même élargissement du rayon) directement sur le pool, sans HTTP, sans calcul d’horaires.',
    '',
    describeRun(options, { engines, poolSizes, skipped, notes }),
    '',
    'Latences en millisecondes. « Débit app/brut » = req/s de l’app ÷ recherches/s du pilote brut ; « p50 app/brut » = latence médiane de l’app ÷ celle du pilote brut.',
    '',
    markdownTable(rows),
  ].join('\n');
}
