import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  runtime: z.object({ name: z.literal('node'), version: z.string() }),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), status: z.enum(['ok', 'error']), version: z.string().nullable() }),
});

export function systemRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: { tags: ['système'], summary: 'État du service et de sa base', response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      let version: string | null = null;
      try {
        const result = await ctx.db.execute<{ v: string }>(sql`select current_setting('server_version') as v`);
        version = result.rows[0]?.v ?? null;
      } catch {
        version = null;
      }
      const ok = version !== null;
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        version: '0.1.0',
        runtime: { name: 'node', version: process.versions.node },
        database: { kind: ctx.database.kind, status: ok ? 'ok' : 'error', version },
      });
    },
  );
}
