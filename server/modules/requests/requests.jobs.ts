import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit.ts';
import { retentionCutoff } from '../people/retention.jobs.ts';
import { type ClockEvent, deadlineState, nextBusinessInstant, type WorkCalendar } from './deadline.ts';
import { appendEvent, clockEventsOfMany } from './log.ts';
import { tell } from './notices.ts';
import { requestEvents, requests } from './requests.schema.ts';
import { wipeRequest } from './wipe.ts';

export { wipeRequest };

export const DEADLINES_JOB = 'requests.deadlines';
export const RETENTION_JOB = 'requests.retention';

/** Every 5 minutes the reminders; every night at 04:30 archiving and the wipe of expired requests. */
export function registerRequestJobs(ctx: AppContext) {
  ctx.jobs.register(DEADLINES_JOB, async () => void (await sweepDeadlines(ctx)), { cron: '*/5 * * * *' });
  ctx.jobs.register(RETENTION_JOB, async () => void (await applyRequestRetention(ctx)), { cron: '30 4 * * *' });
}

type Level = 'half' | 'three_quarters' | 'breach';
const LEVELS: { level: Level; fraction: number; notice: 'reminder_half' | 'reminder_three_quarters' | 'breach' }[] = [
  { level: 'breach', fraction: 1, notice: 'breach' },
  { level: 'three_quarters', fraction: 0.75, notice: 'reminder_three_quarters' },
  { level: 'half', fraction: 0.5, notice: 'reminder_half' },
];
const BATCH = 500;

const lastCalendar = (events: ClockEvent[]): WorkCalendar | null => {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'start' || e.kind === 'calendar') return e.calendar;
  }
  return null;
};

/**
 * The reminder sweep: for every request whose answer clock runs, the deadline state from its
 * log; the highest threshold reached (50 %, 75 %, breach) that has not been reminded since the
 * clock last started gets one `reminder` event and its emails — to the referent in charge (or the
 * team), and at breach to the organisation's managers and the territory's coordinators too.
 * Emails wait for the organisation's business hours (never sent at night or on a public holiday).
 * A request that jumps past two thresholds between sweeps gets only the highest.
 */
export async function sweepDeadlines(ctx: AppContext) {
  const now = ctx.clock.now();
  const counts = { examined: 0, half: 0, three_quarters: 0, breach: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await ctx.db
      .select({ id: requests.id })
      .from(requests)
      .where(and(isNotNull(requests.dueAt), inArray(requests.status, ['envoyee', 'en_cours', 'repondue']), gt(requests.id, after)))
      .orderBy(asc(requests.id))
      .limit(BATCH);
    if (!batch.length) break;
    after = batch.at(-1)!.id;
    const ids = batch.map((b) => b.id);
    counts.examined += ids.length;
    const due = await dueReminders(ctx.db, ids, now);
    for (const { requestId, level, calendar } of due) {
      await ctx.db.transaction(async (tx) => {
        const [req] = await tx.select().from(requests).where(eq(requests.id, requestId)).for('update');
        if (!req || !['envoyee', 'en_cours', 'repondue'].includes(req.status)) return;
        const at = ctx.clock.now(); // after the lock: the log stays in time order
        const updated = await appendEvent(tx, req, { kind: 'reminder', party: 'system', data: { level } }, at);
        const spec = LEVELS.find((l) => l.level === level)!;
        await tell(tx, ctx, updated, spec.notice, { notBefore: calendar ? nextBusinessInstant(at, calendar) : at });
      });
      counts[level]++;
    }
    if (batch.length < BATCH) break;
  }
  return counts;
}

/** Which of these requests have crossed a threshold not yet reminded since their clock last started (pure reads). */
export async function dueReminders(db: Executor, ids: string[], now: Date) {
  const clocks = await clockEventsOfMany(db, ids);
  const sent = await db
    .select({ requestId: requestEvents.requestId, at: requestEvents.at, level: sql<Level>`${requestEvents.data}->>'level'` })
    .from(requestEvents)
    .where(and(inArray(requestEvents.requestId, ids), eq(requestEvents.kind, 'reminder')));
  const result: { requestId: string; level: Level; calendar: WorkCalendar | null }[] = [];
  for (const id of ids) {
    const events = clocks.get(id) ?? [];
    const state = deadlineState(events, now);
    if (!state.running || !state.startedAt) continue;
    const reached = LEVELS.find((l) => state.fraction >= l.fraction - 1e-9); // floats carried over calendar changes
    if (!reached) continue;
    const since = state.startedAt.getTime();
    const already = sent.filter((s) => s.requestId === id && s.at.getTime() >= since).map((s) => s.level);
    const rank = (l: Level) => LEVELS.length - LEVELS.findIndex((x) => x.level === l);
    if (already.some((l) => rank(l) >= rank(reached.level))) continue;
    result.push({ requestId: id, level: reached.level, calendar: lastCalendar(events) });
  }
  return result;
}

/**
 * Nightly: closed requests not reopened for REQUESTS_ARCHIVE_AFTER_DAYS are archived; archived
 * requests older than REQUESTS_RETENTION_MONTHS are wiped (personal data and files), in batches
 * of 200 per transaction; the files are deleted after each commit. One journal event per run.
 */
export async function applyRequestRetention(ctx: AppContext) {
  const now = ctx.clock.now();
  const archiveBefore = new Date(now.getTime() - ctx.config.requests.archiveAfterDays * 86_400_000);
  const wipeBefore = retentionCutoff(now, ctx.config.requests.retentionMonths);
  const counts = { archived: 0, wiped: 0, filesDeleted: 0 };
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(requests)
        .where(and(eq(requests.status, 'cloturee'), lt(requests.closedAt, archiveBefore)))
        .limit(200)
        .for('update', { skipLocked: true });
      for (const req of rows)
        await appendEvent(tx, req, { kind: 'archived', party: 'system', data: { automatic: true } }, now, {
          status: 'archivee',
          archivedAt: now,
        });
      return rows.length;
    });
    counts.archived += n;
    if (n < 200) break;
  }
  for (;;) {
    const keys: string[] = [];
    const n = await ctx.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(requests)
        .where(and(isNotNull(requests.archivedAt), isNull(requests.wipedAt), lt(requests.archivedAt, wipeBefore)))
        .limit(200)
        .for('update', { skipLocked: true });
      for (const req of rows) keys.push(...(await wipeRequest(tx, req, now, 'retention')));
      return rows.length;
    });
    counts.wiped += n;
    for (const key of keys) {
      await ctx.files.delete(key);
      counts.filesDeleted++;
    }
    if (n < 200) break;
  }
  if (counts.archived || counts.wiped) {
    await ctx.db.transaction((tx) => recordAudit(tx, {}, { type: 'requests.retention_applied', territoryId: null, data: counts }));
  }
  return counts;
}
