import type pg from 'pg';

/** One statement exactly as the app handed it to node-postgres. */
export interface TracedQuery {
  text: string;
  name?: string;
  rowMode?: 'array';
  /** drizzle's per-query type parsers (it keeps timestamps as strings). */
  types?: unknown;
  values: unknown[];
  rowCount: number | null;
}

/** Statements outside a transaction run on any pooled connection; a transaction holds one. */
export type TraceStep = { kind: 'query'; query: TracedQuery } | { kind: 'transaction'; queries: TracedQuery[] };

export interface SqlTrace {
  steps: TraceStep[];
  statements: TracedQuery[];
}

type QueryFn = (...args: unknown[]) => unknown;
interface QueryConfigLike {
  text: string;
  name?: string;
  rowMode?: 'array';
  types?: unknown;
  values?: unknown[];
}

/**
 * Records every statement the pool runs while `action` runs (nothing else may use the pool
 * meanwhile): each checked-out client's `query` is wrapped for the duration, then restored.
 */
export async function traceSql<T>(pool: pg.Pool, action: () => Promise<T>): Promise<{ result: T; trace: SqlTrace }> {
  const statements: TracedQuery[] = [];
  const wrapped = new Map<pg.PoolClient, PropertyDescriptor | undefined>();
  const wrap = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.set(client, Object.getOwnPropertyDescriptor(client, 'query'));
    const target = client as unknown as { query: QueryFn };
    const original = target.query;
    target.query = function tracedQuery(this: unknown, first: unknown, second?: unknown, third?: unknown) {
      const config: QueryConfigLike = typeof first === 'string' ? { text: first } : (first as QueryConfigLike);
      const callback = typeof second === 'function' ? second : typeof third === 'function' ? third : undefined;
      const values = Array.isArray(second) ? second : (config.values ?? []);
      const entry: TracedQuery = {
        text: config.text,
        name: config.name,
        rowMode: config.rowMode,
        types: config.types,
        values: [...values],
        rowCount: null,
      };
      statements.push(entry);

      if (callback) {
        return original.call(this, first, values, (error: unknown, result?: pg.QueryResult) => {
          if (result) entry.rowCount = result.rowCount;
          (callback as QueryFn)(error, result);
        });
      }
      return (original.call(this, first, second) as Promise<pg.QueryResult>).then((result) => {
        entry.rowCount = result.rowCount;
        return result;
      });
    };
  };
  pool.on('acquire', wrap);
  try {
    const result = await action();
    return { result, trace: { steps: groupTransactions(statements), statements } };
  } finally {
    pool.off('acquire', wrap);
    for (const [client, descriptor] of wrapped) {
      if (descriptor) Object.defineProperty(client, 'query', descriptor);
      else delete (client as unknown as { query?: QueryFn }).query;
    }
  }
}

const keyword = (q: TracedQuery) => q.text.trim().split(/\s+/)[0]!.toLowerCase();

function groupTransactions(statements: TracedQuery[]): TraceStep[] {
  const steps: TraceStep[] = [];
  let open: TracedQuery[] | null = null;
  for (const q of statements) {
    const word = keyword(q);
    if (word === 'begin') {
      if (open) throw new Error('nested transaction in trace');
      open = [q];
    } else if (open) {
      open.push(q);
      if (word === 'rollback') throw new Error(`the traced request rolled back: ${open.map((s) => s.text).join(' ; ')}`);
      if (word === 'commit') {
        steps.push({ kind: 'transaction', queries: open });
        open = null;
      }
    } else {
      steps.push({ kind: 'query', query: q });
    }
  }
  if (open) throw new Error('unterminated transaction in trace');
  return steps;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Turns the trace into an operation for the raw baseline: the same statements, in the same order. */
export function replayOf(
  pool: pg.Pool,
  trace: SqlTrace,
  /** Changes a string parameter for operation i (e.g. another row id, a new value to write). */
  substitute: (value: string, i: number) => string = (v) => v,
): (i: number) => Promise<(number | null)[]> {
  const bind = (q: TracedQuery, i: number, now: string) =>
    ({
      text: q.text,
      name: q.name,
      rowMode: q.rowMode,
      types: q.types,
      // "now" parameters (session expiry check, updatedAt) are taken afresh, as the app does.
      values: q.values.map((v) => (typeof v === 'string' ? (ISO_TIMESTAMP.test(v) ? now : substitute(v, i)) : v)),
    }) as pg.QueryConfig;
  return async (i) => {
    const now = new Date().toISOString();
    const rowCounts: (number | null)[] = [];
    for (const step of trace.steps) {
      if (step.kind === 'query') {
        rowCounts.push((await pool.query(bind(step.query, i, now))).rowCount);
        continue;
      }
      const client = await pool.connect();
      try {
        for (const q of step.queries) rowCounts.push((await client.query(bind(q, i, now))).rowCount);
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    }
    return rowCounts;
  };
}

/** Replays once and checks every statement touched as many rows as when the app ran it. */
export async function checkReplay(trace: SqlTrace, replay: (i: number) => Promise<(number | null)[]>): Promise<void> {
  const expected = trace.statements.map((q) => q.rowCount);
  const actual = await replay(0);
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    throw new Error(`raw replay differs from the app: row counts ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
  }
}

/** Statement texts, one per line, as the app sent them. */
export const describeTrace = (trace: SqlTrace) => trace.statements.map((q) => q.text.replace(/\s+/g, ' ').trim());
