import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Me, SessionView } from '../../../contracts/accounts.ts';
import type { Executor } from '../../db/client.ts';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';
import { memberships, sessions, users } from './accounts.schema.ts';

/** The signed-in user as the web app sees it: identity, memberships with names, CSRF token. */
export async function loadMe(tx: Executor, userId: string, csrfToken: string): Promise<Me> {
  const [user] = await tx
    .select({ id: users.id, email: users.email, displayName: users.displayName, isPlatformAdmin: users.isPlatformAdmin })
    .from(users)
    .where(eq(users.id, userId));
  const rows = await tx
    .select({
      id: memberships.id,
      role: memberships.role,
      territory: { id: territories.id, name: territories.name, slug: territories.slug },
      cpId: contactPoints.id,
      cpName: contactPoints.name,
      orgId: partnerOrganisations.id,
      orgName: partnerOrganisations.name,
      orgAcronym: partnerOrganisations.acronym,
    })
    .from(memberships)
    .innerJoin(territories, eq(territories.id, memberships.territoryId))
    .leftJoin(contactPoints, eq(contactPoints.id, memberships.contactPointId))
    .leftJoin(partnerOrganisations, eq(partnerOrganisations.id, memberships.organisationId))
    .where(eq(memberships.userId, userId))
    .orderBy(territories.name, memberships.role);
  return {
    user: user!,
    csrfToken,
    memberships: rows.map((r) => ({
      id: r.id,
      role: r.role,
      territory: r.territory,
      contactPoint: r.cpId ? { id: r.cpId, name: r.cpName! } : null,
      organisation: r.orgId ? { id: r.orgId, name: r.orgName!, acronym: r.orgAcronym! } : null,
    })),
  };
}

export async function listOpenSessions(tx: Executor, userId: string, currentId: string, now: Date): Promise<SessionView[]> {
  const rows = await tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((s) => ({
    id: s.id,
    current: s.id === currentId,
    method: s.method,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
  }));
}
