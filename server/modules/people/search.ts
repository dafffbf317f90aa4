import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DuplicateCandidate, PersonSummary } from '../../../contracts/people.ts';
import type { Executor } from '../../db/client.ts';
import type { Actor } from '../../platform/authorize.ts';
import { authorize, can, requireUser } from '../../platform/authorize.ts';
import { people, personContactPoints } from './people.schema.ts';

/** What the caller may see of a territory's person files. */
export interface PeopleAccess {
  territoryId: string;
  userId: string;
  /** Coordinators: every file of the territory. */
  all: boolean;
  /** Agents: the files held by these contact points only. */
  contactPointIds: string[];
}

export function peopleAccess(actor: Actor, territoryId: string): PeopleAccess {
  const user = requireUser(actor);
  authorize(user, 'people.use', { territoryId });
  return {
    territoryId,
    userId: user.userId,
    all: can(user, 'people.read_all', { territoryId }),
    contactPointIds: user.memberships
      .filter((m) => m.territoryId === territoryId && m.role === 'agent' && m.contactPointId)
      .map((m) => m.contactPointId as string),
  };
}

/** The files of the territory the caller may see: all of them, or those held by their contact points. */
export function visiblePeople(access: PeopleAccess): SQL {
  const territory = eq(people.territoryId, access.territoryId);
  if (access.all) return territory;
  if (!access.contactPointIds.length) return sql`false`;
  return and(
    territory,
    sql`exists (select 1 from ${personContactPoints} where ${personContactPoints.personId} = ${people.id} and ${inArray(personContactPoints.contactPointId, access.contactPointIds)})`,
  ) as SQL;
}

const live = and(isNull(people.mergedIntoId), isNull(people.anonymisedAt)) as SQL;

const summaryColumns = {
  id: people.id,
  firstName: people.firstName,
  lastName: people.lastName,
  birthName: people.birthName,
  birthDate: people.birthDate,
  commune: people.commune,
  hasNir: sql<boolean>`${people.nirHash} is not null`,
};

export interface SearchCriteria {
  name?: string;
  birthDate?: string;
  phone?: string;
  nirHash?: string;
  limit: number;
}

/**
 * Name search with pg_trgm on `search_name` (GIN index people_search_name): `%` (similarity ≥ 0.3,
 * the default pg_trgm.similarity_threshold) tolerates typos over the whole name, `%>` (word
 * similarity of the query ≥ 0.6, i.e. `query <% search_name`) finds a name typed alone inside
 * "first last birth". Other criteria narrow it.
 *
 * Written for 500,000 files (see BENCHMARKS.md, section people): both operators are written with
 * `search_name` on the left, as the index scans them, so that PostgreSQL does not check the whole
 * OR a second time on every candidate after the index recheck; and the rank is the word
 * similarity alone, which is never below the similarity (the whole name is one of the extents it
 * compares), so it equals their greatest and costs one trigram comparison per row instead of two.
 */
export async function searchPeople(db: Executor, access: PeopleAccess, c: SearchCriteria) {
  const where: (SQL | undefined)[] = [visiblePeople(access), live];
  if (c.name) where.push(sql`(${people.searchName} % ${c.name}::text or ${people.searchName} %> ${c.name}::text)`);
  if (c.birthDate) where.push(eq(people.birthDate, c.birthDate));
  if (c.phone) where.push(eq(people.phone, c.phone));
  if (c.nirHash) where.push(eq(people.nirHash, c.nirHash));
  const score = c.name ? sql`word_similarity(${c.name}::text, ${people.searchName})` : undefined;
  const rows = await db
    .select(summaryColumns)
    .from(people)
    .where(and(...where))
    .orderBy(...(score ? [desc(score)] : []), people.lastName, people.firstName, people.id)
    .limit(c.limit + 1);
  return { items: rows.slice(0, c.limit) satisfies PersonSummary[], truncated: rows.length > c.limit };
}

export interface DuplicateCriteria {
  name?: string;
  birthDate?: string | null;
  phone?: string | null;
  nirHash?: string | null;
}

/** Probable duplicates among the files the caller may see: same NIR, close name and same birth date, or same phone. */
export async function findDuplicates(db: Executor, access: PeopleAccess, c: DuplicateCriteria): Promise<DuplicateCandidate[]> {
  const sameNir = c.nirHash ? eq(people.nirHash, c.nirHash) : undefined;
  const sameNameAndBirth =
    c.name && c.birthDate
      ? and(
          eq(people.birthDate, c.birthDate),
          sql`greatest(similarity(${people.searchName}, ${c.name}::text), word_similarity(${c.name}::text, ${people.searchName})) >= 0.5`,
        )
      : undefined;
  const samePhone = c.phone ? eq(people.phone, c.phone) : undefined;
  const reasons = [sameNir, sameNameAndBirth, samePhone];
  if (!reasons.some(Boolean)) return [];
  const flag = (cond: SQL | undefined) => (cond ? sql<boolean>`coalesce(${cond}, false)` : sql<boolean>`false`);
  const rows = await db
    .select({ ...summaryColumns, byNir: flag(sameNir), byName: flag(sameNameAndBirth), byPhone: flag(samePhone) })
    .from(people)
    .where(and(visiblePeople(access), live, sql`(${sql.join(reasons.filter(Boolean) as SQL[], sql` or `)})`))
    .orderBy(people.lastName, people.firstName, people.id)
    .limit(10);
  return rows.map(({ byNir, byName, byPhone, ...summary }) => ({
    ...summary,
    reasons: [
      ...(byNir ? (['nir'] as const) : []),
      ...(byName ? (['name_birth_date'] as const) : []),
      ...(byPhone ? (['phone'] as const) : []),
    ],
  }));
}
