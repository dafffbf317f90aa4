import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { mandateDocuments, people as peopleTable, smsChallenges, smsMessages } from './people.schema.ts';

const START = new Date('2026-03-01T09:00:00Z');
const clock = fixedClock(START);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

async function world(app: TestApp = t) {
  const db = app.ctx.db;
  const territory = await createTerritory(db);
  const other = await createTerritory(db);
  const tid = territory.id;
  const [cpA, cpB] = [await createContactPoint(db, tid), await createContactPoint(db, tid)];
  const caf = await createOrganisation(db, tid, { procedures: ['prime d’activité', 'allocations familiales'] });
  const cpam = await createOrganisation(db, tid, { procedures: ['carte Vitale'] });
  const user = (
    role: 'agent' | 'referent' | 'manager' | 'coordinator',
    where: { contactPointId?: string; organisationId?: string } = {},
    territoryId = tid,
  ) => createUser(db, { memberships: [{ territoryId, role, ...where }] });
  const agentAUser = await user('agent', { contactPointId: cpA.id });
  const coordinatorUser = await user('coordinator');
  const clients = { agentA: await app.signIn(agentAUser), coordinator: await app.signIn(coordinatorUser) };
  /** The other actors, signed in only by the tests that need them (scrypt is slow on purpose). */
  const others = async () => ({
    agentB: await app.signIn(await user('agent', { contactPointId: cpB.id })),
    otherCoordinator: await app.signIn(await user('coordinator', {}, other.id)),
    referent: await app.signIn(await user('referent', { organisationId: caf.id })),
    admin: await app.signIn(await createUser(db, { isPlatformAdmin: true })),
  });
  const people = `/api/territories/${tid}/people`;
  const person = await clients.agentA.post(people, {
    firstName: 'Odette',
    lastName: `Mandat ${randomUUID().slice(0, 6)}`,
    phone: '06 12 34 56 78',
    contactPointId: cpA.id,
    confirmNotDuplicate: true,
  });
  expect(person.status).toBe(201);
  const base = `${people}/${person.body.id}/mandates`;
  /** Agent A signed in again: after the clock moves by weeks, the first session has expired. */
  const agentALater = () => app.signIn(agentAUser);
  const coordinatorLater = () => app.signIn(coordinatorUser);
  return { tid, cpA, cpB, caf, cpam, clients, others, agentALater, coordinatorLater, personId: person.body.id as string, base };
}
type World = Awaited<ReturnType<typeof world>>;

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; targetId: string; data: Record<string, unknown> }[];
}

/** The session cookie of a client, to download bytes with fetch (the test client reads text). */
const cookieOf = (client: ApiClient) =>
  [...(client as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');

const byPhone = (w: World, body: Record<string, unknown> = {}) =>
  w.clients.agentA.post(w.base, { scope: { all: true }, duration: '1_an', consentMethod: 'telephone', ...body });

/** The code of the latest SMS of the territory, read from the outbox as the agent would. */
async function codeFromOutbox(w: World) {
  const outbox = await w.clients.agentA.get(`/api/territories/${w.tid}/sms-outbox`);
  expect(outbox.status).toBe(200);
  return /code (\d{6})/.exec(outbox.body.items[0].body)![1]!;
}

describe('mandates', () => {
  it('records a mandate for a year: active, 365 days left, held by the contact point, journaled; coordinators read it, cannot create', async () => {
    const w = await world();
    const res = await byPhone(w, { consentReference: 'Appel du 1er mars' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personId: w.personId,
      contactPoint: { id: w.cpA.id },
      scope: { all: true, organisations: [], procedures: [] },
      startsAt: START.toISOString(),
      endsAt: '2027-03-01T09:00:00.000Z',
      consentMethod: 'telephone',
      consentReference: 'Appel du 1er mars',
      status: 'actif',
      daysLeft: 365,
      canManage: true,
      document: null,
    });
    const [created] = await journal(w.clients.coordinator, w.tid, 'mandate.created');
    expect(created).toMatchObject({ targetId: w.personId, data: { mandateId: res.body.id, duration: '1_an', consentMethod: 'telephone' } });

    const list = await w.clients.coordinator.get(w.base);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: res.body.id, status: 'actif', canManage: false })]);
    expect((await journal(w.clients.coordinator, w.tid, 'mandate.read')).length).toBeGreaterThan(0);
    const coordinatorCreates = await w.clients.coordinator.post(w.base, {
      contactPointId: w.cpA.id,
      scope: { all: true },
      duration: '1_jour',
      consentMethod: 'telephone',
    });
    expect(coordinatorCreates.status).toBe(403);
  });

  it('counts as activity on the file: the retention clock starts again when a mandate is given', async () => {
    const w = await world();
    clock.set(new Date('2026-06-15T10:00:00Z'));
    const agent = await w.agentALater();
    const res = await agent.post(w.base, {
      contactPointId: w.cpA.id,
      scope: { all: true },
      duration: '1_mois',
      consentMethod: 'telephone',
    });
    expect(res.status).toBe(201);
    const [row] = await t.ctx.db.select({ at: peopleTable.lastActivityAt }).from(peopleTable).where(eq(peopleTable.id, w.personId));
    expect(row!.at.toISOString()).toBe('2026-06-15T10:00:00.000Z');
  });

  it('limits a mandate to chosen partners and procedures of the territory, and refuses others with the field’s path', async () => {
    const w = await world();
    const res = await byPhone(w, { scope: { all: false, organisationIds: [w.caf.id], procedures: ['carte Vitale'] }, duration: '1_mois' });
    expect(res.status).toBe(201);
    expect(res.body.scope).toEqual({
      all: false,
      organisations: [{ id: w.caf.id, acronym: w.caf.acronym, name: w.caf.name }],
      procedures: ['carte Vitale'],
    });
    expect(res.body.endsAt).toBe('2026-04-01T08:00:00.000Z'); // 10:00 in Paris, summer time by then
    const unknown = await byPhone(w, { scope: { all: false, organisationIds: [], procedures: ['passeport'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'PROCEDURE_UNKNOWN', errors: [{ path: 'scope.procedures.0' }] });
    const elsewhere = await createOrganisation(t.ctx.db, (await createTerritory(t.ctx.db)).id);
    const foreign = await byPhone(w, { scope: { all: false, organisationIds: [elsewhere.id] } });
    expect(foreign.body.code).toBe('ORGANISATION_UNKNOWN');
    const empty = await byPhone(w, { scope: { all: false } });
    expect(empty.body.code).toBe('VALIDATION_FAILED');
  });

  it('expires with time: a month later it is « expiré » with 0 day left and can no longer be revoked', async () => {
    const w = await world();
    const res = await byPhone(w, { duration: '1_mois' });
    clock.set(new Date('2026-03-31T10:00:00Z'));
    const agent = await w.agentALater();
    expect((await agent.get(w.base)).body.items[0]).toMatchObject({ status: 'actif', daysLeft: 1 });
    clock.set(new Date('2026-04-01T08:00:00Z'));
    const nextDay = await w.agentALater();
    expect((await nextDay.get(w.base)).body.items[0]).toMatchObject({ status: 'expire', daysLeft: 0 });
    const revoke = await nextDay.post(`${w.base}/${res.body.id}/revoke`, { reason: 'Trop tard' });
    expect(revoke.status).toBe(409);
    expect(revoke.body.code).toBe('MANDATE_EXPIRED');
  });

  it('revokes with a reason, once (409 the second time), journaled', async () => {
    const w = await world();
    const res = await byPhone(w);
    const revoke = await w.clients.agentA.post(`${w.base}/${res.body.id}/revoke`, { reason: 'La personne préfère venir elle-même' });
    expect(revoke.status).toBe(200);
    expect(revoke.body).toMatchObject({ status: 'revoque', revokedReason: 'La personne préfère venir elle-même', daysLeft: 0 });
    const again = await w.clients.agentA.post(`${w.base}/${res.body.id}/revoke`, { reason: 'Encore' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MANDATE_ALREADY_REVOKED');
    expect(await journal(w.clients.coordinator, w.tid, 'mandate.revoked')).toEqual([
      expect.objectContaining({ targetId: w.personId, data: expect.objectContaining({ mandateId: res.body.id }) }),
    ]);
    const byOtherAgent = await (await w.others()).agentB.post(`${w.base}/${res.body.id}/revoke`, { reason: 'x' });
    expect(byOtherAgent.status).toBe(404);
  });

  it('renews into a new mandate linked to the old one, same scope, new consent; the old one ends then', async () => {
    const w = await world();
    const first = await byPhone(w, { scope: { all: false, organisationIds: [w.cpam.id] }, duration: '6_mois' });
    clock.advance(150 * 86_400_000);
    const agent = await w.agentALater();
    const renewed = await agent.post(`${w.base}/${first.body.id}/renew`, {
      duration: '1_an',
      consentMethod: 'formulaire_signe',
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body).toMatchObject({ renewedFromId: first.body.id, consentMethod: 'formulaire_signe', status: 'actif', daysLeft: 365 });
    expect(renewed.body.scope.organisations.map((o: { id: string }) => o.id)).toEqual([w.cpam.id]);
    const items = (await agent.get(w.base)).body.items as { id: string; status: string }[];
    expect(items.map((m) => [m.id, m.status])).toEqual([
      [renewed.body.id, 'actif'],
      [first.body.id, 'expire'],
    ]);
    const [event] = await journal(await w.coordinatorLater(), w.tid, 'mandate.renewed');
    expect(event?.data).toMatchObject({ mandateId: renewed.body.id, renewedFromId: first.body.id });
  });
});

describe('consent by SMS code', () => {
  const challenge = (w: World, body: Record<string, unknown> = {}) =>
    w.clients.agentA.post(`${w.base}/sms-challenges`, { scope: { all: true }, duration: '6_mois', ...body });
  const confirm = (w: World, challengeId: string, code: string, body: Record<string, unknown> = {}) =>
    w.clients.agentA.post(w.base, { scope: { all: true }, duration: '6_mois', consentMethod: 'code_sms', challengeId, code, ...body });

  it('keeps the message in the outbox (number masked) when no provider is set; the right code creates the mandate, once', async () => {
    const w = await world();
    const sent = await challenge(w);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ sentTo: '** ** ** 56 78', outbox: true, expiresAt: '2026-03-01T09:10:00.000Z' });
    const outbox = await w.clients.coordinator.get(`/api/territories/${w.tid}/sms-outbox`);
    expect(outbox.body.items).toEqual([expect.objectContaining({ to: '** ** ** 56 78', purpose: 'mandate_consent', error: null })]);
    expect(JSON.stringify(outbox.body)).not.toContain('0612345678');
    const code = await codeFromOutbox(w);
    const [row] = await t.ctx.db.select().from(smsChallenges).where(eq(smsChallenges.id, sent.body.id));
    expect(JSON.stringify(row)).not.toContain(code);

    const wrong = await confirm(w, sent.body.id, code === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'SMS_CODE_INVALID', attemptsLeft: 4 });
    const ok = await confirm(w, sent.body.id, code);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ consentMethod: 'code_sms', consentReference: sent.body.id, status: 'actif' });
    const reused = await confirm(w, sent.body.id, code);
    expect(reused.status).toBe(410);
    expect(reused.body.code).toBe('SMS_CODE_EXPIRED');
    expect(await journal(w.clients.coordinator, w.tid, 'sms.sent')).toHaveLength(1);
    expect(await journal(w.clients.coordinator, w.tid, 'mandate.sms_code_failed')).toHaveLength(1);
  });

  it('refuses a code after 10 minutes, a code sent for another duration, and locks after 5 wrong codes', async () => {
    const w = await world();
    const late = await challenge(w);
    const lateCode = await codeFromOutbox(w);
    clock.advance(10 * 60_000 + 1);
    expect((await confirm(w, late.body.id, lateCode)).body.code).toBe('SMS_CODE_EXPIRED');

    const other = await challenge(w, { duration: '1_jour' });
    const otherCode = await codeFromOutbox(w);
    const mismatch = await confirm(w, other.body.id, otherCode);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('SMS_CODE_MISMATCH');

    const locked = await challenge(w);
    const code = await codeFromOutbox(w);
    const wrong = code === '999999' ? '888888' : '999999';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await confirm(w, locked.body.id, wrong)).body.code);
    expect(answers).toEqual(['SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_INVALID', 'SMS_CODE_LOCKED']);
    const right = await confirm(w, locked.body.id, code);
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('SMS_CODE_LOCKED');
    expect((await w.clients.agentA.get(w.base)).body.items).toEqual([]);
  });

  it('asks for a phone number when the file has none', async () => {
    const w = await world();
    await w.clients.agentA.patch(`/api/territories/${w.tid}/people/${w.personId}`, { phone: null });
    const res = await challenge(w);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PHONE_REQUIRED');
    expect((await challenge(w, { phone: '07 98 76 54 32' })).body.sentTo).toBe('** ** ** 54 32');
  });
});

describe('consent by SMS through a provider', () => {
  let provider: Server;
  let received: { headers: IncomingMessage['headers']; body: { to: string; from: string; text: string } }[];
  let failNext = false;
  let withProvider: TestApp;

  beforeAll(async () => {
    received = [];
    provider = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => {
        data += chunk;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) });
        if (failNext) {
          failNext = false;
          res.writeHead(500, { 'content-type': 'text/plain' }).end('quota dépassé');
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `msg-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const address = provider.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    withProvider = await createTestApp({
      clock,
      env: { SMS_PROVIDER_URL: `http://127.0.0.1:${port}/sms`, SMS_PROVIDER_TOKEN: 'jeton-du-prestataire', SMS_SENDER: 'Perche' },
    });
  });
  afterAll(async () => {
    await withProvider?.close();
    await new Promise((resolve) => provider.close(resolve));
  });

  it('posts {to, from, text} with the Bearer token; the code received creates the mandate; nothing keeps the code', async () => {
    const w = await world(withProvider);
    const sent = await w.clients.agentA.post(`${w.base}/sms-challenges`, { scope: { all: true }, duration: '1_mois' });
    expect(sent.status).toBe(201);
    expect(sent.body.outbox).toBe(false);
    const message = received.at(-1)!;
    expect(message.headers.authorization).toBe('Bearer jeton-du-prestataire');
    expect(message.body).toMatchObject({ to: '+33612345678', from: 'Perche' });
    const code = /code (\d{6})/.exec(message.body.text)![1]!;
    const [stored] = await withProvider.ctx.db.select().from(smsMessages).where(eq(smsMessages.territoryId, w.tid));
    expect(stored).toMatchObject({ delivered: true, providerId: `msg-${received.length}`, error: null });
    expect(stored!.body).not.toContain(code);
    expect(stored!.toSealed).not.toContain('0612345678');

    const created = await w.clients.agentA.post(w.base, {
      scope: { all: true },
      duration: '1_mois',
      consentMethod: 'code_sms',
      challengeId: sent.body.id,
      code,
    });
    expect(created.status).toBe(201);
    const outbox = await w.clients.agentA.get(`/api/territories/${w.tid}/sms-outbox`);
    expect(outbox.status).toBe(404);
    expect(outbox.body.code).toBe('SMS_OUTBOX_UNAVAILABLE');
    expect((await w.clients.agentA.get('/api/auth/config')).body.smsOutbox).toBe(false);
  });

  it('answers 502 SMS_PROVIDER_FAILED when the provider refuses, keeps the error on the message, and the code cannot be used', async () => {
    const w = await world(withProvider);
    failNext = true;
    const sent = await w.clients.agentA.post(`${w.base}/sms-challenges`, { scope: { all: true }, duration: '1_mois' });
    expect(sent.status).toBe(502);
    expect(sent.body.code).toBe('SMS_PROVIDER_FAILED');
    expect(sent.body.detail).toContain('HTTP 500');
    const [stored] = await withProvider.ctx.db.select().from(smsMessages).where(eq(smsMessages.territoryId, w.tid));
    expect(stored).toMatchObject({ delivered: false, error: 'HTTP 500 quota dépassé' });
    const [challengeRow] = await withProvider.ctx.db.select().from(smsChallenges).where(eq(smsChallenges.territoryId, w.tid));
    expect(challengeRow!.consumedAt).not.toBeNull();
    expect(await journal(w.clients.coordinator, w.tid, 'sms.failed')).toHaveLength(1);
  });
});

describe('the signed form', () => {
  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('FORMULAIRE-SIGNE-ODETTE-MANDAT-SECRET'),
  ]);
  const upload = (w: World, mandateId: string, content: Buffer, fileName = 'mandat.png') =>
    w.clients.agentA.request('PUT', `${w.base}/${mandateId}/document`, { body: { fileName, contentBase64: content.toString('base64') } });

  it('keeps a PNG sealed at rest (neither its bytes nor their base64 in the row), gives it back, journals both', async () => {
    const w = await world();
    const m = await byPhone(w, { consentMethod: 'formulaire_signe' });
    const res = await upload(w, m.body.id, PNG);
    expect(res.status).toBe(200);
    expect(res.body.document).toEqual({ fileName: 'mandat.png', contentType: 'image/png', sizeBytes: PNG.length });
    const [row] = await t.ctx.db.select().from(mandateDocuments).where(eq(mandateDocuments.mandateId, m.body.id));
    const raw = JSON.stringify(row);
    expect(raw).not.toContain('FORMULAIRE-SIGNE');
    expect(raw).not.toContain(PNG.toString('base64').slice(12, 40));
    const download = await fetch(`${t.baseUrl}${w.base}/${m.body.id}/document`, { headers: { cookie: cookieOf(w.clients.agentA) } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await journal(w.clients.coordinator, w.tid, 'mandate.document_uploaded')).toHaveLength(1);
    expect(await journal(w.clients.coordinator, w.tid, 'mandate.document_read')).toHaveLength(1);
  });

  it('refuses a file that is not a PDF, JPEG or PNG whatever its name, one over 5 MB, and a form for a mandate given by phone', async () => {
    const w = await world();
    const m = await byPhone(w, { consentMethod: 'formulaire_signe' });
    const fake = await upload(w, m.body.id, Buffer.from('<html>pas un pdf</html>'), 'mandat.pdf');
    expect(fake.status).toBe(415);
    expect(fake.body.code).toBe('MANDATE_DOCUMENT_TYPE');
    const big = await upload(w, m.body.id, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('MANDATE_DOCUMENT_TOO_LARGE');
    const phone = await byPhone(w);
    const notPaper = await upload(w, phone.body.id, PNG);
    expect(notPaper.status).toBe(409);
    expect(notPaper.body.code).toBe('MANDATE_NOT_PAPER');
    expect(await t.ctx.db.select().from(mandateDocuments).where(eq(mandateDocuments.mandateId, m.body.id))).toEqual([]);
  });
});

describe('visits under a mandate', () => {
  const visit = (w: World, body: Record<string, unknown>) =>
    w.clients.agentA.post(`/api/territories/${w.tid}/visits`, {
      contactPointId: w.cpA.id,
      channel: 'sur_place',
      actions: ['sous_mandat'],
      personId: w.personId,
      idempotencyKey: randomUUID(),
      ...body,
    });

  it('stores the mandate of a visit done under it, and refuses one that does not apply with 422 MANDATE_NOT_APPLICABLE', async () => {
    const w = await world();
    const cafOnly = await byPhone(w, { scope: { all: false, organisationIds: [w.caf.id] }, duration: '1_mois' });
    const ok = await visit(w, { mandateId: cafOnly.body.id, organisationIds: [w.caf.id] });
    expect(ok.status).toBe(201);
    expect(ok.body.mandateId).toBe(cafOnly.body.id);

    const refusals = [
      await visit(w, { mandateId: cafOnly.body.id, organisationIds: [w.cpam.id] }),
      await visit(w, { mandateId: cafOnly.body.id, actions: ['information'] }),
      await visit(w, { mandateId: cafOnly.body.id, occurredAt: '2026-02-28T09:00:00Z' }),
      await visit(w, { mandateId: randomUUID() }),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'MANDATE_NOT_APPLICABLE', errors: [{ path: 'mandateId' }] });
    }
    // A procedure-scoped mandate covers the partner offering it.
    const vitale = await byPhone(w, { scope: { all: false, procedures: ['carte Vitale'] } });
    expect((await visit(w, { mandateId: vitale.body.id, organisationIds: [w.cpam.id] })).status).toBe(201);

    await w.clients.agentA.post(`${w.base}/${cafOnly.body.id}/revoke`, { reason: 'Fin' });
    clock.advance(60_000);
    const afterRevoke = await visit(w, { mandateId: cafOnly.body.id, organisationIds: [w.caf.id] });
    expect(afterRevoke.body.code).toBe('MANDATE_NOT_APPLICABLE');

    const corrected = await w.clients.agentA.patch(`/api/territories/${w.tid}/visits/${ok.body.id}`, { actions: ['information'] });
    expect(corrected.status).toBe(200);
    expect(corrected.body.mandateId).toBeNull();
  });
});

describe('who may see and act on mandates', () => {
  it('keeps them from agents of another contact point, other territories, partners and administrators', async () => {
    const w = await world();
    const m = await byPhone(w);
    for (const [who, client] of Object.entries(await w.others())) {
      const list = await client.get(w.base);
      expect([403, 404], `${who} listed`).toContain(list.status);
      const create = await client.post(w.base, {
        contactPointId: w.cpA.id,
        scope: { all: true },
        duration: '1_jour',
        consentMethod: 'telephone',
      });
      expect([403, 404], `${who} created`).toContain(create.status);
      const revoke = await client.post(`${w.base}/${m.body.id}/revoke`, { reason: 'x' });
      expect([403, 404], `${who} revoked`).toContain(revoke.status);
      const outbox = await client.get(`/api/territories/${w.tid}/sms-outbox`);
      if (who !== 'agentB') expect([403, 404], `${who} read the outbox`).toContain(outbox.status);
    }
    expect((await w.clients.agentA.get(w.base)).body.items).toHaveLength(1);
  }, 90_000);
});
