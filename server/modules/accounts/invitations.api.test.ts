import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { users, userTokens } from './accounts.schema.ts';

const clock = fixedClock(new Date('2026-05-11T10:00:00Z'));
const DAY = 86_400_000;
const PASSWORD = 'Mon-premier-mot-de-passe-2026';
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

let counter = 0;
const newEmail = () => `invitee-${Date.now()}-${++counter}@exemple.fr`;

async function aTerritoryWithCoordinator() {
  const territory = await createTerritory(t.ctx.db, { name: 'Perche (Orne)' });
  const contactPoint = await createContactPoint(t.ctx.db, territory.id, { name: 'France Services de Mortagne' });
  const coordinator = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  return { territory, contactPoint, coordinator, client: await t.signIn(coordinator) };
}

const tokenIn = (text: string) => text.match(/jeton=([A-Za-z0-9_-]+)/)?.[1];

describe('invitations', () => {
  it('emails a new person, previews the invitation, and signs them in when they accept', async () => {
    const { territory, contactPoint, client } = await aTerritoryWithCoordinator();
    const email = newEmail();
    const res = await client.post(`/api/territories/${territory.id}/invitations`, {
      email,
      displayName: 'Dominique Accueil',
      role: 'agent',
      contactPointId: contactPoint.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invited: true });

    const message = await mail.waitFor((m) => m.recipients.includes(email));
    expect(message.subject).toBe('Relais : invitation au réseau Perche (Orne)');
    expect(message.text).toContain('Bonjour Dominique Accueil');
    expect(message.text).toContain(`${t.baseUrl}/invitation?jeton=`);
    const token = tokenIn(message.text)!;

    const preview = await t.client().get(`/api/auth/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ email, displayName: 'Dominique Accueil' });
    const before = await t.client().post('/api/auth/login', { email, password: PASSWORD });
    expect(before.body.code).toBe('INVALID_CREDENTIALS');

    const invited = t.client();
    const accepted = await invited.post('/api/auth/invitations/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(invited.hasSession()).toBe(true);
    const me = await invited.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ email, displayName: 'Dominique Accueil' });
    expect(me.body.memberships).toEqual([
      expect.objectContaining({
        role: 'agent',
        territory: expect.objectContaining({ id: territory.id }),
        contactPoint: { id: contactPoint.id, name: contactPoint.name },
      }),
    ]);
    await expect(t.signIn({ email, password: PASSWORD })).resolves.toBeDefined();

    const again = await t.client().post('/api/auth/invitations/accept', { token, password: 'Un-autre-mot-de-passe-2026' });
    expect(again.body.code).toBe('TOKEN_INVALID');
    expect((await t.client().get(`/api/auth/invitations/${token}`)).status).toBe(400);
    const types = (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, territory.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.invited', 'membership.granted', 'user.invitation_accepted']));
  });

  it('only grants the role to someone who already has an account: no token, a notice by email', async () => {
    const { territory, client } = await aTerritoryWithCoordinator();
    const organisation = await createOrganisation(t.ctx.db, territory.id, { name: 'CAF de l’Orne', acronym: 'CAF' });
    const existing = await createUser(t.ctx.db, { displayName: 'Sacha Référent' });
    const res = await client.post(`/api/territories/${territory.id}/invitations`, {
      email: existing.email,
      displayName: 'Autre nom ignoré',
      role: 'referent',
      organisationId: organisation.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invited: false, userId: existing.id });
    const message = await mail.waitFor((m) => m.recipients.includes(existing.email));
    expect(message.subject).toBe('Relais : nouveau rôle dans Perche (Orne)');
    expect(tokenIn(message.text)).toBeUndefined();
    expect(await t.ctx.db.select().from(userTokens).where(eq(userTokens.userId, existing.id))).toEqual([]);
    const [user] = await t.ctx.db.select().from(users).where(eq(users.id, existing.id));
    expect(user).toMatchObject({ displayName: 'Sacha Référent', status: 'active', passwordHash: existing.passwordHash });
    const me = await (await t.signIn(existing)).get('/api/auth/me');
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ role: 'referent', organisation: expect.objectContaining({ acronym: 'CAF' }) }),
    ]);
  });

  it('answers 409 MEMBERSHIP_EXISTS when the person already has that role there, and writes nothing', async () => {
    const { territory, contactPoint, client } = await aTerritoryWithCoordinator();
    const existing = await createUser(t.ctx.db);
    const body = { email: existing.email, displayName: 'Alex Doublon', role: 'agent', contactPointId: contactPoint.id };
    expect((await client.post(`/api/territories/${territory.id}/invitations`, body)).status).toBe(201);
    const eventsBefore = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, territory.id));
    const res = await client.post(`/api/territories/${territory.id}/invitations`, body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('MEMBERSHIP_EXISTS');
    const eventsAfter = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, territory.id));
    expect(eventsAfter).toHaveLength(eventsBefore.length);
    expect(mail.to(body.email)).toHaveLength(1);
  });

  it('sends a fresh link when someone who has not accepted is invited again; only the newest link works', async () => {
    const { territory, contactPoint, coordinator, client: before } = await aTerritoryWithCoordinator();
    const body = { email: newEmail(), displayName: 'Noa Retardataire', role: 'agent', contactPointId: contactPoint.id };
    const first = await before.post(`/api/territories/${territory.id}/invitations`, body);
    const oldToken = tokenIn((await mail.waitFor((m) => m.recipients.includes(body.email))).text)!;
    clock.advance(8 * DAY);
    const client = await t.signIn(coordinator); // the first session has expired meanwhile
    const again = await client.post(`/api/territories/${territory.id}/invitations`, { ...body, displayName: 'Autre nom' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first.body, invited: true });
    const [, resent] = mail.to(body.email);
    expect(resent?.text).toContain('Bonjour Noa Retardataire');
    const newToken = tokenIn(resent!.text)!;
    expect(newToken).not.toBe(oldToken);
    expect((await t.client().get(`/api/auth/invitations/${oldToken}`)).body.code).toBe('TOKEN_INVALID');
    const invited = t.client();
    expect((await invited.post('/api/auth/invitations/accept', { token: newToken, password: PASSWORD })).status).toBe(200);
    expect((await invited.get('/api/auth/me')).body.memberships).toHaveLength(1);
    expect((await client.post(`/api/territories/${territory.id}/invitations`, body)).body.code).toBe('MEMBERSHIP_EXISTS');
  });

  it('refuses an invitation after 7 days', async () => {
    const { territory, contactPoint, client } = await aTerritoryWithCoordinator();
    const email = newEmail();
    await client.post(`/api/territories/${territory.id}/invitations`, {
      email,
      displayName: 'Lou Tardif',
      role: 'agent',
      contactPointId: contactPoint.id,
    });
    const token = tokenIn((await mail.waitFor((m) => m.recipients.includes(email))).text)!;
    clock.advance(7 * DAY - 60_000);
    expect((await t.client().get(`/api/auth/invitations/${token}`)).status).toBe(200);
    clock.advance(2 * 60_000);
    expect((await t.client().get(`/api/auth/invitations/${token}`)).body.code).toBe('TOKEN_INVALID');
    const res = await t.client().post('/api/auth/invitations/accept', { token, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ status: 'invited', passwordHash: null });
  });

  it('lets an organisation manager invite a referent of their organisation but not a coordinator', async () => {
    const territory = await createTerritory(t.ctx.db);
    const organisation = await createOrganisation(t.ctx.db, territory.id);
    const other = await createOrganisation(t.ctx.db, territory.id);
    const manager = await createUser(t.ctx.db, {
      memberships: [{ territoryId: territory.id, role: 'manager', organisationId: organisation.id }],
    });
    const client = await t.signIn(manager);
    const invite = (body: object) =>
      client.post(`/api/territories/${territory.id}/invitations`, { email: newEmail(), displayName: 'Eden Partenaire', ...body });
    expect((await invite({ role: 'referent', organisationId: organisation.id })).status).toBe(201);
    expect((await invite({ role: 'referent', organisationId: other.id })).status).toBe(403);
    expect((await invite({ role: 'coordinator' })).status).toBe(403);
  });
});
