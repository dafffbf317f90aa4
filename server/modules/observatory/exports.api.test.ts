import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedureThemeCode } from '../../../contracts/taxonomy.ts';
import { fixedClock } from '../../platform/clock.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp, testDriver } from '../../test/test-app.ts';
import { auditEvents } from '../audit/audit.schema.ts';
import { busStops } from '../network/network.schema.ts';
import { requests } from '../requests/requests.schema.ts';
import { territoryThemes, visits } from '../visits/visits.schema.ts';
import { readXlsx } from './exports.fixtures.ts';
import { excelDate, excelTime } from './xlsx.ts';

let t: TestApp;
// « Now » is mid-June 2026: the default period is July 2025 to June 2026.
const clock = fixedClock(new Date('2026-06-15T10:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await world();
});
afterAll(() => t?.close());

const VISIT_HEADER = [
  'Date',
  'Heure',
  'Lieu d’accueil',
  'Commune',
  'Canal',
  'Partenaires',
  'Thèmes',
  'Actions',
  'Autonomie',
  'Durée (min)',
  'Dossier usager',
  'Arrêt du bus',
  'Corrigé',
  'Identifiant',
];
const REQUEST_HEADER = [
  'Référence',
  'Envoyée le',
  'Lieu d’accueil',
  'Organisme',
  'Thème',
  'Statut',
  'Première réponse le',
  'Délai de première réponse (jours ouvrés)',
  'Dans le délai',
  'Clôturée le',
  'Utilité de la réponse',
];

let w: Awaited<ReturnType<typeof world>>;

async function world() {
  const db = t.ctx.db;
  const short = randomUUID().slice(0, 6);
  const territory = await createTerritory(db, { slug: `perche-${short}`, name: 'Territoire du Perche' });
  const other = await createTerritory(db);
  const tid = territory.id;
  const cpA = await createContactPoint(db, tid, { name: 'France Services de Bellême', commune: 'Bellême' });
  // A name a spreadsheet would run as a formula, with a quote and the separator in it.
  const cpB = await createContactPoint(db, tid, { name: '-Antenne "Sud"; Perche', commune: 'Rémalard', kind: 'bus' });
  const caf = await createOrganisation(db, tid, {
    name: 'CAF de l’Orne',
    acronym: `CAF${short}`,
    themes: ['famille'],
    procedures: ['prime d’activité'],
  });
  const cpam = await createOrganisation(db, tid, { name: 'CPAM de l’Orne', acronym: `CPAM${short}` });
  const dgfip = await createOrganisation(db, tid, { name: '=SOMME(A1:A9)', acronym: `DGFIP${short}` });
  await db.insert(territoryThemes).values({ territoryId: tid, code: 'local-cheques-energie', label: 'Chèques énergie (local)' });
  const user = (
    role: 'agent' | 'coordinator' | 'referent',
    where: { contactPointId?: string; organisationId?: string } = {},
    territoryId = tid,
  ) => createUser(db, { memberships: [{ territoryId, role, ...where }] });
  const agentAUser = await user('agent', { contactPointId: cpA.id });
  const people = {
    agentAUser,
    agentA: await t.signIn(agentAUser),
    agentB: await t.signIn(await user('agent', { contactPointId: cpB.id })),
    coordinator: await t.signIn(await user('coordinator')),
    cafReferent: await t.signIn(await user('referent', { organisationId: caf.id })),
    otherCoordinator: await t.signIn(await user('coordinator', {}, other.id)),
  };
  const [stop] = await db
    .insert(busStops)
    .values({
      territoryId: tid,
      contactPointId: cpB.id,
      commune: 'Saint-Germain-de-la-Coudre',
      place: 'place de l’église',
      startsAt: new Date('2026-03-20T08:00:00Z'),
      endsAt: new Date('2026-03-20T11:00:00Z'),
    })
    .returning();
  const visit = (v: Partial<typeof visits.$inferInsert> & { occurredAt: Date; contactPointId: string }) =>
    db
      .insert(visits)
      .values({ territoryId: tid, agentUserId: agentAUser.id, channel: 'sur_place', comment: 'Commentaire libre confidentiel', ...v })
      .returning()
      .then((r) => r[0]!);
  const v1 = await visit({
    contactPointId: cpA.id,
    occurredAt: new Date('2026-03-14T09:30:00Z'), // 10:30 in Paris
    organisationIds: [cpam.id, caf.id],
    themeCodes: ['famille', procedureThemeCode(`CAF${short}`, 'prime d’activité'), 'local-cheques-energie', 'code-disparu'],
    actions: ['information', 'aide_demarche_en_ligne'],
    autonomy: 'avec_aide',
    durationMinutes: 25,
    correctedAt: new Date('2026-03-14T10:00:00Z'),
  });
  const v2 = await visit({
    contactPointId: cpB.id,
    occurredAt: new Date('2026-03-20T09:05:00Z'),
    channel: 'arret_bus',
    organisationIds: [cpam.id, dgfip.id],
    themeCodes: ['argent-impots'],
    personId: randomUUID(),
    busStopId: stop!.id,
  });
  // 1 March 00:30 in Paris (still February in UTC): in March.
  const v3 = await visit({ contactPointId: cpA.id, occurredAt: new Date('2026-02-28T23:30:00Z'), channel: 'telephone' });
  // 1 April 00:30 in Paris (still March in UTC): in April, out of a March export.
  const v4 = await visit({ contactPointId: cpA.id, occurredAt: new Date('2026-03-31T22:30:00Z'), organisationIds: [caf.id] });
  const sentRequest = (r: Partial<typeof requests.$inferInsert> & { contactPointId: string; organisationId: string; sentAt: Date }) =>
    db
      .insert(requests)
      .values({
        territoryId: tid,
        reference: `RLS-2026-${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
        statusCodeHash: randomUUID(),
        subject: 'Objet confidentiel',
        description: 'Description confidentielle',
        status: 'envoyee',
        firstAnswerDays: 5,
        followUpDays: 10,
        ...r,
      })
      .returning()
      .then((rows) => rows[0]!);
  const r1 = await sentRequest({
    contactPointId: cpA.id,
    organisationId: caf.id,
    themeCode: 'famille',
    sentAt: new Date('2026-03-02T08:00:00Z'),
    status: 'cloturee',
    firstAnsweredAt: new Date('2026-03-03T15:00:00Z'),
    firstAnswerTenths: 15,
    firstAnswerInTime: true,
    closedAt: new Date('2026-03-06T23:30:00Z'), // 7 March in Paris
    usefulness: 'utile',
  });
  const r2 = await sentRequest({
    contactPointId: cpB.id,
    organisationId: cpam.id,
    sentAt: new Date('2026-03-10T08:00:00Z'),
    status: 'repondue',
    firstAnsweredAt: new Date('2026-03-25T08:00:00Z'),
    firstAnswerTenths: 105,
    firstAnswerInTime: false,
  });
  const r3 = await sentRequest({ contactPointId: cpA.id, organisationId: cpam.id, sentAt: new Date('2026-03-12T08:00:00Z') });
  const r4 = await sentRequest({ contactPointId: cpA.id, organisationId: caf.id, sentAt: new Date('2026-01-12T08:00:00Z') });
  return { territory, other, cpA, cpB, caf, cpam, dgfip, v1, v2, v3, v4, r1, r2, r3, r4, ...people };
}

const exportUrl = (kind: 'visits' | 'requests', query: Record<string, string> = {}, territoryId = w.territory.id) =>
  `/api/territories/${territoryId}/observatory/exports/${kind}?${new URLSearchParams(query)}`;

function cookieOf(client: ApiClient): string {
  return [...(client as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
async function download(client: ApiClient, path: string) {
  const res = await fetch(`${t.baseUrl}${path}`, { headers: { cookie: cookieOf(client) } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}
/** The CSV as rows of cells (after checking the BOM and the CRLF line ends). */
async function csv(client: ApiClient, path: string): Promise<string[][]> {
  const { res, bytes } = await download(client, path);
  expect(res.status, Buffer.from(bytes).toString()).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const text = Buffer.from(bytes).toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.replaceAll('\r\n', '')).not.toMatch(/\n/);
  return parse(text.slice(1), { delimiter: ';', relax_column_count: false });
}
const ids = (rows: string[][]) => rows.slice(1).map((r) => r[13]);

describe('CSV', () => {
  it('writes one row per visit of the period, with labels and no free text', async () => {
    const { res, bytes } = await download(w.coordinator, exportUrl('visits', { from: '2026-03', to: '2026-03' }));
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="relais-accueils-${w.territory.slug}-2026-03-2026-03.csv"`);
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).not.toContain('confidentiel');
    const rows = await csv(w.coordinator, exportUrl('visits', { from: '2026-03', to: '2026-03' }));
    expect(rows[0]).toEqual(VISIT_HEADER);
    // In time order; 1 March 00:30 in Paris is in, 1 April 00:30 is out.
    expect(ids(rows)).toEqual([w.v3.id, w.v1.id, w.v2.id]);
    expect(rows[1]).toEqual([
      '2026-03-01',
      '00:30',
      'France Services de Bellême',
      'Bellême',
      'Téléphone',
      '',
      '',
      '',
      '',
      '',
      'non',
      '',
      'non',
      w.v3.id,
    ]);
    expect(rows[2]).toEqual([
      '2026-03-14',
      '10:30',
      'France Services de Bellême',
      'Bellême',
      'Sur place',
      'CAF de l’Orne ; CPAM de l’Orne',
      `Famille ; ${w.caf.acronym} — prime d’activité ; Chèques énergie (local) ; code-disparu`,
      'Information ; Aide à une démarche en ligne',
      'Avec de l’aide',
      '25',
      'non',
      '',
      'oui',
      w.v1.id,
    ]);
    // The formula-looking names are neutralised; the quote and the separator survive the quoting.
    expect(rows[3]).toEqual([
      '2026-03-20',
      '10:05',
      '\'-Antenne "Sud"; Perche',
      'Rémalard',
      'À l’arrêt du bus',
      // Names sorted (« = » first): the cell now starts with one and is neutralised as a whole.
      "'=SOMME(A1:A9) ; CPAM de l’Orne",
      'Argent et impôts',
      '',
      '',
      '',
      'oui',
      'Saint-Germain-de-la-Coudre — place de l’église',
      'non',
      w.v2.id,
    ]);
    expect(text).toContain(`"'-Antenne ""Sud""; Perche"`);
  });

  it('writes one row per request sent in the period, with its deadline figures', async () => {
    const rows = await csv(w.coordinator, exportUrl('requests', { from: '2026-02', to: '2026-03' }));
    expect(rows[0]).toEqual(REQUEST_HEADER);
    expect(rows.slice(1)).toEqual([
      [
        w.r1.reference,
        '2026-03-02',
        'France Services de Bellême',
        'CAF de l’Orne',
        'Famille',
        'Clôturée',
        '2026-03-03',
        '1,5',
        'oui',
        '2026-03-07',
        'Réponse utile',
      ],
      [w.r2.reference, '2026-03-10', '\'-Antenne "Sud"; Perche', 'CPAM de l’Orne', '', 'Répondue', '2026-03-25', '10,5', 'non', '', ''],
      [w.r3.reference, '2026-03-12', 'France Services de Bellême', 'CPAM de l’Orne', '', 'Envoyée', '', '', '', '', ''],
    ]);
  });

  it('defaults to the 12 months up to the current one', async () => {
    const { res } = await download(w.coordinator, exportUrl('requests'));
    expect(res.headers.get('content-disposition')).toContain(`relais-requetes-${w.territory.slug}-2025-07-2026-06.csv`);
    const rows = await csv(w.coordinator, exportUrl('requests'));
    expect(rows.slice(1).map((r) => r[0])).toEqual([w.r4.reference, w.r1.reference, w.r2.reference, w.r3.reference]);
  });
});

describe('XLSX', () => {
  it('is a well-formed workbook with real dates, numbers and a frozen, filtered header', async () => {
    const { res, bytes } = await download(w.coordinator, exportUrl('visits', { from: '2026-03', to: '2026-03', format: 'xlsx' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="relais-accueils-${w.territory.slug}-2026-03-2026-03.xlsx"`);
    const book = readXlsx(bytes);
    expect(book.rows).toHaveLength(4);
    expect(Object.values(book.rows[0]!).map((c) => c.value)).toEqual(VISIT_HEADER);
    expect(Object.values(book.rows[0]!).every((c) => c.style === 1)).toBe(true);
    const v1 = book.rows[2]!;
    expect(v1.A).toEqual({ value: excelDate('2026-03-14'), style: 2 });
    expect(v1.B).toEqual({ value: excelTime('10:30'), style: 3 });
    expect(v1.F!.value).toBe('CAF de l’Orne ; CPAM de l’Orne');
    expect(v1.J).toEqual({ value: 25, style: 0 });
    expect(v1.M!.value).toBe('oui');
    expect(v1.N!.value).toBe(w.v1.id);
    // Inline strings are never run as formulas: the names stay as they are.
    expect(book.rows[3]!.C!.value).toBe('-Antenne "Sud"; Perche');
    expect(book.rows[3]!.J).toBeUndefined();
    const sheet = book.files['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<autoFilter ref="A1:N4"/>');
    expect(book.files['xl/workbook.xml']).toContain('<sheet name="Accueils"');
    expect(JSON.stringify(book.files)).not.toContain('confidentiel');
  });

  it('writes the requests with their delay as a number', async () => {
    const { res, bytes } = await download(w.coordinator, exportUrl('requests', { from: '2026-03', to: '2026-03', format: 'xlsx' }));
    expect(res.headers.get('content-disposition')).toContain(`relais-requetes-${w.territory.slug}-2026-03-2026-03.xlsx`);
    const book = readXlsx(bytes);
    expect(Object.values(book.rows[0]!).map((c) => c.value)).toEqual(REQUEST_HEADER);
    expect(book.rows[1]).toMatchObject({
      A: { value: w.r1.reference },
      B: { value: excelDate('2026-03-02'), style: 2 },
      H: { value: 1.5, style: 0 },
      I: { value: 'oui' },
      J: { value: excelDate('2026-03-07'), style: 2 },
      K: { value: 'Réponse utile' },
    });
    expect(book.rows[2]).toMatchObject({ H: { value: 10.5 }, I: { value: 'non' } });
    expect(book.rows[3]!.H).toBeUndefined();
    expect(book.rows).toHaveLength(4);
  });
});

describe('scope', () => {
  const march = { from: '2026-03', to: '2026-04' };
  it('an agent gets only their contact points’ rows', async () => {
    expect(ids(await csv(w.agentA, exportUrl('visits', march)))).toEqual([w.v3.id, w.v1.id, w.v4.id]);
    expect(ids(await csv(w.agentB, exportUrl('visits', march)))).toEqual([w.v2.id]);
    const refs = (await csv(w.agentA, exportUrl('requests', march))).slice(1).map((r) => r[0]);
    expect(refs).toEqual([w.r1.reference, w.r3.reference]);
    const res = await w.agentA.get(exportUrl('visits', { ...march, contactPointId: w.cpB.id }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a partner gets the visits that named them and the requests sent to them', async () => {
    expect(ids(await csv(w.cafReferent, exportUrl('visits', march)))).toEqual([w.v1.id, w.v4.id]);
    const refs = (await csv(w.cafReferent, exportUrl('requests', march))).slice(1).map((r) => r[0]);
    expect(refs).toEqual([w.r1.reference]);
    // Within their organisation, a contact point may still narrow it.
    expect(ids(await csv(w.cafReferent, exportUrl('visits', { ...march, contactPointId: w.cpB.id })))).toEqual([]);
    const res = await w.cafReferent.get(exportUrl('requests', { ...march, organisationId: w.cpam.id }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');
  });

  it('a coordinator filters by partner and by contact point', async () => {
    expect(ids(await csv(w.coordinator, exportUrl('visits', { ...march, organisationId: w.cpam.id })))).toEqual([w.v1.id, w.v2.id]);
    expect(ids(await csv(w.coordinator, exportUrl('visits', { ...march, contactPointId: w.cpB.id })))).toEqual([w.v2.id]);
    expect(ids(await csv(w.coordinator, exportUrl('visits', { ...march, contactPointId: w.cpA.id, organisationId: w.caf.id })))).toEqual([
      w.v1.id,
      w.v4.id,
    ]);
    const refs = (await csv(w.coordinator, exportUrl('requests', { ...march, organisationId: w.cpam.id }))).slice(1).map((r) => r[0]);
    expect(refs).toEqual([w.r2.reference, w.r3.reference]);
  });

  it('another territory’s coordinator and a foreign filter are refused', async () => {
    for (const kind of ['visits', 'requests'] as const) {
      const res = await w.otherCoordinator.get(exportUrl(kind, march));
      expect(res.status).toBe(403);
      expect(res.body.code).toBeTruthy();
    }
    const foreign = await createContactPoint(t.ctx.db, w.other.id);
    const res = await w.coordinator.get(exportUrl('visits', { contactPointId: foreign.id }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');
    expect((await t.client().get(exportUrl('visits'))).status).toBe(401);
  });
});

describe('bad input', () => {
  it('answers a French problem, never a 500', async () => {
    for (const [query, code] of [
      [{ format: 'pdf' }, 'VALIDATION_FAILED'],
      [{ from: '2026-13' }, 'VALIDATION_FAILED'],
      [{ to: 'mars' }, 'VALIDATION_FAILED'],
      [{ contactPointId: 'x' }, 'VALIDATION_FAILED'],
      [{ inconnu: '1' }, 'VALIDATION_FAILED'],
      [{ from: '2026-05', to: '2026-04' }, 'OBSERVATORY_PERIOD_INVALID'],
      [{ from: '2020-01', to: '2026-04' }, 'OBSERVATORY_PERIOD_INVALID'],
    ] as const) {
      const res = await w.coordinator.get(exportUrl('visits', query));
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
    }
    const res = await w.coordinator.get(exportUrl('visits', { format: 'pdf' }));
    expect(JSON.stringify(res.body)).toContain('format attendu : csv ou xlsx');
  });
});

describe('journal', () => {
  it('records each export with its kind, format, filters and row count', async () => {
    await csv(w.coordinator, exportUrl('visits', { from: '2026-03', to: '2026-03', organisationId: w.cpam.id }));
    const events = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'observatory.exported'), eq(auditEvents.territoryId, w.territory.id)))
      .orderBy(sql`${auditEvents.id} desc`)
      .limit(1);
    expect(events[0]!.data).toEqual({
      kind: 'visits',
      format: 'csv',
      filters: { from: '2026-03', to: '2026-03', contactPointId: null, organisationId: w.cpam.id, scope: 'territoire' },
      rows: 2,
      complete: true,
    });
  });
});

describe('a large export', () => {
  it('streams 20,000 visits completely, in batches, without duplicates or gaps', async () => {
    const db = t.ctx.db;
    const territory = await createTerritory(db);
    const cp = await createContactPoint(db, territory.id, { name: 'Grand lieu' });
    const org = await createOrganisation(db, territory.id, { name: 'Grand partenaire' });
    const coordinator = await t.signIn(await createUser(db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] }));
    // Three visits share each instant, so that batch boundaries fall inside ties of occurred_at.
    await db.execute(sql`
      INSERT INTO visits (territory_id, contact_point_id, agent_user_id, occurred_at, channel, organisation_ids, theme_codes, actions, duration_minutes)
      SELECT ${territory.id}::uuid, ${cp.id}::uuid, gen_random_uuid(),
             timestamptz '2026-01-01 08:00:00+01' + ((i / 3) * interval '17 minutes') + ((i / 3) * interval '1 microsecond'),
             'sur_place', ARRAY[${org.id}::uuid], ARRAY['famille', 'logement'], ARRAY['information'], i % 60
      FROM generate_series(0, 19999) AS i`);
    const url = `/api/territories/${territory.id}/observatory/exports/visits?from=2026-01&to=2026-12`;
    for (const format of ['csv', 'xlsx'] as const) {
      const started = performance.now();
      const res = await fetch(`${t.baseUrl}${url}&format=${format}`, { headers: { cookie: cookieOf(coordinator) } });
      expect(res.status).toBe(200);
      const chunks: Uint8Array[] = [];
      const reader = res.body!.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value);
      const seconds = (performance.now() - started) / 1000;
      const bytes = new Uint8Array(Buffer.concat(chunks));
      console.info(
        `export ${format} of 20,000 visits on ${testDriver}: ${seconds.toFixed(2)} s, ${Math.round(20_000 / seconds)} rows/s, ${(bytes.length / 1e6).toFixed(1)} MB`,
      );
      expect(chunks.length).toBeGreaterThan(5);
      let seen: string[];
      if (format === 'csv') {
        const rows: string[][] = parse(Buffer.from(bytes).toString('utf8').slice(1), { delimiter: ';' });
        expect(rows).toHaveLength(20_001);
        expect(rows[1]!.slice(0, 2)).toEqual(['2026-01-01', '08:00']);
        expect(rows[20_000]![5]).toBe('Grand partenaire');
        seen = ids(rows) as string[];
      } else {
        const book = readXlsx(bytes);
        expect(book.rows).toHaveLength(20_001);
        expect(book.files['xl/worksheets/sheet1.xml']).toContain('<autoFilter ref="A1:N20001"/>');
        seen = book.rows.slice(1).map((r) => r.N!.value as string);
      }
      expect(new Set(seen).size).toBe(20_000);
    }
    const [count] = await db
      .select({ rows: sql<number>`(data->>'rows')::int` })
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'observatory.exported'), eq(auditEvents.territoryId, territory.id)));
    expect(count!.rows).toBe(20_000);
  });
});
