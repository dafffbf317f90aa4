import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { people } from './people.schema.ts';

/**
 * Something was done for the person (a visit linked to the file): the retention clock starts
 * again (people.retention). A mere read of the file is not activity.
 */
export async function touchPerson(tx: Executor, personId: string, now: Date): Promise<void> {
  await tx
    .update(people)
    .set({ lastActivityAt: sql`greatest(${people.lastActivityAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(people.id, personId));
}
