import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { requestWorld, type World } from './requests.fixtures.ts';
import { requestEvents, requests } from './requests.schema.ts';

// Monday 7 December 2026, 10:00 in Paris (09:00 UTC): 4 working days → Friday 11 December, 10:00.
const START = new Date('2026-12-07T09:00:00Z');
const clock = fixedClock(START);
let t: TestApp;
beforeAll(async () => {
  // Sessions last a month here: the clock moves by days within a test.
  t = await createTestApp({ clock, env: { SESSION_TTL_HOURS: String(24 * 30) } });
});
afterAll(() => t.close());
beforeEach(() => clock.set(START));

const HOUR = 3_600_000;

describe('a request from the agent to the partner and back', () => {
  let w: World;
  beforeAll(async () => {
    w = await requestWorld(t);
  });

  it('is sent with a reference, a status code and a 4-working-day deadline, once per Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await w.send(w.c.agentA, {}, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body.reference).toMatch(/^RLS-2026-\d{6,}$/);
    expect(first.body.statusCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(first.body.status).toBe('envoyee');
    expect(first.body.statusLabel).toBe('Envoyée');
    expect(first.body.deadline).toMatchObject({ level: 'dans_les_temps', days: 4, running: true });
    expect(first.body.deadline.dueAt).toBe('2026-12-11T09:00:00.000Z');
    expect(first.body.person.name).toContain('Josiane');
    expect(first.body.consent.kind).toBe('consentement');
    const again = await w.send(w.c.agentA, {}, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.statusCode).toBe(first.body.statusCode);
    const [{ n }] = (await t.ctx.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM requests WHERE idempotency_key = ${key}`))
      .rows as [{ n: number }];
    expect(n).toBe(1);
    const reused = await w.send(w.c.agentA, { subject: 'Autre chose' }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('goes through take, ask for information (clock paused), information given, answer, rating, close', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    // The partner inbox shows it as new and unread.
    const inbox = await w.c.referent1.get(`${w.inboxUrl()}?filtre=nouvelles`);
    expect(inbox.status).toBe(200);
    const row = inbox.body.items.find((i: { id: string }) => i.id === sent.body.id);
    expect(row).toMatchObject({ statusLabel: 'Nouvelle', unread: true });
    expect(inbox.body.counts.nouvelles).toBeGreaterThanOrEqual(1);

    clock.advance(HOUR);
    const taken = await w.c.referent1.post(`${url}/take`, { expectedVersion: row ? undefined : undefined });
    expect(taken.status).toBe(200);
    expect(taken.body.status).toBe('en_cours');
    expect(taken.body.assignee.id).toBe(w.users.referent1.id);
    const second = await w.c.referent2.post(`${url}/take`, {});
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('REQUEST_ALREADY_TAKEN');

    // Tuesday 11:00 Paris: information requested, the clock stops for two days.
    clock.set(new Date('2026-12-08T10:00:00Z'));
    const asked = await w.c.referent1.post(`${url}/messages`, {
      kind: 'demande_infos',
      body: 'Pouvez-vous nous transmettre le dernier avis d’imposition ?',
    });
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe('attente_infos');
    expect(asked.body.deadline).toMatchObject({ paused: true, dueAt: null });

    const agentView = await w.c.agentA.get(url);
    expect(agentView.body.unread).toBe(false);
    expect(agentView.body.allowedActions).toContain('agent_message');
    expect(agentView.body.statusLabel).toMatch(/information/i);

    // Thursday 11:00 Paris: the agent sends it; the remaining time (3 days 23 h... minus the 25 h used) resumes.
    clock.set(new Date('2026-12-10T10:00:00Z'));
    const given = await w.c.agentA.post(`${url}/messages`, { body: 'Voici l’avis d’imposition 2026.' });
    expect(given.status).toBe(201);
    expect(given.body.status).toBe('en_cours');
    // 25 h elapsed before the pause (Mon 10:00 → Tue 11:00), 71 h left from Thu 11:00 → Sunday is skipped:
    // Thu 11:00 + 13 h = Fri 00:00, + 24 h = Sat 00:00 (Fri), then Mon + 24 h = Tue 00:00, + 10 h = Tue 15 December 10:00 Paris.
    expect(given.body.deadline.dueAt).toBe('2026-12-15T09:00:00.000Z');

    clock.advance(2 * HOUR);
    const note = await w.c.referent1.post(`${url}/messages`, { kind: 'note_interne', body: 'Dossier vu avec le service prestations.' });
    expect(note.status).toBe(201);
    const answered = await w.c.referent1.post(`${url}/messages`, { kind: 'reponse', body: 'Le droit est rétabli, paiement le 15.' });
    expect(answered.body.status).toBe('repondue');
    expect(answered.body.deadline.running).toBe(false);

    const seenByAgent = await w.c.agentA.get(url);
    expect(seenByAgent.body.messages.map((m: { kind: string }) => m.kind)).toEqual(['demande_infos', 'message', 'reponse']);
    expect(JSON.stringify(seenByAgent.body)).not.toContain('service prestations');
    const seenByPartner = await w.c.referent2.get(url);
    expect(seenByPartner.body.messages.map((m: { kind: string }) => m.kind)).toContain('note_interne');

    const rated = await w.c.agentA.post(`${url}/rate`, { usefulness: 'utile' });
    expect(rated.status).toBe(200);
    expect(rated.body.usefulness).toBe('utile');
    const closed = await w.c.agentA.post(`${url}/close`, {});
    expect(closed.body.status).toBe('cloturee');
    const writeClosed = await w.c.referent1.post(`${url}/messages`, { kind: 'reponse', body: 'Encore un mot' });
    expect(writeClosed.status).toBe(409);
    expect(writeClosed.body.code).toBe('REQUEST_CLOSED');
    const partnerReopen = await w.c.referent1.post(`${url}/reopen`, { reason: 'Je veux' });
    expect(partnerReopen.status).toBe(403);
    const reopened = await w.c.agentA.post(`${url}/reopen`, { reason: 'Le paiement n’est pas arrivé.' });
    expect(reopened.body.status).toBe('en_cours');
    expect(reopened.body.deadline).toMatchObject({ running: true, days: 4 });

    const events = await t.ctx.db.select({ kind: requestEvents.kind }).from(requestEvents).where(eq(requestEvents.requestId, sent.body.id));
    expect(events.map((e) => e.kind)).toEqual([
      'created',
      'taken',
      'info_requested',
      'info_provided',
      'note',
      'answered',
      'rated',
      'closed',
      'reopened',
    ]);
  });

  it('re-routes to the right organisation with a fresh deadline and keeps the history', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    clock.advance(3 * 24 * HOUR);
    const rerouted = await w.c.referent1.post(`${url}/reroute`, {
      organisationId: w.cpam.id,
      reason: 'Il s’agit de la complémentaire santé solidaire.',
    });
    expect(rerouted.status).toBe(200);
    expect(rerouted.body.organisation.id).toBe(w.cpam.id);
    expect(rerouted.body.status).toBe('envoyee');
    expect(rerouted.body.deadline.fraction).toBe(0);
    // The CAF referent was a party through the CAF: not any more.
    expect((await w.c.referent1.get(url)).status).toBe(404);
    const cpamView = await w.c.cpamReferent.get(url);
    expect(cpamView.status).toBe(200);
    expect(cpamView.body.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'rerouted']);
    expect(cpamView.body.events[1].text).toContain('complémentaire santé solidaire');
  });

  it('invites another organisation, whose referents then see the request', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    expect((await w.c.cpamReferent.get(url)).status).toBe(404);
    const invited = await w.c.referent1.post(`${url}/invite`, { organisationId: w.cpam.id });
    expect(invited.status).toBe(200);
    expect(invited.body.participants[0].organisation.id).toBe(w.cpam.id);
    expect((await w.c.cpamReferent.get(url)).status).toBe(200);
    const cpamInbox = await w.c.cpamReferent.get(w.inboxUrl(w.cpam.id));
    expect(cpamInbox.body.items.map((i: { id: string }) => i.id)).toContain(sent.body.id);
  });

  it('any agent of the territory finds the status by reference; details only for parties', async () => {
    const sent = await w.send();
    const found = await w.c.agentB.get(`${w.base}/by-reference/${sent.body.reference.toLowerCase()}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: sent.body.id, status: 'envoyee', canOpen: false });
    expect(JSON.stringify(found.body)).not.toContain('Josiane');
    expect((await w.c.agentB.get(`${w.base}/${sent.body.id}`)).status).toBe(404);
    expect((await w.c.agentA.get(`${w.base}/by-reference/${sent.body.reference}`)).body.canOpen).toBe(true);
    const unknown = await w.c.agentB.get(`${w.base}/by-reference/RLS-2026-999999`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('REQUEST_REFERENCE_UNKNOWN');
  });

  it('keeps every request inside its scope', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    expect((await w.c.cpamReferent.get(url)).status).toBe(404);
    expect((await w.c.otherCoordinator.get(url)).status).toBe(404);
    expect((await w.c.coordinator.get(url)).status).toBe(200);
    expect((await w.c.otherCoordinator.get(w.inboxUrl())).status).toBe(403);
    expect((await w.c.cpamReferent.get(w.inboxUrl())).status).toBe(403);
    expect((await w.c.agentA.get(w.inboxUrl())).status).toBe(403);
    const agentBList = await w.c.agentB.get(`${w.base}?open=non`);
    expect(agentBList.body.items.map((i: { id: string }) => i.id)).not.toContain(sent.body.id);
    const cpamList = await w.c.cpamReferent.get(`${w.base}?open=non`);
    expect(cpamList.body.items.map((i: { id: string }) => i.id)).not.toContain(sent.body.id);
    // An agent cannot answer, a partner cannot write as the agent side.
    expect((await w.c.agentA.post(`${url}/messages`, { kind: 'reponse', body: 'x' })).status).toBe(403);
    expect((await w.c.coordinator.post(`${url}/take`, {})).status).toBe(403);
    // Another contact point's agent cannot send for contact point A.
    expect((await w.send(w.c.agentB, { contactPointId: w.cpA.id })).status).toBe(403);
  });

  it('asks for the identifiers the partner requires, taking those of the file', async () => {
    const put = await w.c.manager.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 3, followUpDays: 2, requiredIdentifiers: ['caf_number', 'nir'], businessHours: null },
    });
    expect(put.status).toBe(200);
    const missing = await w.send();
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('REQUEST_IDENTIFIERS_MISSING');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['identifiers.nir']);
    const badNir = await w.send(w.c.agentA, { identifiers: { nir: '123' } });
    expect(badNir.status).toBe(400);
    const ok = await w.send(w.c.agentA, { identifiers: { nir: '2 58 04 61 001 234 61' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.deadline.days).toBe(3);
    expect(ok.body.identifiers.map((i: { kind: string }) => i.kind).sort()).toEqual(['caf_number', 'nir']);
    expect(ok.body.identifiers.find((i: { kind: string }) => i.kind === 'caf_number').value).toBe('1234567');
    const [row] = await t.ctx.db.select({ sealed: requests.identifiersSealed }).from(requests).where(eq(requests.id, ok.body.id));
    expect(row!.sealed).not.toContain('1234567');
    const refused = await w.c.referent1.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 3, followUpDays: 2 },
    });
    expect(refused.status).toBe(403);
    const badHours = await w.c.manager.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 3, followUpDays: 2, businessHours: 'lundi matin' },
    });
    expect(badHours.status).toBe(400);
    expect(badHours.body.code).toBe('BUSINESS_HOURS_INVALID');
    await w.c.manager.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 4, followUpDays: 4 },
    });
  });

  it('a consent or a running mandate is required for a request about a person', async () => {
    const none = await w.send(w.c.agentA, { consent: undefined });
    expect(none.status).toBe(400);
    const badMandate = await w.send(w.c.agentA, { consent: { kind: 'mandat', mandateId: randomUUID() } });
    expect(badMandate.status).toBe(422);
    expect(badMandate.body.code).toBe('MANDATE_NOT_APPLICABLE');
    const mandate = await w.c.agentA.post(`/api/territories/${w.tid}/people/${w.personId}/mandates`, {
      scope: { all: false, organisationIds: [w.caf.id] },
      duration: '1_mois',
      consentMethod: 'telephone',
    });
    expect(mandate.status).toBe(201);
    const under = await w.send(w.c.agentA, { consent: { kind: 'mandat', mandateId: mandate.body.id } });
    expect(under.status).toBe(201);
    expect(under.body.consent.kind).toBe('mandat');
    const otherOrg = await w.send(w.c.agentA, { organisationId: w.cpam.id, consent: { kind: 'mandat', mandateId: mandate.body.id } });
    expect(otherOrg.status).toBe(422);
  });

  it('a new calendar applies from now on, never to time already elapsed', async () => {
    const sent = await w.send();
    const url = `${w.base}/${sent.body.id}`;
    clock.set(new Date('2026-12-08T09:00:00Z')); // Tuesday 10:00: 24 h of 96 elapsed
    const before = (await w.c.referent1.get(url)).body.deadline;
    expect(before.fraction).toBe(0.25);
    const put = await w.c.manager.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 4, followUpDays: 4, businessHours: 'Mo-Fr 09:00-17:00' },
    });
    expect(put.status).toBe(200);
    const after = (await w.c.referent1.get(url)).body.deadline;
    expect(after.fraction).toBe(0.25);
    // 3 days left at 8 h a day = 24 business hours: Tue 10:00→17:00 (7), Wed (8), Thu (8), Fri 09:00→10:00 (1).
    expect(after.dueAt).toBe('2026-12-11T09:00:00.000Z');
    await w.c.manager.request('PUT', `/api/territories/${w.tid}/organisations/${w.caf.id}/request-settings`, {
      body: { firstAnswerDays: 4, followUpDays: 4 },
    });
  });
});
