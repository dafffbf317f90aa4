import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import { normalise } from '../modules/knowledge/analyse.ts';
import { importFiles, parseSheetMarkdown } from '../modules/knowledge/io.ts';
import { kbSheets } from '../modules/knowledge/knowledge.schema.ts';
import { partnerOrganisations, territories } from '../modules/network/network.schema.ts';

/** The demo answer sheets: Markdown files with front matter, the import format. */
export const DEMO_SHEETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'knowledge', 'sheets');
const SEED_LOCK = 7_246_601;

export function demoSheetFiles(): { name: string; text: string }[] {
  if (!existsSync(DEMO_SHEETS_DIR)) return [];
  return readdirSync(DEMO_SHEETS_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(DEMO_SHEETS_DIR, name), 'utf8') }));
}

/**
 * Imports the demo sheets into each demo territory that has none yet, through the import
 * (as published, with their verification dates): those of partners the territory does not
 * have are left out. Returns the number of sheets created.
 */
export async function seedDemoKnowledge(ctx: AppContext, slugs: string[], now: Date): Promise<number> {
  const files = demoSheetFiles();
  if (!files.length) return 0;
  const places = await ctx.db.select({ id: territories.id }).from(territories).where(inArray(territories.slug, slugs));
  let created = 0;
  for (const place of places) {
    created += await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
      const [existing] = await tx.select({ n: count() }).from(kbSheets).where(eq(kbSheets.territoryId, place.id));
      if (existing!.n > 0) return 0;
      const orgs = await tx
        .select({ code: partnerOrganisations.nationalCode, acronym: partnerOrganisations.acronym })
        .from(partnerOrganisations)
        .where(eq(partnerOrganisations.territoryId, place.id));
      const present = new Set(orgs.flatMap((o) => [normalise(o.acronym), normalise(o.code ?? '')]));
      const mine = files.filter((f) => {
        const org = parseSheetMarkdown(f.text).organisation;
        return !org || present.has(normalise(org));
      });
      const report = await importFiles(tx, place.id, mine, null, false, now);
      if (report.errors.length) throw new Error(`démo : fiches refusées : ${JSON.stringify(report.errors)}`);
      return report.created;
    });
  }
  return created;
}
