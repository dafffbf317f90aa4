import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { territories } from '../network/network.schema.ts';
import { anonymisePerson, deleteExpiredMandateDocuments } from './anonymise.ts';
import { mandates, people } from './people.schema.ts';

export const RETENTION_JOB = 'people.retention';

/** The retention job runs every night at 04:00, Paris time (after the accounts and imports jobs). */
export function registerPeopleJobs(ctx: AppContext) {
  ctx.jobs.register(
    RETENTION_JOB,
    async () => {
      await applyRetention(ctx);
    },
    { cron: '0 4 * * *' },
  );
}

/** The cutoff: `months` calendar months before now (UTC; a day more or less does not matter here). */
export function retentionCutoff(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Activity is what the contact point did for the person: a visit linked to the file (visits.service
 * calls touchPerson), an update of the file, a merge (the survivor keeps the later of both); a
 * mandate given or renewed counts too (mandates.service calls touchPerson). A mere read is not activity: an
 * agent looking a file up must not keep it alive for another 24 months. A file with a running
 * mandate is never anonymised.
 *
 * Per territory, in one transaction: anonymise the files inactive since before the cutoff (the
 * erasure's code path, reason 'retention', their requests wiped), delete the signed forms of mandates that ended, and
 * journal `people.retention_applied` with the counts when something was done.
 */
export async function applyRetention(ctx: AppContext) {
  const now = ctx.clock.now();
  const months = ctx.config.peopleRetentionMonths;
  const cutoff = retentionCutoff(now, months);
  const all = await ctx.db.select({ id: territories.id }).from(territories).orderBy(asc(territories.id));
  const totals = { anonymised: 0, mandateDocumentsDeleted: 0 };
  for (const { id: territoryId } of all) {
    const fileKeys: string[] = [];
    await ctx.db.transaction(async (tx) => {
      const expired = await tx
        .select({ id: people.id })
        .from(people)
        .where(
          and(
            eq(people.territoryId, territoryId),
            isNull(people.anonymisedAt),
            isNull(people.mergedIntoId),
            lt(people.lastActivityAt, cutoff),
            sql`not exists (select 1 from ${mandates} where ${mandates.personId} = ${people.id} and ${mandates.revokedAt} is null and ${mandates.endsAt} > ${now.toISOString()}::timestamptz)`,
          ),
        );
      const counts = {
        visitsDetached: 0,
        mandateDocumentsDeleted: 0,
        smsChallengesDeleted: 0,
        journalEntriesRedacted: 0,
        requestsWiped: 0,
        requestsClosed: 0,
      };
      for (const p of expired) {
        const c = await anonymisePerson(tx, territoryId, p.id, 'retention', now);
        for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c[k];
        fileKeys.push(...c.requestFileKeys);
      }
      const documents = await deleteExpiredMandateDocuments(tx, territoryId, now);
      if (!expired.length && !documents) return;
      totals.anonymised += expired.length;
      totals.mandateDocumentsDeleted += documents + counts.mandateDocumentsDeleted;
      await recordAudit(
        tx,
        {},
        {
          type: 'people.retention_applied',
          territoryId,
          targetType: 'territory',
          targetId: territoryId,
          data: {
            retentionMonths: months,
            inactiveSince: cutoff.toISOString(),
            peopleAnonymised: expired.length,
            personIds: expired.map((p) => p.id),
            ...counts,
            mandateDocumentsDeleted: documents + counts.mandateDocumentsDeleted,
          },
        },
      );
    });
    // The wiped requests' files, once their rows no longer point to them.
    for (const key of fileKeys) await ctx.files.delete(key);
  }
  return totals;
}
