import { sql } from 'drizzle-orm';
import { nirHash, normaliseName } from '../../server/modules/people/identifiers.ts';
import type { BenchApp } from './app.ts';
import { type GeneratedPerson, generatePerson, seeded } from './french-people.ts';

/** Person i's file id: random-looking, the same every run (the search check compares ids). */
export function personId(i: number): string {
  const rand = seeded(i * 40503 + 99);
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const BATCH = 5000;
const BATCHES_PER_TRANSACTION = 10;

const PEOPLE_COLUMNS = `id uuid, territory_id uuid, first_name text, last_name text, birth_name text, birth_date date, phone text,
  commune text, postcode text, nir_sealed text, nir_hash text, search_name text`;
const HOLDER_COLUMNS = 'territory_id uuid, person_id uuid, contact_point_id uuid';
const names = (columns: string) => columns.replace(/ (uuid|text|date)/g, '');
const insertFromJson = (table: string, columns: string, json: string) =>
  sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names(columns))}) SELECT ${sql.raw(names(columns))} FROM jsonb_to_recordset(${json}::jsonb) AS x(${sql.raw(columns)})`;

export interface LoadTimes {
  /** Generating the rows, sealing the NIRs and computing their blind index, in Node. */
  generate: number;
  insert: number;
  index: number;
  vacuumAnalyze: number;
  total: number;
  nirs: number;
}

/**
 * Loads `total` person files held by `contactPointIds` the fastest way that is the same on both
 * databases: the secondary indexes of the two tables are dropped (as pg_restore does), rows go in
 * by batches of 5,000 as one JSON parameter expanded by jsonb_to_recordset, 50,000 per transaction
 * (through the app's transaction helper: PGlite has one connection), then the indexes are rebuilt
 * from their own definitions and the tables analysed. NIRs are sealed and blind-indexed as the
 * service does (ctx.secretBox, nirHash). VACUUM ANALYZE at the end, as autovacuum would have done on a live database.
 */
export async function loadPeople(bench: BenchApp, territoryId: string, contactPointIds: string[], total: number): Promise<LoadTimes> {
  const { ctx } = bench.relais;
  const seconds = (from: number) => (performance.now() - from) / 1000;
  const times: LoadTimes = { generate: 0, insert: 0, index: 0, vacuumAnalyze: 0, total: 0, nirs: 0 };
  const started = performance.now();
  const { rows: indexes } = await ctx.database.pool.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename IN ('people', 'person_contact_points')
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
  );
  for (const index of indexes) await ctx.database.pool.query(`DROP INDEX "${index.name}"`);

  const batchOf = (from: number) => {
    const people = [];
    const holders = [];
    for (let i = from; i < Math.min(total, from + BATCH); i++) {
      const p: GeneratedPerson = generatePerson(i, contactPointIds.length);
      const id = personId(i);
      if (p.nir) times.nirs++;
      people.push({
        id,
        territory_id: territoryId,
        first_name: p.firstName,
        last_name: p.lastName,
        birth_name: p.birthName,
        birth_date: p.birthDate,
        phone: p.phone,
        commune: p.commune,
        postcode: p.postcode,
        nir_sealed: p.nir && ctx.secretBox.seal(p.nir),
        nir_hash: p.nir && nirHash(ctx, p.nir),
        search_name: normaliseName(p.firstName, p.lastName, p.birthName),
      });
      for (const cp of p.contactPoints) holders.push({ territory_id: territoryId, person_id: id, contact_point_id: contactPointIds[cp] });
    }
    return { people: JSON.stringify(people), holders: JSON.stringify(holders) };
  };

  for (let from = 0; from < total; from += BATCH * BATCHES_PER_TRANSACTION) {
    const t0 = performance.now();
    const batches: { people: string; holders: string }[] = [];
    for (let b = from; b < Math.min(total, from + BATCH * BATCHES_PER_TRANSACTION); b += BATCH) batches.push(batchOf(b));
    times.generate += seconds(t0);
    const t1 = performance.now();
    await ctx.db.transaction(async (tx) => {
      for (const batch of batches) {
        await tx.execute(insertFromJson('people', PEOPLE_COLUMNS, batch.people));
        await tx.execute(insertFromJson('person_contact_points', HOLDER_COLUMNS, batch.holders));
      }
    });
    times.insert += seconds(t1);
  }
  const t2 = performance.now();
  for (const index of indexes) await ctx.database.pool.query(index.definition);
  times.index = seconds(t2);
  const t3 = performance.now();
  await ctx.database.pool.query('VACUUM ANALYZE people, person_contact_points');
  times.vacuumAnalyze = seconds(t3);
  times.total = seconds(started);
  return times;
}
