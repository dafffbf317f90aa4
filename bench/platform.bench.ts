import { createContactPoint, createOrganisation, createTerritory, createUser } from '../server/test/factories.ts';
import { type BenchApp, forEachDatabase, signIn } from './lib/app.ts';
import type { BenchOptions } from './lib/options.ts';
import { describeRun, markdownTable, rowPrinter, textTable } from './lib/report.ts';
import { type ComparisonRow, type HttpScenario, runHttpScenario } from './lib/scenario.ts';
import { describeTrace, type SqlTrace } from './lib/sql-trace.ts';

export const id = 'platform';
export const title = 'Plateforme : lecture et écriture authentifiées';

const COMMUNES = ['Mortagne-au-Perche', 'Bellême', 'Longny-les-Villages', 'Rémalard-en-Perche', 'Tourouvre-au-Perche', 'Le Theil'];
const CONTACT_POINTS = 50;
const ORGANISATIONS = 16;

/** A territory as a coordinator sees it: ~50 contact points, 16 partners, and a neighbour territory. */
async function seed(bench: BenchApp) {
  const db = bench.relais.ctx.db;
  const territory = await createTerritory(db, { slug: 'perche-bench', name: 'Perche (banc d’essai)' });
  const contactPoints = [];
  for (let i = 1; i <= CONTACT_POINTS; i++) {
    contactPoints.push(
      await createContactPoint(db, territory.id, {
        name: `Lieu d’accueil ${String(i).padStart(2, '0')}`,
        kind: i % 5 === 0 ? 'mairie' : 'france_services',
        commune: COMMUNES[i % COMMUNES.length]!,
      }),
    );
  }
  for (let i = 1; i <= ORGANISATIONS; i++) await createOrganisation(db, territory.id, { name: `Partenaire ${i}`, acronym: `PART-${i}` });
  const neighbour = await createTerritory(db, { slug: 'voisin-bench', name: 'Territoire voisin' });
  for (let i = 1; i <= 10; i++) await createContactPoint(db, neighbour.id, { name: `Lieu voisin ${i}` });
  const coordinator = await createUser(db, {
    email: 'coordination@bench.relais.localhost',
    displayName: 'Coordination du banc d’essai',
    memberships: [{ territoryId: territory.id, role: 'coordinator' }],
  });
  return { territory, contactPoints, coordinator };
}

const sqlBlock = (label: string, trace: SqlTrace) =>
  [`${label} :`, '', '```sql', ...describeTrace(trace).map((s) => `${s};`), '```'].join('\n');

export async function run(options: BenchOptions): Promise<string> {
  const rows: ComparisonRow[] = [];
  const engines: string[] = [];
  const poolSizes: string[] = [];
  const traces: string[] = [];
  const printRow = rowPrinter();
  const skipped = await forEachDatabase(options, async (bench) => {
    engines.push(bench.engine);
    poolSizes.push(`${bench.label} ${bench.poolSize}`);
    const seeding = performance.now();
    const { territory, contactPoints, coordinator } = await seed(bench);
    console.log(`${bench.label} : données créées en ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const scenarios: HttpScenario[] = [
      {
        name: 'lecture',
        method: 'GET',
        targets: [territory.id],
        path: (t) => `/api/territories/${t}/contact-points`,
      },
      {
        name: 'écriture',
        method: 'PATCH',
        targets: contactPoints.map((cp) => cp.id),
        path: (cp) => `/api/territories/${territory.id}/contact-points/${cp}`,
        bodyTemplate: '{"commune":"Commune {n}"}',
      },
    ];
    for (const scenario of scenarios) {
      // A fresh session per scenario: the app refreshes a session's last-seen time once a minute,
      // and that refresh must not land in the traced request (the baseline would replay it each time).
      const session = await signIn(bench.baseUrl, coordinator);
      const result = await runHttpScenario(bench, session, scenario, options, printRow);
      rows.push(...result.rows);
      if (traces.length < scenarios.length)
        traces.push(sqlBlock(`${scenario.name} (${result.trace.statements.length} requêtes)`, result.trace));
    }
  });

  console.log(`\n${textTable(rows)}`);
  return [
    `## ${title}`,
    '',
    'Une personne de la coordination, connectée (cookie de session), sur un territoire de 50 lieux d’accueil et 16 partenaires :',
    '',
    '- **lecture** : `GET /api/territories/:id/contact-points` (session, rôles, liste des 50 lieux triée par nom) ;',
    '- **écriture** : `PATCH /api/territories/:id/contact-points/:cpId` avec une commune qui change à chaque requête, en tournant sur les 50 lieux (session, rôles, contrôle d’accès, lecture avant modification, puis dans une transaction la mise à jour et l’événement du journal d’audit ; en-tête CSRF).',
    '',
    describeRun(options, { engines, poolSizes, skipped }),
    '',
    'Latences en millisecondes. « Débit app/brut » = req/s de l’app ÷ op/s du pilote brut (1 = aucun surcoût) ; « p50 app/brut » = latence médiane de l’app ÷ celle du pilote brut. La référence brute de l’écriture tourne sur les mêmes 50 lieux et écrit elle aussi une commune différente à chaque fois.',
    '',
    'Sur PGlite, une seule connexion sert tout le processus : à plusieurs clients, chacun attend son tour et le débit est le chiffre à lire. Le pont node-postgres de PGlite ne rendait pas la main à la boucle d’événements de Node entre deux requêtes (le serveur lisait alors les requêtes HTTP par vagues) ; `server/db/pglite-shim.ts` lui fait passer chaque requête au tour suivant de la boucle (ADR 3), au prix d’un peu de débit brut.',
    '',
    markdownTable(rows),
    '',
    '<details><summary>SQL rejoué par la référence brute (capturé sur le pool pendant une vraie requête)</summary>',
    '',
    traces.join('\n\n'),
    '',
    '</details>',
  ].join('\n');
}
