import { describe, expect, it } from 'vitest';
import { type Action, type Actor, authorize, can, type Membership, type Role, requireUser } from './authorize.ts';
import { AppError } from './errors.ts';

const T1 = 't1';
const T2 = 't2';
const [A, B, X, Y] = ['cp-a', 'cp-b', 'org-x', 'org-y'];

let n = 0;
const membership = (territoryId: string, role: Role, where: { contactPointId?: string; organisationId?: string } = {}): Membership => ({
  id: `m${n++}`,
  territoryId,
  role,
  contactPointId: where.contactPointId ?? null,
  organisationId: where.organisationId ?? null,
});
const user = (...memberships: Membership[]): Actor => ({ kind: 'user', userId: 'u', sessionId: 's', isPlatformAdmin: false, memberships });

const actors = {
  agentA: user(membership(T1, 'agent', { contactPointId: A })),
  referentX: user(membership(T1, 'referent', { organisationId: X })),
  managerX: user(membership(T1, 'manager', { organisationId: X })),
  coordinator: user(membership(T1, 'coordinator')),
  admin: { kind: 'user', userId: 'adm', sessionId: 's', isPlatformAdmin: true, memberships: [] } as Actor,
  nobody: user(),
  tokenX: { kind: 'api_token', tokenId: 'tok', territoryId: T1, organisationId: X } as Actor,
};
type Name = keyof typeof actors;

/** Each row: an action on a scope, and exactly who may do it. */
const table: { action: Action; scope: object; allowed: Name[] }[] = [
  { action: 'territory.create', scope: {}, allowed: ['admin'] },
  { action: 'territory.read', scope: { territoryId: T1 }, allowed: ['agentA', 'referentX', 'managerX', 'coordinator', 'admin'] },
  { action: 'territory.read', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'network.write', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'network.write', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'partners.write', scope: { territoryId: T1, organisationId: X }, allowed: ['managerX', 'coordinator', 'admin'] },
  { action: 'partners.write', scope: { territoryId: T1, organisationId: Y }, allowed: ['coordinator', 'admin'] },
  { action: 'partners.write', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'partners.write', scope: { territoryId: T2, organisationId: X }, allowed: ['admin'] },
  { action: 'members.read', scope: { territoryId: T1, contactPointId: A }, allowed: ['agentA', 'coordinator', 'admin'] },
  { action: 'members.read', scope: { territoryId: T1, contactPointId: B }, allowed: ['coordinator', 'admin'] },
  { action: 'members.read', scope: { territoryId: T1, organisationId: X }, allowed: ['referentX', 'managerX', 'coordinator', 'admin'] },
  { action: 'members.read', scope: { territoryId: T1, organisationId: Y }, allowed: ['coordinator', 'admin'] },
  { action: 'members.read', scope: { territoryId: T2, contactPointId: A }, allowed: ['admin'] },
  {
    action: 'members.invite',
    scope: { territoryId: T1, role: 'referent', organisationId: X },
    allowed: ['managerX', 'coordinator', 'admin'],
  },
  {
    action: 'members.invite',
    scope: { territoryId: T1, role: 'manager', organisationId: X },
    allowed: ['managerX', 'coordinator', 'admin'],
  },
  { action: 'members.invite', scope: { territoryId: T1, role: 'referent', organisationId: Y }, allowed: ['coordinator', 'admin'] },
  { action: 'members.invite', scope: { territoryId: T1, role: 'agent', contactPointId: A }, allowed: ['coordinator', 'admin'] },
  { action: 'members.invite', scope: { territoryId: T1, role: 'coordinator' }, allowed: ['coordinator', 'admin'] },
  { action: 'members.invite', scope: { territoryId: T2, role: 'referent', organisationId: X }, allowed: ['admin'] },
  { action: 'audit.read', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'members.read_all', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'members.read_all', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'members.reactivate', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'members.reactivate', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'api_tokens.manage_all', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'api_tokens.manage_all', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'audit.read', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'api_tokens.manage', scope: { territoryId: T1, organisationId: X }, allowed: ['managerX', 'coordinator', 'admin'] },
  { action: 'api_tokens.manage', scope: { territoryId: T1, organisationId: Y }, allowed: ['coordinator', 'admin'] },
  { action: 'api_tokens.manage', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'api_tokens.manage', scope: { territoryId: T2, organisationId: X }, allowed: ['admin'] },
  { action: 'taxonomy.read', scope: { territoryId: T1 }, allowed: ['agentA', 'referentX', 'managerX', 'coordinator', 'admin'] },
  { action: 'taxonomy.read', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'taxonomy.write', scope: { territoryId: T1 }, allowed: ['coordinator', 'admin'] },
  { action: 'taxonomy.write', scope: { territoryId: T2 }, allowed: ['admin'] },
  { action: 'people.use', scope: { territoryId: T1 }, allowed: ['agentA', 'coordinator'] },
  { action: 'people.use', scope: { territoryId: T2 }, allowed: [] },
  { action: 'people.read_all', scope: { territoryId: T1 }, allowed: ['coordinator'] },
  { action: 'people.read_all', scope: { territoryId: T2 }, allowed: [] },
  { action: 'people.create', scope: { territoryId: T1, contactPointId: A }, allowed: ['agentA', 'coordinator'] },
  { action: 'people.create', scope: { territoryId: T1, contactPointId: B }, allowed: ['coordinator'] },
  { action: 'people.create', scope: { territoryId: T2, contactPointId: A }, allowed: [] },
  { action: 'people.share', scope: { territoryId: T1 }, allowed: ['coordinator'] },
  { action: 'people.share', scope: { territoryId: T2 }, allowed: [] },
  { action: 'visits.create', scope: { territoryId: T1, contactPointId: A }, allowed: ['agentA', 'coordinator'] },
  { action: 'visits.create', scope: { territoryId: T1, contactPointId: B }, allowed: ['coordinator'] },
  { action: 'visits.create', scope: { territoryId: T1 }, allowed: ['coordinator'] },
  { action: 'visits.create', scope: { territoryId: T2, contactPointId: A }, allowed: [] },
  { action: 'visits.read', scope: { territoryId: T1 }, allowed: ['agentA', 'coordinator'] },
  { action: 'visits.read', scope: { territoryId: T2 }, allowed: [] },
  { action: 'visits.read_all', scope: { territoryId: T1 }, allowed: ['coordinator'] },
  { action: 'visits.read_all', scope: { territoryId: T2 }, allowed: [] },
];

describe('the policy table', () => {
  it.each(table)('$action on $scope is allowed to exactly $allowed', ({ action, scope, allowed }) => {
    const granted = (Object.keys(actors) as Name[]).filter((name) => can(actors[name], action, scope as never));
    expect(granted).toEqual(allowed);
  });

  it('never grants an API token a user permission', () => {
    for (const { action, scope } of table) expect(can(actors.tokenX, action, scope as never)).toBe(false);
  });

  it('does not let a role in one territory count in another, even with the same ids', () => {
    const twoPlaces = user(membership(T2, 'coordinator'), membership(T1, 'agent', { contactPointId: A }));
    expect(can(twoPlaces, 'audit.read', { territoryId: T1 })).toBe(false);
    expect(can(twoPlaces, 'audit.read', { territoryId: T2 })).toBe(true);
    expect(can(actors.managerX, 'api_tokens.manage', { territoryId: T2, organisationId: X })).toBe(false);
  });

  it('denies a referent the manager’s rights on their own organisation', () => {
    expect(can(actors.referentX, 'api_tokens.manage', { territoryId: T1, organisationId: X })).toBe(false);
    expect(can(actors.referentX, 'members.invite', { territoryId: T1, role: 'referent', organisationId: X })).toBe(false);
  });
});

describe('authorize', () => {
  it('throws a 403 FORBIDDEN problem in French when the policy says no', () => {
    expect(() => authorize(actors.agentA, 'audit.read', { territoryId: T1 })).toThrow(AppError);
    try {
      authorize(actors.agentA, 'audit.read', { territoryId: T1 });
    } catch (error) {
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, message: expect.stringMatching(/droits/) });
    }
  });

  it('returns quietly when the policy says yes', () => {
    expect(() => authorize(actors.coordinator, 'audit.read', { territoryId: T1 })).not.toThrow();
  });

  it('denies an action missing from the table, even to a platform administrator', () => {
    for (const action of ['territory.delete', 'constructor', 'toString'] as unknown as Action[]) {
      expect(can(actors.admin, action, { territoryId: T1 } as never)).toBe(false);
      expect(() => authorize(actors.admin, action, { territoryId: T1 } as never)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });
});

describe('requireUser', () => {
  it('returns a person and refuses an API token with 403', () => {
    expect(requireUser(actors.coordinator)).toBe(actors.coordinator);
    expect(() => requireUser(actors.tokenX)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', status: 403 }));
  });
});
