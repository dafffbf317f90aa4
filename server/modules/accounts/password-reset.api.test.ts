import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createTerritory, createUser } from '../../test/factories.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { userTokens } from './accounts.schema.ts';

const clock = fixedClock(new Date('2026-04-07T08:30:00Z'));
const MINUTE = 60_000;
const NEW_PASSWORD = 'Un-tout-nouveau-secret-2026';
let t: TestApp;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ clock, env: { SMTP_URL: mail.url } });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

async function aUser() {
  const territory = await createTerritory(t.ctx.db);
  return createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
}

/** Asks for a reset link and returns the token read from the email the SMTP server received. */
async function requestResetLink(email: string) {
  const res = await t.client().post('/api/auth/password-reset', { email });
  expect(res.status).toBe(202);
  const message = await mail.waitFor((m) => m.recipients.includes(email) && /jeton=/.test(m.text));
  mail.messages.splice(mail.messages.indexOf(message), 1);
  return { res, message, token: message.text.match(/jeton=([A-Za-z0-9_-]+)/)![1]! };
}

const confirm = (token: string, password = NEW_PASSWORD) => t.client().post('/api/auth/password-reset/confirm', { token, password });

describe('password reset by email', () => {
  it('emails a single-use link to a known address through SMTP', async () => {
    const user = await aUser();
    const { message, token } = await requestResetLink(user.email);
    expect(message.to).toContain(user.email);
    expect(message.from).toContain('ne-pas-repondre@relais.localhost');
    expect(message.subject).toBe('Relais : réinitialisation de votre mot de passe');
    expect(message.text).toContain(`${t.baseUrl}/reinitialiser-mot-de-passe?jeton=${token}`);
    expect(message.text).toContain('valable une heure');
    // only a hash of the token is stored
    const rows = await t.ctx.db.select().from(userTokens).where(eq(userTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('answers an unknown address with the same 202 and sends nothing', async () => {
    const before = mail.messages.length;
    const res = await t.client().post('/api/auth/password-reset', { email: 'inconnu-du-reseau@exemple.fr' });
    const known = await aUser();
    const answer = (await requestResetLink(known.email)).res; // delivered after the unknown request, so that one had its chance
    expect({ status: res.status, text: res.text }).toEqual({ status: answer.status, text: answer.text });
    expect(mail.messages.length).toBe(before);
    expect(mail.to('inconnu-du-reseau@exemple.fr')).toEqual([]);
  });

  it('sets the new password once; the same link then fails with 400 TOKEN_INVALID', async () => {
    const user = await aUser();
    const { token } = await requestResetLink(user.email);
    expect((await confirm(token)).status).toBe(204);
    await expect(t.signIn({ email: user.email, password: NEW_PASSWORD })).resolves.toBeDefined();
    const old = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    expect(old.status).toBe(401);
    const again = await confirm(token, 'Encore-un-autre-secret-2026');
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('TOKEN_INVALID');
    await expect(t.signIn({ email: user.email, password: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it('voids the other links still in the mailbox once the password has been reset or changed', async () => {
    const user = await aUser();
    const first = await requestResetLink(user.email);
    const second = await requestResetLink(user.email);
    expect((await confirm(second.token)).status).toBe(204);
    expect((await confirm(first.token, 'Encore-un-autre-secret-2026')).body.code).toBe('TOKEN_INVALID');

    const pending = await requestResetLink(user.email);
    const client = await t.signIn({ email: user.email, password: NEW_PASSWORD });
    const change = await client.post('/api/account/password', {
      currentPassword: NEW_PASSWORD,
      newPassword: 'Change-depuis-le-compte-2026',
    });
    expect(change.status).toBe(204);
    expect((await confirm(pending.token)).body.code).toBe('TOKEN_INVALID');
    await expect(t.signIn({ email: user.email, password: 'Change-depuis-le-compte-2026' })).resolves.toBeDefined();
  });

  it('refuses a link after one hour', async () => {
    const user = await aUser();
    const { token } = await requestResetLink(user.email);
    clock.advance(61 * MINUTE);
    const res = await confirm(token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
    await expect(t.signIn(user)).resolves.toBeDefined();
  });

  it('accepts a link used just before the hour ends', async () => {
    const user = await aUser();
    const { token } = await requestResetLink(user.email);
    clock.advance(59 * MINUTE);
    expect((await confirm(token)).status).toBe(204);
  });

  it('refuses an invented token with the same error', async () => {
    const res = await confirm('x'.repeat(43));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('unlocks a locked account and closes all of its sessions', async () => {
    const user = await aUser();
    const session = await t.signIn(user);
    for (let i = 0; i < 5; i++) {
      await t.client().post('/api/auth/login', { email: user.email, password: 'mauvais-mot-de-passe' });
      clock.advance(31_000);
    }
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(423);
    const { token } = await requestResetLink(user.email);
    expect((await confirm(token)).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    await expect(t.signIn({ email: user.email, password: NEW_PASSWORD })).resolves.toBeDefined();
    const types = (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['auth.locked_out', 'auth.password_reset_requested', 'auth.password_reset']));
  });
});
