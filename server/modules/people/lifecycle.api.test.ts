import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../../contracts/people-lifecycle.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { requestMessages, requests } from '../requests/requests.schema.ts';
import { visits } from '../visits/visits.schema.ts';
import { lifecycleWorld, withKey } from './lifecycle.fixtures.ts';
import { mandateDocuments, mandates, people, personConsents } from './people.schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const journalOf = (targetId: string) =>
  t.ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'person'), eq(auditEvents.targetId, targetId)))
    .orderBy(auditEvents.id);

describe('the history of a person file', { timeout: 120_000 }, () => {
  it('shows visits (under mandate too), mandates, consents and information newest first, page by page, and journals the read with its screen', async () => {
    const w = await lifecycleWorld(t);
    const id = await w.createPerson(w.clients.agentA, { firstName: 'Lucie', lastName: 'Historique', informedHow: 'oral' });
    const past = t.ctx.clock.now().getTime();
    const mandate = await w.insertMandate(id, {
      startsAt: new Date(past - 400 * 86_400_000),
      consentAt: new Date(past - 400 * 86_400_000),
      endsAt: new Date(past - 35 * 86_400_000),
    });
    const revoked = await w.insertMandate(id, { revokedAt: new Date(past - 86_400_000), revokedReason: 'Demande de la personne' });
    const plain = await w.logVisit(w.clients.agentA, w.cpA.id, id, { occurredAt: new Date(past - 3 * 86_400_000).toISOString() });
    const underMandate = await w.logVisit(w.clients.agentA, w.cpA.id, id, { occurredAt: new Date(past - 2 * 86_400_000).toISOString() });
    await t.ctx.db
      .update(visits)
      .set({ mandateId: revoked.id, actions: ['sous_mandat'] })
      .where(eq(visits.id, underMandate));
    expect((await w.clients.agentA.post(`${w.base}/${id}/consents`, { organisationId: w.org.id, how: 'oral' })).status).toBe(201);

    const all: HistoryItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await w.clients.agentA.get(`${w.base}/${id}/history?limit=2&screen=fiche${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(new Set(all.map((i) => i.key)).size).toBe(all.length);
    const times = all.map((i) => i.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(all.map((i) => i.kind).sort()).toEqual(
      ['consent_given', 'informed', 'mandate_expired', 'mandate_given', 'mandate_given', 'mandate_revoked', 'visit', 'visit'].sort(),
    );
    const visitItem = all.find((i) => i.visit?.id === underMandate)!;
    expect(visitItem).toMatchObject({
      contactPoint: { id: w.cpA.id },
      visit: { channel: 'sur_place', organisations: [{ id: w.org.id, name: w.org.name }], actions: ['sous_mandat'], mandateId: revoked.id },
    });
    expect(all.find((i) => i.visit?.id === plain)?.visit?.mandateId).toBeNull();
    expect(all.find((i) => i.kind === 'mandate_expired')?.mandate?.id).toBe(mandate.id);
    expect(all.find((i) => i.kind === 'mandate_revoked')?.mandate).toMatchObject({
      id: revoked.id,
      revokedReason: 'Demande de la personne',
    });
    expect(all.find((i) => i.kind === 'consent_given')?.organisation).toEqual({ id: w.org.id, name: w.org.name });
    expect(all.find((i) => i.kind === 'informed')?.how).toBe('oral');

    const reads = (await journalOf(id)).filter((e) => e.type === 'person.read');
    expect(reads).toHaveLength(4);
    expect(reads.every((e) => e.data.screen === 'fiche' && e.actorUserId === w.users.agentA.id)).toBe(true);
  });

  it('shows the requests about the person (sent, answered, closed) with their reference, to those who may see the file only', async () => {
    const w = await lifecycleWorld(t);
    const id = await w.createPerson(w.clients.agentA, { firstName: 'Rose', lastName: 'Saisie' });
    const r = await w.sendRequest(id, {
      subject: 'APL non versée',
      answer: 'Le versement part demain.',
      note: 'Dossier vu en commission.',
      fileName: 'bail.pdf',
    });
    expect((await w.clients.agentA.post(`${r.url}/close`, {})).status).toBe(200);
    const res = await w.clients.agentA.get(`${w.base}/${id}/history?limit=2`);
    expect(res.status).toBe(200);
    const all: HistoryItem[] = [
      ...res.body.items,
      ...(await w.clients.agentA.get(`${w.base}/${id}/history?cursor=${res.body.nextCursor}`)).body.items,
    ];
    const requestItems = all.filter((i) => i.kind.startsWith('request_'));
    expect(requestItems.map((i) => i.kind)).toEqual(['request_closed', 'request_answered', 'request_sent']);
    for (const item of requestItems) {
      expect(item.request).toEqual({ id: r.id, reference: r.reference });
      expect(item.organisation).toEqual({ id: w.org.id, name: w.org.name });
    }
    // Nothing of the conversation in the history.
    expect(JSON.stringify(all)).not.toContain('versement');
    // Agent B's contact point does not hold the file: no history.
    expect((await w.clients.agentB.get(`${w.base}/${id}/history`)).status).toBe(404);
  });

  it('refuses a forged cursor with 400 INVALID_CURSOR', async () => {
    const w = await lifecycleWorld(t);
    const id = await w.createPerson(w.clients.agentA, { firstName: 'Léa', lastName: 'Curseur' });
    const res = await w.clients.agentA.get(`${w.base}/${id}/history?cursor=${Buffer.from('hier|rien').toString('base64url')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });
});

describe('merging two files of the same person', { timeout: 120_000 }, () => {
  it('gives the survivor the duplicate’s visits, consents, mandates and contact points, fills its empty fields, and leaves a tombstone that points to it', async () => {
    const w = await lifecycleWorld(t);
    const nir = withKey('2850561123045');
    const survivor = await w.createPerson(
      w.clients.coordinator,
      { firstName: 'Élodie', lastName: 'Fusion', birthDate: '1985-05-12' },
      w.cpA.id,
    );
    const duplicate = await w.createPerson(
      w.clients.agentB,
      { firstName: 'Elodie', lastName: 'Fusion', birthDate: '1985-05-12', phone: '0611223344', nir, commune: 'Bellême' },
      w.cpB.id,
    );
    const visitA = await w.logVisit(w.clients.agentA, w.cpA.id, survivor);
    const visitB = await w.logVisit(w.clients.agentB, w.cpB.id, duplicate);
    expect((await w.clients.agentB.post(`${w.base}/${duplicate}/consents`, { organisationId: w.org.id, how: 'oral' })).status).toBe(201);
    const mandate = await w.insertMandate(duplicate, { contactPointId: w.cpB.id });

    // An agent of contact point A alone cannot reach the duplicate, held by B only.
    expect((await w.clients.agentA.post(`${w.base}/${survivor}/merge`, { duplicateId: duplicate })).status).toBe(404);

    const res = await w.clients.coordinator.post(`${w.base}/${survivor}/merge`, { duplicateId: duplicate });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: survivor,
      firstName: 'Élodie',
      phone: '0611223344',
      commune: 'Bellême',
      hasNir: true,
      identifiers: { nir: `2 ** ** ** *** *** ${nir.slice(13)}` },
    });
    expect(res.body.contactPoints.map((c: { id: string }) => c.id).sort()).toEqual([w.cpA.id, w.cpB.id].sort());
    expect(res.body.consents).toHaveLength(1);
    expect((await t.ctx.db.select().from(mandates).where(eq(mandates.id, mandate.id)))[0]?.personId).toBe(survivor);
    const moved = await t.ctx.db
      .select({ personId: visits.personId })
      .from(visits)
      .where(inArray(visits.id, [visitA, visitB]));
    expect(moved.map((v) => v.personId)).toEqual([survivor, survivor]);

    // The tombstone: no personal data; reading it sends to the survivor (agent B now reaches it through the survivor).
    const [tomb] = await t.ctx.db.select().from(people).where(eq(people.id, duplicate));
    expect(tomb).toMatchObject({
      mergedIntoId: survivor,
      anonymisedReason: 'merge',
      firstName: '',
      lastName: '',
      phone: null,
      nirSealed: null,
    });
    for (const client of [w.clients.coordinator, w.clients.agentB]) {
      const gone = await client.get(`${w.base}/${duplicate}`);
      expect(gone.status).toBe(410);
      expect(gone.body).toMatchObject({ code: 'PERSON_MERGED', survivorId: survivor });
    }
    // Not to someone who cannot see the survivor.
    expect((await w.clients.otherCoordinator.get(`${w.base}/${duplicate}`)).status).toBeGreaterThanOrEqual(403);
    // The search finds one file; the survivor's history holds both pasts and the merge.
    const found = await w.clients.coordinator.get(`${w.base}?q=Fusion`);
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([survivor]);
    const history = (await w.clients.coordinator.get(`${w.base}/${survivor}/history`)).body.items as HistoryItem[];
    expect(
      history
        .filter((i) => i.kind === 'visit')
        .map((i) => i.visit?.id)
        .sort(),
    ).toEqual([visitA, visitB].sort());
    expect(history.find((i) => i.kind === 'merged')?.mergedPersonId).toBe(duplicate);

    const [onSurvivor] = (await journalOf(survivor)).filter((e) => e.type === 'person.merged');
    expect(onSurvivor).toMatchObject({ actorUserId: w.users.coordinator.id, data: { role: 'survivor', duplicateId: duplicate } });
    expect((onSurvivor!.data.fromDuplicate as string[]).sort()).toEqual(['commune', 'nir', 'phone']);
    const [onDuplicate] = (await journalOf(duplicate)).filter((e) => e.type === 'person.merged');
    expect(onDuplicate?.data).toMatchObject({ role: 'duplicate', mergedIntoId: survivor });
    expect(JSON.stringify(onSurvivor!.data)).not.toContain('0611223344');

    // Merging the tombstone again answers 410.
    expect((await w.clients.coordinator.post(`${w.base}/${survivor}/merge`, { duplicateId: duplicate })).status).toBe(410);
  });

  it('gives the survivor the duplicate’s requests', async () => {
    const w = await lifecycleWorld(t);
    const survivor = await w.createPerson(w.clients.agentA, { firstName: 'Hugo', lastName: 'Doublon', birthDate: '1990-01-02' });
    const duplicate = await w.createPerson(w.clients.agentA, { firstName: 'Hugo', lastName: 'Doublon', birthDate: '1990-01-02' });
    const r = await w.sendRequest(duplicate, { subject: 'Carte Vitale', answer: 'Commandée.', note: 'RAS', fileName: 'photo.pdf' });
    const res = await w.clients.agentA.post(`${w.base}/${survivor}/merge`, { duplicateId: duplicate });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await t.ctx.db.select({ personId: requests.personId }).from(requests).where(eq(requests.id, r.id));
    expect(rows).toEqual([{ personId: survivor }]);
    const [onSurvivor] = (await journalOf(survivor)).filter((e) => e.type === 'person.merged');
    expect(onSurvivor!.data.moved).toMatchObject({ requests: 1 });
    const history = (await w.clients.agentA.get(`${w.base}/${survivor}/history`)).body.items as HistoryItem[];
    expect(history.find((i) => i.kind === 'request_sent')?.request?.reference).toBe(r.reference);
    const exported = await w.clients.coordinator.get(`${w.base}/${survivor}/export`);
    expect(exported.body.requests.map((x: { reference: string }) => x.reference)).toEqual([r.reference]);
  });

  it('refuses two files with different NIR with 409 PERSON_MERGE_CONFLICT and a French message, and changes nothing', async () => {
    const w = await lifecycleWorld(t);
    const a = await w.createPerson(w.clients.agentA, { firstName: 'Paul', lastName: 'Conflit', nir: withKey('1850561123045') });
    const b = await w.createPerson(w.clients.agentA, { firstName: 'Paul', lastName: 'Conflit', nir: withKey('1860561123045') });
    const res = await w.clients.agentA.post(`${w.base}/${a}/merge`, { duplicateId: b });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('PERSON_MERGE_CONFLICT');
    expect(res.body.detail).toContain('numéros de sécurité sociale différents');
    expect((await w.clients.agentA.get(`${w.base}/${b}`)).status).toBe(200);
    const self = await w.clients.agentA.post(`${w.base}/${a}/merge`, { duplicateId: a });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('PERSON_MERGE_SAME');
  });
});

describe('the export for an access request', { timeout: 120_000 }, () => {
  it('gives a coordinator the whole file with identifiers in clear and who read it, as a download, and journals it', async () => {
    const w = await lifecycleWorld(t);
    const nir = withKey('1850561123045');
    const id = await w.createPerson(w.clients.agentA, {
      firstName: 'Marc',
      lastName: 'Export',
      nir,
      cafNumber: '7350921',
      phone: '0699887766',
    });
    await w.clients.agentA.get(`${w.base}/${id}?screen=recherche`);
    await w.logVisit(w.clients.agentA, w.cpA.id, id, { comment: 'Dossier CAF' });
    const mandate = await w.insertMandate(id);
    await w.insertDocument(mandate.id);
    const r = await w.sendRequest(id, {
      subject: 'Prime d’activité suspendue',
      answer: 'Les droits sont rétablis depuis octobre.',
      note: 'Signalement interne : ne pas diffuser',
      fileName: 'attestation.pdf',
    });
    expect((await w.clients.agentA.get(`${w.base}/${id}/export`)).status).toBe(403);

    const res = await w.clients.coordinator.get(`${w.base}/${id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`dossier-usager-${id}.json`);
    expect(res.body.person).toMatchObject({ firstName: 'Marc', cafNumber: '7350921', phone: '0699887766' });
    expect(res.body.person.nir.replace(/\s/g, '')).toBe(nir);
    expect(res.body.visits).toMatchObject([{ contactPoint: w.cpA.name, comment: 'Dossier CAF', organisations: [w.org.name] }]);
    expect(res.body.mandates[0].documents).toEqual([expect.objectContaining({ fileName: 'mandat-signe.pdf', sizeBytes: 4 })]);
    expect(JSON.stringify(res.body)).not.toContain('contentSealed');
    expect(res.body.requests).toEqual([
      expect.objectContaining({
        reference: r.reference,
        organisation: w.org.name,
        contactPoint: w.cpA.name,
        subject: 'Prime d’activité suspendue',
        status: 'repondue',
        sentAt: expect.any(String),
        firstAnsweredAt: expect.any(String),
        closedAt: null,
        identifiers: { caf_number: '9182736' },
      }),
    ]);
    expect(res.body.requests[0].messages).toEqual([
      expect.objectContaining({ side: 'partner', kind: 'reponse', body: 'Les droits sont rétablis depuis octobre.' }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Signalement interne');
    const read = res.body.accessLog.find((e: { screen: string | null }) => e.screen === 'recherche');
    expect(read).toMatchObject({ type: 'person.read', label: 'Consultation du dossier', who: 'Alice Agent', role: 'Agent d’accueil' });
    expect(res.body.accessLog[0]).toMatchObject({ type: 'person.created', who: 'Alice Agent' });

    const [exported] = (await journalOf(id)).filter((e) => e.type === 'person.exported');
    expect(exported).toMatchObject({ actorUserId: w.users.coordinator.id, data: { identifiersInClear: true } });
    expect(JSON.stringify(exported!.data)).not.toContain(nir);
  });
});

describe('erasure on request', { timeout: 120_000 }, () => {
  it('removes every trace of the person, keeps the visit counts, and answers 404 afterwards', async () => {
    const w = await lifecycleWorld(t);
    const nir = withKey('2921175123456');
    const id = await w.createPerson(w.clients.agentA, {
      firstName: 'Zéphirine',
      lastName: 'Quatrefages',
      birthName: 'Vandermonde',
      phone: '0677665544',
      email: 'zephirine@exemple.fr',
      address: '12 rue des Tilleuls',
      nir,
      cafNumber: '9182736',
    });
    await w.clients.agentA.patch(`${w.base}/${id}`, { lastName: 'Quatrefages-Duroc' });
    await w.clients.agentA.post(`${w.base}/${id}/reveal`, { field: 'nir', reason: 'Appel Zéphirine' });
    await w.logVisit(w.clients.agentA, w.cpA.id, id, { comment: 'Zéphirine a perdu sa carte' });
    await w.logVisit(w.clients.agentA, w.cpA.id, id);
    await w.logVisit(w.clients.agentA, w.cpA.id, null);
    expect((await w.clients.agentA.post(`${w.base}/${id}/consents`, { organisationId: w.org.id, how: 'oral' })).status).toBe(201);
    const mandate = await w.insertMandate(id);
    await w.insertDocument(mandate.id);
    const { message } = await w.insertSmsChallenge(id, '0677665544');
    // A request about her, still open (answered), with a file: the erasure closes and wipes it.
    const request = await w.sendRequest(id, {
      subject: 'Zéphirine Quatrefages : APL',
      answer: 'Mme Quatrefages-Duroc recevra le rappel le 5.',
      note: 'Zéphirine déjà connue du service',
      fileName: 'bail-quatrefages.pdf',
    });
    expect((await t.ctx.files.get(request.storageKey)).length).toBeGreaterThan(0);
    const countVisits = async () =>
      (
        await t.ctx.database.pool.query(
          'select count(*)::int as n, count(*) filter (where contact_point_id = $2)::int as here from visits where territory_id = $1',
          [w.tid, w.cpA.id],
        )
      ).rows[0];
    const before = await countVisits();

    expect((await w.clients.agentA.post(`${w.base}/${id}/erase`, { reason: 'Demande écrite' })).status).toBe(403);
    const res = await w.clients.coordinator.post(`${w.base}/${id}/erase`, { reason: 'Demande écrite du 3 novembre' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id, visitsKept: 2, mandateDocumentsDeleted: 1 });
    // The request: no link to the person, no text, no identifiers, closed, its file gone from the store.
    const [req] = await t.ctx.db.select().from(requests).where(eq(requests.id, request.id));
    expect(req).toMatchObject({ personId: null, identifiersSealed: null, description: '', status: 'cloturee', wipedAt: expect.any(Date) });
    expect(await t.ctx.db.select().from(requests).where(eq(requests.personId, id))).toEqual([]);
    const messages = await t.ctx.db
      .select({ body: requestMessages.body })
      .from(requestMessages)
      .where(eq(requestMessages.requestId, request.id));
    expect(messages.map((m) => m.body)).toEqual(['', '']);
    await expect(t.ctx.files.get(request.storageKey)).rejects.toThrow();

    expect(await countVisits()).toEqual(before);
    // Consents stay (partner, dates, how): the one given at the desk and the one recorded with the request.
    expect((await t.ctx.db.select().from(personConsents).where(eq(personConsents.personId, id))).length).toBe(2);
    expect(await t.ctx.db.select().from(mandateDocuments).where(eq(mandateDocuments.mandateId, mandate.id))).toEqual([]);
    const [row] = await t.ctx.db.select().from(people).where(eq(people.id, id));
    expect(row).toMatchObject({ anonymisedReason: 'erasure', firstName: '', nirSealed: null, nirHash: null });

    // No trace of the names, NIR, phone, e-mail or address in the tables that could hold them.
    const traces = [
      'Zéphirine',
      'Zephirine',
      'zephirine',
      'Quatrefages',
      'Vandermonde',
      nir,
      '0677665544',
      '06 77 66 55 44',
      '9182736',
      'Tilleuls',
    ];
    const dump = await t.ctx.database.pool.query(
      `select 'people' as t, to_jsonb(p)::text as row from people p where territory_id = $1
       union all select 'audit_events', to_jsonb(a)::text from audit_events a where territory_id = $1
       union all select 'sms_messages', to_jsonb(s)::text from sms_messages s where territory_id = $1
       union all select 'sms_challenges', to_jsonb(c)::text from sms_challenges c where territory_id = $1
       union all select 'visits', to_jsonb(v)::text from visits v where territory_id = $1
       union all select 'mandates', to_jsonb(m)::text from mandates m where territory_id = $1
       union all select 'requests', to_jsonb(r)::text from requests r where territory_id = $1
       union all select 'request_messages', to_jsonb(rm)::text from request_messages rm where territory_id = $1
       union all select 'request_events', to_jsonb(re)::text from request_events re where territory_id = $1
       union all select 'request_attachments', to_jsonb(ra)::text from request_attachments ra where territory_id = $1
       union all select 'notifications', to_jsonb(n)::text from notifications n where territory_id = $1`,
      [w.tid],
    );
    for (const trace of traces) {
      expect(
        dump.rows.filter((r) => r.row.toLowerCase().includes(trace.toLowerCase())).map((r) => r.t),
        trace,
      ).toEqual([]);
    }
    // The SMS sent is blanked (its sealed number too), the journal keeps the events with their types and actors.
    const [sms] = (await t.ctx.database.pool.query('select to_sealed, body from sms_messages where id = $1', [message.id])).rows;
    expect(sms).toEqual({ to_sealed: '', body: '[effacé]' });
    const journal = await journalOf(id);
    expect(journal.map((e) => e.type)).toEqual(
      expect.arrayContaining(['person.created', 'person.updated', 'person.identifier_revealed', 'person.consent_given', 'person.erased']),
    );
    const created = journal.find((e) => e.type === 'person.created')!;
    expect((created.data.after as Record<string, unknown>).firstName).toBe('[effacé]');
    expect(created.actorUserId).toBe(w.users.agentA.id);
    expect(journal.at(-1)).toMatchObject({
      type: 'person.erased',
      actorUserId: w.users.coordinator.id,
      data: { requestsWiped: 1, requestsClosed: 1 },
    });

    // Gone for everyone: not found, not read, not erased twice.
    expect((await w.clients.coordinator.get(`${w.base}/${id}`)).status).toBe(404);
    expect((await w.clients.coordinator.get(`${w.base}/${id}/history`)).status).toBe(404);
    expect((await w.clients.coordinator.get(`${w.base}?q=Quatrefages`)).body.items).toEqual([]);
    expect((await w.clients.coordinator.post(`${w.base}/${id}/erase`, { reason: 'Encore' })).status).toBe(404);
  });

  it('refuses an erasure without a reason', async () => {
    const w = await lifecycleWorld(t);
    const id = await w.createPerson(w.clients.agentA, { firstName: 'Sans', lastName: 'Motif' });
    const res = await w.clients.coordinator.post(`${w.base}/${id}/erase`, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await w.clients.coordinator.get(`${w.base}/${id}`)).status).toBe(200);
  });
});
