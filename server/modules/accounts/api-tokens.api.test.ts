import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { apiTokens } from './accounts.schema.ts';

const clock = fixedClock(new Date('2026-06-15T12:00:00Z'));
const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** A territory with two partner organisations, its coordinator, and a manager and a referent of the first. */
async function aPartnerNetwork() {
  const territory = await createTerritory(t.ctx.db);
  const caf = await createOrganisation(t.ctx.db, territory.id, { name: 'CAF de l’Orne', acronym: 'CAF' });
  const cpam = await createOrganisation(t.ctx.db, territory.id, { name: 'CPAM de l’Orne', acronym: 'CPAM' });
  const coordinator = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  const manager = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'manager', organisationId: caf.id }] });
  const referent = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'referent', organisationId: caf.id }] });
  return { territory, caf, cpam, coordinator, manager, referent };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('partner API tokens', () => {
  it('is created by a coordinator, shown once, stored hashed, and authenticates the partner API', async () => {
    const { territory, caf, coordinator } = await aPartnerNetwork();
    const client = await t.signIn(coordinator);
    const created = await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI de la CAF' });
    expect(created.status).toBe(201);
    const { token, id } = created.body;
    expect(token).toMatch(/^rls_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ prefix: token.slice(0, 10), organisationId: caf.id, lastUsedAt: null, revokedAt: null });
    expect(created.body.expiresAt).toBe(new Date(clock.now().getTime() + 90 * DAY).toISOString());

    const [row] = await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    const listed = await client.get(`/api/territories/${territory.id}/api-tokens`);
    expect(listed.body).toEqual([expect.objectContaining({ id, name: 'SI de la CAF' })]);
    expect(listed.text).not.toContain(token);

    const whoami = await t.client().get('/api/partner/v1/whoami', bearer(token));
    expect(whoami.status).toBe(200);
    expect(whoami.body).toEqual({
      territory: { id: territory.id, name: territory.name },
      organisation: { id: caf.id, name: 'CAF de l’Orne', acronym: 'CAF' },
    });
    const [afterUse] = (await client.get(`/api/territories/${territory.id}/api-tokens`)).body;
    expect(afterUse.lastUsedAt).toBe(clock.now().toISOString());

    const journal = await client.get(`/api/territories/${territory.id}/audit-events?type=api_token.used`);
    expect(journal.body.items).toEqual([
      expect.objectContaining({ actorTokenId: id, targetId: id, data: { method: 'GET', route: '/api/partner/v1/whoami' } }),
    ]);
    const created2 = await client.get(`/api/territories/${territory.id}/audit-events?type=api_token.created`);
    expect(created2.body.items).toEqual([expect.objectContaining({ actorUserId: coordinator.id, targetId: id })]);
  });

  it('records the last use at most once a minute', async () => {
    const { territory, caf, coordinator } = await aPartnerNetwork();
    const client = await t.signIn(coordinator);
    const { token, id } = (await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI' })).body;
    await t.client().get('/api/partner/v1/whoami', bearer(token));
    const first = clock.now().toISOString();
    clock.advance(30_000);
    await t.client().get('/api/partner/v1/whoami', bearer(token));
    const lastUsed = async () => (await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.lastUsedAt!.toISOString();
    expect(await lastUsed()).toBe(first);
    clock.advance(61_000);
    await t.client().get('/api/partner/v1/whoami', bearer(token));
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  it('refuses a revoked token and an expired token with 401', async () => {
    const { territory, caf, coordinator } = await aPartnerNetwork();
    const client = await t.signIn(coordinator);
    const make = async (expiresInDays: number) =>
      (await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI', expiresInDays })).body;
    const revoked = await make(30);
    expect((await client.delete(`/api/territories/${territory.id}/api-tokens/${revoked.id}`)).status).toBe(204);
    const refused = await t.client().get('/api/partner/v1/whoami', bearer(revoked.token));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');

    const expiring = await make(1);
    expect((await t.client().get('/api/partner/v1/whoami', bearer(expiring.token))).status).toBe(200);
    clock.advance(DAY + 1000);
    expect((await t.client().get('/api/partner/v1/whoami', bearer(expiring.token))).status).toBe(401);
    expect((await t.client().get('/api/partner/v1/whoami', bearer('rls_invente'))).status).toBe(401);
  });

  it('lets the manager of an organisation manage its tokens, and only its own', async () => {
    const { territory, caf, cpam, coordinator, manager } = await aPartnerNetwork();
    const coordinatorClient = await t.signIn(coordinator);
    const cpamToken = (
      await coordinatorClient.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: cpam.id, name: 'SI de la CPAM' })
    ).body;
    const client = await t.signIn(manager);
    const own = await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI de la CAF' });
    expect(own.status).toBe(201);

    const foreign = await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: cpam.id, name: 'Intrusion' });
    expect(foreign.status).toBe(403);
    expect((await client.delete(`/api/territories/${territory.id}/api-tokens/${cpamToken.id}`)).status).toBe(403);
    expect((await t.client().get('/api/partner/v1/whoami', bearer(cpamToken.token))).status).toBe(200);
    const listed = await client.get(`/api/territories/${territory.id}/api-tokens`);
    expect(listed.body.map((x: { id: string }) => x.id)).toEqual([own.body.id]);
    expect((await client.delete(`/api/territories/${territory.id}/api-tokens/${own.body.id}`)).status).toBe(204);
    const all = (await coordinatorClient.get(`/api/territories/${territory.id}/api-tokens`)).body;
    expect(all).toHaveLength(2);
  });

  it('refuses a referent who is not the manager, and a manager of another territory', async () => {
    const { territory, caf, referent } = await aPartnerNetwork();
    const elsewhere = await aPartnerNetwork();
    for (const user of [referent, elsewhere.manager, elsewhere.coordinator]) {
      const client = await t.signIn(user);
      const res = await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI' });
      expect(res.status).toBe(403);
      expect((await client.get(`/api/territories/${territory.id}/api-tokens`)).status).toBe(403);
    }
    expect(await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.territoryId, territory.id))).toEqual([]);
  });

  it('cannot call the routes of a signed-in person with a token (403 USER_SESSION_REQUIRED)', async () => {
    const { territory, caf, coordinator } = await aPartnerNetwork();
    const client = await t.signIn(coordinator);
    const { token } = (await client.post(`/api/territories/${territory.id}/api-tokens`, { organisationId: caf.id, name: 'SI' })).body;
    const partner = t.client();
    for (const [method, path] of [
      ['GET', '/api/auth/me'],
      ['GET', `/api/territories/${territory.id}/api-tokens`],
      ['POST', `/api/territories/${territory.id}/api-tokens`],
    ] as const) {
      const res = await partner.request(method, path, {
        headers: bearer(token),
        ...(method === 'POST' ? { body: { organisationId: caf.id, name: 'SI' } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('USER_SESSION_REQUIRED');
    }
    expect(await t.ctx.db.select().from(apiTokens).where(eq(apiTokens.territoryId, territory.id))).toHaveLength(1);
    const session = await client.get('/api/partner/v1/whoami');
    expect(session.status).toBe(403);
    expect(session.body.code).toBe('API_TOKEN_REQUIRED');
    const used = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.type, 'api_token.used'));
    expect(used.length).toBeGreaterThan(0);
  });
});
