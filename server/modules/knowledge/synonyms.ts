import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { buildSynonymIndex, type SynonymIndex } from './analyse.ts';
import { BUILT_IN_SYNONYMS } from './builtin-synonyms.ts';
import { kbSynonyms } from './knowledge.schema.ts';

export { BUILT_IN_SYNONYMS };

/** The territory's synonym groups (built-in + its own). */
export async function territorySynonymGroups(db: Executor, territoryId: string): Promise<string[][]> {
  const rows = await db.select({ terms: kbSynonyms.terms }).from(kbSynonyms).where(eq(kbSynonyms.territoryId, territoryId));
  return rows.map((r) => r.terms);
}

const cache = new Map<string, { groups: string; index: SynonymIndex }>();

/** The synonym index of a territory, rebuilt when its groups change. */
export async function synonymIndexOf(db: Executor, territoryId: string): Promise<SynonymIndex> {
  const own = await territorySynonymGroups(db, territoryId);
  const key = JSON.stringify(own);
  const hit = cache.get(territoryId);
  if (hit && hit.groups === key) return hit.index;
  const index = buildSynonymIndex([...BUILT_IN_SYNONYMS, ...own]);
  cache.set(territoryId, { groups: key, index });
  return index;
}
