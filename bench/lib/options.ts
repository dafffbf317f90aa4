/** Benchmark settings from the environment, so that a quick run is one variable away. */
export interface BenchOptions {
  /** Measured seconds per run (BENCH_SECONDS, default 5). */
  seconds: number;
  /** Discarded warm-up seconds before each measured run (BENCH_WARMUP_SECONDS, default 1). */
  warmupSeconds: number;
  /** Concurrent clients (BENCH_CONCURRENCY, default 1,10,50). */
  concurrency: number[];
  /** Databases to run on (BENCH_DATABASES, default pglite,postgres). */
  databases: ('pglite' | 'postgres')[];
  /** Server on which a fresh database is created (BENCH_DATABASE_URL, else TEST_DATABASE_URL). */
  postgresUrl: string;
  /** Free text written under the section's machine description (BENCH_NOTE). */
  note?: string;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} doit être un nombre positif / must be a positive number: ${raw}`);
  return value;
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const concurrency = (env.BENCH_CONCURRENCY || '1,10,50').split(',').map((s) => Number(s.trim()));
  if (concurrency.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`BENCH_CONCURRENCY : liste d'entiers positifs attendue / expected positive integers: ${env.BENCH_CONCURRENCY}`);
  }
  const databases = (env.BENCH_DATABASES || 'pglite,postgres').split(',').map((s) => s.trim());
  for (const d of databases) {
    if (d !== 'pglite' && d !== 'postgres') throw new Error(`BENCH_DATABASES : pglite et/ou postgres / pglite and/or postgres: ${d}`);
  }
  return {
    seconds: positiveNumber(env, 'BENCH_SECONDS', 5),
    warmupSeconds: env.BENCH_WARMUP_SECONDS === '0' ? 0 : positiveNumber(env, 'BENCH_WARMUP_SECONDS', 1),
    concurrency,
    databases: databases as BenchOptions['databases'],
    postgresUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    note: env.BENCH_NOTE || undefined,
  };
}
