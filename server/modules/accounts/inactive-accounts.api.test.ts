import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createContactPoint, createTerritory, createUser } from '../../test/factories.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { sessions, users } from './accounts.schema.ts';

const clock = fixedClock(new Date('2026-01-05T07:00:00Z'));
const DAY = 86_400_000;
let t: TestApp;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ clock, env: { SMTP_URL: mail.url, SESSION_TTL_HOURS: String(24 * 90) } });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY);
const runJob = () => t.ctx.jobs.runNow('accounts.deactivate-inactive');
const warningsTo = (email: string) => mail.to(email).filter((m) => m.subject === 'Relais : votre compte sera désactivé dans 15 jours');
const statusOf = async (id: string) => (await t.ctx.db.select().from(users).where(eq(users.id, id)))[0]!.status;
const eventsAbout = async (id: string) =>
  (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).orderBy(auditEvents.id)).map((e) => e.type);

/** A territory whose coordinator stays active, and an agent last seen `idleDays` ago. */
async function aTerritoryWithIdleAgent(idleDays: number) {
  const territory = await createTerritory(t.ctx.db);
  const contactPoint = await createContactPoint(t.ctx.db, territory.id);
  const coordinator = await createUser(t.ctx.db, {
    lastActiveAt: clock.now(),
    memberships: [{ territoryId: territory.id, role: 'coordinator' }],
  });
  const agent = await createUser(t.ctx.db, {
    lastActiveAt: daysAgo(idleDays),
    memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: contactPoint.id }],
  });
  return { territory, coordinator, agent };
}

describe('deactivation of accounts unused for 6 months', () => {
  it('warns by email 15 days before 6 months of inactivity, once', async () => {
    const { agent } = await aTerritoryWithIdleAgent(183 - 15 + 1);
    const recent = await createUser(t.ctx.db, { lastActiveAt: daysAgo(160) });
    await runJob();
    const [warning] = warningsTo(agent.email);
    expect(warning?.text).toContain('votre compte sera désactivé dans 15 jours');
    expect(warning?.text).toContain(`${t.baseUrl}/connexion`);
    expect(warningsTo(recent.email)).toEqual([]);
    await runJob();
    expect(warningsTo(agent.email)).toHaveLength(1);
    expect(await statusOf(agent.id)).toBe('active');
    expect(await eventsAbout(agent.id)).toEqual(['user.inactivity_warned']);
  });

  it('deactivates at 6 months, closes the sessions, refuses sign-in and tells the coordinator', async () => {
    const { territory, coordinator, agent } = await aTerritoryWithIdleAgent(0);
    const agentClient = await t.signIn(agent);
    clock.advance(169 * DAY);
    await runJob();
    expect(warningsTo(agent.email)).toHaveLength(1);
    clock.advance(14 * DAY);
    await runJob();
    expect(await statusOf(agent.id)).toBe('active');
    clock.advance(DAY);
    await t.ctx.db.update(users).set({ lastActiveAt: clock.now() }).where(eq(users.id, coordinator.id));
    await runJob();
    expect(await statusOf(agent.id)).toBe('deactivated');
    const open = await t.ctx.db.select().from(sessions).where(eq(sessions.userId, agent.id));
    expect(open.every((s) => s.revokedAt !== null)).toBe(true);
    expect((await agentClient.get('/api/auth/me')).status).toBe(401);

    const signIn = await t.client().post('/api/auth/login', { email: agent.email, password: agent.password });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('ACCOUNT_DEACTIVATED');
    const reset = await t.client().post('/api/auth/password-reset', { email: agent.email });
    expect(reset.status).toBe(202);
    expect(mail.to(agent.email).filter((m) => /jeton=/.test(m.text))).toEqual([]);

    const journal = await (await t.signIn(coordinator)).get(`/api/territories/${territory.id}/audit-events?type=user.deactivated_inactive`);
    expect(journal.status).toBe(200);
    expect(journal.body.items).toEqual([expect.objectContaining({ targetId: agent.id, data: { days: 183 } })]);
  });

  it('warns an account found already past 6 months first, and deactivates it only 15 days later', async () => {
    const { agent } = await aTerritoryWithIdleAgent(400);
    await runJob();
    expect(warningsTo(agent.email)).toHaveLength(1);
    expect(await statusOf(agent.id)).toBe('active');
    clock.advance(14 * DAY);
    await runJob();
    expect(await statusOf(agent.id)).toBe('active');
    clock.advance(DAY + 1);
    await runJob();
    expect(await statusOf(agent.id)).toBe('deactivated');
  });

  it('warns again before the next deactivation when a warned person came back in between', async () => {
    const { agent } = await aTerritoryWithIdleAgent(170);
    await runJob();
    expect(warningsTo(agent.email)).toHaveLength(1);
    clock.advance(DAY);
    await t.signIn(agent); // the warning is answered
    clock.advance(170 * DAY);
    await runJob();
    expect(warningsTo(agent.email)).toHaveLength(2);
    clock.advance(14 * DAY);
    await runJob();
    expect(await statusOf(agent.id)).toBe('active');
  });

  it('never deactivates a platform administrator', async () => {
    const admin = await createUser(t.ctx.db, { isPlatformAdmin: true, lastActiveAt: daysAgo(400) });
    await runJob();
    clock.advance(30 * DAY);
    await runJob();
    expect(await statusOf(admin.id)).toBe('active');
    expect(warningsTo(admin.email)).toEqual([]);
  });

  it('lets the coordinator reactivate the account, which can then sign in', async () => {
    const { territory, coordinator, agent } = await aTerritoryWithIdleAgent(400);
    await runJob();
    clock.advance(16 * DAY);
    await t.ctx.db.update(users).set({ lastActiveAt: clock.now() }).where(eq(users.id, coordinator.id));
    await runJob();
    expect(await statusOf(agent.id)).toBe('deactivated');

    const other = await aTerritoryWithIdleAgent(0);
    const outsider = await t.signIn(other.coordinator);
    expect((await outsider.post(`/api/territories/${territory.id}/members/${agent.id}/reactivate`)).status).toBe(403);
    expect((await outsider.post(`/api/territories/${other.territory.id}/members/${agent.id}/reactivate`)).status).toBe(404);

    const client = await t.signIn(coordinator);
    expect((await client.post(`/api/territories/${territory.id}/members/${agent.id}/reactivate`)).status).toBe(204);
    await expect(t.signIn(agent)).resolves.toBeDefined();
    const again = await client.post(`/api/territories/${territory.id}/members/${agent.id}/reactivate`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('USER_NOT_DEACTIVATED');
    expect(await eventsAbout(agent.id)).toEqual(
      expect.arrayContaining(['user.inactivity_warned', 'user.deactivated_inactive', 'user.reactivated', 'auth.sign_in']),
    );
    await runJob();
    expect(await statusOf(agent.id)).toBe('active');
  });
});
