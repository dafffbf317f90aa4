import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase, pgliteExtensions, wrapPglite } from '../db/client.ts';
import type { Clock } from '../platform/clock.ts';
import { assemble, type Relais } from '../runtime.ts';
import { ApiClient } from './api-client.ts';
import { withDatabase } from './global-setup.ts';

export const testDriver = (process.env.RELAIS_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh, migrated database for one test file: a loaded PGlite dump or a clone of the template. */
export async function createTestDatabase(): Promise<Database> {
  if (testDriver === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = inject('pgTemplate');
    const name = `${template.replace('tpl', 't')}_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolSize: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteDump'));
  const lite = await PGlite.create({ loadDataDir: new Blob([dump]), extensions: pgliteExtensions });
  return wrapPglite(lite, () => lite.close());
}

export interface TestApp extends Relais {
  baseUrl: string;
  /** An HTTP client with its own cookie jar, talking to the real listening server. */
  client(): ApiClient;
  /** A client already signed in as this user (through the real sign-in endpoint). */
  signIn(user: { email: string; password: string }): Promise<ApiClient>;
}

/** Starts the real app on a random port over a fresh database. */
export async function createTestApp(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-app-'));
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    JOBS: 'false',
    ...options.env,
  });
  const database = await createTestDatabase();
  const relais = await assemble(config, database, { clock: options.clock, logger: false });
  await relais.app.listen({ port: 0, host: '127.0.0.1' });
  const address = relais.app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  if (!options.env?.PUBLIC_URL) config.publicUrl = baseUrl;
  return {
    ...relais,
    baseUrl,
    client: () => new ApiClient(baseUrl),
    async signIn(user) {
      const client = new ApiClient(baseUrl);
      const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return client;
    },
    async close() {
      await relais.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
