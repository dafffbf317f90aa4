import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchOptions } from './options.ts';
import type { ComparisonRow } from './scenario.ts';
import { formatMs, formatNumber, formatRatio } from './stats.ts';

/** The machine a section was measured on, as Markdown list items. */
export function describeMachine(engines: string[]): string {
  const cpus = os.cpus();
  const [load1] = os.loadavg();
  return [
    `- Date : ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `- Processeur : ${cpus[0]?.model.trim() ?? 'inconnu'} × ${cpus.length} (${os.availableParallelism()} utilisables)`,
    `- Mémoire : ${formatNumber(os.totalmem() / 2 ** 30, 1)} Gio`,
    `- Système : ${os.type()} ${os.release()} ${os.arch()}`,
    `- Node.js : ${process.version}`,
    `- Bases : ${engines.join(' ; ') || 'aucune'}`,
    `- Charge moyenne de la machine au début des mesures (1 min) : ${formatNumber(load1 ?? 0, 2)}`,
  ].join('\n');
}

/** What a section ran on, gathered while it runs on each database. */
export interface RunDescription {
  engines: string[];
  /** e.g. "PGlite 1", "PostgreSQL 10". */
  poolSizes: string[];
  /** Why a database was skipped. */
  skipped: string[];
  /** Facts measured along the way (load times…), as list items under the machine. */
  notes?: string[];
}

/** The settings, the machine, the notes and BENCH_NOTE: what every section writes above its table. */
export function describeRun(options: BenchOptions, run: RunDescription): string {
  const settings = `${formatNumber(options.seconds, 1)} s mesurées après ${formatNumber(options.warmupSeconds, 1)} s de chauffe, par niveau de concurrence et par côté (app puis brut)`;
  return [
    `Réglages : ${settings} ; pool node-postgres de l’app : ${run.poolSizes.join(', ')} connexion(s), partagé avec la référence brute.`,
    '',
    describeMachine(run.engines),
    ...(run.notes ?? []).map((n) => `- ${n}`),
    ...(options.note ? ['', `> ${options.note}`] : []),
    ...(run.skipped.length ? ['', ...run.skipped.map((s) => `> ${s}`)] : []),
  ].join('\n');
}

/** Prints rows as they are measured, under the table's header. */
export function rowPrinter(): (row: ComparisonRow) => void {
  let printed = 0;
  return (row) => {
    if (printed++ === 0) console.log(textTable([]));
    console.log(textRow(row));
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/** app/raw: throughput ratio (below 1: the app does less per second) and p50 ratio (above 1: slower). */
export const ratios = (row: ComparisonRow) => ({
  throughput: ratio(row.app.throughput, row.raw.throughput),
  p50: ratio(row.app.p50, row.raw.p50),
});

const HEADER = [
  'Base',
  'Scénario',
  'Clients',
  'App req/s',
  'App p50',
  'App p95',
  'App p99',
  'Brut op/s',
  'Brut p50',
  'Brut p95',
  'Brut p99',
  'Débit app/brut',
  'p50 app/brut',
  'Erreurs app/brut',
];

const cells = (row: ComparisonRow) => {
  const r = ratios(row);
  return [
    row.database,
    row.scenario,
    String(row.concurrency),
    formatNumber(row.app.throughput),
    formatMs(row.app.p50),
    formatMs(row.app.p95),
    formatMs(row.app.p99),
    formatNumber(row.raw.throughput),
    formatMs(row.raw.p50),
    formatMs(row.raw.p95),
    formatMs(row.raw.p99),
    formatRatio(r.throughput),
    formatRatio(r.p50),
    `${row.app.errors}/${row.raw.errors}`,
  ];
};

export function markdownTable(rows: ComparisonRow[]): string {
  const align = HEADER.map((_, i) => (i < 2 ? '---' : '---:'));
  return [HEADER, align, ...rows.map(cells)].map((line) => `| ${line.join(' | ')} |`).join('\n');
}

/** Aligned plain-text table for the terminal. */
export function textTable(rows: ComparisonRow[]): string {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(fmt)].join('\n');
}

export const textRow = (row: ComparisonRow) => textTable([row]).split('\n')[2]!;

const start = (id: string) => `<!-- bench:${id}:start -->`;
const end = (id: string) => `<!-- bench:${id}:end -->`;

/**
 * Rewrites the file: the intro, then one section per known id in order. A section measured in this
 * run replaces the text between its markers; the others keep what the file already had.
 */
export function writeBenchmarks(file: string, intro: string, order: string[], fresh: Map<string, string>): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = order.flatMap((id) => {
    let body = fresh.get(id)?.trim();
    if (body === undefined) {
      const from = previous.indexOf(start(id));
      const to = previous.indexOf(end(id));
      if (from === -1 || to === -1) return [];
      body = previous.slice(from + start(id).length, to).trim();
    }
    return [`${start(id)}\n${body}\n${end(id)}`];
  });
  writeFileSync(file, `${[intro.trim(), ...sections].join('\n\n')}\n`);
}
