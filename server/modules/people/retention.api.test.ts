import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { fixedClock } from '../../platform/clock.ts';
import { createTerritory } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { requests } from '../requests/requests.schema.ts';
import { visits } from '../visits/visits.schema.ts';
import { lifecycleWorld } from './lifecycle.fixtures.ts';
import { mandateDocuments, mandates, people } from './people.schema.ts';
import { RETENTION_JOB, retentionCutoff } from './retention.jobs.ts';

const DAY = 86_400_000;
const clock = fixedClock(new Date('2026-01-15T10:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const retentionEvents = () => t.ctx.db.select().from(auditEvents).where(eq(auditEvents.type, 'people.retention_applied'));
const fileOf = async (id: string) => (await t.ctx.db.select().from(people).where(eq(people.id, id)))[0]!;

describe('the retention job', { timeout: 120_000 }, () => {
  it('anonymises files without activity for 24 months, keeps the visits counted, deletes the forms of ended mandates, and journals the counts per territory', async () => {
    const w = await lifecycleWorld(t);
    const idle = await w.createPerson(w.clients.agentA, { firstName: 'Ancien', lastName: 'Dormant', phone: '0612121212' });
    const visited = await w.createPerson(w.clients.agentA, { firstName: 'Revenu', lastName: 'Actif' });
    const withMandate = await w.createPerson(w.clients.agentA, { firstName: 'Mandat', lastName: 'Encours' });
    const readOnly = await w.createPerson(w.clients.agentA, { firstName: 'Seulement', lastName: 'Consulté' });
    await w.logVisit(w.clients.agentA, w.cpA.id, idle, { comment: 'Ancien Dormant, dossier retraite' });
    // A request about the idle file, answered and never closed, with a file.
    const request = await w.sendRequest(idle, {
      subject: 'Dormant : relevé de carrière',
      answer: 'M. Dormant doit fournir ses bulletins.',
      note: 'Dormant relancé par téléphone',
      fileName: 'releve-dormant.pdf',
    });
    // A mandate that ends in 2 months (its form goes once it has ended), one running for 3 years.
    const ending = await w.insertMandate(visited, { endsAt: new Date(clock.now().getTime() + 60 * DAY) });
    const document = await w.insertDocument(ending.id);
    await w.insertMandate(withMandate, { endsAt: new Date(clock.now().getTime() + 3 * 365 * DAY) });

    // 23 months later: the visited file gets a visit, the other is only read. Nothing expires yet.
    clock.advance(700 * DAY);
    const signedIn = await t.signIn(w.users.agentA);
    await w.logVisit(signedIn, w.cpA.id, visited);
    expect((await signedIn.get(`${w.base}/${readOnly}?screen=recherche`)).status).toBe(200);
    await t.ctx.jobs.runNow(RETENTION_JOB);
    const early = await retentionEvents();
    expect(early.map((e) => e.data)).toEqual([expect.objectContaining({ peopleAnonymised: 0, mandateDocumentsDeleted: 1 })]);
    expect(await t.ctx.db.select().from(mandateDocuments).where(eq(mandateDocuments.id, document.id))).toEqual([]);
    expect((await t.ctx.db.select().from(mandates).where(eq(mandates.id, ending.id)))[0]?.documentExpiredAt).toEqual(clock.now());
    expect((await fileOf(idle)).anonymisedAt).toBeNull();

    // 25 months after the start: the idle and the only-read files go; the visited one and the one under mandate stay.
    clock.advance(60 * DAY);
    const visitsBefore = (await t.ctx.db.select().from(visits).where(eq(visits.territoryId, w.tid))).length;
    await t.ctx.jobs.runNow(RETENTION_JOB);
    const events = await retentionEvents();
    expect(events).toHaveLength(2);
    const data = events[1]!.data as { peopleAnonymised: number; personIds: string[]; retentionMonths: number; visitsDetached: number };
    expect(data).toMatchObject({ peopleAnonymised: 2, retentionMonths: 24, visitsDetached: 1, requestsWiped: 1, requestsClosed: 1 });
    // Its request: closed, wiped in the same transaction, its file gone from the store.
    const [req] = await t.ctx.db.select().from(requests).where(eq(requests.id, request.id));
    expect(req).toMatchObject({ personId: null, identifiersSealed: null, status: 'cloturee', wipedAt: clock.now() });
    const texts = await t.ctx.database.pool.query(
      `select to_jsonb(r)::text as row from requests r where territory_id = $1
       union all select to_jsonb(m)::text from request_messages m where territory_id = $1
       union all select to_jsonb(a)::text from request_attachments a where territory_id = $1`,
      [w.tid],
    );
    expect(texts.rows.filter((r) => r.row.includes('Dormant') || r.row.includes('9182736') || r.row.includes(idle))).toEqual([]);
    await expect(t.ctx.files.get(request.storageKey)).rejects.toThrow();
    expect(data.personIds.sort()).toEqual([idle, readOnly].sort());
    expect(events[1]).toMatchObject({ territoryId: w.tid, actorUserId: null });
    expect(await fileOf(idle)).toMatchObject({ anonymisedReason: 'retention', firstName: '', phone: null, anonymisedAt: clock.now() });
    expect((await fileOf(visited)).anonymisedAt).toBeNull();
    expect((await fileOf(withMandate)).anonymisedAt).toBeNull();
    expect((await t.ctx.db.select().from(visits).where(eq(visits.territoryId, w.tid))).length).toBe(visitsBefore);
    const journal = await t.ctx.database.pool.query(
      "select data::text as d from audit_events where territory_id = $1 and type <> 'people.retention_applied'",
      [w.tid],
    );
    expect(journal.rows.filter((r) => r.d.includes('Dormant') || r.d.includes('0612121212'))).toEqual([]);
    expect((await (await t.signIn(w.users.coordinator)).get(`${w.base}/${idle}`)).status).toBe(404);

    // Nothing left to do: no new event.
    await t.ctx.jobs.runNow(RETENTION_JOB);
    expect(await retentionEvents()).toHaveLength(2);
  });

  it('reads its period from PEOPLE_RETENTION_MONTHS (24 by default, 1 to 120) and counts calendar months', () => {
    const env = { NODE_ENV: 'test', DATA_DIR: '/tmp/relais-config-test', SECRET_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig(env).peopleRetentionMonths).toBe(24);
    expect(loadConfig({ ...env, PEOPLE_RETENTION_MONTHS: '36' }).peopleRetentionMonths).toBe(36);
    expect(() => loadConfig({ ...env, PEOPLE_RETENTION_MONTHS: '0' })).toThrow(/PEOPLE_RETENTION_MONTHS/);
    expect(() => loadConfig({ ...env, PEOPLE_RETENTION_MONTHS: 'deux ans' })).toThrow(/PEOPLE_RETENTION_MONTHS/);
    expect(retentionCutoff(new Date('2026-11-30T04:00:00Z'), 24).toISOString()).toBe('2024-11-30T04:00:00.000Z');
  });
});

describe('the retention job through pg-boss (JOBS=true)', { timeout: 120_000 }, () => {
  // 25 months ahead of the database's clock: a file created now is already too old for the job.
  const later = fixedClock(new Date(Date.now() + 25 * 31 * DAY));
  let q: TestApp;
  beforeAll(async () => {
    q = await createTestApp({ env: { JOBS: 'true' }, clock: later });
  }, 60_000);
  afterAll(() => q?.close());

  it('is scheduled daily at 04:00, Paris time, and anonymises an old file when run from the queue', async () => {
    const { rows } = await q.ctx.database.pool.query('select name, cron, timezone from pgboss.schedule where name = $1', [RETENTION_JOB]);
    expect(rows).toEqual([{ name: RETENTION_JOB, cron: '0 4 * * *', timezone: 'Europe/Paris' }]);
    const territory = await createTerritory(q.ctx.db);
    const [file] = await q.ctx.db
      .insert(people)
      .values({ territoryId: territory.id, firstName: 'Par', lastName: 'Lafile', searchName: 'par lafile' })
      .returning();
    await q.ctx.jobs.send(RETENTION_JOB, {});
    await expect
      .poll(async () => (await q.ctx.db.select().from(people).where(eq(people.id, file!.id)))[0]?.anonymisedReason, { timeout: 20_000 })
      .toBe('retention');
    const [event] = await q.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, territory.id));
    expect(event).toMatchObject({ type: 'people.retention_applied', data: expect.objectContaining({ peopleAnonymised: 1 }) });
  });
});
