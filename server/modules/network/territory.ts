import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { territories } from './network.schema.ts';

/** The territory (its time zone and department give the holiday calendar), or 404. */
export async function territoryOf(db: Executor, territoryId: string) {
  const [row] = await db.select().from(territories).where(eq(territories.id, territoryId));
  if (!row) throw notFound('Ce territoire');
  return row;
}
