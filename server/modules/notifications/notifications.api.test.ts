import { and, eq, isNotNull } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createTerritory, createUser } from '../../test/factories.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { notificationPreferences, notifications } from '../requests/requests.schema.ts';
import { type NotifyInput, notify } from './index.ts';

const HOUR = 3_600_000;
// Tuesday 7 April 2026, 10:00 in Paris.
const TUESDAY_10H = new Date('2026-04-07T08:00:00Z');
const clock = fixedClock(TUESDAY_10H);
let t: TestApp;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ clock, env: { SMTP_URL: mail.url } });
});
afterAll(async () => {
  await t?.close();
  await mail?.close();
});

async function aTerritory() {
  const territory = await createTerritory(t.ctx.db);
  const cp = await createContactPoint(t.ctx.db, territory.id);
  const agent = (status: 'active' | 'deactivated' = 'active') =>
    createUser(t.ctx.db, { status, memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }] });
  return { territory, agent };
}

const tell = (input: Partial<NotifyInput> & Pick<NotifyInput, 'territoryId' | 'userIds'>) =>
  t.ctx.db.transaction((tx) =>
    notify(tx, t.ctx, {
      kind: 'request.received',
      subject: 'Nouvelle saisine pour votre organisation',
      body: 'Une nouvelle saisine est arrivée dans la boîte de votre organisation.',
      link: '/saisines/0f0e0d0c-0000-4000-8000-000000000001',
      ...input,
    }),
  );
const deliver = () => t.ctx.jobs.runNow('notifications.deliver');
const digest = () => t.ctx.jobs.runNow('notifications.digest');
const inbox = (email: string) => mail.to(email);
const setMode = (client: ApiClient, body: unknown) => client.request('PUT', '/api/me/notifications', { body });

describe('immediate notification emails', () => {
  it('emails an « immédiat » person once, through SMTP, at the next delivery run, with the link back to the app', async () => {
    clock.set(TUESDAY_10H);
    const { territory, agent } = await aTerritory();
    const person = await agent();
    expect(await tell({ territoryId: territory.id, userIds: [person.id] })).toBe(1);
    expect(inbox(person.email)).toEqual([]); // notify() only writes the row

    await deliver();
    const email = await mail.waitFor((m) => m.recipients.includes(person.email));
    expect(email.subject).toBe('Relais : Nouvelle saisine pour votre organisation');
    expect(email.text).toContain('Une nouvelle saisine est arrivée dans la boîte de votre organisation.');
    expect(email.text).toContain(`${t.baseUrl}/saisines/0f0e0d0c-0000-4000-8000-000000000001`);
    expect(email.text).toContain('— Relais');
    const [row] = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, person.id));
    expect(row!.sentAt).toEqual(TUESDAY_10H);
    expect(row!.link).toBe(`${t.baseUrl}/saisines/0f0e0d0c-0000-4000-8000-000000000001`);

    await deliver();
    expect(inbox(person.email)).toHaveLength(1);
  });

  it('writes one row per distinct person and none for a deactivated account, which gets no email', async () => {
    clock.set(TUESDAY_10H);
    const { territory, agent } = await aTerritory();
    const [a, b, gone] = [await agent(), await agent(), await agent('deactivated')];
    expect(await tell({ territoryId: territory.id, userIds: [a.id, a.id, b.id, gone.id] })).toBe(2);
    await deliver();
    await mail.waitFor((m) => m.recipients.includes(b.email));
    expect(inbox(a.email)).toHaveLength(1);
    expect(inbox(gone.email)).toEqual([]);
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.userId, gone.id))).toEqual([]);
  });

  it('sends nothing before notBefore (outside business hours), then sends it once the clock gets there', async () => {
    clock.set(TUESDAY_10H);
    const { territory, agent } = await aTerritory();
    const person = await agent();
    await tell({ territoryId: territory.id, userIds: [person.id], notBefore: new Date(TUESDAY_10H.getTime() + 2 * HOUR) });
    await deliver();
    clock.advance(HOUR + 59 * 60_000);
    await deliver();
    expect(inbox(person.email)).toEqual([]);
    clock.advance(60_000);
    await deliver();
    await mail.waitFor((m) => m.recipients.includes(person.email));
    clock.set(TUESDAY_10H);
  });

  it('sends each email once when two workers deliver at the same time', async () => {
    clock.set(TUESDAY_10H);
    const { territory, agent } = await aTerritory();
    const person = await agent();
    for (let i = 0; i < 12; i++) await tell({ territoryId: territory.id, userIds: [person.id], subject: `Rappel ${i}` });
    await Promise.all([deliver(), deliver()]);
    const received = inbox(person.email).map((m) => m.subject);
    expect(received).toHaveLength(12);
    expect(new Set(received).size).toBe(12);
  });
});

describe('the daily digest', () => {
  it('groups a « quotidien » person’s notifications into one email at 08:00 on a working day, and leaves « immédiat » people to their own emails', async () => {
    const { territory, agent } = await aTerritory();
    const daily = await agent();
    const instant = await agent();
    const client = await t.signIn(daily);
    expect((await setMode(client, { mode: 'quotidien' })).body).toEqual({ mode: 'quotidien' });

    // Monday 6 April 2026 (Easter Monday), late afternoon: three things happen.
    clock.set(new Date('2026-04-06T15:00:00Z'));
    for (const i of [1, 2, 3])
      await tell({
        territoryId: territory.id,
        userIds: [daily.id, instant.id],
        subject: `Saisine ${i} : réponse du partenaire`,
        link: `/saisines/${i}`,
      });
    await deliver();
    expect(inbox(daily.email)).toEqual([]); // not an immediate-mode person
    await digest(); // a public holiday, and not 08:00
    clock.set(new Date('2026-04-07T05:59:00Z')); // Tuesday 07:59 in Paris
    await digest();
    expect(inbox(daily.email)).toEqual([]);

    clock.set(new Date('2026-04-07T06:05:00Z')); // 08:05 in Paris
    await digest();
    const email = await mail.waitFor((m) => m.recipients.includes(daily.email));
    expect(email.subject).toBe('Relais : votre résumé du jour (3 notifications)');
    for (const i of [1, 2, 3]) expect(email.text).toContain(`- Saisine ${i} : réponse du partenaire\n  ${t.baseUrl}/saisines/${i}`);
    expect(email.text).toContain('— Relais');
    // the « immédiat » person got their three emails from the delivery job, no digest
    expect(
      inbox(instant.email)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([1, 2, 3].map((i) => `Relais : Saisine ${i} : réponse du partenaire`));
    const digested = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, daily.id), isNotNull(notifications.digestedAt)));
    expect(digested).toHaveLength(3);

    // One digest a day: what arrives later that day waits for tomorrow's.
    await tell({ territoryId: territory.id, userIds: [daily.id], subject: 'Saisine 4' });
    clock.set(new Date('2026-04-07T12:00:00Z'));
    await digest();
    await deliver();
    expect(inbox(daily.email)).toHaveLength(1);
    clock.set(new Date('2026-04-08T06:00:00Z'));
    await digest();
    const next = await mail.waitFor((m) => m.recipients.includes(daily.email) && m.subject.includes('(1 notification)'));
    expect(next.text).toContain('- Saisine 4');
    clock.set(TUESDAY_10H);
  });
});

describe('notification preferences', () => {
  it('are « immédiat » until the person chooses the digest; the change is journaled', async () => {
    const { agent } = await aTerritory();
    const person = await agent();
    const client = await t.signIn(person);
    expect((await client.get('/api/me/notifications')).body).toEqual({ mode: 'immediat' });
    const put = await setMode(client, { mode: 'quotidien' });
    expect(put.status).toBe(200);
    expect((await client.get('/api/me/notifications')).body).toEqual({ mode: 'quotidien' });
    expect((await setMode(client, { mode: 'immediat' })).body).toEqual({ mode: 'immediat' });
    const [pref] = await t.ctx.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, person.id));
    expect(pref!.mode).toBe('immediat');
    const events = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'user.notification_mode_changed'), eq(auditEvents.targetId, person.id)));
    expect(events.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { before: 'immediat', after: 'quotidien' },
        { before: 'quotidien', after: 'immediat' },
      ]),
    );
  });

  it('refuse anything but the two choices with a French message, and change nothing', async () => {
    const { agent } = await aTerritory();
    const person = await agent();
    const client = await t.signIn(person);
    for (const body of [{ mode: 'hebdomadaire' }, {}, { mode: 'quotidien', frequence: 2 }, { mode: null }]) {
      const res = await setMode(client, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const res = await setMode(client, { mode: 'hebdomadaire' });
    expect(res.body.errors[0].message).toBe('choix attendu : « immediat » ou « quotidien »');
    expect((await client.get('/api/me/notifications')).body).toEqual({ mode: 'immediat' });
  });

  it('need a signed-in person', async () => {
    expect((await t.client().get('/api/me/notifications')).status).toBe(401);
  });
});

describe('the mail outbox with an SMTP server', () => {
  it('is not there: 404 MAIL_OUTBOX_DISABLED, and the app says so', async () => {
    const { agent } = await aTerritory();
    const client = await t.signIn(await agent());
    const res = await client.get('/api/outbox/mails');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('MAIL_OUTBOX_DISABLED');
    expect(res.body.detail).toMatch(/SMTP/);
    expect((await client.get('/api/auth/config')).body.mailOutbox).toBe(false);
  });
});

describe('a mail server that refuses an email', () => {
  // A real SMTP server that refuses every recipient while `refusing` is set.
  let refusing = true;
  let accepted = 0;
  let f: TestApp;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(refusing ? Object.assign(new Error('boîte pleine'), { responseCode: 452 }) : undefined);
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    f = await createTestApp({ clock, env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await f?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps the notification, retries it later, and sends it once the server takes it', async () => {
    clock.set(TUESDAY_10H);
    const territory = await createTerritory(f.ctx.db);
    const person = await createUser(f.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    await f.ctx.db.transaction((tx) =>
      notify(tx, f.ctx, { territoryId: territory.id, userIds: [person.id], kind: 'k', subject: 'S', body: 'B', link: '/x' }),
    );
    const row = async () => (await f.ctx.db.select().from(notifications).where(eq(notifications.userId, person.id)))[0]!;
    await f.ctx.jobs.runNow('notifications.deliver');
    expect((await row()).sentAt).toBeNull();
    expect((await row()).notBefore.getTime()).toBe(TUESDAY_10H.getTime() + 5 * 60_000);

    refusing = false;
    await f.ctx.jobs.runNow('notifications.deliver'); // not yet time to retry
    expect(accepted).toBe(0);
    clock.advance(5 * 60_000);
    await f.ctx.jobs.runNow('notifications.deliver');
    expect(accepted).toBe(1);
    expect((await row()).sentAt).not.toBeNull();
    clock.set(TUESDAY_10H);
  });
});

describe('delivery through the running pg-boss queue', () => {
  let q: TestApp;
  let catcher: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher();
    q = await createTestApp({ env: { SMTP_URL: catcher.url, JOBS: 'true' } });
  });
  afterAll(async () => {
    await q?.close();
    await catcher?.close();
  });

  it('schedules delivery every minute and the digest every hour', async () => {
    const { rows } = await q.ctx.database.pool.query('SELECT name, cron FROM pgboss.schedule ORDER BY name');
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: 'notifications.deliver', cron: '* * * * *' },
        { name: 'notifications.digest', cron: '0 * * * *' },
      ]),
    );
  });

  it('emails a notification when the queued delivery job runs', async () => {
    const territory = await createTerritory(q.ctx.db);
    const person = await createUser(q.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    await q.ctx.db.transaction((tx) =>
      notify(tx, q.ctx, {
        territoryId: territory.id,
        userIds: [person.id],
        kind: 'request.answered',
        subject: 'Le partenaire a répondu',
        body: 'Le partenaire a répondu à une saisine de votre lieu d’accueil.',
        link: '/saisines/1',
      }),
    );
    await q.ctx.jobs.send('notifications.deliver', {});
    const email = await catcher.waitFor((m) => m.recipients.includes(person.email), 30_000);
    expect(email.subject).toBe('Relais : Le partenaire a répondu');
    await expect
      .poll(
        async () =>
          (await q.ctx.database.pool.query("SELECT state FROM pgboss.job WHERE name = 'notifications.deliver'")).rows.map((r) => r.state),
        { timeout: 15_000 },
      )
      .toContain('completed');
    expect(catcher.to(person.email)).toHaveLength(1);
  });
});
