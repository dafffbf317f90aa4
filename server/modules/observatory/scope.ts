import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ObservatoryScope } from '../../../contracts/observatory.ts';
import type { Executor } from '../../db/client.ts';
import { type Actor, authorize, requireUser } from '../../platform/authorize.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';

/**
 * What a caller may see of a territory's figures, and the filters of one query resolved against it.
 * - coordinator: the whole territory;
 * - agent: the contact points they work at (visits logged there, requests sent from there);
 * - partner referent or manager: the visits that named their organisation, the requests sent to it.
 * Deny by default: any other caller gets 403; a filter outside the scope gets 403 OBSERVATORY_OUT_OF_SCOPE.
 */
export interface StatsScope {
  territoryId: string;
  territory: { name: string; slug: string; timezone: string };
  kind: ObservatoryScope['kind'];
  /** null = every contact point of the territory. */
  contactPointIds: string[] | null;
  /** Set for a partner's view: only what concerns this organisation. */
  organisationId: string | null;
  view: ObservatoryScope;
}

/** The filters of one query within the scope: which contact points, which partner. */
export interface StatsFilter {
  contactPointIds: string[] | null;
  organisationId: string | null;
}

const outOfScope = (what: string) => new AppError('OBSERVATORY_OUT_OF_SCOPE', 403, `${what} n’est pas dans votre périmètre.`);

export async function statsScope(db: Executor, actor: Actor, territoryId: string): Promise<StatsScope> {
  const user = requireUser(actor);
  authorize(user, 'stats.read', { territoryId });
  const [territory] = await db
    .select({ name: territories.name, slug: territories.slug, timezone: territories.timezone })
    .from(territories)
    .where(eq(territories.id, territoryId));
  if (!territory) throw notFound('Le territoire');
  const mine = user.memberships.filter((m) => m.territoryId === territoryId);
  const { cps, orgs } = await scopeLists(db, territoryId);
  if (mine.some((m) => m.role === 'coordinator')) return wholeTerritory(territoryId, territory, cps, orgs);
  const agentAt = new Set(mine.filter((m) => m.role === 'agent' && m.contactPointId).map((m) => m.contactPointId as string));
  if (agentAt.size) {
    const own = cps.filter((c) => agentAt.has(c.id));
    return {
      territoryId,
      territory,
      kind: 'lieux',
      contactPointIds: own.map((c) => c.id),
      organisationId: null,
      view: { kind: 'lieux', label: own.map((c) => c.name).join(', '), contactPoints: own, organisations: orgs },
    };
  }
  const partnerOf = mine.find((m) => (m.role === 'referent' || m.role === 'manager') && m.organisationId);
  const org = partnerOf && orgs.find((o) => o.id === partnerOf.organisationId);
  if (!org) throw outOfScope('Ce territoire');
  return {
    territoryId,
    territory,
    kind: 'partenaire',
    contactPointIds: null,
    organisationId: org.id,
    view: { kind: 'partenaire', label: org.name, contactPoints: cps, organisations: [org] },
  };
}

type Lists = Pick<ObservatoryScope, 'contactPoints' | 'organisations'>;

/** The territory's contact points and partners, by name. */
export async function scopeLists(
  db: Executor,
  territoryId: string,
): Promise<{ cps: Lists['contactPoints']; orgs: Lists['organisations'] }> {
  const cps = await db
    .select({ id: contactPoints.id, name: contactPoints.name })
    .from(contactPoints)
    .where(eq(contactPoints.territoryId, territoryId))
    .orderBy(asc(contactPoints.name));
  const orgs = await db
    .select({ id: partnerOrganisations.id, name: partnerOrganisations.name, nationalCode: partnerOrganisations.nationalCode })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.territoryId, territoryId))
    .orderBy(asc(partnerOrganisations.name));
  return { cps, orgs };
}

/** Everything of a territory: the coordinators' scope, and the public page's (which publishes aggregates only). */
export function wholeTerritory(
  territoryId: string,
  territory: StatsScope['territory'],
  cps: Lists['contactPoints'],
  orgs: Lists['organisations'],
): StatsScope {
  return {
    territoryId,
    territory,
    kind: 'territoire',
    contactPointIds: null,
    organisationId: null,
    view: { kind: 'territoire', label: territory.name, contactPoints: cps, organisations: orgs },
  };
}

/** Applies a query's contact point and partner filters within the scope. */
export function filterWithin(scope: StatsScope, query: { contactPointId?: string; organisationId?: string }): StatsFilter {
  let contactPointIds = scope.contactPointIds;
  if (query.contactPointId) {
    if (!scope.view.contactPoints.some((c) => c.id === query.contactPointId)) throw outOfScope('Ce lieu d’accueil');
    contactPointIds = [query.contactPointId];
  }
  let organisationId = scope.organisationId;
  if (query.organisationId) {
    if (!scope.view.organisations.some((o) => o.id === query.organisationId)) throw outOfScope('Ce partenaire');
    organisationId = query.organisationId;
  }
  return { contactPointIds, organisationId };
}

/** Names of contact points (for breakdowns), including closed ones that still have figures. */
export async function contactPointNames(db: Executor, territoryId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: contactPoints.id, name: contactPoints.name })
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), inArray(contactPoints.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
