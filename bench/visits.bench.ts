import { randomBytes } from 'node:crypto';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../server/test/factories.ts';
import { type BenchApp, forEachDatabase, signIn } from './lib/app.ts';
import { generatePerson } from './lib/french-people.ts';
import { measureHttp, requestKey } from './lib/http-load.ts';
import type { BenchOptions } from './lib/options.ts';
import { loadPeople, personId } from './lib/people-load.ts';
import { measureLoops } from './lib/raw-load.ts';
import { describeRun, markdownTable, rowPrinter, textTable } from './lib/report.ts';
import { type ComparisonRow, type Session, settle, traceAlone } from './lib/scenario.ts';
import { checkReplay, describeTrace, replayOf } from './lib/sql-trace.ts';
import { formatNumber } from './lib/stats.ts';

export const id = 'visits';
export const title = 'Accueils : 20 agents notent leurs accueils en même temps';

const AGENTS = 20;
const ORGANISATIONS = 8;
const PEOPLE = 4000;
const THEMES = ['famille', 'logement', 'emploi-formation', 'social-sante', 'retraite', 'argent-impots', 'mobilite'];

/** A territory of 20 contact points, one agent each, 8 partners, 4,000 person files held by them. */
async function seed(bench: BenchApp) {
  const db = bench.relais.ctx.db;
  const territory = await createTerritory(db, { slug: 'manche-bench', name: 'Manche (banc d’essai)', departmentCode: '50' });
  const organisations = [];
  for (let i = 1; i <= ORGANISATIONS; i++)
    organisations.push((await createOrganisation(db, territory.id, { name: `Partenaire ${i}`, acronym: `PART-${i}` })).id);
  const agents = [];
  for (let k = 0; k < AGENTS; k++) {
    const cp = await createContactPoint(db, territory.id, { name: `France Services ${String(k + 1).padStart(2, '0')}` });
    const user = await createUser(db, {
      email: `agent-${k + 1}@bench.relais.localhost`,
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }],
    });
    agents.push({ user, contactPointId: cp.id, people: [] as string[] });
  }
  await loadPeople(
    bench,
    territory.id,
    agents.map((a) => a.contactPointId),
    PEOPLE,
  );
  for (let i = 0; i < PEOPLE; i++) for (const k of generatePerson(i, AGENTS).contactPoints) agents[k]!.people.push(personId(i));
  return { territory, organisations, agents };
}

/** Four kinds of visit an agent logs in turn, two of them about a person file their contact point holds. */
function bodiesFor(agent: { contactPointId: string; people: string[] }, k: number, organisations: string[]) {
  const org = (j: number) => organisations[(k + j) % organisations.length]!;
  const theme = (j: number) => THEMES[(k + j) % THEMES.length]!;
  const visits = [
    {
      channel: 'sur_place',
      organisationIds: [org(0)],
      themeCodes: [theme(0)],
      actions: ['information'],
      autonomy: 'seul',
      durationMinutes: 10,
    },
    {
      channel: 'telephone',
      organisationIds: [org(1), org(2)],
      themeCodes: [theme(1), theme(2)],
      actions: ['aide_demarche_en_ligne', 'rendez_vous_pris'],
      autonomy: 'avec_aide',
      durationMinutes: 25,
      personId: agent.people[0],
    },
    {
      channel: 'sur_place',
      organisationIds: [org(3)],
      themeCodes: [theme(3), theme(4)],
      actions: ['dossier_prepare'],
      autonomy: 'fait_pour',
      durationMinutes: 40,
      personId: agent.people[1],
    },
    {
      channel: 'courriel',
      organisationIds: [org(4), org(5)],
      themeCodes: [theme(5)],
      actions: ['information', 'reorientation'],
      autonomy: 'seul',
      durationMinutes: 5,
    },
  ];
  return visits.map((v) => JSON.stringify({ contactPointId: agent.contactPointId, ...v, idempotencyKey: '{key}' }));
}

const prefix = () => randomBytes(4).toString('hex');

async function storedWith(bench: BenchApp, keyPrefix: string): Promise<number> {
  const { rows } = await bench.relais.ctx.database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM visits WHERE idempotency_key LIKE $1',
    [`${keyPrefix}-%`],
  );
  return rows[0]!.n;
}

export async function run(options: BenchOptions): Promise<string> {
  const rows: ComparisonRow[] = [];
  const engines: string[] = [];
  const poolSizes: string[] = [];
  const notes: string[] = [];
  let traced = '';
  const printRow = rowPrinter();
  const skipped = await forEachDatabase(options, async (bench) => {
    engines.push(bench.engine);
    poolSizes.push(`${bench.label} ${bench.poolSize}`);
    const { territory, organisations, agents } = await seed(bench);
    const path = `/api/territories/${territory.id}/visits`;
    const pool = bench.relais.ctx.database.pool;

    // Each agent signs in, then each of their four visits is sent once alone while the pool is traced.
    const clients: { headers: Record<string, string>; bodyTemplates: string[] }[] = [];
    const replays: ((i: number) => Promise<(number | null)[]>)[][] = [];
    const capture = prefix();
    const rawKeys = { warmup: prefix(), measured: prefix() };
    let rawPrefix = rawKeys.warmup;
    for (const [k, agent] of agents.entries()) {
      const session: Session = await signIn(bench.baseUrl, agent.user);
      const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
      const bodyTemplates = bodiesFor(agent, k, organisations);
      clients.push({ headers, bodyTemplates });
      const own = [];
      for (const [t, template] of bodyTemplates.entries()) {
        const key = requestKey(capture, k * 4 + t);
        const trace = await traceAlone(bench, () =>
          fetch(bench.baseUrl + path, { method: 'POST', headers, body: template.replace('{key}', key) }),
        );
        if (k === 0 && t === 1) traced = describeTrace(trace).join(';\n');
        const replay = replayOf(pool, trace, (value, i) => value.replaceAll(key, requestKey(rawPrefix, i)));
        await checkReplay(trace, () => replay(1_000_000 + k * 4 + t));
        own.push(replay);
      }
      replays.push(own);
    }

    await settle(bench);
    const appKeys = prefix();
    const app = await measureHttp(
      {
        baseUrl: bench.baseUrl,
        method: 'POST',
        paths: [path],
        headers: {},
        clients,
        keyPrefix: appKeys,
        connections: AGENTS,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
      },
      () => settle(bench),
    );
    await settle(bench);
    const appStored = await storedWith(bench, appKeys);
    const answered = Object.entries(app.statusCodes)
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, n]) => sum + n, 0);

    const turn = Array.from({ length: AGENTS }, () => 0);
    const operation = (i: number, loop: number) => replays[loop]![turn[loop]!++ % 4]!(i);
    if (options.warmupSeconds > 0) await measureLoops(operation, { concurrency: AGENTS, seconds: options.warmupSeconds, warmupSeconds: 0 });
    rawPrefix = rawKeys.measured;
    const raw = await measureLoops(operation, { concurrency: AGENTS, seconds: options.seconds, warmupSeconds: 0 });
    const rawStored = await storedWith(bench, rawKeys.measured);

    const gap = appStored - answered;
    if (gap < 0 || gap > AGENTS || rawStored !== raw.count)
      console.warn(`ÉCART ANORMAL / unexpected count: app ${appStored} stored for ${answered} 2xx, raw ${rawStored} for ${raw.count}`);
    notes.push(
      `${bench.label} : ${formatNumber(appStored)} accueils enregistrés pour ${formatNumber(answered)} réponses 2xx de l’app (${JSON.stringify(app.statusCodes)}) — écart ${formatNumber(gap)} : requêtes en vol à l’arrêt du générateur, traitées par le serveur mais dont la réponse n’a pas été attendue (20 au plus) ; référence brute : ${formatNumber(rawStored)} accueils pour ${formatNumber(raw.count)} opérations réussies`,
    );
    console.log(notes.at(-1));
    const row = { database: bench.label, scenario: 'noter un accueil', concurrency: AGENTS, app, raw };
    rows.push(row);
    printRow(row);
  });

  console.log(`\n${textTable(rows)}`);
  return [
    `## ${title}`,
    '',
    `Un territoire de ${AGENTS} lieux d’accueil, ${ORGANISATIONS} partenaires et ${formatNumber(PEOPLE)} dossiers usagers. **${AGENTS} agents**, chacun connecté avec sa propre session à son propre lieu, notent des accueils aussi vite qu’ils le peuvent : \`POST /api/territories/:id/visits\` avec une clé d’idempotence neuve à chaque envoi, en tournant sur quatre accueils réalistes (sur place, téléphone ou courriel ; un ou deux partenaires, un ou deux thèmes, une ou deux actions, autonomie, durée ; deux sur quatre rattachés à un dossier usager que le lieu tient). Chaque envoi : session, rôles, contrôle d’accès, recherche de la clé d’idempotence, vérification du territoire, du lieu, des partenaires, des thèmes et du dossier, puis dans une transaction l’accueil et l’événement du journal d’audit, et enfin la relecture de l’accueil pour la réponse.`,
    '',
    `La **référence brute** rejoue, dans ${AGENTS} boucles (une par agent), le SQL que l’app a envoyé pour chacun des quatre accueils de chaque agent (capturé pendant un vrai envoi), avec une clé d’idempotence neuve à chaque fois : mêmes insertions, même transaction. Après chaque mesure, le nombre d’accueils enregistrés est compté en base et comparé au nombre de réponses 2xx.`,
    '',
    describeRun(options, { engines, poolSizes, skipped, notes }).replace('par niveau de concurrence', `à ${AGENTS} clients`),
    '',
    'Latences en millisecondes. « Débit app/brut » = accueils/s de l’app ÷ accueils/s du pilote brut ; « p50 app/brut » = latence médiane de l’app ÷ celle du pilote brut.',
    '',
    '**Lire ce tableau.** Un envoi, ce sont les requêtes SQL listées plus bas (session, contrôles, transaction d’écriture, relecture) : la référence brute les enchaîne sans HTTP, zod ni drizzle. Sur PostgreSQL, les 20 agents se partagent les 10 connexions du pool ; sur PGlite tout passe par une seule connexion, qu’une transaction garde jusqu’à son COMMIT : les accueils/s sont alors le chiffre à lire, la latence étant surtout l’attente de son tour. L’écart entre accueils enregistrés et réponses 2xx (notes ci-dessus) compte les envois encore en cours quand le générateur s’arrête : le serveur les termine, mais personne n’attend plus la réponse ; aucun accueil n’est perdu ni doublé (la clé d’idempotence est unique par agent).',
    '',
    markdownTable(rows),
    '',
    '<details><summary>SQL d’un envoi (accueil rattaché à un dossier), rejoué par la référence brute</summary>',
    '',
    '```sql',
    `${traced};`,
    '```',
    '',
    '</details>',
  ].join('\n');
}
