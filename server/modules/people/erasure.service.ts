import type { EraseBody, EraseResult } from '../../../contracts/people-lifecycle.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { anonymisePerson } from './anonymise.ts';
import { findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';

/**
 * Erases a file at the person's request (RGPD art. 17), in one transaction: the same removal as
 * the retention job (anonymise.ts: the person's requests are wiped too, open ones closed), then
 * `person.erased` with the counts and the coordinator's reason — no personal data; the requests'
 * files are deleted from the store after the commit. The file can no longer be found or read: a
 * second erasure is a 404.
 */
export async function erasePerson(ctx: AppContext, actor: Actor, territoryId: string, id: string, body: EraseBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'people.erase', { territoryId });
  const now = ctx.clock.now();
  const fileKeys: string[] = [];
  const result = await ctx.db.transaction(async (tx): Promise<EraseResult> => {
    await findVisible(tx, access, id);
    const { requestFileKeys, ...counts } = await anonymisePerson(tx, territoryId, id, 'erasure', now);
    fileKeys.push(...requestFileKeys);
    await recordAudit(tx, audit, {
      type: 'person.erased',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { reason: body.reason, ...counts },
    });
    return {
      id,
      anonymisedAt: now.toISOString(),
      visitsKept: counts.visitsDetached,
      mandateDocumentsDeleted: counts.mandateDocumentsDeleted,
    };
  });
  // The requests' files leave the store once the wipe is committed (a failure leaves an orphan nobody can read).
  for (const key of fileKeys) await ctx.files.delete(key);
  return result;
}
