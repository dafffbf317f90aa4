import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { newSecretToken } from '../../platform/crypto.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { apiTokens } from '../accounts/accounts.schema.ts';
import { webhooks } from '../requests/requests.schema.ts';
import { postWebhook } from './http-post.ts';
import { emitWebhookEvent, queueWebhookDeliveries } from './index.ts';

/** A partner's receiver: records every request; answers from a per-path script (then 200). */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
class Receiver {
  received: Received[] = [];
  scripts = new Map<string, (number | 'hang')[]>();
  private server!: Server;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body });
        if (path.startsWith('/redirect')) {
          res.writeHead(302, { location: `${this.url}/target` }).end();
          return;
        }
        const next = this.scripts.get(path)?.shift() ?? 200;
        if (next === 'hang') return; // never answers
        res.writeHead(next, { 'content-type': 'text/plain' }).end(next >= 300 ? `Erreur ${next} du partenaire` : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The receiver's side of the signature check, written from the documentation, not from our code. */
function verifySignature(secret: string, header: string, rawBody: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const clock = fixedClock(new Date());
let t: TestApp;
let strict: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await new Receiver().start();
  t = await createTestApp({
    clock,
    env: {
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_RETRY_DELAYS_SECONDS: '30,120',
      WEBHOOKS_MAX_ATTEMPTS: '3',
      WEBHOOKS_TIMEOUT_SECONDS: '2',
    },
  });
  strict = await createTestApp();
});
afterAll(async () => {
  await t?.close();
  await strict?.close();
  await receiver?.close();
});

async function world(app: TestApp) {
  const db = app.ctx.db;
  const territory = await createTerritory(db);
  const territoryId = territory.id;
  const [orgX, orgY] = [await createOrganisation(db, territoryId), await createOrganisation(db, territoryId)];
  const cp = await createContactPoint(db, territoryId);
  const managerX = await createUser(db, { memberships: [{ territoryId, role: 'manager', organisationId: orgX.id }] });
  const coordinator = await createUser(db, { memberships: [{ territoryId, role: 'coordinator' }] });
  const base = `/api/territories/${territoryId}/organisations/${orgX.id}/webhooks`;
  return { territoryId, orgX, orgY, cp, managerX, coordinator, base };
}
type World = Awaited<ReturnType<typeof world>>;

async function tokenFor(app: TestApp, territoryId: string, organisationId: string) {
  const { token, hash } = newSecretToken('rls_');
  const creator = await createUser(app.ctx.db, { memberships: [{ territoryId, role: 'coordinator' }] });
  await app.ctx.db.insert(apiTokens).values({
    createdBy: creator.id,
    territoryId,
    organisationId,
    name: 'SI partenaire',
    prefix: token.slice(0, 10),
    tokenHash: hash,
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });
  return { authorization: `Bearer ${token}` };
}

/** Registers a webhook of organisation X through the API, as its manager. */
async function register(w: World, path: string, events = ['request.status_changed']) {
  const manager = await t.signIn(w.managerX);
  const res = await manager.post(w.base, { url: `${receiver.url}${path}`, events });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; secret: string };
}

/** A status change of a request of organisation X, as the requests module will emit it; returns the deliveries' ids. */
async function emitStatusChange(app: TestApp, w: World, orgId = w.orgX.id) {
  return app.ctx.db.transaction((tx) =>
    emitWebhookEvent(tx, {
      territoryId: w.territoryId,
      organisationId: orgId,
      type: 'request.status_changed',
      payload: { requestId: '0b6f5a2e-6d1c-4c3e-9a51-6f0c8f2b1a10', reference: 'R-2026-000123', status: 'en_cours' },
      occurredAt: clock.now(),
    }),
  );
}

const deliveryRow = async (app: TestApp, id: string) =>
  (await app.ctx.database.pool.query('SELECT * FROM webhook_deliveries WHERE id = $1', [id])).rows[0];

describe('registering a webhook', () => {
  it('returns the signing secret once and keeps it sealed at rest', async () => {
    const w = await world(t);
    const created = await register(w, '/sealed');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const manager = await t.signIn(w.managerX);
    const list = await manager.get(w.base);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.id, url: `${receiver.url}/sealed`, events: ['request.status_changed'], active: true }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    const { rows } = await t.ctx.database.pool.query<{ secret_sealed: string }>('SELECT secret_sealed FROM webhooks WHERE id = $1', [
      created.id,
    ]);
    expect(rows[0]!.secret_sealed).not.toContain(created.secret.slice(6));
    expect(rows[0]!.secret_sealed).toMatch(/^v1\./);
    expect(t.ctx.secretBox.open(rows[0]!.secret_sealed)).toBe(created.secret);
    const journal = await t.ctx.database.pool.query("SELECT data FROM audit_events WHERE type = 'webhook.created' AND target_id = $1", [
      created.id,
    ]);
    expect(JSON.stringify(journal.rows)).not.toContain(created.secret);
  });

  it('lets the partner’s own system register its endpoint with its API token, not another organisation’s', async () => {
    const w = await world(t);
    const own = await tokenFor(t, w.territoryId, w.orgX.id);
    const other = await tokenFor(t, w.territoryId, w.orgY.id);
    const body = { url: `${receiver.url}/by-token`, events: ['request.created'] };
    expect((await t.client().post(w.base, body, own)).status).toBe(201);
    expect((await t.client().post(w.base, body, other)).status).toBe(403);
    expect((await t.client().get(w.base, own)).body).toHaveLength(1);
  });
});

describe('who manages an organisation’s webhooks', () => {
  it('refuses another organisation’s manager, a referent, an agent and another territory (403), and hides another organisation’s webhook (404)', async () => {
    const w = await world(t);
    const elsewhere = await world(t);
    const { id } = await register(w, '/scope');
    const db = t.ctx.db;
    const managerY = await createUser(db, { memberships: [{ territoryId: w.territoryId, role: 'manager', organisationId: w.orgY.id }] });
    const referentX = await createUser(db, { memberships: [{ territoryId: w.territoryId, role: 'referent', organisationId: w.orgX.id }] });
    const agent = await createUser(db, { memberships: [{ territoryId: w.territoryId, role: 'agent', contactPointId: w.cp.id }] });
    const body = { url: `${receiver.url}/scope`, events: ['request.created'] };
    for (const user of [managerY, referentX, agent, elsewhere.coordinator, elsewhere.managerX]) {
      const client = await t.signIn(user);
      expect((await client.get(w.base)).status).toBe(403);
      expect((await client.post(w.base, body)).status).toBe(403);
      expect((await client.patch(`${w.base}/${id}`, { active: false })).status).toBe(403);
      expect((await client.get(`${w.base}/${id}/deliveries`)).status).toBe(403);
      expect((await client.post(`${w.base}/${id}/ping`)).status).toBe(403);
      expect((await client.delete(`${w.base}/${id}`)).status).toBe(403);
    }
    const foreignToken = await tokenFor(t, elsewhere.territoryId, elsewhere.orgX.id);
    expect((await t.client().get(w.base, foreignToken)).status).toBe(403);
    // The territory's coordinator manages every organisation's webhooks...
    const coordinator = await t.signIn(w.coordinator);
    expect((await coordinator.get(w.base)).body).toHaveLength(1);
    // ...but a webhook is only reachable under its own organisation.
    const underY = `/api/territories/${w.territoryId}/organisations/${w.orgY.id}/webhooks/${id}`;
    expect((await coordinator.patch(underY, { active: false })).status).toBe(404);
    expect((await coordinator.get(`${underY}/deliveries`)).status).toBe(404);
    expect((await t.ctx.database.pool.query('SELECT active FROM webhooks WHERE id = $1', [id])).rows[0].active).toBe(true);
  });
});

describe('delivering events', () => {
  it('records one delivery per subscribed active webhook in the caller’s transaction, and delivers it signed (runNow)', async () => {
    const w = await world(t);
    const hook = await register(w, '/signed');
    await register(w, '/other-event', ['request.created']);
    const inactive = await register(w, '/inactive');
    const manager = await t.signIn(w.managerX);
    expect((await manager.patch(`${w.base}/${inactive.id}`, { active: false })).status).toBe(200);
    const ids = await emitStatusChange(t, w);
    expect(ids).toHaveLength(1);
    expect(await deliveryRow(t, ids[0]!)).toMatchObject({ status: 'en_attente', attempts: 0, webhook_id: hook.id });
    // Nothing is sent from inside the transaction.
    expect(receiver.at('/signed')).toHaveLength(0);

    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: ids[0] });
    const [got] = receiver.at('/signed');
    expect(got).toBeDefined();
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-relais-event']).toBe('request.status_changed');
    expect(got!.headers['x-relais-delivery']).toBe(ids[0]);
    const signature = String(got!.headers['x-relais-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(hook.secret, signature, got!.body)).toBe(true);
    expect(verifySignature(hook.secret, signature, got!.body.replace('en_cours', 'cloturee'))).toBe(false);
    expect(Number(signature.match(/t=(\d+)/)![1])).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(JSON.parse(got!.body)).toEqual({
      id: expect.any(String),
      type: 'request.status_changed',
      createdAt: clock.now().toISOString(),
      territoryId: w.territoryId,
      organisationId: w.orgX.id,
      data: { requestId: '0b6f5a2e-6d1c-4c3e-9a51-6f0c8f2b1a10', reference: 'R-2026-000123', status: 'en_cours' },
    });
    expect(await deliveryRow(t, ids[0]!)).toMatchObject({ status: 'livre', attempts: 1, last_status_code: 200, last_error: null });
    expect(receiver.at('/other-event')).toHaveLength(0);
    expect(receiver.at('/inactive')).toHaveLength(0);

    // A second run of the same job (a duplicate) sends nothing.
    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: ids[0], attempt: 0 });
    expect(receiver.at('/signed')).toHaveLength(1);
  });

  it('retries with backoff: a receiver answering 500 twice then 200 gets it on the third attempt', async () => {
    const w = await world(t);
    await register(w, '/flaky');
    receiver.scripts.set('/flaky', [500, 500, 200]);
    const ids = await emitStatusChange(t, w);
    await queueWebhookDeliveries(t.ctx, ids); // JOBS=false: the first attempt runs here
    expect(await deliveryRow(t, ids[0]!)).toMatchObject({
      status: 'en_attente',
      attempts: 1,
      last_status_code: 500,
      last_error: 'Erreur 500 du partenaire',
    });
    // Not due yet: 30 s of backoff (plus the sweeper's margin).
    await t.ctx.jobs.runNow('webhooks.sweep');
    expect(receiver.at('/flaky')).toHaveLength(1);
    clock.advance(100_000);
    await t.ctx.jobs.runNow('webhooks.sweep');
    expect(receiver.at('/flaky')).toHaveLength(2);
    expect(await deliveryRow(t, ids[0]!)).toMatchObject({ status: 'en_attente', attempts: 2, last_status_code: 500 });
    clock.advance(60_000);
    await t.ctx.jobs.runNow('webhooks.sweep');
    expect(receiver.at('/flaky')).toHaveLength(2); // 2 min after the second failure, not 1
    clock.advance(90_000);
    await t.ctx.jobs.runNow('webhooks.sweep');
    expect(receiver.at('/flaky')).toHaveLength(3);
    const row = await deliveryRow(t, ids[0]!);
    expect(row).toMatchObject({ status: 'livre', attempts: 3, last_status_code: 200, last_error: null });
    expect(row.delivered_at).toEqual(clock.now());
    // The three attempts carried the same delivery id, for the receiver to dedupe.
    expect(new Set(receiver.at('/flaky').map((r) => r.headers['x-relais-delivery']))).toEqual(new Set([ids[0]]));
  });

  it('gives up after the last attempt: a receiver that never succeeds leaves the delivery « echec »', async () => {
    const w = await world(t);
    await register(w, '/down');
    receiver.scripts.set('/down', [503, 503, 503, 503]);
    const [id] = await emitStatusChange(t, w);
    for (let i = 0; i < 3; i++) await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: id });
    expect(await deliveryRow(t, id!)).toMatchObject({ status: 'echec', attempts: 3, last_status_code: 503 });
    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: id });
    clock.advance(86_400_000);
    await t.ctx.jobs.runNow('webhooks.sweep');
    expect(receiver.at('/down')).toHaveLength(3);
  });

  it('does not follow redirects', async () => {
    const w = await world(t);
    await register(w, '/redirect');
    const [id] = await emitStatusChange(t, w);
    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: id });
    expect(receiver.at('/redirect')).toHaveLength(1);
    expect(receiver.at('/target')).toHaveLength(0);
    const row = await deliveryRow(t, id!);
    expect(row).toMatchObject({ status: 'en_attente', attempts: 1, last_status_code: 302 });
    expect(row.last_error).toContain('non suivie');
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    const w = await world(t);
    await register(w, '/slow');
    receiver.scripts.set('/slow', ['hang']);
    const [id] = await emitStatusChange(t, w);
    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: id });
    expect(await deliveryRow(t, id!)).toMatchObject({
      status: 'en_attente',
      attempts: 1,
      last_status_code: null,
      last_error: 'Pas de réponse en 2 s',
    });
  });
});

describe('managing a webhook', () => {
  it('pings, pages the delivery log, redelivers, rotates the secret, deactivates and deletes', async () => {
    const w = await world(t);
    const hook = await register(w, '/manage');
    const manager = await t.signIn(w.managerX);
    const path = `${w.base}/${hook.id}`;

    const ping = await manager.post(`${path}/ping`);
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ eventType: 'ping', status: 'livre', attempts: 1, lastStatusCode: 200 });
    const pinged = receiver.at('/manage')[0]!;
    expect(pinged.headers['x-relais-event']).toBe('ping');
    expect(verifySignature(hook.secret, String(pinged.headers['x-relais-signature']), pinged.body)).toBe(true);

    clock.advance(1000);
    const [eventDelivery] = await emitStatusChange(t, w);
    await t.ctx.jobs.runNow('webhooks.deliver', { deliveryId: eventDelivery });
    clock.advance(1000);
    const again = await manager.post(`${path}/deliveries/${eventDelivery}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(eventDelivery);
    expect(again.body).toMatchObject({ eventType: 'request.status_changed', status: 'livre' });
    const [first, second] = receiver.at('/manage').slice(1);
    expect(JSON.parse(second!.body).id).toBe(JSON.parse(first!.body).id);
    expect(second!.headers['x-relais-delivery']).toBe(again.body.id);

    const page1 = await manager.get(`${path}/deliveries?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((d: { id: string }) => d.id)).toEqual([again.body.id, eventDelivery]);
    const page2 = await manager.get(`${path}/deliveries?limit=2&before=${page1.body.nextBefore}`);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ping.body.id, eventType: 'ping' })], nextBefore: null });

    const rotated = await manager.post(`${path}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await manager.post(`${path}/ping`);
    const afterRotation = receiver.at('/manage').at(-1)!;
    const header = String(afterRotation.headers['x-relais-signature']);
    expect(verifySignature(rotated.body.secret, header, afterRotation.body)).toBe(true);
    expect(verifySignature(hook.secret, header, afterRotation.body)).toBe(false);

    expect((await manager.patch(path, { active: false })).body.active).toBe(false);
    expect(await emitStatusChange(t, w)).toEqual([]);
    const refused = await manager.post(`${path}/ping`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WEBHOOK_INACTIVE');

    expect((await manager.delete(path)).status).toBe(204);
    expect((await manager.get(w.base)).body).toEqual([]);
    expect(
      (await t.ctx.database.pool.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1', [hook.id])).rows[0].n,
    ).toBe(0);
  });
});

describe('refusing private addresses', () => {
  const refusedUrls = [
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a00:1]/hook',
    'https://10.0.0.8/hook',
    'https://172.20.1.1/hook',
    'https://192.168.1.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://224.0.0.1/hook',
    'https://2130706433/hook', // 127.0.0.1 written as a number
    'http://exemple.fr/hook', // plain http
    'https://camille:secret@exemple.fr/hook',
  ];

  it('refuses loopback, private, link-local, shared and multicast addresses, http and credentials (422, nothing written)', async () => {
    const w = await world(strict);
    const coordinator = await strict.signIn(w.coordinator);
    for (const url of refusedUrls) {
      const res = await coordinator.post(w.base, { url, events: ['request.created'] });
      expect(res.status, url).toBe(422);
      expect(res.body.code, url).toBe('WEBHOOK_URL_REFUSED');
      expect(res.body.detail, url).toMatch(/adresse|webhook/i);
    }
    expect(
      (await strict.ctx.database.pool.query('SELECT count(*)::int AS n FROM webhooks WHERE territory_id = $1', [w.territoryId])).rows[0].n,
    ).toBe(0);
    const unresolvable = await coordinator.post(w.base, { url: 'https://nom-inexistant.invalid/hook', events: ['request.created'] });
    expect(unresolvable.status).toBe(422);
    expect(unresolvable.body.detail).toContain('ne correspond à aucune adresse');
  });

  it('checks the address again at each delivery', async () => {
    const w = await world(strict);
    // Written directly: a name that resolved to a public address at creation and now leads to loopback.
    const [row] = await strict.ctx.db
      .insert(webhooks)
      .values({
        territoryId: w.territoryId,
        organisationId: w.orgX.id,
        url: `${receiver.url.replace('http:', 'https:').replace('127.0.0.1', 'localhost')}/rebound`,
        secretSealed: strict.ctx.secretBox.seal('whsec_test'),
        events: ['request.status_changed'],
      })
      .returning();
    const [id] = await emitStatusChange(strict, w);
    await strict.ctx.jobs.runNow('webhooks.deliver', { deliveryId: id });
    expect(receiver.at('/rebound')).toHaveLength(0);
    const delivery = await deliveryRow(strict, id!);
    expect(delivery).toMatchObject({ webhook_id: row!.id, status: 'en_attente', attempts: 1, last_status_code: null });
    expect(delivery.last_error).toContain('boucle locale');
  });

  it('connects to the address it checked, never resolving the name a second time (DNS rebinding)', async () => {
    // A name that no DNS server knows: the request can only reach the receiver through the checked address.
    const port = new URL(receiver.url).port;
    const target = { url: new URL(`http://rebinding.invalid:${port}/pinned`), addresses: [{ address: '127.0.0.1', family: 4 as const }] };
    const result = await postWebhook(target, '{}', { 'content-type': 'application/json' }, 2000);
    expect(result).toEqual({ status: 200, error: null });
    expect(receiver.at('/pinned')[0]!.headers.host).toBe(`rebinding.invalid:${port}`);
  });

  it('accepts them when WEBHOOKS_ALLOW_PRIVATE is set (tests, development)', async () => {
    const w = await world(t);
    const coordinator = await t.signIn(w.coordinator);
    for (const url of ['http://127.0.0.1:9/hook', 'https://[::1]:9/hook', 'https://localhost:9/hook', 'http://10.0.0.8/hook']) {
      expect((await coordinator.post(w.base, { url, events: ['request.created'] })).status, url).toBe(201);
    }
    const ftp = await coordinator.post(w.base, { url: 'ftp://127.0.0.1/hook', events: ['request.created'] });
    expect(ftp.status).toBe(400);
  });
});

describe('delivering through the pg-boss queue', () => {
  it('queues after commit, retries with backoff on the queue, and delivers', async () => {
    const q = await createTestApp({
      env: { JOBS: 'true', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_RETRY_DELAYS_SECONDS: '1', WEBHOOKS_MAX_ATTEMPTS: '3' },
    });
    try {
      const w = await world(q);
      const manager = await q.signIn(w.managerX);
      const created = await manager.post(w.base, { url: `${receiver.url}/queued`, events: ['request.status_changed'] });
      expect(created.status).toBe(201);
      receiver.scripts.set('/queued', [500, 200]);
      const ids = await emitStatusChange(q, w);
      await queueWebhookDeliveries(q.ctx, ids);
      await expect.poll(async () => (await deliveryRow(q, ids[0]!)).status, { timeout: 30_000, interval: 250 }).toBe('livre');
      expect(await deliveryRow(q, ids[0]!)).toMatchObject({ attempts: 2, last_status_code: 200 });
      const [, delivered] = receiver.at('/queued');
      expect(verifySignature(created.body.secret, String(delivered!.headers['x-relais-signature']), delivered!.body)).toBe(true);
      const { rows } = await q.ctx.database.pool.query("SELECT cron FROM pgboss.schedule WHERE name = 'webhooks.sweep'");
      expect(rows).toEqual([{ cron: '* * * * *' }]);
    } finally {
      await q.close();
    }
  });
});
