import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../server/config.ts';
import { type Relais, startRelais } from '../../server/runtime.ts';
import type { BenchOptions } from './options.ts';

/** The real app, listening on a random loopback port, over one of the two databases. */
export interface BenchApp {
  kind: 'pglite' | 'postgres';
  /** "PGlite" or "PostgreSQL". */
  label: string;
  /** What runs underneath, e.g. "PGlite 0.5.16 (PostgreSQL 17.5)" or "PostgreSQL 15.14". */
  engine: string;
  relais: Relais;
  baseUrl: string;
  /** Connections in the app's node-postgres pool (1 on PGlite). */
  poolSize: number;
}

/** The installed PGlite package's version (its package.json is not exported, so go up from dist/). */
export const pgliteVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')), 'utf8')) as { version: string })
    .version;

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
};

/**
 * Runs `body` once per database of the options: PGlite in a temporary DATA_DIR, then PostgreSQL
 * in a fresh database created on the configured server and dropped afterwards. PostgreSQL is
 * skipped with a message when the server does not answer. Returns the skip messages.
 */
export async function forEachDatabase(options: BenchOptions, body: (bench: BenchApp) => Promise<void>): Promise<string[]> {
  const skipped: string[] = [];
  for (const kind of options.databases) {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
    let dropDatabase: (() => Promise<void>) | undefined;
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      JOBS: 'false',
      SEED_DEMO: 'false',
    };
    try {
      if (kind === 'postgres') {
        const created = await createDatabase(options.postgresUrl);
        if (typeof created === 'string') {
          skipped.push(created);
          console.warn(created);
          continue;
        }
        env.DATABASE_URL = created.url;
        dropDatabase = created.drop;
      }
      const started = performance.now();
      const relais = await startRelais(loadConfig(env));
      console.log(
        `${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} : app démarrée et base migrée en ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      try {
        await relais.app.listen({ host: '127.0.0.1', port: 0 });
        const address = relais.app.server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        const { rows } = await relais.ctx.database.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
        const serverVersion = rows[0]!.v.split(' ')[0]!;
        const config = relais.ctx.config.database;
        await body({
          kind,
          label: kind === 'pglite' ? 'PGlite' : 'PostgreSQL',
          engine: kind === 'pglite' ? `PGlite ${pgliteVersion()} (PostgreSQL ${serverVersion})` : `PostgreSQL ${serverVersion}`,
          relais,
          baseUrl: `http://127.0.0.1:${port}`,
          poolSize: config.kind === 'postgres' ? config.poolSize : 1,
        });
      } finally {
        await relais.close();
      }
    } finally {
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return skipped;
}

/** Creates `relais_bench_<random>` on the server, or says why PostgreSQL is skipped. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const name = `relais_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    return `PostgreSQL injoignable sur ${redact(serverUrl)} (${(error as Error).message}) : mesures PostgreSQL sautées. Définissez BENCH_DATABASE_URL ou TEST_DATABASE_URL. / PostgreSQL unreachable: skipped.`;
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Signs in through the real endpoint; returns what a browser would then send. */
export async function signIn(baseUrl: string, user: { email: string; password: string }) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await res.json()) as { csrfToken?: string };
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('relais_session='));
  if (res.status !== 200 || !session || !body.csrfToken) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(body)}`);
  return { cookie: session, csrfToken: body.csrfToken };
}
