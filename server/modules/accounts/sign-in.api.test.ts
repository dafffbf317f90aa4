import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { contactPoints } from '../network/network.schema.ts';

const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
const SECOND = 1000;
const MINUTE = 60 * SECOND;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock, env: { SESSION_TTL_HOURS: '2' } });
});
afterAll(() => t.close());

const eventTypes = async (userId: string) =>
  (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, userId)).orderBy(auditEvents.id)).map((e) => e.type);

async function aCoordinator() {
  const territory = await createTerritory(t.ctx.db);
  const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  return { territory, user };
}

describe('sign-in with a local account', () => {
  it('sets an httpOnly SameSite=Lax session cookie and returns the person with a CSRF token', async () => {
    const { territory, user } = await aCoordinator();
    const client = t.client();
    const res = await client.post('/api/auth/login', { email: user.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, isPlatformAdmin: false });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(res.body.memberships).toEqual([
      expect.objectContaining({ role: 'coordinator', territory: expect.objectContaining({ id: territory.id }) }),
    ]);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('relais_session='));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=7200/);
    expect(cookie).not.toMatch(/; Secure/i);
    expect((await client.get('/api/auth/me')).body.user.id).toBe(user.id);
    expect(await eventTypes(user.id)).toEqual(['auth.sign_in']);
  });

  it('answers a wrong password and an unknown email with the same 401 INVALID_CREDENTIALS', async () => {
    const { user } = await aCoordinator();
    const wrong = await t.client().post('/api/auth/login', { email: user.email, password: 'pas-le-bon-mot-de-passe' });
    const unknown = await t.client().post('/api/auth/login', { email: 'personne-inconnue@exemple.fr', password: user.password });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const pick = (b: Record<string, unknown>) => ({ code: b.code, title: b.title, detail: b.detail, status: b.status });
    expect(pick(wrong.body)).toEqual(pick(unknown.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const [failure] = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'auth.sign_in_failed'), eq(auditEvents.targetId, user.id)));
    expect(failure?.data).toEqual({ failures: 1 });
  });

  it('throttles and locks an address without an account exactly as an account, so 429 and 423 reveal nothing', async () => {
    const { user } = await aCoordinator();
    const answers = async (email: string) => {
      const codes: string[] = [];
      for (let i = 0; i < 6; i++)
        codes.push((await t.client().post('/api/auth/login', { email, password: 'mauvais-mot-de-passe' })).body.code);
      return codes;
    };
    const known = await answers(user.email);
    const unknown = await answers(`inconnu-${user.id.slice(0, 8)}@exemple.fr`);
    expect(known).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'SIGN_IN_THROTTLED',
      'SIGN_IN_THROTTLED',
      'SIGN_IN_THROTTLED',
    ]);
    expect(unknown).toEqual(known);
  });

  it('throttles after 3 failures, locks the account after 5, and lets it in again once the lockout expires', async () => {
    const { user } = await aCoordinator();
    const attempt = (password: string) => t.client().post('/api/auth/login', { email: user.email, password });
    for (let i = 0; i < 3; i++) expect((await attempt('mauvais-mot-de-passe')).status).toBe(401);
    const throttled = await attempt(user.password); // even the right password waits
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('SIGN_IN_THROTTLED');
    expect(throttled.body.detail).toMatch(/seconde/);

    clock.advance(6 * SECOND);
    expect((await attempt('mauvais-mot-de-passe')).status).toBe(401);
    expect((await attempt(user.password)).body.code).toBe('SIGN_IN_THROTTLED');
    clock.advance(31 * SECOND);
    expect((await attempt('mauvais-mot-de-passe')).status).toBe(401);

    const locked = await attempt(user.password);
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.detail).toMatch(/15 minute/);
    clock.advance(14 * MINUTE);
    expect((await attempt(user.password)).status).toBe(423);

    clock.advance(2 * MINUTE);
    expect((await attempt(user.password)).status).toBe(200);
    // a success starts the count again: one new failure is not throttled
    expect((await attempt('mauvais-mot-de-passe')).status).toBe(401);
    expect((await attempt(user.password)).status).toBe(200);
    expect(await eventTypes(user.id)).toEqual([
      ...Array(5).fill('auth.sign_in_failed'),
      'auth.locked_out',
      'auth.sign_in',
      'auth.sign_in_failed',
      'auth.sign_in',
    ]);
  }, 90_000); // a dozen scrypt verifications: CPU-bound, slow when the machine is busy

  it('lets the coordinator read the sign-in, failure and lockout events of a member', async () => {
    const { territory, user } = await aCoordinator();
    const member = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    for (let i = 0; i < 5; i++) {
      await t.client().post('/api/auth/login', { email: member.email, password: 'mauvais-mot-de-passe' });
      clock.advance(31 * SECOND);
    }
    const coordinator = await t.signIn(user);
    const res = await coordinator.get(`/api/territories/${territory.id}/audit-events?limit=200`);
    expect(res.status).toBe(200);
    const aboutMember = res.body.items.filter((e: { targetId: string }) => e.targetId === member.id).map((e: { type: string }) => e.type);
    expect(aboutMember).toContain('auth.locked_out');
    expect(aboutMember.filter((type: string) => type === 'auth.sign_in_failed')).toHaveLength(5);
    clock.advance(20 * MINUTE);
  });
});

describe('sessions', () => {
  it('revokes the session on sign-out: the same cookie no longer works', async () => {
    const { user } = await aCoordinator();
    const client = t.client();
    const signIn = await client.post('/api/auth/login', { email: user.email, password: user.password });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ redirectTo: null }); // a password session has no provider to leave
    expect(out.headers.getSetCookie().join()).toMatch(/relais_session=;/);
    const replay = await t.client().get('/api/auth/me', { cookie });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('UNAUTHENTICATED');
    expect(await eventTypes(user.id)).toEqual(['auth.sign_in']); // sign-out targets the session
  });

  it('expires a session after SESSION_TTL_HOURS', async () => {
    const { user } = await aCoordinator();
    const client = await t.signIn(user);
    clock.advance(2 * 60 * MINUTE - SECOND);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    clock.advance(2 * SECOND);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  it('refuses a write without the x-csrf-token header and writes nothing', async () => {
    const { territory, user } = await aCoordinator();
    const client = await t.signIn(user);
    const token = client.csrfToken;
    client.csrfToken = null;
    const res = await client.post(`/api/territories/${territory.id}/contact-points`, {
      name: 'France Services de Bellême',
      kind: 'france_services',
      commune: 'Bellême',
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_TOKEN_INVALID');
    expect(await t.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, territory.id))).toEqual([]);
    client.csrfToken = token;
    const signOut = await client.post('/api/auth/logout', undefined, { 'x-csrf-token': '' });
    expect(signOut.body.code).toBe('CSRF_TOKEN_INVALID');
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses a write with a wrong token, and the GET requests work without one', async () => {
    const { user } = await aCoordinator();
    const client = await t.signIn(user);
    const res = await client.post(
      '/api/account/password',
      { currentPassword: user.password, newPassword: 'Un-nouveau-mot-de-passe-2026' },
      { 'x-csrf-token': `${client.csrfToken}x` },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_TOKEN_INVALID');
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);
    client.csrfToken = null;
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await client.get('/api/account/sessions')).status).toBe(200);
    expect(await eventTypes(user.id)).not.toContain('auth.password_changed');
  });

  it('gives a session cookie of another session no power with this session’s CSRF token', async () => {
    const { user } = await aCoordinator();
    const first = await t.signIn(user);
    const second = await t.signIn(user);
    const res = await second.post('/api/auth/logout', undefined, { 'x-csrf-token': first.csrfToken! });
    expect(res.body.code).toBe('CSRF_TOKEN_INVALID');
  });
});
