import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function aCoordinator() {
  const territory = await createTerritory(t.ctx.db);
  return createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
}

const NEW_PASSWORD = 'Nouveau-mot-de-passe-2026';

describe('my sessions', () => {
  it('lists one open session per sign-in and marks the current one', async () => {
    const user = await aCoordinator();
    const laptop = await t.signIn(user);
    const phone = await t.signIn(user);
    const res = await laptop.get('/api/account/sessions');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ method: 'password', ip: '127.0.0.1' });
    const fromPhone = (await phone.get('/api/account/sessions')).body;
    const currentOf = (list: { id: string; current: boolean }[]) => list.find((s) => s.current)!.id;
    expect(currentOf(fromPhone)).not.toBe(currentOf(res.body));
  });

  it('revokes my other session, which stops working, and keeps the current one', async () => {
    const user = await aCoordinator();
    const laptop = await t.signIn(user);
    const phone = await t.signIn(user);
    const other = (await laptop.get('/api/account/sessions')).body.find((s: { current: boolean }) => !s.current);
    const res = await laptop.delete(`/api/account/sessions/${other.id}`);
    expect(res.status).toBe(204);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
    const remaining = (await laptop.get('/api/account/sessions')).body;
    expect(remaining).toEqual([expect.objectContaining({ current: true })]);
    expect((await laptop.delete(`/api/account/sessions/${other.id}`)).status).toBe(404);
    const [event] = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, other.id));
    expect(event).toMatchObject({ type: 'auth.session_revoked', actorUserId: user.id });
  });

  it('cannot revoke the session of someone else (404) and that session keeps working', async () => {
    const alice = await aCoordinator();
    const bob = await aCoordinator();
    const aliceClient = await t.signIn(alice);
    const bobClient = await t.signIn(bob);
    const bobSession = (await bobClient.get('/api/account/sessions')).body[0];
    const res = await aliceClient.delete(`/api/account/sessions/${bobSession.id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect((await bobClient.get('/api/auth/me')).status).toBe(200);
  });

  it('signs me out when I revoke my current session', async () => {
    const user = await aCoordinator();
    const client = await t.signIn(user);
    const current = (await client.get('/api/account/sessions')).body[0];
    expect((await client.delete(`/api/account/sessions/${current.id}`)).status).toBe(204);
    expect(client.hasSession()).toBe(false);
  });
});

describe('changing my password', () => {
  it('refuses a wrong current password with 400 CURRENT_PASSWORD_WRONG and keeps the old one', async () => {
    const user = await aCoordinator();
    const client = await t.signIn(user);
    const res = await client.post('/api/account/password', { currentPassword: 'pas-le-bon-mot-de-passe', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CURRENT_PASSWORD_WRONG');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.currentPassword' })]);
    await expect(t.signIn(user)).resolves.toBeDefined();
  });

  it('refuses a new password shorter than 12 characters', async () => {
    const user = await aCoordinator();
    const client = await t.signIn(user);
    const res = await client.post('/api/account/password', { currentPassword: user.password, newPassword: 'court' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('12 caractères');
  });

  it('changes the password, signs out my other sessions and keeps this one', async () => {
    const user = await aCoordinator();
    const here = await t.signIn(user);
    const elsewhere = await t.signIn(user);
    const res = await here.post('/api/account/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    const old = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    expect(old.body.code).toBe('INVALID_CREDENTIALS');
    await expect(t.signIn({ email: user.email, password: NEW_PASSWORD })).resolves.toBeDefined();
    const types = (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id))).map((e) => e.type);
    expect(types).toContain('auth.password_changed');
  });
});
