import { and, desc, eq, inArray } from 'drizzle-orm';
import type { MandateScope, MandateView } from '../../../contracts/mandates.ts';
import type { Executor } from '../../db/client.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { daysLeft, mandateStatus } from './mandate-period.ts';
import { mandateDocuments, mandates, personContactPoints } from './people.schema.ts';

export type Mandate = typeof mandates.$inferSelect;

/** A mandate of this person in this territory, else 404. */
export async function mandateOf(db: Executor, territoryId: string, personId: string, mandateId: string) {
  const [row] = await db
    .select()
    .from(mandates)
    .where(and(eq(mandates.id, mandateId), eq(mandates.personId, personId), eq(mandates.territoryId, territoryId)));
  if (!row) throw notFound('Ce mandat');
  return row;
}

export async function holds(db: Executor, personId: string, contactPointId: string) {
  const [row] = await db
    .select({ personId: personContactPoints.personId })
    .from(personContactPoints)
    .where(and(eq(personContactPoints.personId, personId), eq(personContactPoints.contactPointId, contactPointId)));
  return !!row;
}

/** Checks the partners and procedures of a scope against the territory's partners (400 with the path). */
export async function checkScope(db: Executor, territoryId: string, scope: MandateScope): Promise<MandateScope> {
  if (scope.all) return { all: true, organisationIds: [], procedures: [] };
  const orgs = await db
    .select({ id: partnerOrganisations.id, procedures: partnerOrganisations.procedures })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId));
  const known = new Set(orgs.map((o) => o.id));
  const unknownOrgs = scope.organisationIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknownOrgs.length)
    throw invalid(
      'ORGANISATION_UNKNOWN',
      'Certains partenaires ne sont pas des partenaires du territoire.',
      unknownOrgs.map(({ i }) => ({ path: `scope.organisationIds.${i}`, message: 'partenaire inconnu dans ce territoire' })),
    );
  const procedures = new Set(orgs.flatMap((o) => o.procedures));
  const unknownProcedures = scope.procedures.map((p, i) => ({ p, i })).filter(({ p }) => !procedures.has(p));
  if (unknownProcedures.length)
    throw invalid(
      'PROCEDURE_UNKNOWN',
      'Certaines démarches ne figurent dans le catalogue d’aucun partenaire du territoire.',
      unknownProcedures.map(({ i }) => ({ path: `scope.procedures.${i}`, message: 'démarche inconnue' })),
    );
  return { all: false, organisationIds: [...scope.organisationIds].sort(), procedures: [...scope.procedures].sort() };
}

/** The person's mandates as the file shows them, newest first. */
export async function mandateViews(
  db: Executor,
  input: {
    territoryId: string;
    personId: string;
    now: Date;
    timeZone: string;
    manageable: (contactPointId: string) => boolean;
    ids?: string[];
  },
): Promise<MandateView[]> {
  const rows = await db
    .select({ mandate: mandates, cp: contactPoints })
    .from(mandates)
    .innerJoin(contactPoints, eq(contactPoints.id, mandates.contactPointId))
    .where(
      and(
        eq(mandates.territoryId, input.territoryId),
        eq(mandates.personId, input.personId),
        input.ids ? inArray(mandates.id, input.ids) : undefined,
      ),
    )
    .orderBy(desc(mandates.startsAt), desc(mandates.id));
  if (!rows.length) return [];
  const orgIds = [...new Set(rows.flatMap((r) => r.mandate.scope.organisationIds ?? []))];
  const orgs = orgIds.length
    ? await db
        .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
        .from(partnerOrganisations)
        .where(inArray(partnerOrganisations.id, orgIds))
    : [];
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const docs = await db
    .select({
      mandateId: mandateDocuments.mandateId,
      fileName: mandateDocuments.fileName,
      contentType: mandateDocuments.contentType,
      sizeBytes: mandateDocuments.sizeBytes,
    })
    .from(mandateDocuments)
    .where(
      inArray(
        mandateDocuments.mandateId,
        rows.map((r) => r.mandate.id),
      ),
    )
    .orderBy(desc(mandateDocuments.createdAt));
  const docByMandate = new Map<string, (typeof docs)[number]>();
  for (const d of docs) if (!docByMandate.has(d.mandateId)) docByMandate.set(d.mandateId, d);
  return rows.map(({ mandate: m, cp }) => {
    const status = mandateStatus(m, input.now);
    const doc = m.documentExpiredAt ? undefined : docByMandate.get(m.id);
    return {
      id: m.id,
      personId: m.personId,
      contactPoint: {
        id: cp.id,
        name: cp.name,
        address: cp.address,
        postcode: cp.postcode,
        commune: cp.commune,
        managingBody: cp.managingBody,
        phone: cp.phone,
        email: cp.email,
      },
      scope: {
        all: m.scope.all,
        organisations: (m.scope.organisationIds ?? []).flatMap((id) => {
          const o = orgById.get(id);
          return o ? [o] : [];
        }),
        procedures: m.scope.procedures ?? [],
      },
      startsAt: m.startsAt.toISOString(),
      endsAt: m.endsAt.toISOString(),
      consentMethod: m.consentMethod,
      consentAt: m.consentAt.toISOString(),
      consentReference: m.consentReference,
      renewedFromId: m.renewedFromId,
      revokedAt: m.revokedAt?.toISOString() ?? null,
      revokedReason: m.revokedReason,
      status,
      daysLeft: status === 'actif' ? daysLeft(input.now, m.endsAt, input.timeZone) : 0,
      document: doc ? { fileName: doc.fileName, contentType: doc.contentType, sizeBytes: doc.sizeBytes } : null,
      canManage: input.manageable(m.contactPointId),
    };
  });
}

/** Whether a mandate's scope covers every partner of a visit (all partners, a chosen partner, or one of its procedures). */
export async function scopeCovers(db: Executor, territoryId: string, scope: Mandate['scope'], organisationIds: string[]) {
  if (scope.all) return true;
  const missing = organisationIds.filter((id) => !(scope.organisationIds ?? []).includes(id));
  if (!missing.length) return true;
  if (!scope.procedures?.length) return false;
  const orgs = await db
    .select({ id: partnerOrganisations.id, procedures: partnerOrganisations.procedures })
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.territoryId, territoryId), inArray(partnerOrganisations.id, missing)));
  return missing.every((id) => orgs.find((o) => o.id === id)?.procedures.some((p) => scope.procedures.includes(p)));
}

const notApplicable = (why: string) =>
  new AppError('MANDATE_NOT_APPLICABLE', 422, `Ce mandat ne permet pas d’agir pour cet accueil : ${why}.`, [
    { path: 'mandateId', message: why },
  ]);

/**
 * For a visit done « sous mandat »: the mandate must be this person's, held by the visit's contact
 * point, active at the visit's time and cover its partners (422 MANDATE_NOT_APPLICABLE otherwise).
 */
export async function checkMandateForVisit(
  db: Executor,
  v: { territoryId: string; contactPointId: string; personId: string | null; mandateId: string; at: Date; organisationIds: string[] },
) {
  const [m] = await db
    .select()
    .from(mandates)
    .where(and(eq(mandates.id, v.mandateId), eq(mandates.territoryId, v.territoryId)));
  if (!m || !v.personId || m.personId !== v.personId) throw notApplicable('ce n’est pas un mandat de la personne accueillie');
  if (m.contactPointId !== v.contactPointId) throw notApplicable('il est détenu par un autre lieu d’accueil');
  if (m.startsAt.getTime() > v.at.getTime() || m.endsAt.getTime() <= v.at.getTime() || (m.revokedAt && m.revokedAt <= v.at))
    throw notApplicable('il n’était pas en cours à la date de l’accueil');
  if (!(await scopeCovers(db, v.territoryId, m.scope, v.organisationIds)))
    throw notApplicable('il ne couvre pas tous les partenaires de l’accueil');
}
