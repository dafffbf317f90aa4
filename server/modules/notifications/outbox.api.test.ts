import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactPoint, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { notify } from './index.ts';

/** Without SMTP_URL (the embedded default) every email is kept, and shown on the outbox page. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

interface OutboxItem {
  to: string;
  subject: string;
  body: string;
  mine: boolean;
}

async function world() {
  const db = t.ctx.db;
  const [t1, t2] = [await createTerritory(db), await createTerritory(db)];
  const cp = await createContactPoint(db, t1.id);
  const agent = await createUser(db, { memberships: [{ territoryId: t1.id, role: 'agent', contactPointId: cp.id }] });
  const colleague = await createUser(db, { memberships: [{ territoryId: t1.id, role: 'agent', contactPointId: cp.id }] });
  const coordinator = await createUser(db, { memberships: [{ territoryId: t1.id, role: 'coordinator' }] });
  const otherCoordinator = await createUser(db, { memberships: [{ territoryId: t2.id, role: 'coordinator' }] });
  const admin = await createUser(db, { isPlatformAdmin: true });
  // A notification about T1 for the agent, and a password reset (no territory) for the colleague.
  await db.transaction((tx) =>
    notify(tx, t.ctx, {
      territoryId: t1.id,
      userIds: [agent.id],
      kind: 'request.received',
      subject: 'Nouvelle saisine',
      body: 'Une nouvelle saisine est arrivée.',
      link: '/saisines/1',
    }),
  );
  await t.ctx.jobs.runNow('notifications.deliver');
  expect((await t.client().post('/api/auth/password-reset', { email: colleague.email })).status).toBe(202);
  return { t1, t2, agent, colleague, coordinator, otherCoordinator, admin };
}

const outboxOf = async (user: { email: string; password: string }) => {
  const res = await (await t.signIn(user)).get('/api/outbox/mails');
  expect(res.status).toBe(200);
  return (res.body.items as OutboxItem[]).map((m) => ({ ...m, to: m.to.toLowerCase() }));
};

describe('the mail outbox (no SMTP server configured)', () => {
  it('shows a person the emails addressed to them, and not another person’s', async () => {
    const w = await world();
    const agentMails = await outboxOf(w.agent);
    expect(agentMails.map((m) => m.subject)).toEqual(['Relais : Nouvelle saisine']);
    expect(agentMails[0]!.body).toContain(`${t.baseUrl}/saisines/1`);
    expect(agentMails[0]!.mine).toBe(true);

    const colleagueMails = await outboxOf(w.colleague);
    expect(colleagueMails.map((m) => m.subject)).toEqual(['Relais : réinitialisation de votre mot de passe']);
    expect(colleagueMails[0]!.body).toMatch(/jeton=[A-Za-z0-9_-]{20,}/); // their own link works
  });

  it('shows a coordinator the emails about their territory, and a coordinator of another territory none of them', async () => {
    const w = await world();
    const mails = await outboxOf(w.coordinator);
    expect(mails.filter((m) => m.to === w.agent.email)).toHaveLength(1);
    expect(mails.filter((m) => m.to === w.colleague.email)).toEqual([]); // a password reset is about no territory
    expect(mails.every((m) => !m.mine)).toBe(true);
    const foreign = await outboxOf(w.otherCoordinator);
    expect(foreign.filter((m) => [w.agent.email, w.colleague.email].includes(m.to))).toEqual([]);
  });

  it('shows a platform administrator every email, with others’ single-use links masked', async () => {
    const w = await world();
    const mails = await outboxOf(w.admin);
    const reset = mails.find((m) => m.to === w.colleague.email)!;
    expect(reset.body).toContain('jeton=(masqué)');
    expect(reset.body).not.toMatch(/jeton=[A-Za-z0-9_-]{20,}/);
    expect(mails.find((m) => m.to === w.agent.email)).toBeDefined();
  });

  it('journals each reading', async () => {
    const w = await world();
    await outboxOf(w.coordinator);
    const events = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'mail_outbox.read'), eq(auditEvents.actorUserId, w.coordinator.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ scope: 'territories' });
  });

  it('keeps writing each email as a .eml file too, and tells the web app to show the outbox', async () => {
    const w = await world();
    const files = readdirSync(join(t.ctx.config.dataDir, 'mails'));
    expect(files.some((f) => f.includes(w.agent.email))).toBe(true);
    expect((await t.client().get('/api/auth/config')).body.mailOutbox).toBe(true);
  });

  it('needs a signed-in person', async () => {
    expect((await t.client().get('/api/outbox/mails')).status).toBe(401);
  });
});
