import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritory } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/test-app.ts';
import { networkImports } from '../network.schema.ts';
import { exportCommand, importCommand } from './import.cli.ts';
import { BATCH_SIZE, createImportRun, runImport } from './import.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('npm run cli -- import / export', () => {
  it('imports a file with a summary and the flagged cells, then exports the territory', async () => {
    const territory = await createTerritory(t.ctx.db, { departmentCode: '61' });
    const dir = mkdtempSync(join(tmpdir(), 'relais-cli-'));
    const file = join(dir, 'fs.csv');
    writeFileSync(
      file,
      'MATRICULE;DEPARTEMENT;lib_france_services;lib_com;h_lundi\n7001;61;France Services du Theil;Val-au-Perche;9h-12h\n7002;72;Ailleurs;Le Mans;quand on peut\n',
    );
    const lines: string[] = [];
    const args = { format: 'anct', file, territory: territory.slug, dryRun: true, allDepartments: true };
    expect(await importCommand(t.ctx, args, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('créés : 2, modifiés : 0, inchangés : 0');
    expect(lines.some((l) => l.startsWith('  ligne 3, h_lundi « quand on peut » : '))).toBe(true);

    lines.length = 0;
    expect(await importCommand(t.ctx, { ...args, dryRun: false, allDepartments: false }, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/créés : 1, .* ignorés : 1/);
    expect(lines.join('\n')).toContain('72 (1)');

    lines.length = 0;
    expect(await exportCommand(t.ctx, { format: 'data-inclusion', territory: territory.slug, out: dir }, (l) => lines.push(l))).toBe(0);
    const exported = JSON.parse(readFileSync(join(dir, `data-inclusion-${territory.slug}.json`), 'utf8'));
    expect(exported.structures.map((s: { id: string }) => s.id)).toEqual(['7001']);
  });

  it('says plainly when the file cannot be read', async () => {
    const territory = await createTerritory(t.ctx.db);
    const file = join(mkdtempSync(join(tmpdir(), 'relais-cli-')), 'vide.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const lines: string[] = [];
    expect(
      await importCommand(t.ctx, { format: 'anct', file, territory: territory.slug, dryRun: false, allDepartments: false }, (l) =>
        lines.push(l),
      ),
    ).toBe(1);
    expect(lines[0]).toContain('MATRICULE');
  });

  it('saves the progress between batches of 100 rows', async () => {
    const territory = await createTerritory(t.ctx.db);
    const text = readFileSync(join(import.meta.dirname, 'fixtures/france-services-2020-01.csv'), 'utf8');
    const run = await createImportRun(t.ctx, {
      territoryId: territory.id,
      format: 'anct_csv',
      fileName: 'fs.csv',
      text,
      dryRun: false,
      createdBy: null,
    });
    const seen: Promise<[number, number]>[] = [];
    const progress = async (n: number): Promise<[number, number]> => {
      const [row] = await t.ctx.db.select().from(networkImports).where(eq(networkImports.id, run.id));
      return [n, row!.processed];
    };
    const done = await runImport(t.ctx, { importId: run.id, allDepartments: true, audit: {} }, (n) => seen.push(progress(n)));
    expect(done!.status).toBe('done');
    const steps = await Promise.all(seen);
    expect(BATCH_SIZE).toBe(100);
    expect(steps.map(([n]) => n)).toEqual([0, 100, 200, 300, 400, 483]);
    // Each step is already saved when reported (read while the next batch may be running).
    for (const [n, saved] of steps) expect(saved).toBeGreaterThanOrEqual(n);
  }, 60_000);
});
