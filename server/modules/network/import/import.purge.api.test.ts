import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportView } from '../../../../contracts/imports.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { createTerritory, createUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { auditEvents } from '../../audit/audit.schema.ts';
import { networkImports } from '../network.schema.ts';
import { createImportRun, FILE_EXPIRED, PURGE_JOB } from './import.service.ts';

const CSV = 'MATRICULE;DEPARTEMENT;lib_france_services;lib_com;h_lundi\n7001;61;France Services du Theil;Val-au-Perche;9h-12h\n';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const purgeEvents = () => t.ctx.db.select().from(auditEvents).where(eq(auditEvents.type, 'network.import_files_purged'));
const runOf = async (id: string) => (await t.ctx.db.select().from(networkImports).where(eq(networkImports.id, id)))[0]!;

describe('daily purge of abandoned import files', () => {
  it('lets go of the files of runs older than 7 days that are not running, marks them expired and journals the count', async () => {
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
    const base = `/api/territories/${territory.id}`;
    let coordinator = await t.signIn(user);

    // A dry run never applied, a run whose job never ran, a run still running, and a dry run applied.
    const dry = await coordinator.post(`${base}/imports`, { fileName: 'essai.csv', format: 'anct_csv', content: CSV, dryRun: true });
    expect(dry.status).toBe(201);
    const pending = await createImportRun(t.ctx, {
      territoryId: territory.id,
      format: 'anct_csv',
      fileName: 'oublie.csv',
      text: CSV,
      dryRun: true,
      createdBy: null,
    });
    const running = await createImportRun(t.ctx, {
      territoryId: territory.id,
      format: 'anct_csv',
      fileName: 'en-cours.csv',
      text: CSV,
      dryRun: true,
      createdBy: null,
    });
    await t.ctx.db.update(networkImports).set({ status: 'running' }).where(eq(networkImports.id, running.id));
    const applied = await coordinator.post(`${base}/imports`, { fileName: 'applique.csv', format: 'anct_csv', content: CSV, dryRun: true });
    expect((await coordinator.post(`${base}/imports/${applied.body.id}/apply`)).status).toBe(201);

    // Six days later: too early, nothing happens.
    clock.advance(6 * DAY);
    await t.ctx.jobs.runNow(PURGE_JOB);
    expect(await purgeEvents()).toEqual([]);
    expect((await runOf(dry.body.id)).content).toBe(CSV);

    // Seven days and an hour later: the two abandoned files go.
    clock.advance(DAY + HOUR);
    await t.ctx.jobs.runNow(PURGE_JOB);
    const events = await purgeEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ count: 2, olderThanDays: 7, territories: { [territory.id]: 2 } });
    expect((events[0]!.data as { importIds: string[] }).importIds.sort()).toEqual([dry.body.id, pending.id].sort());

    coordinator = await t.signIn(user); // a week later, signed in again
    const view = (await coordinator.get(`${base}/imports/${dry.body.id}`)).body as ImportView;
    // The dry run keeps its report, but can no longer be applied: the page says the file expired.
    expect(view).toMatchObject({ status: 'done', canApply: false, fileExpired: true, error: FILE_EXPIRED });
    expect(view.report!.counts.created).toBe(1);
    const refused = await coordinator.post(`${base}/imports/${dry.body.id}/apply`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('IMPORT_NOT_APPLICABLE');
    // The run whose job never ran is closed as failed, with the same mark.
    expect((await coordinator.get(`${base}/imports/${pending.id}`)).body).toMatchObject({
      status: 'failed',
      fileExpired: true,
      error: FILE_EXPIRED,
      finishedAt: clock.now().toISOString(),
    });
    // A running import keeps its file; an applied dry run had already let go of it and is not marked.
    expect((await runOf(running.id)).content).toBe(CSV);
    expect((await coordinator.get(`${base}/imports/${applied.body.id}`)).body).toMatchObject({ fileExpired: false, error: null });
    const list = (await coordinator.get(`${base}/imports`)).body as { id: string; fileExpired: boolean }[];
    expect(
      list
        .filter((r) => r.fileExpired)
        .map((r) => r.id)
        .sort(),
    ).toEqual([dry.body.id, pending.id].sort());

    // Nothing left to purge: no new event.
    await t.ctx.jobs.runNow(PURGE_JOB);
    expect(await purgeEvents()).toHaveLength(1);
  });
});

describe('the purge through pg-boss (JOBS=true)', () => {
  let q: TestApp;
  beforeAll(async () => {
    q = await createTestApp({ env: { JOBS: 'true' } });
  }, 60_000);
  afterAll(() => q?.close());

  it('is scheduled daily at night, Paris time', async () => {
    const { rows } = await q.ctx.database.pool.query('select name, cron, timezone from pgboss.schedule where name = $1', [PURGE_JOB]);
    expect(rows).toEqual([{ name: PURGE_JOB, cron: '45 3 * * *', timezone: 'Europe/Paris' }]);
  });
});
