import { desc, eq } from 'drizzle-orm';
import { calculatePKCECodeChallenge } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createUser } from '../../test/factories.ts';
import { createOidcProvider, freePort, type TestOidcProvider } from '../../test/oidc-provider.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { oidcLoginStates, sessions, users } from './accounts.schema.ts';

const PROCONNECT_SCOPES = 'openid email given_name usual_name siret';

let provider: TestOidcProvider;
let t: TestApp;
const clock = fixedClock(new Date());

beforeAll(async () => {
  // The issuer URL must be in the app's environment before it starts, and the provider needs the
  // app's callback URL: reserve the provider's port, start the app, then start the provider.
  provider = await createOidcProvider();
  t = await createTestApp({ env: { ...provider.appEnv(), OIDC_SCOPES: PROCONNECT_SCOPES }, clock });
  await provider.start(`${t.baseUrl}/api/auth/oidc/callback`);
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
});

/** Starts a sign-in at the app, and returns the provider's authorization URL it redirected to. */
async function startLogin(client: ApiClient, returnTo = '/compte') {
  const res = await client.get(`/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

/** The whole browser journey: app → provider (signed in as `sub`) → app callback. */
async function signInAs(sub: string, returnTo = '/compte') {
  const client = t.client();
  const authorization = await startLogin(client, returnTo);
  const callbackUrl = await provider.authorize(authorization.href, sub);
  expect(callbackUrl.origin).toBe(t.baseUrl);
  expect(callbackUrl.pathname).toBe('/api/auth/oidc/callback');
  const callback = await client.get(callbackUrl.pathname + callbackUrl.search);
  return { client, authorization, callbackUrl, callback };
}

async function refusals(code: string) {
  const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.type, 'auth.oidc_refused')).orderBy(desc(auditEvents.id));
  return events.filter((e) => e.data.code === code);
}

describe('signing in with the OpenID provider', () => {
  it('signs a known person in with PKCE, state and nonce, opens an oidc session and records it', async () => {
    const anne = await createUser(t.ctx.db, { email: 'anne@exemple.fr', displayName: 'Anne Martin', password: null });
    const sub = provider.addIdentity({
      email: 'anne@exemple.fr',
      email_verified: true,
      given_name: 'Anne',
      usual_name: 'Martin',
      siret: '21610001600016',
    });

    const client = t.client();
    const authorization = await startLogin(client, '/compte');

    expect(authorization.origin + authorization.pathname).toBe(`${provider.issuer}/auth`);
    const params = authorization.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(provider.clientId);
    expect(params.get('redirect_uri')).toBe(`${t.baseUrl}/api/auth/oidc/callback`);
    expect(params.get('scope')).toBe(PROCONNECT_SCOPES);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(params.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    // The PKCE verifier and the nonce stay on the server; only the challenge travels.
    const state = params.get('state')!;
    const [pending] = await t.ctx.db.select().from(oidcLoginStates).where(eq(oidcLoginStates.state, state));
    expect(pending).toMatchObject({ nonce: params.get('nonce'), returnTo: '/compte' });
    expect(params.get('code_challenge')).toBe(await calculatePKCECodeChallenge(pending!.codeVerifier));
    expect(authorization.href).not.toContain(pending!.codeVerifier);

    const callbackUrl = await provider.authorize(authorization.href, sub);
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(`${t.baseUrl}/api/auth/oidc/callback`);
    expect(callbackUrl.searchParams.get('state')).toBe(state);
    const callback = await client.get(callbackUrl.pathname + callbackUrl.search);

    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/compte');
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith('relais_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('anne@exemple.fr');
    // The identity came from a signed userinfo JWT, as ProConnect sends it.
    expect(provider.userinfoContentTypes.at(-1)).toMatch(/^application\/jwt/);

    expect(await t.ctx.db.select().from(oidcLoginStates).where(eq(oidcLoginStates.state, state))).toEqual([]);

    const sessions = await client.get('/api/account/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body).toEqual([expect.objectContaining({ current: true, method: 'oidc' })]);

    const signIns = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, anne.id));
    expect(signIns.find((e) => e.type === 'auth.sign_in')).toMatchObject({
      actorUserId: anne.id,
      data: { method: 'oidc', issuer: provider.issuer, sub },
    });
  });

  it('signs out locally and of the provider: the session is revoked and the end-session URL carries the ID token', async () => {
    await createUser(t.ctx.db, { email: 'bruno@exemple.fr', password: null });
    const sub = provider.addIdentity({ email: 'bruno@exemple.fr', email_verified: true });
    const { client } = await signInAs(sub);
    expect((await client.get('/api/auth/me')).status).toBe(200);

    const logout = await client.post('/api/auth/logout');
    expect(logout.status).toBe(200);
    expect(client.hasSession()).toBe(false);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    const endSession = new URL(logout.body.redirectTo);
    expect(endSession.origin).toBe(new URL(provider.issuer).origin);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${t.baseUrl}/connexion`);
    expect(endSession.searchParams.get('state')).toBeTruthy();
    const idToken = endSession.searchParams.get('id_token_hint')!;
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.sub).toBe(sub);
    // The provider accepts it: its logout page answers (a confirmation form), not an error.
    const providerPage = await fetch(endSession, { redirect: 'manual' });
    expect(providerPage.status).toBeLessThan(400);
    // Nothing of the ID token stays in the revoked session, and it was never stored in clear.
    const rows = await t.ctx.db.select({ idToken: sessions.oidcIdToken }).from(sessions);
    expect(rows.every((r) => r.idToken === null || !r.idToken.includes(idToken.slice(0, 20)))).toBe(true);
  });

  it('matches the email whatever its case, and activates an invited account', async () => {
    const invited = await createUser(t.ctx.db, { email: 'claire.petit@exemple.fr', status: 'invited', password: null });
    const sub = provider.addIdentity({ email: 'Claire.Petit@Exemple.FR', email_verified: true });
    const { client, callback } = await signInAs(sub, '/');
    expect(callback.headers.get('location')).toBe('/');
    const me = await client.get('/api/auth/me');
    expect(me.body.user.id).toBe(invited.id);
    const [row] = await t.ctx.db.select().from(users).where(eq(users.id, invited.id));
    expect(row!.status).toBe('active');
    const sessions = await client.get('/api/account/sessions');
    expect(sessions.body[0].method).toBe('oidc');
  });

  it('refuses a verified identity that matches no account, without opening a session', async () => {
    const sub = provider.addIdentity({ email: 'inconnu@exemple.fr', email_verified: true });
    const { client, callback } = await signInAs(sub);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/connexion?erreur=OIDC_UNKNOWN_ACCOUNT');
    expect(callback.headers.getSetCookie().some((c) => c.startsWith('relais_session='))).toBe(false);
    expect(client.hasSession()).toBe(false);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    const [event] = await refusals('OIDC_UNKNOWN_ACCOUNT');
    expect(event?.data).toMatchObject({ email: 'inconnu@exemple.fr', sub });
  });

  it('refuses an identity whose email the provider says is not verified', async () => {
    await createUser(t.ctx.db, { email: 'denise@exemple.fr', password: null });
    const sub = provider.addIdentity({ email: 'denise@exemple.fr', email_verified: false });
    const { client, callback } = await signInAs(sub);
    expect(callback.headers.get('location')).toBe('/connexion?erreur=OIDC_EMAIL_UNVERIFIED');
    expect(client.hasSession()).toBe(false);
    expect(await refusals('OIDC_EMAIL_UNVERIFIED')).toHaveLength(1);
  });

  it('refuses a deactivated account', async () => {
    await createUser(t.ctx.db, { email: 'etienne@exemple.fr', status: 'deactivated', deactivatedAt: new Date(), password: null });
    const sub = provider.addIdentity({ email: 'etienne@exemple.fr', email_verified: true });
    const { client, callback } = await signInAs(sub);
    expect(callback.headers.get('location')).toBe('/connexion?erreur=ACCOUNT_DEACTIVATED');
    expect(client.hasSession()).toBe(false);
    expect(await refusals('ACCOUNT_DEACTIVATED')).toHaveLength(1);
  });

  it('refuses a forged state', async () => {
    const client = t.client();
    const res = await client.get('/api/auth/oidc/callback?code=forged-code&state=forged-state-0123456789abcdefghijklmnop');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/connexion?erreur=OIDC_STATE_INVALID');
    expect(client.hasSession()).toBe(false);
    expect((await refusals('OIDC_STATE_INVALID')).length).toBeGreaterThanOrEqual(1);
  });

  it('uses a state only once: replaying a successful callback is refused', async () => {
    await createUser(t.ctx.db, { email: 'fanny@exemple.fr', password: null });
    const sub = provider.addIdentity({ email: 'fanny@exemple.fr', email_verified: true });
    const { callback, callbackUrl } = await signInAs(sub);
    expect(callback.headers.get('location')).toBe('/compte');

    const attacker = t.client();
    const replay = await attacker.get(callbackUrl.pathname + callbackUrl.search);
    expect(replay.headers.get('location')).toBe('/connexion?erreur=OIDC_STATE_INVALID');
    expect(attacker.hasSession()).toBe(false);
  });

  it('refuses a state older than ten minutes', async () => {
    await createUser(t.ctx.db, { email: 'gaspard@exemple.fr', password: null });
    const sub = provider.addIdentity({ email: 'gaspard@exemple.fr', email_verified: true });
    const client = t.client();
    const authorization = await startLogin(client);
    const callbackUrl = await provider.authorize(authorization.href, sub);
    clock.advance(10 * 60_000 + 1_000);
    const res = await client.get(callbackUrl.pathname + callbackUrl.search);
    expect(res.headers.get('location')).toBe('/connexion?erreur=OIDC_STATE_INVALID');
    expect(client.hasSession()).toBe(false);
  });

  it('reports an error sent back by the provider (the person cancelled) and consumes the state', async () => {
    const client = t.client();
    const state = (await startLogin(client)).searchParams.get('state')!;
    const res = await client.get(`/api/auth/oidc/callback?error=access_denied&state=${state}`);
    expect(res.headers.get('location')).toBe('/connexion?erreur=OIDC_PROVIDER_ERROR');
    const again = await client.get(`/api/auth/oidc/callback?error=access_denied&state=${state}`);
    expect(again.headers.get('location')).toBe('/connexion?erreur=OIDC_STATE_INVALID');
  });

  it('refuses a code injected into another sign-in (PKCE and nonce bind the code to its own login)', async () => {
    await createUser(t.ctx.db, { email: 'hugo@exemple.fr', password: null });
    const sub = provider.addIdentity({ email: 'hugo@exemple.fr', email_verified: true });
    const victim = t.client();
    const stolen = await provider.authorize((await startLogin(victim)).href, sub);

    const attacker = t.client();
    const attackerState = (await startLogin(attacker)).searchParams.get('state')!;
    const injected = new URLSearchParams(stolen.search);
    injected.set('state', attackerState);
    const res = await attacker.get(`/api/auth/oidc/callback?${injected}`);
    expect(res.headers.get('location')).toBe('/connexion?erreur=OIDC_EXCHANGE_FAILED');
    expect(attacker.hasSession()).toBe(false);
    const [event] = await refusals('OIDC_EXCHANGE_FAILED');
    expect(event?.data).toMatchObject({ oauthError: 'invalid_grant' }); // the provider saw the wrong PKCE verifier
  });

  it('only returns to a path of this site after sign-in', async () => {
    for (const returnTo of ['//evil.example', '//evil.example/compte', 'https://evil.example/', '/\\evil.example', 'compte']) {
      const res = await t.client().get(`/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(res.status, returnTo).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('announces the provider in the public sign-in configuration', async () => {
    const res = await t.client().get('/api/auth/config');
    expect(res.status).toBe(200);
    expect(res.body.oidc).toEqual({ enabled: true, label: 'ProConnect' });
  });
});

describe('when OpenID Connect is not configured', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await createTestApp();
  });
  afterAll(() => plain?.close());

  it('answers 404 OIDC_DISABLED and says so in the sign-in configuration', async () => {
    const login = await plain.client().get('/api/auth/oidc/login?returnTo=/compte');
    expect(login.status).toBe(404);
    expect(login.headers.get('content-type')).toContain('application/problem+json');
    expect(login.body.code).toBe('OIDC_DISABLED');
    const config = await plain.client().get('/api/auth/config');
    expect(config.body.oidc.enabled).toBe(false);
  });
});

describe('when the OpenID provider is down', () => {
  let stranded: TestApp;
  beforeAll(async () => {
    const port = await freePort(); // nothing listens there
    stranded = await createTestApp({
      env: { OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'relais', OIDC_CLIENT_SECRET: 'secret', OIDC_ALLOW_HTTP: 'true' },
    });
  });
  afterAll(() => stranded?.close());

  it('answers 503 OIDC_UNAVAILABLE as problem+json', async () => {
    const res = await stranded.client().get('/api/auth/oidc/login?returnTo=/compte');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('OIDC_UNAVAILABLE');
  });
});
