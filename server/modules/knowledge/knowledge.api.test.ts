import { and, eq } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../../contracts/knowledge.ts';
import { fixedClock } from '../../platform/clock.ts';
import { demoSheetFiles } from '../../seed/knowledge.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { notifications } from '../requests/requests.schema.ts';
import { importFiles } from './io.ts';
import { flagSheetsToReview } from './knowledge.jobs.ts';
import { kbSheets, kbSheetVersions } from './knowledge.schema.ts';

const clock = fixedClock(new Date('2026-11-30T10:00:00Z'));
let t: TestApp;
let territoryId: string;
let otherTerritoryId: string;
const org: Record<string, string> = {};
const c = {} as Record<'agent' | 'caf' | 'cpam' | 'coordinator' | 'outsider' | 'otherCoordinator', ApiClient>;
const users: Record<string, string> = {};
const kb = () => `/api/territories/${territoryId}/knowledge`;

const sheetBody = (over: Record<string, unknown> = {}) => ({
  title: 'Faire sa demande de bourse de collège',
  summary: 'Demande en ligne au collège, à la rentrée.',
  organisationId: org.CAF,
  themeCodes: ['famille'],
  keywords: ['bourse', 'collège'],
  sections: { steps: '1. Se connecter aux services en ligne du collège\n2. Joindre l’avis d’impôt' },
  status: 'publiee',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({ clock });
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const other = await createTerritory(db);
  territoryId = territory.id;
  otherTerritoryId = other.id;
  const codes = [
    'CAF',
    'CPAM',
    'ADIL',
    'FRANCE_TRAVAIL',
    'DGFIP',
    'ANTS',
    'CNAV',
    'MSA',
    'LA_POSTE',
    'JUSTICE',
    'CCAS',
    'CIDFF',
    'DEPARTEMENT',
    'MDPH',
  ];
  for (const code of [...codes, 'MISSION_LOCALE', 'UDAF'])
    org[code] = (
      await createOrganisation(db, territoryId, { nationalCode: code, acronym: code === 'FRANCE_TRAVAIL' ? 'France Travail' : code })
    ).id;
  await createOrganisation(db, otherTerritoryId, { nationalCode: 'CAF', acronym: 'CAF' });
  const place = await createContactPoint(db, territoryId);
  const otherPlace = await createContactPoint(db, otherTerritoryId);
  const specs = {
    agent: [{ territoryId, role: 'agent' as const, contactPointId: place.id }],
    caf: [{ territoryId, role: 'referent' as const, organisationId: org.CAF }],
    cpam: [{ territoryId, role: 'referent' as const, organisationId: org.CPAM }],
    coordinator: [{ territoryId, role: 'coordinator' as const }],
    outsider: [{ territoryId: otherTerritoryId, role: 'agent' as const, contactPointId: otherPlace.id }],
    otherCoordinator: [{ territoryId: otherTerritoryId, role: 'coordinator' as const }],
  };
  for (const [name, memberships] of Object.entries(specs)) {
    const user = await createUser(db, { memberships, displayName: `Compte ${name}` });
    users[name] = user.id;
    c[name as keyof typeof c] = await t.signIn(user);
  }
  // The demo base, through the import the seed uses (no rights: the seed is the system).
  const files = demoSheetFiles();
  const report = await db.transaction((tx) => importFiles(tx, territoryId, files, null, false, clock.now()));
  expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
  expect(report.created).toBeGreaterThanOrEqual(40);
});
afterAll(() => t?.close());

describe('search', () => {
  it('finds the housing aid sheet from a misspelt query, says what it corrected, and highlights the words', async () => {
    const res = await c.agent.get(`${kb()}/sheets?q=${encodeURIComponent('alocation logement')}`);
    expect(res.status).toBe(200);
    expect(res.body.corrections).toContainEqual({ from: 'alocation', to: 'allocation' });
    expect(res.body.items[0].slug).toBe('caf-aide-logement');
    expect(res.body.items[0].organisation.acronym).toBe('CAF');
    expect(`${res.body.items[0].titleHighlight}${res.body.items[0].excerpt}`).toContain(HIGHLIGHT_START);
    expect(res.body.items[0].excerpt).toContain(HIGHLIGHT_END);
  });

  it('reads acronyms and familiar words through the synonym groups', async () => {
    const apl = await c.agent.get(`${kb()}/sheets?q=APL`);
    expect(apl.body.items[0].slug).toBe('caf-aide-logement');
    expect(apl.body.expansions[0].term).toBe('apl');
    expect(apl.body.expansions[0].alternatives).toContain('aide au logement');
    const css = await c.agent.get(`${kb()}/sheets?q=${encodeURIComponent('je n’ai plus de mutuelle')}`);
    expect(css.body.items[0].slug).toBe('cpam-complementaire-sante-solidaire');
    const accents = await c.agent.get(`${kb()}/sheets?q=${encodeURIComponent('declarer ses revenus impots')}`);
    expect(accents.body.items[0].slug).toBe('dgfip-declaration-revenus');
  });

  it('filters by partner and theme, with facets that keep the other choices visible', async () => {
    const all = await c.agent.get(`${kb()}/sheets?q=attestation`);
    expect(all.body.total).toBeGreaterThan(3);
    const orgs = all.body.facets.organisations.map((o: { id: string }) => o.id);
    expect(orgs).toContain(org.CPAM);
    const cpam = await c.agent.get(`${kb()}/sheets?q=attestation&organisationId=${org.CPAM}`);
    expect(cpam.body.items.length).toBeGreaterThan(0);
    expect(cpam.body.items.every((i: { organisation: { id: string } }) => i.organisation.id === org.CPAM)).toBe(true);
    expect(cpam.body.total).toBe(all.body.facets.organisations.find((o: { id: string }) => o.id === org.CPAM).count);
    // The partner facet ignores the partner filter.
    expect(cpam.body.facets.organisations.length).toBe(all.body.facets.organisations.length);
    const theme = await c.agent.get(`${kb()}/sheets?theme=retraite`);
    expect(theme.body.items.length).toBeGreaterThan(2);
    expect(theme.body.items.every((i: { themes: { code: string }[] }) => i.themes.some((x) => x.code === 'retraite'))).toBe(true);
  });

  it('answers bad input with a French problem, and nothing to people of another territory', async () => {
    const long = await c.agent.get(`${kb()}/sheets?q=${'a'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.headers.get('content-type')).toContain('application/problem+json');
    const limit = await c.agent.get(`${kb()}/sheets?limit=5000`);
    expect(limit.status).toBe(400);
    const garbage = await c.agent.get(`${kb()}/sheets?q=${encodeURIComponent("'); DROP TABLE kb_sheets; -- <>&|!:*")}`);
    expect(garbage.status).toBe(200);
    expect((await c.outsider.get(`${kb()}/sheets?q=caf`)).status).toBe(403);
    const [any] = await t.ctx.db.select().from(kbSheets).where(eq(kbSheets.territoryId, territoryId)).limit(1);
    expect((await c.outsider.get(`${kb()}/sheets/${any!.id}`)).status).toBe(403);
    expect((await c.otherCoordinator.get(`/api/territories/${otherTerritoryId}/knowledge/sheets/${any!.id}`)).status).toBe(404);
  });
});

describe('writing and validation rights', () => {
  it('lets the partner publish its sheet, the agent only propose, and no one write another partner’s', async () => {
    expect((await c.agent.post(`${kb()}/sheets`, sheetBody())).body.code).toBe('FORBIDDEN');
    expect((await c.cpam.post(`${kb()}/sheets`, sheetBody())).status).toBe(403);
    // The CAF has a referent on Relais: the coordination does not publish for it.
    expect((await c.coordinator.post(`${kb()}/sheets`, sheetBody())).status).toBe(403);
    const created = await c.caf.post(`${kb()}/sheets`, sheetBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'publiee', version: 1, can: { edit: true }, stale: false });
    expect(created.body.verifiedBy.name).toBe('Compte caf');
    const seenByAgent = await c.agent.get(`${kb()}/sheets/${created.body.id}`);
    expect(seenByAgent.body.can).toEqual({ edit: false, propose: true });
    expect((await c.agent.request('PUT', `${kb()}/sheets/${created.body.id}`, { body: { ...sheetBody(), baseVersion: 1 } })).status).toBe(
      403,
    );
    // A partner with nobody on Relais: the coordination keeps its sheets; the network's own too.
    expect((await c.coordinator.post(`${kb()}/sheets`, sheetBody({ organisationId: org.ADIL, title: 'Impayés de loyer' }))).status).toBe(
      201,
    );
    expect(
      (await c.coordinator.post(`${kb()}/sheets`, sheetBody({ organisationId: null, title: 'Créer une adresse e-mail' }))).status,
    ).toBe(201);
    expect((await c.caf.post(`${kb()}/sheets`, sheetBody({ organisationId: null, title: 'Autre' }))).status).toBe(403);
    const owners = await c.coordinator.get(`${kb()}/owners`);
    const ownerIds = owners.body.map((o: { organisationId: string | null }) => o.organisationId);
    expect(ownerIds).toContain(null);
    expect(ownerIds).toContain(org.ADIL);
    expect(ownerIds).not.toContain(org.CAF);
    expect((await c.agent.get(`${kb()}/owners`)).body).toEqual([]);
  });

  it('keeps drafts to their owners', async () => {
    const draft = await c.caf.post(`${kb()}/sheets`, sheetBody({ title: 'Brouillon confidentiel de la CAF', status: 'brouillon' }));
    expect(draft.status).toBe(201);
    expect((await c.agent.get(`${kb()}/sheets/${draft.body.id}`)).status).toBe(404);
    expect((await c.cpam.get(`${kb()}/sheets/${draft.body.id}`)).status).toBe(404);
    expect((await c.coordinator.get(`${kb()}/sheets/${draft.body.id}`)).status).toBe(200);
    const search = await c.agent.get(`${kb()}/sheets?q=confidentiel`);
    expect(search.body.items.map((i: { id: string }) => i.id)).not.toContain(draft.body.id);
    expect((await c.agent.get(`${kb()}/sheets?q=confidentiel&status=brouillon`)).body.total).toBe(0);
    const own = await c.caf.get(`${kb()}/sheets?q=confidentiel&status=brouillon`);
    expect(own.body.items.map((i: { id: string }) => i.id)).toContain(draft.body.id);
  });

  it('refuses unknown partners and themes with a clear error, and writes nothing', async () => {
    const before = await t.ctx.db.$count(kbSheets);
    const theme = await c.caf.post(`${kb()}/sheets`, sheetBody({ themeCodes: ['inexistant'] }));
    expect(theme.status).toBe(422);
    expect(theme.body.code).toBe('KNOWLEDGE_THEME_UNKNOWN');
    const otherOrg = await c.caf.post(`${kb()}/sheets`, sheetBody({ organisationId: '00000000-0000-4000-8000-000000000000' }));
    expect(otherOrg.body.code).toBe('KNOWLEDGE_ORGANISATION_UNKNOWN');
    const empty = await c.caf.post(`${kb()}/sheets`, sheetBody({ sections: { steps: '' } }));
    expect(empty.status).toBe(400);
    expect(await t.ctx.db.$count(kbSheets)).toBe(before);
  });

  it('renders Markdown safely: no raw HTML, no script links, external links in a new window', async () => {
    const res = await c.caf.post(
      `${kb()}/sheets`,
      sheetBody({
        title: 'Fiche piégée',
        sections: {
          steps: '<script>alert(1)</script>\n\n[caf](https://www.caf.fr) <img src=x onerror=alert(1)>\n\n# Titre',
          links: '![pixel](https://traceur.example/p.gif)',
        },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const html = res.body.html.steps as string;
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://www.caf.fr" target="_blank" rel="noopener noreferrer"');
    expect(html).toContain('<h3>Titre</h3>');
    expect(res.body.html.links).not.toContain('<img');
    const preview = await c.agent.post(`${kb()}/preview`, { markdown: '**gras** <b>brut</b>' });
    expect(preview.body.html).toBe('<p><strong>gras</strong> &lt;b&gt;brut&lt;/b&gt;</p>\n');
    const script = await c.agent.post(`${kb()}/preview`, { markdown: '[clic](javascript:alert(1)) [x](data:text/html,hi)' });
    expect(script.body.html).not.toMatch(/href="(javascript|data)/i);
    // Saved, such a link is refused with the field named.
    const refused = await c.caf.post(`${kb()}/sheets`, sheetBody({ sections: { steps: '[clic](javascript:alert(1))' } }));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('KNOWLEDGE_LINK_REFUSED');
    expect(refused.body.errors[0].path).toBe('sections.steps');
  });
});

describe('versions, diffs and proposals', () => {
  it('versions every save, refuses a save based on an old version, and shows word diffs', async () => {
    const created = await c.caf.post(`${kb()}/sheets`, sheetBody({ title: 'Déclarer une naissance à la CAF' }));
    const id = created.body.id;
    const v2 = await c.caf.request('PUT', `${kb()}/sheets/${id}`, {
      body: {
        ...sheetBody({ title: 'Déclarer une naissance à la CAF' }),
        sections: { steps: '1. Se connecter à caf.fr\n2. Joindre l’acte de naissance' },
        changeNote: 'pièce à joindre',
        baseVersion: 1,
      },
    });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    const stale = await c.caf.request('PUT', `${kb()}/sheets/${id}`, { body: { ...sheetBody(), baseVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('SHEET_VERSION_CONFLICT');
    expect(stale.body.currentVersion).toBe(2);
    // Saving the same content makes no version.
    const same = await c.caf.request('PUT', `${kb()}/sheets/${id}`, {
      body: { ...sheetBody({ title: 'Déclarer une naissance à la CAF' }), sections: v2.body.sections, baseVersion: 2 },
    });
    expect(same.body.version).toBe(2);
    const versions = await c.agent.get(`${kb()}/sheets/${id}/versions`);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[0].note).toBe('pièce à joindre');
    const diff = await c.agent.get(`${kb()}/sheets/${id}/diff?from=1&to=2`);
    expect(diff.body.changes.map((ch: { field: string }) => ch.field)).toEqual(['steps']);
    const parts = diff.body.changes[0].parts as { kind: string; text: string }[];
    expect(
      parts
        .filter((p) => p.kind === 'added')
        .map((p) => p.text)
        .join(''),
    ).toContain('caf.fr');
    expect(
      parts
        .filter((p) => p.kind === 'removed')
        .map((p) => p.text)
        .join(''),
    ).toContain('services en ligne du collège');
    expect((await c.agent.get(`${kb()}/sheets/${id}/diff?from=1&to=9`)).status).toBe(404);
  });

  it('lets an agent propose a change that the partner accepts into a new version, once', async () => {
    const [sheet] = await t.ctx.db
      .select()
      .from(kbSheets)
      .where(and(eq(kbSheets.territoryId, territoryId), eq(kbSheets.slug, 'caf-prime-activite')));
    const proposal = await c.agent.post(`${kb()}/sheets/${sheet!.id}/proposals`, {
      baseVersion: sheet!.version,
      title: sheet!.title,
      summary: sheet!.summary,
      sections: {
        ...sheet!.sections,
        pitfalls: `${sheet!.sections.pitfalls}\n- Penser à la déclaration trimestrielle même sans changement.`,
      },
      comment: 'Oubli fréquent constaté à l’accueil',
    });
    expect(proposal.status).toBe(201);
    expect(proposal.body.can.review).toBe(false);
    expect(proposal.body.changes.map((ch: { field: string }) => ch.field)).toEqual(['pitfalls']);
    const told = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, users.caf!));
    expect(told.some((n) => n.kind === 'knowledge.proposal')).toBe(true);
    // The CPAM does not see it; the agent sees their own; the CAF reviews it.
    expect((await c.cpam.get(`${kb()}/proposals`)).body.map((p: { id: string }) => p.id)).not.toContain(proposal.body.id);
    expect((await c.cpam.get(`${kb()}/proposals/${proposal.body.id}`)).status).toBe(404);
    expect((await c.agent.get(`${kb()}/proposals`)).body.map((p: { id: string }) => p.id)).toContain(proposal.body.id);
    expect((await c.agent.post(`${kb()}/proposals/${proposal.body.id}/accept`, {})).status).toBe(403);
    const list = await c.caf.get(`${kb()}/proposals`);
    expect(list.body.find((p: { id: string }) => p.id === proposal.body.id).can.review).toBe(true);
    const accepted = await c.caf.post(`${kb()}/proposals/${proposal.body.id}/accept`, { comment: 'Merci !' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('acceptee');
    const after = await c.agent.get(`${kb()}/sheets/${sheet!.id}`);
    expect(after.body.version).toBe(sheet!.version + 1);
    expect(after.body.sections.pitfalls).toContain('déclaration trimestrielle même sans changement');
    const [version] = await t.ctx.db
      .select()
      .from(kbSheetVersions)
      .where(and(eq(kbSheetVersions.sheetId, sheet!.id), eq(kbSheetVersions.version, sheet!.version + 1)));
    expect(version!.proposalId).toBe(proposal.body.id);
    const again = await c.caf.post(`${kb()}/proposals/${proposal.body.id}/reject`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PROPOSAL_ALREADY_REVIEWED');
    const toAuthor = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, users.agent!));
    expect(toAuthor.some((n) => n.kind === 'knowledge.proposal_accepted')).toBe(true);
  });
});

describe('where the agent works', () => {
  it('suggests the partner’s sheets ranked by the words typed, and nothing without input', async () => {
    const res = await c.agent.get(`${kb()}/suggestions?organisationId=${org.CAF}&text=${encodeURIComponent('aide pour payer le loyer')}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0].slug).toBe('caf-aide-logement');
    expect(res.body.items.length).toBeLessThanOrEqual(5);
    const byTheme = await c.agent.get(`${kb()}/suggestions?themes=retraite`);
    expect(byTheme.body.items.length).toBeGreaterThan(0);
    expect(byTheme.body.items.every((i: { themes: { code: string }[] }) => i.themes.some((x) => x.code === 'retraite'))).toBe(true);
    expect((await c.agent.get(`${kb()}/suggestions`)).body.items).toEqual([]);
    // A visit about several partners: the sheets of each count.
    const both = await c.agent.get(`${kb()}/suggestions?organisationIds=${org.CAF},${org.CPAM}&themes=famille&limit=10`);
    const owners = new Set(both.body.items.map((i: { organisation: { id: string } | null }) => i.organisation?.id));
    expect(owners.has(org.CAF) && owners.has(org.CPAM)).toBe(true);
    const vitale = await c.agent.get(
      `${kb()}/suggestions?organisationIds=${org.CAF},${org.CPAM}&text=${encodeURIComponent('carte vitale perdue')}`,
    );
    expect(vitale.body.items[0].slug).toBe('cpam-carte-vitale');
    expect((await c.agent.get(`${kb()}/suggestions?organisationIds=caf`)).status).toBe(400);
  });

  it('records "did this sheet answer?" once per person and visit, the last answer counting', async () => {
    const [sheet] = await t.ctx.db
      .select()
      .from(kbSheets)
      .where(and(eq(kbSheets.territoryId, territoryId), eq(kbSheets.slug, 'cpam-carte-vitale')));
    const url = `${kb()}/sheets/${sheet!.id}/feedback`;
    expect((await c.agent.post(url, { helpful: true })).status).toBe(204);
    expect((await c.agent.post(url, { helpful: false })).status).toBe(204);
    expect((await c.coordinator.post(url, { helpful: true, context: 'passage' })).status).toBe(204);
    expect((await c.agent.post(url, { helpful: 'oui' })).status).toBe(400);
    const view = await c.agent.get(`${kb()}/sheets/${sheet!.id}`);
    expect(view.body.feedback).toEqual({ helpful: 1, notHelpful: 1 });
  });
});

describe('import and export', () => {
  it('exports Markdown files that another territory imports, then re-imports as unchanged', async () => {
    const res = await fetch(`${t.baseUrl}${kb()}/export`, { headers: { cookie: cookieOf(c.agent) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files);
    expect(names).toContain('fiches/caf/caf-aide-logement.md');
    const apl = strFromU8(files['fiches/caf/caf-aide-logement.md']!);
    expect(apl).toMatch(/^---\nslug: caf-aide-logement\n/);
    expect(apl).toContain('## Quand saisir le partenaire');
    // Drafts do not leave with an agent's export.
    expect(names.some((n) => n.includes('brouillon-confidentiel'))).toBe(false);
    const cafOnly = Object.fromEntries(Object.entries(files).filter(([n]) => n.startsWith('fiches/caf/')));
    const zip = Buffer.from(zipSync(cafOnly));
    const other = `/api/territories/${otherTerritoryId}/knowledge`;
    const dry = await c.otherCoordinator.request('POST', `${other}/import?dryRun=true`, {
      rawBody: zip as unknown as string,
      headers: { 'content-type': 'application/zip' },
    });
    expect(dry.status).toBe(200);
    expect(dry.body.created).toBe(Object.keys(cafOnly).length);
    expect(await t.ctx.db.$count(kbSheets, eq(kbSheets.territoryId, otherTerritoryId))).toBe(0);
    const real = await c.otherCoordinator.request('POST', `${other}/import`, {
      rawBody: zip as unknown as string,
      headers: { 'content-type': 'application/zip' },
    });
    expect(real.status).toBe(200);
    expect(await t.ctx.db.$count(kbSheets, eq(kbSheets.territoryId, otherTerritoryId))).toBe(Object.keys(cafOnly).length);
    const again = await c.otherCoordinator.request('POST', `${other}/import`, {
      rawBody: zip as unknown as string,
      headers: { 'content-type': 'application/zip' },
    });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: Object.keys(cafOnly).length });
  });

  it('rejects the whole import when one file is wrong, naming the file and the reason', async () => {
    const good = '---\nslug: une-fiche\ntitle: Une fiche du réseau\nthemes: [numerique]\n---\n## Étapes\n\n1. Faire\n';
    const zip = Buffer.from(
      zipSync({
        'a.md': strToU8(good),
        'b.md': strToU8('---\nslug: autre\ntitle: Autre\norganisation: INCONNU\n---\n## Étapes\n\nx\n'),
        'c.md': strToU8('---\nslug: lien\ntitle: Lien\n---\n## Étapes\n\n[x](javascript:alert(1))\n'),
        'd.md': strToU8('pas d’en-tête'),
        'e.md': strToU8('---\nslug: sec\ntitle: Section\n---\n## Divers\n\nx\n'),
      }),
    );
    const before = await t.ctx.db.$count(kbSheets, eq(kbSheets.territoryId, territoryId));
    const res = await c.coordinator.request('POST', `${kb()}/import`, {
      rawBody: zip as unknown as string,
      headers: { 'content-type': 'application/zip' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('KNOWLEDGE_IMPORT_INVALID');
    expect(res.body.report.errors.map((e: { file: string; code: string }) => [e.file, e.code])).toEqual([
      ['b.md', 'KNOWLEDGE_IMPORT_ORGANISATION'],
      ['c.md', 'KNOWLEDGE_IMPORT_LINK'],
      ['d.md', 'KNOWLEDGE_IMPORT_FRONT_MATTER'],
      ['e.md', 'KNOWLEDGE_IMPORT_SECTION_UNKNOWN'],
    ]);
    expect(await t.ctx.db.$count(kbSheets, eq(kbSheets.territoryId, territoryId))).toBe(before);
    expect((await c.agent.request('POST', `${kb()}/import`, { rawBody: good, headers: { 'content-type': 'text/markdown' } })).status).toBe(
      403,
    );
    const single = await c.coordinator.request('POST', `${kb()}/import`, { rawBody: good, headers: { 'content-type': 'text/markdown' } });
    expect(single.body.created).toBe(1);
  });

  it('imports a partner’s sheet brought by the coordination as a draft for the partner to validate', async () => {
    const md =
      '---\nslug: caf-nouvelle-fiche-importee\ntitle: Nouvelle fiche importée\norganisation: CAF\nstatus: publiee\n---\n## Étapes\n\n1. Faire\n';
    const res = await c.coordinator.request('POST', `${kb()}/import`, { rawBody: md, headers: { 'content-type': 'text/markdown' } });
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(kbSheets).where(eq(kbSheets.slug, 'caf-nouvelle-fiche-importee'));
    expect(row!.status).toBe('brouillon');
    expect(row!.verifiedAt).toBeNull();
    const overwrite = await c.coordinator.request('POST', `${kb()}/import`, {
      rawBody: md.replace('1. Faire', '1. Autre'),
      headers: { 'content-type': 'text/markdown' },
    });
    expect(overwrite.status).toBe(422);
    expect(overwrite.body.report.errors[0].code).toBe('KNOWLEDGE_IMPORT_FORBIDDEN');
  });
});

describe('review of old sheets', () => {
  it('flags sheets not verified for 12 months to their owners, once a month, until verified', async () => {
    const [sheet] = await t.ctx.db
      .select()
      .from(kbSheets)
      .where(and(eq(kbSheets.territoryId, territoryId), eq(kbSheets.slug, 'caf-rsa')));
    await t.ctx.db
      .update(kbSheets)
      .set({ verifiedAt: new Date('2025-10-01T00:00:00Z') })
      .where(eq(kbSheets.id, sheet!.id));
    const stale = await c.agent.get(`${kb()}/sheets/${sheet!.id}`);
    expect(stale.body.stale).toBe(true);
    expect(
      (await c.agent.get(`${kb()}/sheets?stale=true&organisationId=${org.CAF}`)).body.items.map((i: { id: string }) => i.id),
    ).toContain(sheet!.id);
    const flagged = await flagSheetsToReview(t.ctx);
    expect(flagged).toBeGreaterThanOrEqual(1);
    const told = await t.ctx.db.select().from(notifications).where(eq(notifications.userId, users.caf!));
    expect(told.filter((n) => n.kind === 'knowledge.review').length).toBe(1);
    expect(await flagSheetsToReview(t.ctx)).toBe(0);
    const verified = await c.caf.post(`${kb()}/sheets/${sheet!.id}/verify`);
    expect(verified.body.stale).toBe(false);
    expect((await c.agent.post(`${kb()}/sheets/${sheet!.id}/verify`)).status).toBe(403);
  });
});

function cookieOf(client: ApiClient): string {
  return [...(client as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
