import { eq } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { knowledgeAccess } from './access.ts';
import { kbSynonyms } from './knowledge.schema.ts';
import { addToLexicon } from './search.ts';
import { BUILT_IN_SYNONYMS, territorySynonymGroups } from './synonyms.ts';

export async function getSynonyms(ctx: AppContext, actor: Actor, territoryId: string) {
  knowledgeAccess(actor, territoryId);
  return {
    builtIn: BUILT_IN_SYNONYMS.map((g) => [...g]),
    groups: await territorySynonymGroups(ctx.db, territoryId),
  };
}

export async function putSynonyms(ctx: AppContext, actor: Actor, territoryId: string, groups: string[][], audit: AuditContext) {
  const access = knowledgeAccess(actor, territoryId);
  authorize(access.user, 'knowledge.manage', { territoryId });
  const clean = groups.map((g) => [...new Set(g.map((t) => t.trim()).filter(Boolean))]).filter((g) => g.length > 1);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(kbSynonyms).where(eq(kbSynonyms.territoryId, territoryId));
    if (clean.length) await tx.insert(kbSynonyms).values(clean.map((terms) => ({ territoryId, terms })));
    await addToLexicon(tx, territoryId, clean.flat().join(' '));
    await recordAudit(tx, audit, {
      type: 'knowledge.synonyms_updated',
      territoryId,
      targetType: 'territory',
      targetId: territoryId,
      data: { groups: clean.length },
    });
  });
  return getSynonyms(ctx, actor, territoryId);
}
