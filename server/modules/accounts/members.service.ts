import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { InviteBody } from '../../../contracts/members.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { newSecretToken } from '../../platform/crypto.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations, territories } from '../network/network.schema.ts';
import { memberships, users, userTokens } from './accounts.schema.ts';
import { INVITATION_TTL_MS } from './auth.service.ts';

/** Members the actor may see: all for a coordinator, their contact point or organisation otherwise. */
export async function listMembers(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  let scope: SQL | undefined;
  if (!can(actor, 'members.read_all', { territoryId })) {
    const mine = actor.kind === 'user' ? actor.memberships.filter((m) => m.territoryId === territoryId) : [];
    const cps = mine.map((m) => m.contactPointId).filter((x): x is string => !!x);
    const orgs = mine.map((m) => m.organisationId).filter((x): x is string => !!x);
    const parts = [
      cps.length ? inArray(memberships.contactPointId, cps) : undefined,
      orgs.length ? inArray(memberships.organisationId, orgs) : undefined,
    ].filter(Boolean) as SQL[];
    if (!parts.length) return [];
    scope = or(...parts);
  }
  const rows = await ctx.db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      status: users.status,
      role: memberships.role,
      contactPointId: memberships.contactPointId,
      organisationId: memberships.organisationId,
      lastActiveAt: users.lastActiveAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.territoryId, territoryId), scope))
    .orderBy(users.displayName);
  return rows.map((r) => ({ ...r, lastActiveAt: r.lastActiveAt?.toISOString() ?? null }));
}

/**
 * Grants a membership; a new address gets an account in the "invited" state and an emailed link
 * to choose a password (valid 7 days). Inviting again someone who has not accepted yet sends a
 * fresh link (the way to renew an expired invitation). Everything is written in one transaction.
 */
export async function inviteMember(ctx: AppContext, actor: Actor, territoryId: string, input: InviteBody, audit: AuditContext) {
  authorize(actor, 'members.invite', {
    territoryId,
    role: input.role,
    organisationId: input.organisationId ?? null,
    contactPointId: input.contactPointId ?? null,
  });
  const [territory] = await ctx.db.select().from(territories).where(eq(territories.id, territoryId));
  if (!territory) throw notFound('Ce territoire');
  if (input.contactPointId) {
    const [cp] = await ctx.db
      .select({ id: contactPoints.id })
      .from(contactPoints)
      .where(and(eq(contactPoints.id, input.contactPointId), eq(contactPoints.territoryId, territoryId)));
    if (!cp) throw invalid('CONTACT_POINT_UNKNOWN', 'Ce lieu d’accueil n’existe pas dans ce territoire.');
  }
  if (input.organisationId) {
    const [org] = await ctx.db
      .select({ id: partnerOrganisations.id })
      .from(partnerOrganisations)
      .where(and(eq(partnerOrganisations.id, input.organisationId), eq(partnerOrganisations.territoryId, territoryId)));
    if (!org) throw invalid('ORGANISATION_UNKNOWN', 'Ce partenaire n’existe pas dans ce territoire.');
  }
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    let [user] = await tx.select().from(users).where(eq(users.email, input.email));
    if (!user) {
      [user] = await tx.insert(users).values({ email: input.email, displayName: input.displayName, status: 'invited' }).returning();
    }
    // Someone who has not accepted yet gets a fresh link each time, so an expired invitation can be sent again.
    let token: string | null = null;
    if (user!.status === 'invited') {
      token = await issueInvitationToken(tx, user!.id, now);
      await recordAudit(tx, audit, {
        type: 'user.invited',
        territoryId,
        targetType: 'user',
        targetId: user!.id,
        data: { email: input.email },
      });
    }
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.userId, user!.id),
          eq(memberships.territoryId, territoryId),
          eq(memberships.role, input.role),
          input.contactPointId ? eq(memberships.contactPointId, input.contactPointId) : isNull(memberships.contactPointId),
          input.organisationId ? eq(memberships.organisationId, input.organisationId) : isNull(memberships.organisationId),
        ),
      );
    if (existing) {
      if (token) return { user: user!, membershipId: existing.id, token };
      throw conflict('MEMBERSHIP_EXISTS', 'Cette personne a déjà ce rôle à cet endroit.');
    }
    try {
      const [membership] = await tx
        .insert(memberships)
        .values({
          userId: user!.id,
          territoryId,
          role: input.role,
          contactPointId: input.contactPointId ?? null,
          organisationId: input.organisationId ?? null,
        })
        .returning();
      await recordAudit(tx, audit, {
        type: 'membership.granted',
        territoryId,
        targetType: 'user',
        targetId: user!.id,
        data: { role: input.role, contactPointId: input.contactPointId ?? null, organisationId: input.organisationId ?? null },
      });
      return { user: user!, membershipId: membership!.id, token };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('MEMBERSHIP_EXISTS', 'Cette personne a déjà ce rôle à cet endroit.');
      throw error;
    }
  });
  const link = result.token ? `${ctx.config.publicUrl}/invitation?jeton=${result.token}` : `${ctx.config.publicUrl}/connexion`;
  await ctx.jobs.send('mail.send', {
    to: result.user.email,
    subject: result.token ? `Relais : invitation au réseau ${territory.name}` : `Relais : nouveau rôle dans ${territory.name}`,
    text: result.token
      ? `Bonjour ${result.user.displayName},\n\nVous êtes invité(e) à rejoindre Relais, l'espace de travail du réseau ${territory.name}.\nPour activer votre compte et choisir votre mot de passe, ouvrez ce lien (valable 7 jours) :\n${link}\n\nRelais`
      : `Bonjour ${result.user.displayName},\n\nUn nouveau rôle vous a été attribué dans le réseau ${territory.name}. Connectez-vous : ${link}\n\nRelais`,
  });
  return { userId: result.user.id, membershipId: result.membershipId, invited: !!result.token };
}

/** A new single-use invitation link (valid 7 days); the person's earlier links stop working. */
async function issueInvitationToken(tx: Executor, userId: string, now: Date) {
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, 'invitation'), isNull(userTokens.usedAt)));
  const secret = newSecretToken();
  await tx
    .insert(userTokens)
    .values({ userId, purpose: 'invitation', tokenHash: secret.hash, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) });
  return secret.token;
}

export async function revokeMembership(ctx: AppContext, actor: Actor, territoryId: string, membershipId: string, audit: AuditContext) {
  const [m] = await ctx.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.territoryId, territoryId)));
  authorize(actor, 'territory.read', { territoryId });
  if (!m) throw notFound('Ce rôle');
  authorize(actor, 'members.invite', { territoryId, role: m.role, organisationId: m.organisationId, contactPointId: m.contactPointId });
  await ctx.db.transaction(async (tx) => {
    await tx.delete(memberships).where(eq(memberships.id, m.id));
    await recordAudit(tx, audit, {
      type: 'membership.revoked',
      territoryId,
      targetType: 'user',
      targetId: m.userId,
      data: { role: m.role, contactPointId: m.contactPointId, organisationId: m.organisationId },
    });
  });
}

/** A coordinator reactivates an account deactivated for inactivity, if it belongs to their territory. */
export async function reactivateMember(ctx: AppContext, actor: Actor, territoryId: string, userId: string, audit: AuditContext) {
  authorize(actor, 'members.reactivate', { territoryId });
  const [m] = await ctx.db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.territoryId, territoryId)));
  if (!m) throw notFound('Cette personne');
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ status: 'active', deactivatedAt: null, inactivityWarnedAt: null, lastActiveAt: ctx.clock.now() })
      .where(and(eq(users.id, userId), eq(users.status, 'deactivated')))
      .returning({ id: users.id });
    if (!rows.length) throw conflict('USER_NOT_DEACTIVATED', 'Ce compte n’est pas désactivé.');
    await recordAudit(tx, audit, { type: 'user.reactivated', territoryId, targetType: 'user', targetId: userId });
  });
}
