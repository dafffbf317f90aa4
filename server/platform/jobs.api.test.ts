import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactPoint, createTerritory, createUser } from '../test/factories.ts';
import { type MailCatcher, startMailCatcher } from '../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';

const DAY = 86_400_000;
let t: TestApp;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ env: { SMTP_URL: mail.url, JOBS: 'true' } });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

const jobsNamed = async (name: string) =>
  (
    await t.ctx.database.pool.query<{ state: string; data: Record<string, string> }>('SELECT state, data FROM pgboss.job WHERE name = $1', [
      name,
    ])
  ).rows;

describe('background jobs on the real pg-boss queue', () => {
  it('sends the password-reset email through the queue and the SMTP server', async () => {
    const territory = await createTerritory(t.ctx.db);
    const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    const res = await t.client().post('/api/auth/password-reset', { email: user.email });
    expect(res.status).toBe(202);
    const message = await mail.waitFor((m) => m.recipients.includes(user.email), 20_000);
    expect(message.subject).toBe('Relais : réinitialisation de votre mot de passe');
    const token = message.text.match(/jeton=([A-Za-z0-9_-]+)/)![1]!;
    expect((await t.client().post('/api/auth/password-reset/confirm', { token, password: 'Nouveau-secret-par-la-file-2026' })).status).toBe(
      204,
    );
    await expect
      .poll(async () => (await jobsNamed('mail.send')).find((j) => j.data.to === user.email)?.state, { timeout: 10_000 })
      .toBe('completed');
  });

  it('runs the inactivity job from the queue, which queues its warning emails in turn', async () => {
    const territory = await createTerritory(t.ctx.db);
    const contactPoint = await createContactPoint(t.ctx.db, territory.id);
    const idle = await createUser(t.ctx.db, {
      lastActiveAt: new Date(Date.now() - 170 * DAY),
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: contactPoint.id }],
    });
    await t.ctx.jobs.send('accounts.deactivate-inactive', {});
    const warning = await mail.waitFor((m) => m.recipients.includes(idle.email), 20_000);
    expect(warning.subject).toBe('Relais : votre compte sera désactivé dans 15 jours');
    await expect
      .poll(async () => (await jobsNamed('accounts.deactivate-inactive')).map((j) => j.state), { timeout: 10_000 })
      .toContain('completed');
  });

  it('schedules the inactivity job every night', async () => {
    const { rows } = await t.ctx.database.pool.query('SELECT name, cron, timezone FROM pgboss.schedule');
    expect(rows).toEqual(expect.arrayContaining([{ name: 'accounts.deactivate-inactive', cron: '15 3 * * *', timezone: 'Europe/Paris' }]));
  });
});
