import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportView } from '../../../../contracts/imports.ts';
import type { ApiClient } from '../../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { auditEvents } from '../../audit/audit.schema.ts';
import { contactPointPartners, contactPoints, partnerOrganisations } from '../network.schema.ts';
import { DiService, DiStructure } from './data-inclusion.schema.ts';

let t: TestApp;
let coordinator: ApiClient;
let agent: ApiClient;
let base: string;
let territoryId: string;
const LONG = `Espace France Services labellisé : accompagnement aux démarches en ligne, impôts, retraite, santé, famille. ${'Deux agents vous reçoivent avec ou sans rendez-vous. '.repeat(5).trim()}`;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.ctx.db;
  const territory = await createTerritory(db, { departmentCode: '61' });
  territoryId = territory.id;
  base = `/api/territories/${territory.id}`;
  const fs = await createContactPoint(db, territory.id, {
    name: 'France Services de Bellême',
    kind: 'france_services',
    commune: 'Bellême',
    inseeCode: '61038',
    postcode: '61130',
    matricule: '9001',
    address: '2 place de la République',
    phone: '02 33 73 00 00',
    email: 'fs.belleme@exemple.fr',
    website: 'https://belleme.fr/france-services',
    latitude: 48.375,
    longitude: 0.562,
    openingHours: 'Mo-Fr 09:00-12:00',
    themes: ['famille', 'retraite', 'papiers-citoyennete'],
    description: LONG,
  });
  const mairie = await createContactPoint(db, territory.id, { name: 'Mairie de Longny', kind: 'mairie', commune: 'Longny-les-Villages' });
  await createContactPoint(db, territory.id, { name: 'Bus numérique', kind: 'bus', commune: 'Mortagne-au-Perche' });
  await createContactPoint(db, territory.id, { name: 'Ancienne MSAP', commune: 'Pervenchères', closedAt: new Date() });
  const caf = await createOrganisation(db, territory.id, { name: 'CAF de l’Orne', acronym: 'CAF', themes: ['famille', 'logement'] });
  const msa = await createOrganisation(db, territory.id, { name: 'MSA Mayenne-Orne-Sarthe', acronym: 'MSA', themes: ['retraite'] });
  await db.insert(contactPointPartners).values([
    { territoryId, contactPointId: fs.id, organisationId: caf.id, note: 'visio sur rendez-vous' },
    { territoryId, contactPointId: fs.id, organisationId: msa.id, note: null },
    { territoryId, contactPointId: mairie.id, organisationId: caf.id, note: 'permanence le 1er mardi' },
  ]);
  coordinator = await t.signIn(await createUser(db, { memberships: [{ territoryId, role: 'coordinator' }] }));
  agent = await t.signIn(await createUser(db, { memberships: [{ territoryId, role: 'agent', contactPointId: fs.id }] }));
});
afterAll(() => t.close());

/** The partners served in a territory, by place name and acronym (ids differ between territories). */
async function servedIn(territory: string) {
  const rows = await t.ctx.db
    .select({ place: contactPoints.name, partner: partnerOrganisations.acronym, note: contactPointPartners.note })
    .from(contactPointPartners)
    .innerJoin(contactPoints, eq(contactPoints.id, contactPointPartners.contactPointId))
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, contactPointPartners.organisationId))
    .where(eq(contactPointPartners.territoryId, territory));
  return rows.sort((a, b) => `${a.place}|${a.partner}`.localeCompare(`${b.place}|${b.partner}`));
}

describe('data·inclusion export', () => {
  it('exports the open contact points as structures and the partners served as services, all valid against the schema', async () => {
    const res = await agent.get(`${base}/exports/data-inclusion`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="data-inclusion-territoire-.*\.json"/);
    const { structures, services } = res.body as { structures: unknown[]; services: unknown[] };
    for (const s of structures) expect(DiStructure.safeParse(s).error?.issues ?? []).toEqual([]);
    for (const s of services) expect(DiService.safeParse(s).error?.issues ?? []).toEqual([]);
    expect(structures.map((s) => (s as DiStructure).nom).sort()).toEqual([
      'Bus numérique',
      'France Services de Bellême',
      'Mairie de Longny',
    ]);
    const fs = structures.find((s) => (s as DiStructure).id === '9001') as DiStructure;
    expect(fs).toMatchObject({
      source: 'relais',
      labels_nationaux: ['france-service'],
      typologie: 'RFS',
      telephone: '+33233730000',
      code_insee: '61038',
      code_postal: '61130',
      horaires_ouverture: 'Mo-Fr 09:00-12:00',
      presentation_detail: LONG,
      // « retraite » has no data·inclusion thématique: left out, not forced.
      thematiques: ['famille', 'acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives'],
    });
    expect(fs.presentation_resume!.length).toBeLessThanOrEqual(280);
    expect(services).toHaveLength(3);
    const cafAtFs = services.find((s) => (s as DiService).structure_id === '9001' && (s as DiService).nom.startsWith('CAF')) as DiService;
    expect(cafAtFs).toMatchObject({ modes_accueil: ['en-presentiel', 'a-distance'], thematiques: ['famille', 'logement-hebergement'] });
    const msaAtFs = services.find((s) => (s as DiService).nom.startsWith('MSA')) as DiService;
    expect(msaAtFs.thematiques).toBeNull();
  });

  it('imports its own export into another territory, and finds the same places again on a second import', async () => {
    const exported = (await coordinator.get(`${base}/exports/data-inclusion`)).body;
    const other = await createTerritory(t.ctx.db, { departmentCode: '61' });
    const admin = await t.signIn(await createUser(t.ctx.db, { isPlatformAdmin: true }));
    const send = async (territory: string) => {
      const res = await admin.post(`/api/territories/${territory}/imports`, {
        fileName: 'data-inclusion.json',
        format: 'data_inclusion',
        content: JSON.stringify(exported),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (await admin.get(`/api/territories/${territory}/imports/${res.body.id}`)).body as ImportView;
    };
    // The other territory has the same partners (its own rows, other ids).
    await createOrganisation(t.ctx.db, other.id, { name: 'CAF de l’Orne', acronym: 'CAF' });
    await createOrganisation(t.ctx.db, other.id, { name: 'MSA Mayenne-Orne-Sarthe', acronym: 'MSA' });
    const first = await send(other.id);
    expect(first.report!.counts).toMatchObject({ rows: 3, created: 3, updated: 0 });
    expect(first.report!.services).toMatchObject({ total: 3, linked: 3, alreadyLinked: 0, unmatched: [] });
    expect(first.report!.services!.links.map((l) => l.by)).toEqual(['nom', 'nom', 'nom']);
    // The same partners served at the same places, with their notes.
    expect(await servedIn(other.id)).toEqual(await servedIn(territoryId));
    const imported = await t.ctx.db.select().from(contactPoints).where(eq(contactPoints.territoryId, other.id));
    expect(imported.find((p) => p.matricule === '9001')).toMatchObject({
      kind: 'france_services',
      phone: '02 33 73 00 00',
      description: LONG,
      openingHours: 'Mo-Fr 09:00-12:00',
      source: 'data_inclusion',
    });
    expect(imported.find((p) => p.name === 'Mairie de Longny')!.kind).toBe('mairie');
    const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, other.id));
    expect(events.filter((e) => e.type === 'contact_point.partners_set')).toHaveLength(2); // one per place
    const second = await send(other.id);
    expect(second.report!.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(second.report!.services).toMatchObject({ total: 3, linked: 0, alreadyLinked: 3, unmatched: [] });
    expect(await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.territoryId, other.id))).toHaveLength(events.length + 1);
    // Back into the territory it came from: the same places, by matricule or by their own id; the same partners, by their id.
    const back = await send(territoryId);
    expect(back.report!.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(back.report!.services).toMatchObject({ linked: 0, alreadyLinked: 3, unmatched: [] });
  });

  it('reports the unusable cells of a data·inclusion file and refuses a file that is not one', async () => {
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    const admin = await t.signIn(await createUser(t.ctx.db, { isPlatformAdmin: true }));
    const url = `/api/territories/${territory.id}/imports`;
    const file = {
      structures: [
        {
          id: 'dora-1',
          nom: 'Centre social',
          commune: 'Bellême',
          code_insee: '61038',
          courriel: 'pas un courriel',
          horaires_ouverture: 'parfois',
        },
        { id: 'dora-2', nom: 'Sans commune' },
      ],
    };
    const res = await admin.post(url, { fileName: 'di.json', format: 'data_inclusion', content: JSON.stringify(file) });
    const run = (await admin.get(`${url}/${res.body.id}`)).body as ImportView;
    expect(run.report!.counts).toMatchObject({ rows: 2, created: 1, skipped: 1, flagged: 1, hoursCellsUnconverted: 1 });
    expect(run.report!.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, column: 'courriel', value: 'pas un courriel' }),
        expect.objectContaining({ line: 1, column: 'horaires_ouverture', value: 'parfois' }),
        expect.objectContaining({ line: 2, column: 'commune' }),
      ]),
    );
    const bad = await admin.post(url, { fileName: 'di.json', format: 'data_inclusion', content: '{"structures": [' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'IMPORT_FILE_INVALID' });
  });

  it('links the services whose partner it recognises, and reports every other one with its position and reason', async () => {
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    const caf = await createOrganisation(t.ctx.db, territory.id, { name: 'Caisse d’allocations familiales de l’Orne', acronym: 'CAF' });
    await createOrganisation(t.ctx.db, territory.id, { name: 'France Travail', acronym: 'FT', nationalCode: 'FRANCE_TRAVAIL' });
    await createOrganisation(t.ctx.db, territory.id, { name: 'Mission locale du Perche', acronym: 'ML' });
    const existing = await createContactPoint(t.ctx.db, territory.id, { name: 'Mairie de Mamers', matricule: 'dora-9' });
    const admin = await t.signIn(await createUser(t.ctx.db, { isPlatformAdmin: true }));
    const url = `/api/territories/${territory.id}/imports`;
    const file = {
      structures: [
        { id: 'dora-1', nom: 'Centre social du Theil', commune: 'Val-au-Perche', code_insee: '61484' },
        { id: 'dora-2', nom: 'Espace Sarthe', commune: 'Le Mans', code_insee: '72181' },
      ],
      services: [
        { id: 's1', structure_id: 'dora-1', nom: 'Permanence CAF', source: 'dora', recurrence: 'le 1er mardi' },
        { id: 's2', structure_id: 'dora-1', nom: 'Ateliers emploi', source: 'france-travail' },
        { id: 's3', structure_id: 'dora-1', nom: 'Permanence de l’URSSAF', source: 'dora' },
        { id: 's4', structure_id: 'dora-1', nom: 'Permanence commune CAF – France Travail', source: 'dora' },
        { id: 's5', structure_id: 'dora-2', nom: 'Permanence CAF', source: 'dora' },
        { id: 's6', structure_id: 'dora-404', nom: 'Permanence CAF', source: 'dora' },
        { id: 's7', structure_id: 'dora-9', nom: 'Permanence de la caf', source: 'dora' },
        { id: 's8', nom: 'Permanence CAF' },
      ],
    };
    const send = async (dryRun: boolean) => {
      const res = await admin.post(url, { fileName: 'di.json', format: 'data_inclusion', content: JSON.stringify(file), dryRun });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (await admin.get(`${url}/${res.body.id}`)).body as ImportView;
    };

    // A dry run shows the links, writes none.
    const dry = await send(true);
    expect(dry.report!.services).toMatchObject({ total: 8, linked: 3 });
    expect(await servedIn(territory.id)).toEqual([]);

    const run = await send(false);
    const services = run.report!.services!;
    expect(services.links.map((l) => [l.index, l.organisationName, l.by])).toEqual([
      [1, caf.name, 'nom'],
      [2, 'France Travail', 'source'],
      [7, caf.name, 'nom'],
    ]);
    expect(services.unmatched).toEqual([
      expect.objectContaining({
        index: 3,
        nom: 'Permanence de l’URSSAF',
        reason: expect.stringContaining('aucun partenaire du territoire'),
      }),
      expect.objectContaining({ index: 4, reason: expect.stringContaining('ambigu') }),
      expect.objectContaining({ index: 5, reason: expect.stringContaining('autre département') }),
      expect.objectContaining({ index: 6, reason: expect.stringContaining('inconnue') }),
      expect.objectContaining({ index: 8, reason: 'structure_id absent' }),
    ]);
    expect(await servedIn(territory.id)).toEqual([
      { place: 'Centre social du Theil', partner: 'CAF', note: 'le 1er mardi' },
      { place: 'Centre social du Theil', partner: 'FT', note: null },
      { place: existing.name, partner: 'CAF', note: null },
    ]);
    expect((await send(false)).report!.services).toMatchObject({ linked: 0, alreadyLinked: 3 });
    expect(await servedIn(territory.id)).toHaveLength(3);
  });
});
