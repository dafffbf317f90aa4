import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, wrapPglite } from './client.ts';

let database: Database;
beforeAll(async () => {
  const lite = await PGlite.create();
  database = wrapPglite(lite, () => lite.close());
  await database.pool.query('CREATE TABLE t (x int)');
  await database.pool.query('INSERT INTO t VALUES (1)');
});
afterAll(() => database.close());

describe('PGlite behind the node-postgres pool', () => {
  it('runs drizzle queries with parameters (type parsers are not sent to the protocol shim)', async () => {
    const result = await database.db.execute<{ x: number; label: string }>(sql`SELECT x, ${'ok'}::text AS label FROM t WHERE x = ${1}`);
    expect(result.rows).toEqual([{ x: 1, label: 'ok' }]);
  });

  it('keeps answering correctly after a failed query outside a transaction', async () => {
    await expect(database.pool.query('SELECT nope')).rejects.toThrow(/nope/);
    for (let i = 0; i < 3; i++) expect((await database.pool.query('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
  });

  it('lets timers and I/O run while a long chain of queries keeps the pool busy', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    for (let i = 0; i < 300; i++) await database.pool.query('SELECT 1');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it('serialises a transaction against concurrent queries on the single connection', async () => {
    const seen: number[] = [];
    await Promise.all([
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO t VALUES (2)`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        await tx.execute(sql`DELETE FROM t WHERE x = 2`);
      }),
      database.pool.query('SELECT count(*)::int AS n FROM t').then((r) => seen.push(r.rows[0].n)),
    ]);
    expect(seen).toEqual([1]);
  });
});
