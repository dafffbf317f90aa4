import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Clock } from './platform/clock.ts';
import type { SecretBox } from './platform/crypto.ts';
import type { FileStore, Scanner } from './platform/files/index.ts';
import type { Jobs } from './platform/jobs.ts';
import type { Mailer } from './platform/mail.ts';

/** What every module receives: configuration and the platform's services. No globals. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  mailer: Mailer;
  jobs: Jobs;
  secretBox: SecretBox;
  /** Attachment bytes, encrypted at rest (ADR 12), and the optional antivirus scan. */
  files: FileStore;
  scanner: Scanner;
}
