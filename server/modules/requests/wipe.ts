import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appendEvent } from './log.ts';
import type { RequestRow } from './parties.ts';
import { requestAttachments, requestEvents, requestMessages, requestReads, requests } from './requests.schema.ts';
import { OPEN_STATUSES } from './status.ts';

/**
 * Blanks a request's personal data and deletes its files, keeping the skeleton for statistics
 * (dates, status, organisation, contact point, theme, deadlines, usefulness): what Administration+
 * does at the end of retention. Runs in the caller's transaction; returns the storage keys of the
 * files to delete once it has committed.
 */
export async function wipeRequest(tx: Executor, req: RequestRow, now: Date, reason: 'retention' | 'erasure'): Promise<string[]> {
  const files = await tx
    .update(requestAttachments)
    .set({ deletedAt: now, fileName: 'fichier-supprime' })
    .where(and(eq(requestAttachments.requestId, req.id), isNull(requestAttachments.deletedAt)))
    .returning({ storageKey: requestAttachments.storageKey });
  await tx.update(requestMessages).set({ body: '' }).where(eq(requestMessages.requestId, req.id));
  await tx.delete(requestReads).where(eq(requestReads.requestId, req.id));
  // The log keeps its events (kinds, dates, sides: the deadline figures) but not their free text.
  await tx.execute(sql`SELECT set_config('relais.request_wipe', 'on', true)`);
  await tx.execute(
    sql`UPDATE ${requestEvents} SET data = data - 'reason' - 'identifiers' WHERE ${requestEvents.requestId} = ${req.id}::uuid AND (data ? 'reason' OR data ? 'identifiers')`,
  );
  await tx.execute(sql`SELECT set_config('relais.request_wipe', 'off', true)`);
  await appendEvent(tx, req, { kind: 'wiped', party: 'system', data: { reason, files: files.length } }, now, {
    subject: 'Saisine archivée',
    description: '',
    identifiersSealed: null,
    statusCodeSealed: null,
    personId: null,
    consentId: null,
    mandateId: null,
    wipedAt: now,
  });
  return files.map((f) => f.storageKey);
}

/**
 * The person's erasure or the retention anonymisation of their file reaches their requests, in
 * the caller's transaction: a request still open is closed first by the system (the person asked;
 * nothing is left to answer, and no reminder must follow), then every request about these files is
 * wiped. Returns the counts and the storage keys of the files to delete after the commit.
 */
export async function wipeRequestsOfPeople(tx: Executor, personIds: string[], now: Date, reason: 'retention' | 'erasure') {
  if (!personIds.length) return { requestsWiped: 0, requestsClosed: 0, fileKeys: [] as string[] };
  const rows = await tx.select().from(requests).where(inArray(requests.personId, personIds)).orderBy(requests.id).for('update');
  const fileKeys: string[] = [];
  let closed = 0;
  for (let req of rows) {
    if (OPEN_STATUSES.includes(req.status)) {
      req = await appendEvent(tx, req, { kind: 'closed', party: 'system', data: { cause: reason }, clock: { kind: 'stop' } }, now, {
        status: 'cloturee',
        closedAt: now,
      });
      closed++;
    }
    fileKeys.push(...(await wipeRequest(tx, req, now, reason)));
  }
  return { requestsWiped: rows.length, requestsClosed: closed, fileKeys };
}
