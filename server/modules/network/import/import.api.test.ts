import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportView } from '../../../../contracts/imports.ts';
import type { ApiClient } from '../../../test/api-client.ts';
import { createContactPoint, createTerritory, createUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { auditEvents } from '../../audit/audit.schema.ts';
import { contactPoints, networkImports } from '../network.schema.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures/france-services-2020-01.csv'), 'utf8');
/** What the sample file holds (483 labelled places; the figures below were checked by reading the file). */
const ROWS = 483;
const HOURS_CELLS_CONVERTED = 2110;
const HOURS_CELLS_UNCONVERTED = 81;
const FLAGGED = 49;
const ROWS_IN_ORNE = 4;

let t: TestApp;
let admin: ApiClient;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn(await createUser(t.ctx.db, { isPlatformAdmin: true }));
});
afterAll(() => t.close());

async function coordinatedTerritory() {
  const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
  const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  return { territory, coordinator: await t.signIn(user), base: `/api/territories/${territory.id}` };
}

/** Starts an import and reads it back (jobs run inline in tests: it is finished when the POST answers). */
async function importFile(client: ApiClient, base: string, content: string, options: Record<string, unknown> = {}) {
  const res = await client.post(`${base}/imports`, { fileName: 'france-services.csv', format: 'anct_csv', content, ...options });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const view = await client.get(`${base}/imports/${res.body.id}`);
  expect(view.status).toBe(200);
  return view.body as ImportView;
}

const pointsOf = (territoryId: string) =>
  t.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, territoryId)).orderBy(contactPoints.matricule);
const eventCount = async (territoryId: string, type?: string) =>
  (
    await t.ctx.db
      .select({ n: count() })
      .from(auditEvents)
      .where(type ? and(eq(auditEvents.territoryId, territoryId), eq(auditEvents.type, type)) : eq(auditEvents.territoryId, territoryId))
  )[0]!.n;

describe('ANCT import of the whole sample file', () => {
  let territoryId: string;
  let base: string;
  let first: ImportView;

  beforeAll(async () => {
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    territoryId = territory.id;
    base = `/api/territories/${territory.id}`;
    first = await importFile(admin, base, FIXTURE, { allDepartments: true });
  }, 120_000);

  it('imports every row, converts the hours it can read and reports every cell it cannot', async () => {
    expect(first.status).toBe('done');
    expect(first).toMatchObject({ total: ROWS, processed: ROWS, dryRun: false, error: null });
    expect(first.report!.counts).toEqual({
      rows: ROWS,
      created: ROWS,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      flagged: FLAGGED,
      hoursCellsConverted: HOURS_CELLS_CONVERTED,
      hoursCellsUnconverted: HOURS_CELLS_UNCONVERTED,
    });
    const hoursIssues = first.report!.issues.filter((i) => i.column.startsWith('h_'));
    expect(hoursIssues).toHaveLength(HOURS_CELLS_UNCONVERTED);
    for (const issue of first.report!.issues) {
      expect(issue.line).toBeGreaterThan(1);
      expect(issue.reason.length).toBeGreaterThan(5);
    }
    // Line 78 of the file (Troarn) writes « 11h-45 »: reported with its line and column, hours left for review.
    expect(hoursIssues).toContainEqual(expect.objectContaining({ line: 78, column: 'h_lundi', value: '8h30-11h-45 et 13h30-17h15' }));
    expect(new Set(first.report!.issues.map((i) => i.line)).size).toBe(FLAGGED);

    const points = await pointsOf(territoryId);
    expect(points).toHaveLength(ROWS);
    const troarn = points.find((p) => p.matricule === '94')!;
    expect(troarn).toMatchObject({ name: 'Troarn', openingHours: null, source: 'anct', postcode: '14670', email: 'pi14saline@orange.fr' });
    expect(troarn.hoursReview).toContain('11h-45');
    // An itinerant France Services becomes a bus; its hours are converted to opening_hours.
    const guise = points.find((p) => p.matricule === '3')!;
    expect(guise).toMatchObject({
      kind: 'bus',
      commune: 'Guise',
      inseeCode: '02361',
      labelDate: '2020-01-01',
      openingHours: 'Mo,Tu,Th,Fr 09:30-12:15,13:45-16:30',
      hoursReview: null,
      managingBody: 'Communauté de communes Thiérache Sambre et Oise',
    });
    expect(points.filter((p) => p.kind === 'bus')).toHaveLength(18);
    // One journal event per contact point, and one for the import.
    expect(await eventCount(territoryId, 'contact_point.created')).toBe(ROWS);
    expect(await eventCount(territoryId, 'network.imported')).toBe(1);
  });

  it('changes nothing when the same file is imported again', async () => {
    const events = await eventCount(territoryId);
    const again = await importFile(admin, base, FIXTURE, { allDepartments: true });
    expect(again.report!.counts).toMatchObject({ created: 0, updated: 0, unchanged: ROWS });
    expect(again.report!.changes).toEqual([]);
    expect(await eventCount(territoryId)).toBe(events + 1); // the summary only
  });

  it('reports exactly the changed field of a modified row, before and after', async () => {
    const modified = FIXTURE.replace('"9 Rue des Papetiers "', '"11 Rue des Papetiers"');
    const run = await importFile(admin, base, modified, { allDepartments: true });
    expect(run.report!.counts).toMatchObject({ created: 0, updated: 1, unchanged: ROWS - 1 });
    expect(run.report!.changes).toEqual([
      {
        line: 2,
        key: '1',
        name: 'Valserhône',
        action: 'updated',
        contactPointId: expect.any(String),
        fields: [{ field: 'address', before: '9 Rue des Papetiers', after: '11 Rue des Papetiers' }],
      },
    ]);
    const [event] = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'contact_point.updated'), eq(auditEvents.targetId, run.report!.changes[0]!.contactPointId!)));
    expect(event!.data).toMatchObject({ before: { address: '9 Rue des Papetiers' }, after: { address: '11 Rue des Papetiers' } });
  });

  it('shows the differences of a dry run without writing anything', async () => {
    const events = await eventCount(territoryId);
    const before = await pointsOf(territoryId);
    const modified = FIXTURE.replace('"22 Esplanade de La Poste"', '"24 Esplanade de La Poste"');
    const run = await importFile(admin, base, modified, { allDepartments: true, dryRun: true });
    expect(run).toMatchObject({ status: 'done', dryRun: true, processed: ROWS, canApply: true });
    expect(run.report!.counts).toMatchObject({ updated: 2, unchanged: ROWS - 2 }); // also Valserhône, back to « 9 »
    expect(run.report!.changes.map((c) => c.fields[0]!.after).sort()).toEqual(['24 Esplanade de La Poste', '9 Rue des Papetiers']);
    expect(await pointsOf(territoryId)).toEqual(before);
    expect(await eventCount(territoryId)).toBe(events);

    // Applying the dry run writes what it showed.
    const applied = await admin.post(`${base}/imports/${run.id}/apply`);
    expect(applied.status).toBe(201);
    const view = (await admin.get(`${base}/imports/${applied.body.id}`)).body as ImportView;
    expect(view).toMatchObject({ status: 'done', dryRun: false });
    expect(view.report!.counts).toMatchObject({ updated: 2 });
    expect((await pointsOf(territoryId)).find((p) => p.matricule === '2')!.address).toBe('24 Esplanade de La Poste');
    const again = await admin.post(`${base}/imports/${run.id}/apply`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('IMPORT_NOT_APPLICABLE');
    expect((await admin.get(`${base}/imports/${run.id}`)).body.canApply).toBe(false);
  });
});

describe('ANCT import by a coordinator', () => {
  it('imports only the rows of the territory’s department and reports the others', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const run = await importFile(coordinator, base, FIXTURE);
    expect(run.report!.counts).toMatchObject({ rows: ROWS, created: ROWS_IN_ORNE, skipped: ROWS - ROWS_IN_ORNE });
    expect(run.report!.otherDepartments.reduce((n, d) => n + d.rows, 0)).toBe(ROWS - ROWS_IN_ORNE);
    expect(run.report!.otherDepartments).not.toContainEqual(expect.objectContaining({ code: '61' }));
    expect((await pointsOf(territory.id)).map((p) => p.name).sort()).toEqual([
      'Alençon-Perseigne – Site principal de Perseigne',
      'Alençon-Perseigne – Site secondaire de Courteille',
      'Coeur du Perche - Rémalard en Perche',
      'L’Aigle',
    ]);
  });

  it('keeps the name of an existing place and imports the new one with its commune appended', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const existing = await createContactPoint(t.ctx.db, territory.id, { name: 'L’Aigle', kind: 'mairie', commune: 'L’Aigle' });
    const run = await importFile(coordinator, base, FIXTURE);
    expect(run.report!.counts.created).toBe(ROWS_IN_ORNE);
    const points = await pointsOf(territory.id);
    expect(points.find((p) => p.id === existing.id)!.name).toBe('L’Aigle');
    const imported = points.find((p) => p.matricule === '364')!;
    expect(imported.name).toBe(`L’Aigle (${imported.commune})`);
    expect(run.report!.issues).toContainEqual(
      expect.objectContaining({ column: 'lib_france_services', value: 'L’Aigle', reason: expect.stringContaining('nom déjà porté') }),
    );
    // Idempotent: the second run finds the renamed place unchanged.
    const again = await importFile(coordinator, base, FIXTURE);
    expect(again.report!.counts).toMatchObject({ created: 0, updated: 0, unchanged: ROWS_IN_ORNE });
  });

  it('refuses every department to a coordinator, and any import to an agent', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const res = await coordinator.post(`${base}/imports`, {
      fileName: 'f.csv',
      format: 'anct_csv',
      content: FIXTURE,
      allDepartments: true,
    });
    expect(res.status).toBe(403);
    const place = await createContactPoint(t.ctx.db, territory.id);
    const agent = await t.signIn(
      await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: place.id }] }),
    );
    expect((await agent.post(`${base}/imports`, { fileName: 'f.csv', format: 'anct_csv', content: FIXTURE })).status).toBe(403);
    expect((await agent.get(`${base}/imports`)).status).toBe(403);
    expect(await pointsOf(territory.id)).toHaveLength(1);
  });

  it('answers a malformed CSV with a clear problem and writes nothing', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const broken = `${FIXTURE.split('\n').slice(0, 5).join('\n')}\n"9999,"61","Sans fin`;
    const res = await coordinator.post(`${base}/imports`, { fileName: 'casse.csv', format: 'anct_csv', content: broken });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'IMPORT_FILE_INVALID' });
    expect(res.body.detail).toMatch(/guillemet|colonnes/);
    const notAnct = await coordinator.post(`${base}/imports`, { fileName: 'autre.csv', format: 'anct_csv', content: 'nom;ville\nA;B\n' });
    expect(notAnct.status).toBe(400);
    expect(notAnct.body.detail).toContain('MATRICULE');
    const binary = Buffer.concat([
      Buffer.from('MATRICULE,DEPARTEMENT,lib_france_services,lib_com\n1,61,Un'),
      Buffer.from([0, 0xff]),
      Buffer.from(',B\n'),
    ]);
    const nul = await coordinator.post(`${base}/imports`, {
      fileName: 'x.csv',
      format: 'anct_csv',
      contentBase64: binary.toString('base64'),
    });
    expect(nul.status).toBe(400);
    expect(nul.body.detail).toContain('caractères nuls');
    expect(await pointsOf(territory.id)).toEqual([]);
    const runs = await t.ctx.db.select().from(networkImports).where(eq(networkImports.territoryId, territory.id));
    expect(runs).toEqual([]);
  });

  it('reads a Latin-1 file with semicolons sent in base64, and reports invalid cells as null', async () => {
    const { territory, coordinator, base } = await coordinatedTerritory();
    const csv = [
      'MATRICULE;DEPARTEMENT;lib_france_services;ADRESSE;CODE_POSTAL;lib_com;CONTACT.MAIL;TELEPHONE;h_lundi;h_mardi;LABELISATION;insee_com',
      "9001;61;Bellême;2 place de la République;6130;BELLÊME;pas-un-courriel;02.33.73.00.00;9h-12h;n'importe quoi;Espace labélisé 01/2020;61038",
      "9002;61;Longny-au-Perche;1 rue de l'Église;61290;LONGNY;accueil@longny.fr;12;9h-12h / 14h-17h;-;;61230",
    ].join('\r\n');
    const run = await importFile(coordinator, base, undefined as never, {
      content: undefined,
      contentBase64: Buffer.from(csv, 'latin1').toString('base64'),
    });
    expect(run.report!.counts).toMatchObject({ created: 2, flagged: 2, hoursCellsUnconverted: 1 });
    expect(run.report!.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 'CODE_POSTAL', value: '6130' }),
        expect.objectContaining({ line: 2, column: 'CONTACT.MAIL', value: 'pas-un-courriel' }),
        expect.objectContaining({ line: 2, column: 'h_mardi', value: "n'importe quoi" }),
        expect.objectContaining({ line: 3, column: 'TELEPHONE', value: '12' }),
      ]),
    );
    const [belleme, longny] = await pointsOf(territory.id);
    expect(belleme).toMatchObject({ name: 'Bellême', commune: 'BELLÊME', postcode: null, email: null, phone: '02 33 73 00 00' });
    expect(belleme!.openingHours).toBeNull();
    expect(belleme!.hoursReview).toContain('mardi');
    expect(longny).toMatchObject({
      phone: null,
      email: 'accueil@longny.fr',
      openingHours: expect.stringContaining('Mo 09:00-12:00,14:00-17:00'),
    });
  });
});

describe('ANCT import through pg-boss (JOBS=true)', () => {
  let q: TestApp;
  beforeAll(async () => {
    q = await createTestApp({ env: { JOBS: 'true' } });
  }, 60_000);
  afterAll(() => q?.close());

  it('answers at once with a pending run, then the worker finishes it; a second real import waits for the first', async () => {
    const territory = await createTerritory(q.ctx.db, { departmentCode: '61' });
    const coordinator = await q.signIn(await createUser(q.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] }));
    const base = `/api/territories/${territory.id}`;
    const res = await coordinator.post(`${base}/imports`, { fileName: 'fs.csv', format: 'anct_csv', content: FIXTURE });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', processed: 0, total: ROWS, report: null });
    const busy = await coordinator.post(`${base}/imports`, { fileName: 'fs.csv', format: 'anct_csv', content: FIXTURE });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('IMPORT_RUNNING');
    let view: ImportView = res.body;
    for (let i = 0; i < 60 && view.status !== 'done' && view.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      view = (await coordinator.get(`${base}/imports/${res.body.id}`)).body;
    }
    expect(view).toMatchObject({ status: 'done', processed: ROWS });
    expect(view.report!.counts).toMatchObject({ created: ROWS_IN_ORNE });
    const list = await coordinator.get(`${base}/imports`);
    expect(list.body).toEqual([
      expect.objectContaining({ id: res.body.id, status: 'done', counts: expect.objectContaining({ created: ROWS_IN_ORNE }) }),
    ]);
  }, 60_000);
});
