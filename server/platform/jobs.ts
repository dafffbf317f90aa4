import { PgBoss } from 'pg-boss';
import type { Database } from '../db/client.ts';

export type JobHandler = (data: unknown) => Promise<void>;

export interface SendOptions {
  /**
   * Run no earlier than this many seconds from now. Inline (JOBS=false) a delayed job is not run
   * at all: its owner must be able to find it again (webhooks: the `webhooks.sweep` job).
   */
  startAfterSeconds?: number;
}

export interface Jobs {
  /** Queues a job; runs it inline when background jobs are disabled (JOBS=false). */
  send(name: string, data: object, options?: SendOptions): Promise<void>;
  register(name: string, handler: JobHandler, options?: { cron?: string; tz?: string }): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs a registered handler now, as the worker would (admin CLI and tests). */
  runNow(name: string, data?: object): Promise<void>;
}

/**
 * pg-boss over the app's own pool: on PGlite it shares the single connection (one code path for
 * both databases), on PostgreSQL it is one more user of the pool.
 */
export function createJobs(database: Database, options: { enabled: boolean; log: (msg: string, err?: unknown) => void }): Jobs {
  const handlers = new Map<string, { handler: JobHandler; cron?: string; tz?: string }>();
  let boss: PgBoss | null = null;
  return {
    async send(name, data, sendOptions = {}) {
      const entry = handlers.get(name);
      if (!entry) throw new Error(`unknown job ${name}`);
      const delay = sendOptions.startAfterSeconds ?? 0;
      if (!boss) return delay > 0 ? undefined : entry.handler(data);
      await boss.send(name, data, { retryLimit: 5, retryDelay: 30, retryBackoff: true, ...(delay > 0 ? { startAfter: delay } : {}) });
    },
    register(name, handler, opts) {
      handlers.set(name, { handler, ...opts });
    },
    async start() {
      if (!options.enabled) return;
      boss = new PgBoss({
        db: { executeSql: (text, values) => database.pool.query(text, values as unknown[]) },
        backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
        schema: 'pgboss',
      });
      boss.on('error', (err) => options.log('job queue error', err));
      await boss.start();
      for (const [name, { handler, cron, tz }] of handlers) {
        await boss.createQueue(name);
        await boss.work(name, { pollingIntervalSeconds: 1 }, async (jobs) => {
          for (const job of jobs) await handler(job.data);
        });
        if (cron) await boss.schedule(name, cron, null, { tz: tz ?? 'Europe/Paris' });
      }
    },
    async stop() {
      await boss?.stop({ graceful: true, timeout: 5000 });
      boss = null;
    },
    async runNow(name, data = {}) {
      const entry = handlers.get(name);
      if (!entry) throw new Error(`unknown job ${name}`);
      await entry.handler(data);
    },
  };
}
