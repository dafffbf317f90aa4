import { and, asc, eq, inArray } from 'drizzle-orm';
import { RoleLabels } from '../../../contracts/common.ts';
import type { AccessLogEntry, PersonExport } from '../../../contracts/people-lifecycle.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { formatNir } from '../../platform/nir.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';
import { requestsForExport } from '../requests/person-requests.ts';
import { visits } from '../visits/visits.schema.ts';
import { mandateDocuments, mandates, personConsents, personContactPoints } from './people.schema.ts';
import { detailsOf, findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';
import { mergedIntoIds } from './tombstone.ts';

const eventLabels: Record<string, string> = {
  'person.created': 'Création du dossier',
  'person.read': 'Consultation du dossier',
  'person.updated': 'Modification du dossier',
  'person.identifier_revealed': 'Affichage d’un identifiant en clair',
  'person.consent_given': 'Accord de partage enregistré',
  'person.consent_withdrawn': 'Accord de partage retiré',
  'person.shared': 'Dossier confié à un autre lieu d’accueil',
  'person.merged': 'Fusion de deux dossiers',
  'person.exported': 'Export du dossier (demande d’accès)',
};

/**
 * The whole file for the person's access request: identifiers in clear, consents, mandates (the
 * list of documents, not their bytes), visits, requests (saisines: their conversation without the
 * partner's internal notes, the identifiers given), and who did what with the file (every person.*
 * journal entry on it and on the files merged into it). Coordinators only; journaled as such.
 */
export async function exportPerson(ctx: AppContext, actor: Actor, territoryId: string, id: string, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'people.export', { territoryId });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx): Promise<PersonExport> => {
    const p = await findVisible(tx, access, id);
    const ids = await mergedIntoIds(tx, territoryId, id);
    const open = (sealed: string | null) => (sealed ? ctx.secretBox.open(sealed) : null);
    const nir = open(p.nirSealed);
    const [territory] = await tx.select({ name: territories.name }).from(territories).where(eq(territories.id, territoryId));
    const holders = await tx
      .select({ name: contactPoints.name })
      .from(personContactPoints)
      .innerJoin(contactPoints, eq(contactPoints.id, personContactPoints.contactPointId))
      .where(eq(personContactPoints.personId, id))
      .orderBy(asc(contactPoints.name));
    const orgNames = await organisationNames(tx, territoryId);
    const consents = await tx.select().from(personConsents).where(eq(personConsents.personId, id)).orderBy(asc(personConsents.givenAt));
    const accessLog = await accessLogOf(tx, territoryId, ids);
    const result: PersonExport = {
      exportedAt: now.toISOString(),
      territory: territory?.name ?? '',
      person: {
        id: p.id,
        ...detailsOf(p),
        nir: nir ? formatNir(nir) : null,
        cafNumber: open(p.cafNumberSealed),
        taxNumber: open(p.taxNumberSealed),
        franceTravailId: open(p.franceTravailIdSealed),
        informedAt: p.informedAt?.toISOString() ?? null,
        informedHow: p.informedHow,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
      },
      contactPoints: holders.map((h) => h.name),
      consents: consents.map((c) => ({
        organisation: orgNames.get(c.organisationId) ?? '',
        givenAt: c.givenAt.toISOString(),
        how: c.how,
        withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      })),
      mandates: await mandatesOf(tx, id, orgNames),
      visits: await visitsOf(tx, id, orgNames),
      requests: await requestsForExport(tx, ctx.secretBox, ids),
      accessLog,
    };
    await recordAudit(tx, audit, {
      type: 'person.exported',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: {
        identifiersInClear: true,
        visits: result.visits.length,
        mandates: result.mandates.length,
        requests: result.requests.length,
        accessLogEntries: accessLog.length,
      },
    });
    return result;
  });
}

async function organisationNames(db: Executor, territoryId: string) {
  const rows = await db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId));
  return new Map(rows.map((o) => [o.id, o.name]));
}

async function mandatesOf(db: Executor, personId: string, orgNames: Map<string, string>): Promise<PersonExport['mandates']> {
  const rows = await db
    .select({ m: mandates, contactPoint: contactPoints.name })
    .from(mandates)
    .innerJoin(contactPoints, eq(contactPoints.id, mandates.contactPointId))
    .where(eq(mandates.personId, personId))
    .orderBy(asc(mandates.startsAt));
  const docs = rows.length
    ? await db
        .select()
        .from(mandateDocuments)
        .where(
          inArray(
            mandateDocuments.mandateId,
            rows.map((r) => r.m.id),
          ),
        )
        .orderBy(asc(mandateDocuments.createdAt))
    : [];
  return rows.map(({ m, contactPoint }) => ({
    id: m.id,
    contactPoint,
    scope: { organisations: m.scope.organisationIds.map((o) => orgNames.get(o) ?? ''), procedures: m.scope.procedures, all: m.scope.all },
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    consentMethod: m.consentMethod,
    consentAt: m.consentAt.toISOString(),
    revokedAt: m.revokedAt?.toISOString() ?? null,
    revokedReason: m.revokedReason,
    documents: docs
      .filter((d) => d.mandateId === m.id)
      .map((d) => ({ fileName: d.fileName, contentType: d.contentType, sizeBytes: d.sizeBytes, uploadedAt: d.createdAt.toISOString() })),
    documentExpiredAt: m.documentExpiredAt?.toISOString() ?? null,
  }));
}

async function visitsOf(db: Executor, personId: string, orgNames: Map<string, string>): Promise<PersonExport['visits']> {
  const rows = await db
    .select({ v: visits, contactPoint: contactPoints.name })
    .from(visits)
    .innerJoin(contactPoints, eq(contactPoints.id, visits.contactPointId))
    .where(eq(visits.personId, personId))
    .orderBy(asc(visits.occurredAt));
  return rows.map(({ v, contactPoint }) => ({
    id: v.id,
    occurredAt: v.occurredAt.toISOString(),
    contactPoint,
    channel: v.channel,
    organisations: v.organisationIds.map((o) => orgNames.get(o) ?? ''),
    themeCodes: v.themeCodes,
    actions: v.actions,
    autonomy: v.autonomy,
    durationMinutes: v.durationMinutes,
    comment: v.comment,
    underMandate: !!v.mandateId,
  }));
}

/** Who did what with the file: name and role(s) in the territory, when, what, from which screen. */
async function accessLogOf(db: Executor, territoryId: string, ids: string[]): Promise<AccessLogEntry[]> {
  const rows = await db
    .select({
      at: auditEvents.occurredAt,
      type: auditEvents.type,
      data: auditEvents.data,
      actorUserId: auditEvents.actorUserId,
      who: users.displayName,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.targetType, 'person'), inArray(auditEvents.targetId, ids)))
    .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id));
  const actorIds = [...new Set(rows.map((r) => r.actorUserId).filter((u): u is string => !!u))];
  const roles = actorIds.length
    ? await db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.territoryId, territoryId), inArray(memberships.userId, actorIds)))
    : [];
  const roleOf = (userId: string | null) => {
    const labels = [...new Set(roles.filter((r) => r.userId === userId).map((r) => RoleLabels[r.role]))];
    return labels.length ? labels.join(', ') : null;
  };
  return rows.map((r) => ({
    at: r.at.toISOString(),
    type: r.type,
    label: eventLabels[r.type] ?? r.type,
    who: r.who ?? (r.actorUserId ? null : 'Relais (tâche automatique)'),
    role: roleOf(r.actorUserId),
    screen: typeof r.data.screen === 'string' ? r.data.screen : null,
  }));
}
