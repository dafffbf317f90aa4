import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { wipeRequestsOfPeople } from '../requests/wipe.ts';
import { visits } from '../visits/visits.schema.ts';
import { mandateDocuments, mandates, people, personContactPoints, smsChallenges, smsMessages } from './people.schema.ts';
import { mergedIntoIds } from './tombstone.ts';

export const ERASED = '[effacé]';
export type AnonymisedReason = 'erasure' | 'retention' | 'merge';

/** The columns of a file that hold personal data, blanked (names are NOT NULL: an empty string). */
export const blankPerson = {
  firstName: '',
  lastName: '',
  birthName: null,
  birthDate: null,
  phone: null,
  email: null,
  preferredLanguage: null,
  address: null,
  postcode: null,
  commune: null,
  nirSealed: null,
  nirHash: null,
  cafNumberSealed: null,
  taxNumberSealed: null,
  franceTravailIdSealed: null,
  searchName: '',
} satisfies Partial<typeof people.$inferInsert>;

/** Keys of a journal entry's data whose values may be personal (free text, before/after values). */
const personalKeys = new Set(['before', 'after', 'reason', 'comment', 'note', 'revokedReason', 'consentReference', 'phone', 'email']);

/**
 * The journal redaction rule: under the keys that may hold personal values, every value that is
 * not null becomes « [effacé] » (objects keep their keys, so the entry still says which fields
 * changed); everything else — types, ids, markers, dates of the event — stays.
 */
export function redact(data: unknown, keys: ReadonlySet<string> = personalKeys, underPersonal = false): unknown {
  if (data === null || data === undefined) return data;
  if (Array.isArray(data)) return data.map((v) => redact(v, keys, underPersonal));
  if (typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, redact(v, keys, underPersonal || keys.has(k))]));
  }
  return underPersonal ? ERASED : data;
}

/** A visit's journal keeps what it counts (dates, themes, partners); only its free comment is personal. */
const visitPersonalKeys = new Set(['comment']);

export interface AnonymiseCounts {
  visitsDetached: number;
  mandateDocumentsDeleted: number;
  smsChallengesDeleted: number;
  journalEntriesRedacted: number;
  requestsWiped: number;
  requestsClosed: number;
}

/**
 * Removes a person from the database, inside the caller's transaction; the counts survive.
 * - The file row stays (territory, creation date, anonymisedAt/Reason), every personal field blank.
 * - Visits stay with their dates, contact point, channel, partners, themes and actions; they are
 *   detached (person_id null) and their free comment is blanked.
 * - Consents stay: they hold only the partner, dates and how, and point to the blank row.
 * - Mandates stay (scope, dates, method: the counts), their free texts blanked; their signed
 *   documents, the SMS codes and the SMS sent for them are deleted or blanked.
 * - Requests about the file are wiped as the requests' retention does (`requests/wipe.ts`: subject,
 *   description, identifiers, messages, files, the link to the file); one still open is closed
 *   first. Their files are deleted from the store by the caller, after the commit (`requestFileKeys`).
 * - Journal entries about the file (and the files merged into it, and its visits' comments) are
 *   redacted with `redact`, under the relais.audit_redaction setting of this transaction only.
 */
export async function anonymisePerson(tx: Executor, territoryId: string, personId: string, reason: AnonymisedReason, now: Date) {
  const ids = await mergedIntoIds(tx, territoryId, personId);
  const mandateIds = (await tx.select({ id: mandates.id }).from(mandates).where(inArray(mandates.personId, ids))).map((m) => m.id);
  const documents = mandateIds.length
    ? await tx.delete(mandateDocuments).where(inArray(mandateDocuments.mandateId, mandateIds)).returning({ id: mandateDocuments.id })
    : [];
  if (mandateIds.length) {
    await tx
      .update(mandates)
      .set({ consentReference: null, revokedReason: sql`case when ${mandates.revokedReason} is null then null else ${ERASED}::text end` })
      .where(inArray(mandates.id, mandateIds));
    if (documents.length)
      await tx
        .update(mandates)
        .set({ documentExpiredAt: now })
        .where(and(inArray(mandates.id, mandateIds), sql`${mandates.documentExpiredAt} is null`));
  }
  const challenges = await tx
    .delete(smsChallenges)
    .where(inArray(smsChallenges.personId, ids))
    .returning({ smsMessageId: smsChallenges.smsMessageId });
  const messageIds = challenges.map((c) => c.smsMessageId).filter((m): m is string => !!m);
  if (messageIds.length) await tx.update(smsMessages).set({ toSealed: '', body: ERASED }).where(inArray(smsMessages.id, messageIds));
  const detached = await tx
    .update(visits)
    .set({ personId: null, comment: sql`case when ${visits.comment} is null then null else ${ERASED}::text end` })
    .where(inArray(visits.personId, ids))
    .returning({ id: visits.id });
  await tx.delete(personContactPoints).where(inArray(personContactPoints.personId, ids));
  const wiped = reason === 'merge' ? null : await wipeRequestsOfPeople(tx, ids, now, reason);
  await tx
    .update(people)
    .set({ ...blankPerson, informedHow: null, anonymisedAt: now, anonymisedReason: reason, updatedAt: now })
    .where(eq(people.id, personId));

  // The journal is append-only; this transaction alone may rewrite the data of these entries.
  await tx.execute(sql`select set_config('relais.audit_redaction', 'on', true)`);
  const visitIds = detached.map((v) => v.id);
  const entries = await tx
    .select({ id: auditEvents.id, targetType: auditEvents.targetType, data: auditEvents.data })
    .from(auditEvents)
    .where(
      // Entries about a file always name its territory; the filter keeps the personId branch to one territory's journal.
      and(
        eq(auditEvents.territoryId, territoryId),
        or(
          and(eq(auditEvents.targetType, 'person'), inArray(auditEvents.targetId, ids)),
          inArray(sql`${auditEvents.data}->>'personId'`, ids),
          visitIds.length ? and(eq(auditEvents.targetType, 'visit'), inArray(auditEvents.targetId, visitIds)) : undefined,
          mandateIds.length ? and(eq(auditEvents.targetType, 'mandate'), inArray(auditEvents.targetId, mandateIds)) : undefined,
        ),
      ),
    );
  let redacted = 0;
  for (const e of entries) {
    const data = redact(e.data, e.targetType === 'visit' ? visitPersonalKeys : personalKeys) as Record<string, unknown>;
    if (JSON.stringify(data) === JSON.stringify(e.data)) continue;
    await tx.update(auditEvents).set({ data }).where(eq(auditEvents.id, e.id));
    redacted++;
  }
  return {
    visitsDetached: detached.length,
    mandateDocumentsDeleted: documents.length,
    smsChallengesDeleted: challenges.length,
    journalEntriesRedacted: redacted,
    requestsWiped: wiped?.requestsWiped ?? 0,
    requestsClosed: wiped?.requestsClosed ?? 0,
    requestFileKeys: wiped?.fileKeys ?? [],
  } satisfies AnonymiseCounts & { requestFileKeys: string[] };
}

/** Deletes the signed forms of mandates that ended (past their end or revoked); marks them expired. */
export async function deleteExpiredMandateDocuments(tx: Executor, territoryId: string, now: Date): Promise<number> {
  const ended = await tx
    .select({ id: mandates.id })
    .from(mandates)
    .where(
      and(
        eq(mandates.territoryId, territoryId),
        or(sql`${mandates.endsAt} <= ${now.toISOString()}::timestamptz`, isNotNull(mandates.revokedAt)),
        sql`exists (select 1 from ${mandateDocuments} where ${mandateDocuments.mandateId} = ${mandates.id})`,
      ),
    );
  if (!ended.length) return 0;
  const ids = ended.map((m) => m.id);
  const deleted = await tx.delete(mandateDocuments).where(inArray(mandateDocuments.mandateId, ids)).returning({ id: mandateDocuments.id });
  await tx.update(mandates).set({ documentExpiredAt: now }).where(inArray(mandates.id, ids));
  return deleted.length;
}
