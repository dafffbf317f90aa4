import { and, eq, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { type Actor, can } from '../../platform/authorize.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { requestParticipants, requests } from './requests.schema.ts';

export type RequestRow = typeof requests.$inferSelect;

/**
 * Who the caller is to a request:
 * - `agent`: an agent of the contact point that sent it (the person's side);
 * - `partner`: a referent or manager of the organisation it is addressed to, an API token of that
 *   organisation, or someone invited (a user, or an organisation whose referents/managers then act);
 * - `coordination`: a coordinator of the territory (reads everything, acts only to archive).
 * Anyone else is not a party: 404, so a request's existence does not leak across scopes.
 */
export interface Party {
  side: 'agent' | 'partner' | 'coordination';
  userId: string | null;
  tokenId: string | null;
  /** For the partner side: the organisation the caller acts for. */
  organisationId: string | null;
}

export const requestNotFound = () => notFound('Cette saisine');

export async function partyOf(db: Executor, actor: Actor, req: RequestRow): Promise<Party | null> {
  if (actor.kind === 'api_token') {
    if (actor.territoryId !== req.territoryId) return null;
    if (actor.organisationId === req.organisationId || (await invitedOrganisation(db, req.id, [actor.organisationId])))
      return { side: 'partner', userId: null, tokenId: actor.tokenId, organisationId: actor.organisationId };
    return null;
  }
  const mine = actor.memberships.filter((m) => m.territoryId === req.territoryId);
  const partnerOrgs = mine.filter((m) => m.role === 'referent' || m.role === 'manager').map((m) => m.organisationId as string);
  if (partnerOrgs.includes(req.organisationId))
    return { side: 'partner', userId: actor.userId, tokenId: null, organisationId: req.organisationId };
  const invitedOrg = await invitedOrganisation(db, req.id, partnerOrgs);
  if (invitedOrg) return { side: 'partner', userId: actor.userId, tokenId: null, organisationId: invitedOrg };
  const [invitedUser] = await db
    .select({ id: requestParticipants.id })
    .from(requestParticipants)
    .where(
      and(eq(requestParticipants.requestId, req.id), eq(requestParticipants.userId, actor.userId), isNull(requestParticipants.removedAt)),
    );
  if (invitedUser) return { side: 'partner', userId: actor.userId, tokenId: null, organisationId: partnerOrgs[0] ?? null };
  if (mine.some((m) => m.role === 'agent' && m.contactPointId === req.contactPointId))
    return { side: 'agent', userId: actor.userId, tokenId: null, organisationId: null };
  if (can(actor, 'requests.read_all', { territoryId: req.territoryId }))
    return { side: 'coordination', userId: actor.userId, tokenId: null, organisationId: null };
  return null;
}

async function invitedOrganisation(db: Executor, requestId: string, organisationIds: string[]) {
  if (!organisationIds.length) return null;
  const rows = await db
    .select({ organisationId: requestParticipants.organisationId })
    .from(requestParticipants)
    .where(
      and(
        eq(requestParticipants.requestId, requestId),
        isNull(requestParticipants.removedAt),
        or(...organisationIds.map((o) => eq(requestParticipants.organisationId, o))),
      ),
    );
  return rows[0]?.organisationId ?? null;
}

/** The request (locked for update when `lock`) and the caller's part in it; 404 for non-parties. */
export async function loadForParty(db: Executor, actor: Actor, territoryId: string, requestId: string, lock = false) {
  const query = db
    .select()
    .from(requests)
    .where(and(eq(requests.id, requestId), eq(requests.territoryId, territoryId)));
  const [req] = lock ? await query.for('update') : await query;
  if (!req) throw requestNotFound();
  const party = await partyOf(db, actor, req);
  if (!party) throw requestNotFound();
  return { req, party };
}

/** The side as the status machine knows it: coordinators act as the system (archive). */
export const machineSide = (party: Party) => (party.side === 'coordination' ? 'system' : party.side);

export function requirePartner(party: Party) {
  if (party.side !== 'partner') throw forbidden('Cette action est réservée à l’organisme partenaire.');
}
