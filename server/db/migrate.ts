import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 7_311_942; // any constant: app nodes starting together migrate one at a time

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

/** The migrations drizzle-kit generated, in order, with the hash of their SQL. */
export function readMigrations() {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries.map((entry) => {
    const sql = readFileSync(join(migrationsFolder, `${entry.tag}.sql`), 'utf8');
    return {
      tag: entry.tag,
      createdAt: entry.when,
      hash: createHash('sha256').update(sql).digest('hex'),
      statements: sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
}

/**
 * Applies the one migration folder shared by PGlite and PostgreSQL: each pending migration in its
 * own transaction, under an advisory lock, recorded in drizzle's own table
 * (drizzle.__drizzle_migrations) so that drizzle-kit tooling recognises it.
 */
export async function migrateDatabase(database: Database): Promise<{ applied: string[] }> {
  const client = await database.pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS drizzle');
    await client.query(
      'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
    );
    const done = await client.query<{ created_at: string }>('SELECT created_at FROM drizzle.__drizzle_migrations');
    const doneAt = new Set(done.rows.map((r) => Number(r.created_at)));
    for (const migration of readMigrations()) {
      if (doneAt.has(migration.createdAt)) continue;
      // The pool hands this client to nobody else until release, so this transaction is ours alone.
      await client.query('BEGIN');
      try {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
          migration.hash,
          migration.createdAt,
        ]);
        await client.query('COMMIT');
        applied.push(migration.tag);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.tag} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return { applied };
}
