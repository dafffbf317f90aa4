import { ConfigError, loadConfig } from './config.ts';
import { DataDirectoryLockedError } from './db/lock.ts';
import { communes } from './modules/geo/communes.ts';
import { startRelais } from './runtime.ts';
import { DEMO_PASSWORD, seedDemo } from './seed/demo.ts';

// Opening hours are computed with the process's local time: keep it UTC, whatever the host says (ADR 8).
process.env.TZ = 'UTC';

/** `npm start`: opens the database, migrates, seeds the demo territory on first start, listens. */
async function main() {
  const config = loadConfig();
  const relais = await startRelais(config);
  const { app, ctx } = relais;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal} reçu : arrêt de Relais`);
    await relais.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const seeded = config.seedDemo ? await seedDemo(ctx, { now: ctx.clock.now() }) : null;
  await app.listen({ port: config.port, host: config.host });
  const lines = [
    '',
    `Relais est prêt : ${config.publicUrl}`,
    `  base de données : ${config.database.kind === 'pglite' ? `PGlite embarqué dans ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  courriels : ${ctx.mailer.describe()}`,
    `  documentation de l'API : ${config.publicUrl}/api/docs`,
  ];
  if (seeded) {
    lines.push(
      `  territoires de démonstration « Perche (Orne) » et « Lot — Grand Cahors » ${seeded.created ? 'créés' : 'déjà présents'} ; comptes (mot de passe ${DEMO_PASSWORD}) :`,
    );
    for (const a of seeded.accounts) lines.push(`    - ${a.email.padEnd(32)} ${a.role} (${a.where})`);
  }
  console.log(lines.join('\n'));
  // Load the communes now (about 1 s) rather than during the first public search.
  setImmediate(() => communes());
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error('Relais n’a pas pu démarrer / Relais failed to start:', error);
  }
  process.exit(1);
});
