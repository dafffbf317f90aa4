import { forbidden } from './errors.ts';

export type Role = 'agent' | 'referent' | 'manager' | 'coordinator';

export interface Membership {
  id: string;
  territoryId: string;
  role: Role;
  contactPointId: string | null;
  organisationId: string | null;
}

export type Actor =
  | {
      kind: 'user';
      userId: string;
      sessionId: string;
      isPlatformAdmin: boolean;
      memberships: Membership[];
    }
  | { kind: 'api_token'; tokenId: string; territoryId: string; organisationId: string };

export type UserActor = Extract<Actor, { kind: 'user' }>;

interface Scope {
  territoryId: string;
  contactPointId?: string | null;
  organisationId?: string | null;
}

const isAdmin = (a: Actor) => a.kind === 'user' && a.isPlatformAdmin;
const userMemberships = (a: Actor, territoryId: string) =>
  a.kind === 'user' ? a.memberships.filter((m) => m.territoryId === territoryId) : [];
const hasRole = (a: Actor, territoryId: string, ...roles: Role[]) => userMemberships(a, territoryId).some((m) => roles.includes(m.role));
const isCoordinator = (a: Actor, territoryId: string) => hasRole(a, territoryId, 'coordinator');
const worksAt = (a: Actor, s: Scope) =>
  !!s.contactPointId && userMemberships(a, s.territoryId).some((m) => m.role === 'agent' && m.contactPointId === s.contactPointId);
const worksAtAny = (a: Actor, territoryId: string) => userMemberships(a, territoryId).some((m) => m.role === 'agent' && !!m.contactPointId);
const isTokenOf = (a: Actor, s: Scope) =>
  a.kind === 'api_token' && a.territoryId === s.territoryId && !!s.organisationId && a.organisationId === s.organisationId;
const belongsTo = (a: Actor, s: Scope, ...roles: Role[]) =>
  !!s.organisationId && userMemberships(a, s.territoryId).some((m) => roles.includes(m.role) && m.organisationId === s.organisationId);

/**
 * Every permission of Relais in one table. Anything not listed is denied.
 * Use cases call `authorize` first; list queries use the `*_all` actions to decide whether to
 * filter by the actor's own contact points and organisations.
 */
const policies = {
  'territory.create': (a: Actor) => isAdmin(a),
  'territory.read': (a: Actor, s: Scope) => isAdmin(a) || userMemberships(a, s.territoryId).length > 0,
  'network.write': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  /** A partner organisation's details and referents: coordinators, and the organisation's own managers. */
  'partners.write': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId) || belongsTo(a, s, 'manager'),
  'members.read': (a: Actor, s: Scope) =>
    isAdmin(a) || isCoordinator(a, s.territoryId) || worksAt(a, s) || belongsTo(a, s, 'referent', 'manager'),
  'members.read_all': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  'members.reactivate': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  'members.invite': (a: Actor, s: Scope & { role: Role }) =>
    isAdmin(a) || isCoordinator(a, s.territoryId) || (['referent', 'manager'].includes(s.role) && belongsTo(a, s, 'manager')),
  'audit.read': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  'api_tokens.manage_all': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  'api_tokens.manage': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId) || belongsTo(a, s, 'manager'),
  /** A partner's webhooks: its managers, the territory's coordinators, and the partner's own system (its API token). */
  'webhooks.manage': (a: Actor, s: Scope) =>
    isAdmin(a) ||
    isCoordinator(a, s.territoryId) ||
    belongsTo(a, s, 'manager') ||
    (a.kind === 'api_token' && a.territoryId === s.territoryId && !!s.organisationId && a.organisationId === s.organisationId),
  /**
   * Person files: agents for their own contact points (each query keeps only the files those
   * hold), coordinators for their territory. Platform administrators and partners: none.
   */
  'people.use': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  'people.read_all': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /** Creating a file held by a contact point: its agents; coordinators anywhere in the territory. */
  'people.create': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAt(a, s),
  /** Sharing a file with another contact point of the territory. */
  'people.share': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /** Merging two files of the same person: coordinators, or an agent whose contact points hold both (checked by the service). */
  'people.merge': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  /** Answering an access request (export) and erasing a file on request: the territory's coordinators only. */
  'people.export': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  'people.erase': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /** The territory's themes and reporting groups: read by its members, edited by its coordinators. */
  'taxonomy.read': (a: Actor, s: Scope) => isAdmin(a) || userMemberships(a, s.territoryId).length > 0,
  'taxonomy.write': (a: Actor, s: Scope) => isAdmin(a) || isCoordinator(a, s.territoryId),
  /**
   * Visits: logged by the agents of the contact point (or a coordinator of the territory); read by
   * agents for their own contact points, by coordinators for the whole territory; corrected by the
   * agent who logged it (checked by the service). Platform administrators and partners: none.
   */
  'visits.create': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAt(a, s),
  'visits.read': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  'visits.read_all': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /**
   * Mandates: held by a contact point, whose agents create, renew, revoke them and send the SMS
   * code; read (with the person's file) by the agents who see the file and the territory's
   * coordinators. Platform administrators and partners: none.
   */
  'mandates.manage': (a: Actor, s: Scope) => worksAt(a, s),
  'mandates.read': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  /** The SMS outbox (no provider configured): the territory's agents and coordinators. */
  'sms.outbox': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  /**
   * Requests (saisines): sent by the agents of a contact point (the service also checks the
   * person's file and consent); handled by the referents and managers of the addressed
   * organisation, its API tokens, and who was invited (checked by the service against the
   * request); read by the territory's coordinators. Platform administrators: none.
   */
  'requests.create': (a: Actor, s: Scope) => worksAt(a, s),
  'requests.read_all': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /** Finding a request by its reference when the person phones: any agent or coordinator of the territory (status only). */
  'requests.lookup': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAtAny(a, s.territoryId),
  /** An organisation's inbox: its referents and managers, its API tokens, the territory's coordinators. */
  'requests.inbox': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || belongsTo(a, s, 'referent', 'manager') || isTokenOf(a, s),
  /** Assigning a request to someone else than oneself: the organisation's managers (and referents for themselves, checked by the service). */
  'requests.assign_others': (a: Actor, s: Scope) => belongsTo(a, s, 'manager') || isTokenOf(a, s),
  /** An organisation's deadlines, required identifiers and business hours: read by the territory, set by its managers and coordinators. */
  'requests.settings_read': (a: Actor, s: Scope) =>
    isAdmin(a) || userMemberships(a, s.territoryId).length > 0 || (a.kind === 'api_token' && a.territoryId === s.territoryId),
  'requests.settings_write': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || belongsTo(a, s, 'manager'),
  /** Archiving closed requests (the retention clock starts): the territory's coordinators. */
  'requests.archive': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
  /** Answer sheets: every member of the territory reads the published ones and may propose a change. */
  'knowledge.read': (a: Actor, s: Scope) => a.kind === 'user' && userMemberships(a, s.territoryId).length > 0,
  /**
   * Writing, publishing and verifying a sheet: a partner's referents and managers for its sheets;
   * coordinators for the network's sheets, and for a partner's while it has no referent or
   * manager on Relais (`unmanaged`, checked by the service). Agents propose.
   */
  'knowledge.write': (a: Actor, s: Scope & { unmanaged?: boolean }) =>
    s.organisationId
      ? belongsTo(a, s, 'referent', 'manager') || (isCoordinator(a, s.territoryId) && !!s.unmanaged)
      : isCoordinator(a, s.territoryId),
  /**
   * The observatory's figures: coordinators for the territory, agents for their contact points,
   * partners' referents and managers for their organisation (scoped by observatory/scope.ts).
   * Exports and yearly key figures follow the same scopes. Platform administrators: none.
   */
  'stats.read': (a: Actor, s: Scope) =>
    a.kind === 'user' &&
    userMemberships(a, s.territoryId).some((m) => m.role === 'coordinator' || !!m.contactPointId || !!m.organisationId),
  /** Survey links for a contact point (receipts, counter and bus-stop QR codes): its agents and the coordinators. */
  'surveys.manage': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId) || worksAt(a, s),
  /** Importing sheets and editing the territory's synonyms. */
  'knowledge.manage': (a: Actor, s: Scope) => isCoordinator(a, s.territoryId),
} satisfies Record<string, (a: Actor, s: never) => boolean>;

export type Action = keyof typeof policies;
type ScopeOf<A extends Action> = Parameters<(typeof policies)[A]>[1];

export function can<A extends Action>(actor: Actor, action: A, scope: ScopeOf<A>): boolean {
  // An action missing from the table (a typo, a name built at run time) is denied, not a crash.
  if (!Object.hasOwn(policies, action)) return false;
  return (policies[action] as (a: Actor, s: unknown) => boolean)(actor, scope);
}

/** Throws FORBIDDEN unless the actor may do `action` on `scope`. */
export function authorize<A extends Action>(actor: Actor, action: A, scope: ScopeOf<A>): void {
  if (!can(actor, action, scope)) throw forbidden();
}

/** The user behind an actor, or FORBIDDEN for an API token on a user-only use case. */
export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw forbidden('Cette action est réservée aux personnes connectées.');
  return actor;
}
