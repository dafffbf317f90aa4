import { and, eq, inArray, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { SheetStatus } from '../../../contracts/knowledge.ts';
import type { Executor } from '../../db/client.ts';
import { type Actor, authorize, can, requireUser, type UserActor } from '../../platform/authorize.ts';
import { forbidden } from '../../platform/errors.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';

/** What the caller is to a territory's knowledge base. */
export interface KnowledgeAccess {
  user: UserActor;
  territoryId: string;
  coordinator: boolean;
  /** Organisations whose sheets the caller writes as referent or manager. */
  ownOrganisationIds: string[];
}

export function knowledgeAccess(actor: Actor, territoryId: string): KnowledgeAccess {
  const user = requireUser(actor);
  authorize(user, 'knowledge.read', { territoryId });
  const mine = user.memberships.filter((m) => m.territoryId === territoryId);
  return {
    user,
    territoryId,
    coordinator: mine.some((m) => m.role === 'coordinator'),
    ownOrganisationIds: mine.filter((m) => m.role === 'referent' || m.role === 'manager').map((m) => m.organisationId as string),
  };
}

/** The organisations of the territory with at least one active referent or manager account. */
export async function managedOrganisationIds(db: Executor, territoryId: string, among?: string[]): Promise<Set<string>> {
  if (among && !among.length) return new Set();
  const rows = await db
    .selectDistinct({ id: memberships.organisationId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        inArray(memberships.role, ['referent', 'manager']),
        isNotNull(memberships.organisationId),
        ne(users.status, 'deactivated'),
        among ? inArray(memberships.organisationId, among) : undefined,
      ),
    );
  return new Set(rows.map((r) => r.id as string));
}

/** Whether the caller may write, publish and verify sheets of this owner (null: the network). */
export async function canWrite(db: Executor, access: KnowledgeAccess, organisationId: string | null): Promise<boolean> {
  const scope = { territoryId: access.territoryId, organisationId };
  if (can(access.user, 'knowledge.write', scope)) return true;
  if (!organisationId || !access.coordinator) return false;
  const managed = await managedOrganisationIds(db, access.territoryId, [organisationId]);
  return can(access.user, 'knowledge.write', { ...scope, unmanaged: !managed.has(organisationId) });
}

export async function checkWrite(db: Executor, access: KnowledgeAccess, organisationId: string | null): Promise<void> {
  if (!(await canWrite(db, access, organisationId)))
    throw forbidden(
      organisationId
        ? 'Seuls les référents de ce partenaire peuvent modifier et publier ses fiches. Vous pouvez proposer une modification.'
        : 'Seule la coordination du réseau peut modifier et publier les fiches du réseau. Vous pouvez proposer une modification.',
    );
}

/**
 * Which sheets of the territory the caller sees, as a condition on the alias `s`: published ones
 * for everybody; drafts and archived ones for coordinators and for the owning partner's people.
 */
export function visibleSheets(access: KnowledgeAccess, status?: SheetStatus): SQL {
  if (!status || status === 'publiee') return sql`s.status = 'publiee'`;
  if (access.coordinator) return sql`s.status = ${status}`;
  if (!access.ownOrganisationIds.length) return sql`false`;
  return sql`(s.status = ${status} AND s.organisation_id = ANY (${sql.param(access.ownOrganisationIds)}::uuid[]))`;
}

/** Whether the caller may read a sheet in this status and of this owner. */
export function canRead(access: KnowledgeAccess, sheet: { status: string; organisationId: string | null }): boolean {
  if (sheet.status === 'publiee' || access.coordinator) return true;
  return !!sheet.organisationId && access.ownOrganisationIds.includes(sheet.organisationId);
}
