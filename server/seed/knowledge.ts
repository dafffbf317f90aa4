import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import type { Executor } from '../db/client.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import { normalise } from '../modules/knowledge/analyse.ts';
import { importFiles, parseSheetMarkdown } from '../modules/knowledge/io.ts';
import { kbFeedback, kbProposals, kbSheets } from '../modules/knowledge/knowledge.schema.ts';
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

/** The Perche's demo agent and CAF referent, when this territory has them. */
async function demoPeople(tx: Executor, territoryId: string) {
  const rows = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.territoryId, territoryId), inArray(users.email, [DEMO_AGENT, DEMO_CAF_REFERENT])));
  const idOf = (email: string) => rows.find((r) => r.email === email)?.id ?? null;
  return { agent: idOf(DEMO_AGENT), referent: idOf(DEMO_CAF_REFERENT) };
}
const DEMO_AGENT = 'agent.bretoncelles@relais.demo';
const DEMO_CAF_REFERENT = 'referent.caf@relais.demo';

/**
 * What a network that uses its base looks like: agents' answers to « Cette fiche a-t-elle
 * répondu ? » on the most asked sheets, and one proposal from the Bretoncelles agent waiting for
 * the CAF referent.
 */
async function seedDemoUse(tx: Executor, territoryId: string, now: Date) {
  const { agent } = await demoPeople(tx, territoryId);
  if (!agent) return;
  const sheets = await tx
    .select()
    .from(kbSheets)
    .where(
      and(
        eq(kbSheets.territoryId, territoryId),
        inArray(kbSheets.slug, ['caf-prime-activite', 'caf-aide-logement', 'cpam-carte-vitale', 'ft-actualisation']),
      ),
    );
  if (!sheets.length) return;
  await tx.insert(kbFeedback).values(
    sheets.map((s, i) => ({
      territoryId,
      sheetId: s.id,
      userId: agent,
      context: 'passage' as const,
      target: `demo-${i}`,
      helpful: i !== 3,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const ppa = sheets.find((s) => s.slug === 'caf-prime-activite');
  if (ppa)
    await tx.insert(kbProposals).values({
      territoryId,
      sheetId: ppa.id,
      baseVersion: ppa.version,
      title: ppa.title,
      summary: ppa.summary,
      sections: {
        ...ppa.sections,
        pitfalls: `${ppa.sections.pitfalls}\n- Les revenus d’un auto-entrepreneur se déclarent en chiffre d’affaires du trimestre, pas en bénéfice : c’est l’erreur la plus fréquente à l’accueil.`,
      },
      comment: 'Trois personnes cette semaine se sont trompées sur le chiffre d’affaires à déclarer.',
      authorId: agent,
      createdAt: now,
    });
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
      await seedDemoUse(tx, place.id, now);
      return report.created;
    });
  }
  return created;
}
