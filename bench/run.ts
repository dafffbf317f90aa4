import { fileURLToPath } from 'node:url';
import { readOptions } from './lib/options.ts';
import { writeBenchmarks } from './lib/report.ts';

// Opening hours are computed with the process's local time: keep it UTC, whatever the host says (ADR 8).
process.env.TZ = 'UTC';

/**
 * `npm run bench [-- <section>...]`: runs every benchmark section (or the named ones) and rewrites
 * BENCHMARKS.md, keeping the sections that were not run. Add a section by adding a module here.
 */
interface BenchSection {
  id: string;
  title: string;
  run(options: ReturnType<typeof readOptions>): Promise<string>;
}

const sections: Record<string, () => Promise<BenchSection>> = {
  platform: () => import('./platform.bench.ts'),
  finder: () => import('./finder.bench.ts'),
  people: () => import('./people.bench.ts'),
  visits: () => import('./visits.bench.ts'),
  requests: () => import('./requests.bench.ts'),
  knowledge: () => import('./knowledge.bench.ts'),
  observatory: () => import('./observatory.bench.ts'),
};

const INTRO = `# Mesures de performance

\`npm run bench\` démarre la vraie application (Fastify, sur un port local) sur PGlite puis sur
PostgreSQL, et la mesure avec [autocannon](https://github.com/mcollina/autocannon) à 1, 10 et 50
clients simultanés. Dans la même exécution, sur la même base et à travers le même pool
node-postgres, une **référence brute** rejoue exactement les requêtes SQL que l'app a envoyées pour
la même requête HTTP (capturées sur le pool pendant une vraie requête, puis vérifiées : chaque
requête rejouée touche autant de lignes que dans l'app), avec le même nombre de boucles
concurrentes et la même durée. Ce fichier est réécrit à chaque exécution ; ne pas le modifier à la
main entre les marqueurs \`bench:…\`.

- \`npm run bench\` : tout ; \`npm run bench -- platform\` : une section. Sections : \`platform\` (lecture et
  écriture authentifiées) et \`finder\` (recherche publique des lieux les plus proches), environ 3 minutes à eux deux,
  \`people\` (recherche parmi 500 000 dossiers usagers : le chargement seul prend plusieurs minutes par
  base, environ 16 minutes au total à 1, 10 et 50 clients sur la machine décrite dans la section ; \`BENCH_PEOPLE=20000\` pour un essai rapide),
  \`visits\` (20 agents notent des accueils en même temps, environ 4 minutes),
  \`requests\` (boîte de réception des partenaires parmi 1 000 000 de saisines et 5 000 ouvertes, à 1, 10 et 50 référents, et
  balayage des délais de toutes les saisines ouvertes : environ 10 minutes pour les deux bases à 1 000 000 de saisines sur une machine calme, 25 sur une machine chargée, dont 2 à 7 min de chargement sur PGlite et 1,5 à 4 sur PostgreSQL ; \`BENCH_REQUESTS=20000\` pour un essai rapide, \`BENCH_REQUESTS_PGLITE\` pour une autre taille sur PGlite seul),
  \`knowledge\` (base de connaissances : qualité de la recherche des fiches sur le jeu de requêtes de référence, puis latence de la
  recherche et des suggestions parmi 5 000 fiches, environ 6 minutes ; \`BENCH_KB_SHEETS=500\` pour un essai rapide),
  \`observatory\` (PostgreSQL seul : génère l’année nationale, 10 millions d’accueils et 2 millions de saisines, dans la base
  \`relais_bench_observatory\`, puis mesure les tableaux de bord et l’export XLSX : environ 35 min de génération sur la machine décrite ;
  \`npm run bench -- observatory --scale=0.01\` pour un essai rapide, \`--keep\` garde la base, \`--reuse\` la remesure sans la régénérer).
- PostgreSQL : une base \`relais_bench_<aléatoire>\` est créée sur \`BENCH_DATABASE_URL\` (sinon
  \`TEST_DATABASE_URL\`, sinon \`postgres://postgres@127.0.0.1:5432/test\`) puis supprimée ; si le
  serveur ne répond pas, PostgreSQL est sauté avec un message. PGlite tourne dans un \`DATA_DIR\` temporaire.
- Réglages : \`BENCH_SECONDS\` (durée mesurée, 5 s), \`BENCH_WARMUP_SECONDS\` (chauffe jetée, 1 s),
  \`BENCH_CONCURRENCY\` (\`1,10,50\`), \`BENCH_DATABASES\` (\`pglite,postgres\`), \`BENCH_NOTE\`
  (remarque écrite sous la description de la machine). Essai rapide :
  \`BENCH_SECONDS=1 BENCH_WARMUP_SECONDS=0 npm run bench\`.

**Lire app/brut.** L'écart mesure ce que l'app ajoute au SQL qu'elle exécute : HTTP (analyse,
keep-alive, en-têtes), Fastify et ses hooks (cookie, métriques, en-têtes de sécurité), validation
et sérialisation zod, construction des requêtes et lecture des résultats par drizzle, contrôle
d'accès, hachage du jeton de session. La référence brute ne compte que l'aller-retour SQL via
node-postgres : mêmes textes SQL, mêmes paramètres (l'instant présent et la valeur écrite sont
renouvelés à chaque opération), même pool, mêmes transactions, sans HTTP ni drizzle. Un débit
app/brut de 0,5 veut dire que l'app sert deux fois moins de requêtes par seconde que le pilote seul
n'exécute les requêtes SQL correspondantes ; un p50 app/brut de 2, que la requête médiane de l'app
prend deux fois plus de temps. Quand les clients sont plus nombreux que les connexions du pool
(PGlite n'en a qu'une), tout le monde attend son tour : le débit est alors le chiffre à lire, les
latences dépendant surtout de l'ordre de passage.

Le générateur de charge HTTP (autocannon, connexions keep-alive, une requête en vol par connexion)
tourne dans un thread à part ; l'app, le pilote et PGlite (WebAssembly) partagent le thread
principal, PostgreSQL ses propres processus, sur les mêmes cœurs. Journaux à \`LOG_LEVEL=silent\`,
tâches de fond coupées, \`NODE_ENV=production\`. Les percentiles sont au rang le plus proche, sur
toutes les latences mesurées (réponses 2xx pour l'app).`;

const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
// `--name=value` options are read by the sections themselves (observatory: --scale=0.01).
const requested = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const name of requested) {
  if (!(name in sections)) {
    console.error(`Section inconnue / unknown section: ${name} (connues : ${Object.keys(sections).join(', ')})`);
    process.exit(2);
  }
}
const options = readOptions();
const fresh = new Map<string, string>();
for (const id of requested.length ? requested : Object.keys(sections)) {
  const section = await sections[id]!();
  console.log(`\n== ${section.title} ==`);
  fresh.set(id, await section.run(options));
}
writeBenchmarks(file, INTRO, Object.keys(sections), fresh);
console.log(`\n${file} mis à jour.`);
