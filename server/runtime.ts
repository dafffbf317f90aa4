import type { App } from './app.ts';
import { buildApp } from './app.ts';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { outboxKeeper } from './modules/notifications/outbox.service.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import { createSecretBox } from './platform/crypto.ts';
import { createFileStore, createScanner } from './platform/files/index.ts';
import { createJobs } from './platform/jobs.ts';
import { createMailer, type Mailer } from './platform/mail.ts';

export interface Relais {
  app: App;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Wires the platform around an open database: context, app, jobs. Used by main, tests and bench. */
export async function assemble(
  config: Config,
  database: Database,
  options: { clock?: Clock; mailer?: Mailer; logger?: boolean } = {},
): Promise<Relais> {
  const jobs = createJobs(database, { enabled: config.jobs, log: (msg, err) => console.error(msg, err) });
  const clock = options.clock ?? systemClock;
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    clock,
    // Without SMTP, every email is also kept for the in-app outbox (/boite-mail).
    mailer: options.mailer ?? createMailer(config, { keep: outboxKeeper(database.db, clock) }),
    jobs,
    secretBox: createSecretBox(config.secretKey),
    files: createFileStore(config.files, config.secretKey),
    scanner: createScanner(config),
  };
  const app = await buildApp(ctx, { logger: options.logger });
  await app.ready();
  await jobs.start();
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

/** Opens the configured database, migrates it, and assembles the app. */
export async function startRelais(config: Config, options: Parameters<typeof assemble>[2] = {}): Promise<Relais> {
  const database = await openDatabase(config.database);
  try {
    await migrateDatabase(database);
    return await assemble(config, database, options);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
