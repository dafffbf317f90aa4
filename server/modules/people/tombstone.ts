import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { people } from './people.schema.ts';
import { type PeopleAccess, visiblePeople } from './search.ts';

/**
 * A file merged into another keeps only a tombstone. Opening it answers 410 PERSON_MERGED with the
 * survivor's id, so the web goes there — but only to a caller who may see the survivor (else the
 * caller gets the 404 they would get for any file not theirs). Merges can chain: follow them.
 */
export async function throwIfMerged(db: Executor, access: PeopleAccess, id: string): Promise<void> {
  let current = id;
  for (let hop = 0; hop < 10; hop++) {
    const [row] = await db
      .select({ mergedIntoId: people.mergedIntoId })
      .from(people)
      .where(and(eq(people.id, current), eq(people.territoryId, access.territoryId)));
    if (!row?.mergedIntoId) break;
    current = row.mergedIntoId;
  }
  if (current === id) return;
  const [survivor] = await db
    .select({ id: people.id, anonymisedAt: people.anonymisedAt })
    .from(people)
    .where(and(eq(people.id, current), visiblePeople(access)));
  if (survivor && !survivor.anonymisedAt) {
    throw new AppError(
      'PERSON_MERGED',
      410,
      'Ce dossier a été fusionné avec un autre dossier de la même personne : ouvrez ce dossier.',
      undefined,
      {
        survivorId: survivor.id,
      },
    );
  }
}

/** The ids of the files merged (directly or through others) into this one: their past is the survivor's. */
export async function mergedIntoIds(db: Executor, territoryId: string, id: string): Promise<string[]> {
  const ids = [id];
  for (let i = 0; i < ids.length && ids.length < 1000; i++) {
    const rows = await db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.territoryId, territoryId), eq(people.mergedIntoId, ids[i] as string)));
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
