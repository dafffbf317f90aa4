import type { AppContext } from '../../../app-context.ts';
import { IMPORT_JOB, type ImportJobData, PURGE_JOB, purgeAbandonedImportFiles, runImport } from './import.service.ts';

/** Imports run in the background (pg-boss): the web request that starts one returns at once. */
export function registerImportJobs(ctx: AppContext) {
  ctx.jobs.register(IMPORT_JOB, async (data) => {
    await runImport(ctx, data as ImportJobData);
  });
  ctx.jobs.register(
    PURGE_JOB,
    async () => {
      await purgeAbandonedImportFiles(ctx);
    },
    { cron: '45 3 * * *' },
  );
}
