import type { BenchApp } from './app.ts';
import { type HttpLoad, measureHttp } from './http-load.ts';
import type { BenchOptions } from './options.ts';
import { measureLoops } from './raw-load.ts';
import { checkReplay, replayOf, type SqlTrace, traceSql } from './sql-trace.ts';
import type { Measurement } from './stats.ts';

/** An authenticated HTTP request measured against the raw driver running the SQL it runs. */
export interface HttpScenario {
  /** Short French name shown in tables, e.g. "lecture". */
  name: string;
  method: HttpLoad['method'];
  /** Request i acts on targets[i % targets.length] (a row id in the path, for instance). */
  targets: string[];
  path: (target: string) => string;
  /** How a target appears among the SQL parameters, when the app transforms it (a name normalised, a NIR hashed). */
  sqlValue?: (target: string) => string;
  /** JSON body; `{n}` is replaced by a token unique to each request. */
  bodyTemplate?: string;
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface ComparisonRow {
  database: string;
  scenario: string;
  concurrency: number;
  app: Measurement;
  raw: Measurement;
}

const CAPTURE_TOKEN = 'xcapturex';

const headersFor = (scenario: HttpScenario, session: Session) => ({
  cookie: session.cookie,
  ...(scenario.method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
  ...(scenario.bodyTemplate ? { 'content-type': 'application/json' } : {}),
});

/**
 * Sends the request once while tracing the pool to learn the exact SQL the app runs, checks that
 * replaying it touches the same rows, then for each concurrency measures the app over HTTP and the
 * replay through the same node-postgres pool, one right after the other.
 */
export async function runHttpScenario(
  bench: BenchApp,
  session: Session,
  scenario: HttpScenario,
  options: BenchOptions,
  onRow: (row: ComparisonRow) => void = () => {},
): Promise<{ rows: ComparisonRow[]; trace: SqlTrace }> {
  const pool = bench.relais.ctx.database.pool;
  const headers = headersFor(scenario, session);
  const first = scenario.targets[0]!;
  const trace = await traceAlone(bench, () =>
    fetch(bench.baseUrl + scenario.path(first), {
      method: scenario.method,
      headers,
      body: scenario.bodyTemplate?.replaceAll('{n}', CAPTURE_TOKEN),
    }),
  );

  const inSql = scenario.sqlValue ?? ((t: string) => t);
  const sqlTargets = scenario.targets.map(inSql);
  const replay = replayOf(pool, trace, (value, i) => {
    let v = value.replaceAll(CAPTURE_TOKEN, `n${i}`);
    if (sqlTargets.length > 1) v = v.replaceAll(sqlTargets[0]!, sqlTargets[i % sqlTargets.length]!);
    return v;
  });
  await checkReplay(trace, replay);

  const rows: ComparisonRow[] = [];
  for (const concurrency of options.concurrency) {
    await settle(bench);
    const app = await measureHttp(
      {
        baseUrl: bench.baseUrl,
        method: scenario.method,
        paths: scenario.targets.map(scenario.path),
        headers,
        bodyTemplate: scenario.bodyTemplate,
        connections: concurrency,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
      },
      () => settle(bench),
    );
    await settle(bench);
    const raw = await measureLoops(replay, { concurrency, seconds: options.seconds, warmupSeconds: options.warmupSeconds });
    const row = { database: bench.label, scenario: scenario.name, concurrency, app, raw };
    rows.push(row);
    onRow(row);
  }
  return { rows, trace };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the server has no open connection and the pool no work: requests that the load
 * generator sent just before it stopped are answered before the next measurement starts.
 */
export async function settle(bench: BenchApp, timeoutMs = 120_000): Promise<void> {
  const { server } = bench.relais.app;
  const pool = bench.relais.ctx.database.pool;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sleep(50);
    server.closeIdleConnections();
    const connections = await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    if (connections === 0 && pool.waitingCount === 0 && pool.idleCount === pool.totalCount) return;
    if (Date.now() > deadline) throw new Error(`the app did not settle: ${connections} connection(s), ${pool.waitingCount} waiting`);
  }
}

/** Traces the SQL of one request, retrying when another request reached the server meanwhile. */
export async function traceAlone(bench: BenchApp, send: () => Promise<Response>): Promise<SqlTrace> {
  const { server } = bench.relais.app;
  for (let attempt = 1; ; attempt++) {
    await settle(bench);
    let requests = 0;
    const count = () => requests++;
    server.on('request', count);
    try {
      const { result: status, trace } = await traceSql(bench.relais.ctx.database.pool, async () => {
        const res = await send();
        await res.arrayBuffer();
        return res.status;
      });
      if (status < 200 || status >= 300) throw new Error(`the app answered ${status} to the traced request`);
      if (requests === 1) return trace;
      if (attempt === 3) throw new Error('could not trace a request alone: other requests kept reaching the server');
    } finally {
      server.off('request', count);
    }
  }
}
