import type { EraseBody, EraseResult } from '../../../contracts/people-lifecycle.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { anonymisePerson } from './anonymise.ts';
import { findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';

/**
 * Erases a file at the person's request (RGPD art. 17), in one transaction: the same removal as
 * the retention job (anonymise.ts), then `person.erased` with the counts and the coordinator's
 * reason — no personal data. The file can no longer be found or read: a second erasure is a 404.
 */
export async function erasePerson(ctx: AppContext, actor: Actor, territoryId: string, id: string, body: EraseBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'people.erase', { territoryId });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx): Promise<EraseResult> => {
    await findVisible(tx, access, id);
    const counts = await anonymisePerson(tx, territoryId, id, 'erasure', now);
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
}
