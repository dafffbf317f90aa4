import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig, PglitePgConnection } from '@electric-sql/pglite/node-postgres';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Config } from '../config.ts';
import { lockDataDirectory } from './lock.ts';
import './pglite-shim.ts';
import * as schema from './schema.ts';

export type Db = NodePgDatabase<typeof schema>;
/** What a query runs on: the database or an open transaction. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  kind: 'pglite' | 'postgres';
  /** Every query of the process, pg-boss included, goes through this one pool. */
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export const pgliteExtensions = { btree_gist, citext, pg_trgm, pgcrypto, unaccent };

/**
 * Opens PGlite or PostgreSQL behind the same node-postgres pool. On PGlite the pool has one
 * connection, so a transaction holds it and every other query waits: nobody sends BEGIN by hand.
 */
export async function openDatabase(database: Config['database']): Promise<Database> {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: database.poolSize });
    pool.on('error', () => {}); // idle client errors surface on the next query
    return { kind: 'postgres', pool, db: drizzle(pool, { schema, casing: 'snake_case' }), close: () => pool.end() };
  }
  const unlock = lockDataDirectory(database.dataDir);
  try {
    const lite = await PGlite.create(database.dataDir, { extensions: pgliteExtensions });
    return wrapPglite(lite, async () => {
      await lite.close();
      unlock();
    });
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Wraps an already open PGlite (tests load a migrated dump into memory). */
export function wrapPglite(lite: PGlite, onClose: () => Promise<void>): Database {
  // pg-pool discards a client whose query failed; the next client must not inherit the old
  // connection object and its queued "end", so each client gets its own connection to PGlite.
  class PgliteClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connection: new PglitePgConnection({ pglite: lite }) } as pg.ClientConfig);
    }
  }
  const pool = new pg.Pool({ ...createPgConfig(lite), Client: PgliteClient, max: 1 });
  return {
    kind: 'pglite',
    pool,
    db: drizzle(pool, { schema, casing: 'snake_case' }),
    close: async () => {
      await pool.end();
      await onClose();
    },
  };
}
