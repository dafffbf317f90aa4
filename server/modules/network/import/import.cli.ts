import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import cliProgress from 'cli-progress';
import { eq } from 'drizzle-orm';
import type { ImportReport } from '../../../../contracts/imports.ts';
import type { AppContext } from '../../../app-context.ts';
import { AppError } from '../../../platform/errors.ts';
import { buildDataInclusionExport } from '../export/data-inclusion.ts';
import { territories } from '../network.schema.ts';
import { decodeFile } from './anct.ts';
import { createImportRun, runImport } from './import.service.ts';

/** The `import` and `export` commands of server/cli.ts: an administrator's tools, with a progress bar. */

async function territoryBySlug(ctx: AppContext, slug: string | undefined) {
  if (!slug) throw new CliUsageError('indiquez le territoire : --territory <identifiant>');
  const [territory] = await ctx.db.select().from(territories).where(eq(territories.slug, slug));
  if (!territory) throw new CliUsageError(`territoire inconnu : ${slug}`);
  return territory;
}

export class CliUsageError extends Error {}

const formats = { anct: 'anct_csv', 'data-inclusion': 'data_inclusion' } as const;

export async function importCommand(
  ctx: AppContext,
  args: { format?: string; file?: string; territory?: string; dryRun: boolean; allDepartments: boolean },
  out: (line: string) => void = console.log,
): Promise<number> {
  const format = formats[args.format as keyof typeof formats];
  if (!format) throw new CliUsageError('format d’import : anct ou data-inclusion');
  if (!args.file) throw new CliUsageError('indiquez le fichier à importer');
  const territory = await territoryBySlug(ctx, args.territory);
  const { text, encoding } = decodeFile(readFileSync(args.file));
  let run: Awaited<ReturnType<typeof createImportRun>>;
  try {
    run = await createImportRun(ctx, {
      territoryId: territory.id,
      format,
      fileName: basename(args.file),
      text: text.replace(/^\uFEFF/, ''),
      dryRun: args.dryRun,
      createdBy: null,
    });
  } catch (error) {
    if (error instanceof AppError) {
      out(error.message);
      return 1;
    }
    throw error;
  }
  out(`${basename(args.file)} (${encoding}) → ${territory.name}${args.dryRun ? ' — essai, rien ne sera écrit' : ''}`);
  const bar = new cliProgress.SingleBar(
    { format: 'Import [{bar}] {percentage} % | {value}/{total} lignes', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(run.total, 0);
  const done = await runImport(ctx, { importId: run.id, allDepartments: args.allDepartments, audit: { requestId: 'cli' } }, (n) =>
    bar.update(n),
  );
  bar.stop();
  if (done?.status !== 'done') {
    out(`Échec de l’import : ${done?.error ?? 'import introuvable'}`);
    return 1;
  }
  for (const line of summaryLines(done.report as ImportReport)) out(line);
  return 0;
}

/** The printed summary: counts, then every flagged cell, then every change. */
export function summaryLines(report: ImportReport): string[] {
  const c = report.counts;
  const lines = [
    `Lignes lues : ${c.rows} — créés : ${c.created}, modifiés : ${c.updated}, inchangés : ${c.unchanged}, ignorés : ${c.skipped}, signalés : ${c.flagged}`,
    `Cellules d’horaires converties : ${c.hoursCellsConverted}, à revoir : ${c.hoursCellsUnconverted}`,
  ];
  if (report.otherDepartments.length) {
    lines.push(
      `Lignes d’autres départements ignorées (--all-departments pour tout importer) : ${report.otherDepartments
        .map((d) => `${d.code} (${d.rows})`)
        .join(', ')}`,
    );
  }
  if (report.services) {
    const sv = report.services;
    lines.push(
      `Services data·inclusion : ${sv.total} — partenaires rattachés : ${sv.linked}, déjà rattachés : ${sv.alreadyLinked}, non rattachés : ${sv.unmatched.length}`,
    );
    for (const u of sv.unmatched) lines.push(`  service n° ${u.index}${u.nom ? ` « ${u.nom} »` : ''} : ${u.reason}`);
  }
  if (report.issues.length) lines.push('', 'Cellules signalées :');
  for (const i of report.issues) lines.push(`  ligne ${i.line}, ${i.column} « ${i.value.replace(/\s+/g, ' ')} » : ${i.reason}`);
  const updates = report.changes.filter((ch) => ch.action === 'updated');
  if (updates.length) lines.push('', 'Lieux modifiés :');
  for (const ch of updates) {
    lines.push(`  ligne ${ch.line}, ${ch.name} :`);
    for (const f of ch.fields) lines.push(`    ${f.field} : ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
  }
  return lines;
}

export async function exportCommand(
  ctx: AppContext,
  args: { format?: string; territory?: string; out?: string },
  out: (line: string) => void = console.log,
): Promise<number> {
  if (args.format !== 'data-inclusion') throw new CliUsageError('format d’export : data-inclusion');
  const territory = await territoryBySlug(ctx, args.territory);
  const { structures, services } = await buildDataInclusionExport(ctx, territory.id);
  const dir = args.out ?? '.';
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `data-inclusion-${territory.slug}.json`);
  writeFileSync(path, `${JSON.stringify({ structures, services }, null, 2)}\n`);
  out(`${structures.length} structures et ${services.length} services écrits dans ${path}`);
  return 0;
}
