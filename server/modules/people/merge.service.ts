import { eq, inArray, sql } from 'drizzle-orm';
import type { MergeBody } from '../../../contracts/people-lifecycle.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { moveRequestsToPerson } from '../requests/person-requests.ts';
import { visits } from '../visits/visits.schema.ts';
import { blankPerson } from './anonymise.ts';
import { normaliseName } from './identifiers.ts';
import { mandates, people, personConsents, personContactPoints, smsChallenges } from './people.schema.ts';
import { findVisible, plainFields, viewOf } from './people.service.ts';
import { peopleAccess } from './search.ts';

type Person = typeof people.$inferSelect;

/** What the survivor takes from the duplicate when its own is empty (the NIR with its index). */
const fillable = [...plainFields, 'nirSealed', 'cafNumberSealed', 'taxNumberSealed', 'franceTravailIdSealed'] as const;
const fieldNames: Record<string, string> = {
  nirSealed: 'nir',
  cafNumberSealed: 'cafNumber',
  taxNumberSealed: 'taxNumber',
  franceTravailIdSealed: 'franceTravailId',
};

/**
 * Merges two files of the same person: the survivor (the path's file) takes the duplicate's visits,
 * consents, mandates, SMS codes, requests (saisines) and contact points, and fills its empty fields from it; the
 * duplicate keeps a tombstone (merged_into_id) that sends its readers to the survivor. Two
 * different NIR mean two people: 409 PERSON_MERGE_CONFLICT. A coordinator, or an agent whose
 * contact points hold both files (each is looked up among the caller's visible files).
 */
export async function mergePeople(ctx: AppContext, actor: Actor, territoryId: string, id: string, body: MergeBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'people.merge', { territoryId });
  if (body.duplicateId === id) {
    throw invalid('PERSON_MERGE_SAME', 'Choisissez un autre dossier que celui-ci à fusionner.', [
      { path: 'duplicateId', message: 'le même dossier' },
    ]);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // Lock both rows in a stable order, so two merges of the same pair cannot cross.
    await tx.execute(sql`select id from people where ${inArray(people.id, [id, body.duplicateId].sort())} order by id for update`);
    const survivor = await findVisible(tx, access, id);
    const duplicate = await findVisible(tx, access, body.duplicateId);
    if (survivor.nirHash && duplicate.nirHash && survivor.nirHash !== duplicate.nirHash) {
      throw conflict(
        'PERSON_MERGE_CONFLICT',
        'Ces deux dossiers portent des numéros de sécurité sociale différents : ce ne sont pas la même personne, ils ne peuvent pas être fusionnés.',
      );
    }
    const filled: Partial<Person> = {};
    const fromDuplicate: string[] = [];
    for (const f of fillable) {
      if ((survivor[f] === null || survivor[f] === '') && duplicate[f] !== null && duplicate[f] !== '') {
        (filled as Record<string, unknown>)[f] = duplicate[f];
        fromDuplicate.push(fieldNames[f] ?? f);
      }
    }
    if (filled.nirSealed) filled.nirHash = duplicate.nirHash;
    const lastActivityAt = new Date(Math.max(survivor.lastActivityAt.getTime(), duplicate.lastActivityAt.getTime()));
    const movedVisits = await tx.update(visits).set({ personId: id }).where(eq(visits.personId, duplicate.id)).returning({ id: visits.id });
    const movedConsents = await tx
      .update(personConsents)
      .set({ personId: id })
      .where(eq(personConsents.personId, duplicate.id))
      .returning({ id: personConsents.id });
    const movedMandates = await tx
      .update(mandates)
      .set({ personId: id })
      .where(eq(mandates.personId, duplicate.id))
      .returning({ id: mandates.id });
    const movedChallenges = await tx
      .update(smsChallenges)
      .set({ personId: id })
      .where(eq(smsChallenges.personId, duplicate.id))
      .returning({ id: smsChallenges.id });
    const movedRequests = await moveRequestsToPerson(tx, duplicate.id, id);
    const holdings = await tx
      .delete(personContactPoints)
      .where(eq(personContactPoints.personId, duplicate.id))
      .returning({ contactPointId: personContactPoints.contactPointId, since: personContactPoints.since });
    if (holdings.length) {
      await tx
        .insert(personContactPoints)
        .values(holdings.map((h) => ({ territoryId, personId: id, contactPointId: h.contactPointId, since: h.since })))
        .onConflictDoNothing();
    }
    const merged = { ...survivor, ...filled };
    const [row] = await tx
      .update(people)
      .set({
        ...filled,
        searchName: normaliseName(merged.firstName, merged.lastName, merged.birthName),
        lastActivityAt,
        updatedAt: now,
      })
      .where(eq(people.id, id))
      .returning();
    await tx
      .update(people)
      .set({
        ...blankPerson,
        informedAt: null,
        informedHow: null,
        mergedIntoId: id,
        mergedAt: now,
        anonymisedAt: now,
        anonymisedReason: 'merge',
        updatedAt: now,
      })
      .where(eq(people.id, duplicate.id));
    const moved = {
      visits: movedVisits.length,
      consents: movedConsents.length,
      mandates: movedMandates.length,
      smsChallenges: movedChallenges.length,
      requests: movedRequests,
      contactPoints: holdings.length,
    };
    await recordAudit(tx, audit, {
      type: 'person.merged',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { role: 'survivor', duplicateId: duplicate.id, fromDuplicate, moved },
    });
    await recordAudit(tx, audit, {
      type: 'person.merged',
      territoryId,
      targetType: 'person',
      targetId: duplicate.id,
      data: { role: 'duplicate', mergedIntoId: id, givenToSurvivor: fromDuplicate, moved },
    });
    return viewOf(ctx, tx, access, row as Person);
  });
}
