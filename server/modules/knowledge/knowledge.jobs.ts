import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { SHEET_REVIEW_MONTHS } from '../../../contracts/knowledge.ts';
import type { AppContext } from '../../app-context.ts';
import { notify } from '../notifications/notify.ts';
import { kbSheets } from './knowledge.schema.ts';
import { ownersOf } from './proposals.service.ts';

export const REVIEW_JOB = 'knowledge.review';
/** An owner told about a sheet to review is told again a month later if it still is. */
const REMIND_AFTER_DAYS = 30;

/** Every morning: sheets not verified for 12 months are flagged to their owners. */
export function registerKnowledgeJobs(ctx: AppContext) {
  ctx.jobs.register(REVIEW_JOB, async () => void (await flagSheetsToReview(ctx)), { cron: '15 7 * * *' });
}

/** Notifies each owner (partner referents, or coordinators) once per batch; returns the sheets flagged. */
export async function flagSheetsToReview(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const limit = new Date(now);
  limit.setMonth(limit.getMonth() - SHEET_REVIEW_MONTHS);
  const remind = new Date(now.getTime() - REMIND_AFTER_DAYS * 86_400_000);
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: kbSheets.id, territoryId: kbSheets.territoryId, organisationId: kbSheets.organisationId, title: kbSheets.title })
      .from(kbSheets)
      .where(
        and(
          eq(kbSheets.status, 'publiee'),
          or(isNull(kbSheets.verifiedAt), lt(kbSheets.verifiedAt, limit)),
          or(isNull(kbSheets.reviewNotifiedAt), lt(kbSheets.reviewNotifiedAt, remind)),
        ),
      )
      .orderBy(kbSheets.territoryId, kbSheets.organisationId, kbSheets.title)
      .for('update', { skipLocked: true });
    const groups = new Map<string, typeof due>();
    for (const s of due) {
      const key = `${s.territoryId}:${s.organisationId ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const sheets of groups.values()) {
      const { territoryId, organisationId } = sheets[0]!;
      const titles = sheets.slice(0, 5).map((s) => `« ${s.title} »`);
      await notify(tx, ctx, {
        territoryId,
        userIds: await ownersOf(tx, territoryId, organisationId),
        kind: 'knowledge.review',
        subject: sheets.length > 1 ? `${sheets.length} fiches sont à revoir` : 'Une fiche est à revoir',
        body: `Non vérifiée${sheets.length > 1 ? 's' : ''} depuis plus de ${SHEET_REVIEW_MONTHS} mois : ${titles.join(', ')}${sheets.length > 5 ? '…' : ''}. Relisez-les puis marquez-les comme vérifiées.`,
        link: `/fiches?a-revoir=1${organisationId ? `&partenaire=${organisationId}` : ''}`,
      });
    }
    if (due.length)
      await tx
        .update(kbSheets)
        .set({ reviewNotifiedAt: now })
        .where(
          inArray(
            kbSheets.id,
            due.map((s) => s.id),
          ),
        );
    return due.length;
  });
}
