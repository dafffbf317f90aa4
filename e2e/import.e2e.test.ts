import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

/** Three Orne rows of the ANCT sample; L’Aigle's Monday made unreadable. */
function smallAnctFile(): Buffer {
  const lines = readFileSync(
    join(import.meta.dirname, '../server/modules/network/import/fixtures/france-services-2020-01.csv'),
    'utf8',
  ).split('\n');
  const rows = [lines[311]!, lines[314]!.replace('8h30-12h30/13h30-17h30', 'selon la saison'), lines[508]!];
  expect(rows.map((r) => r.split(',')[2])).toEqual(['"61"', '"61"', '"61"']);
  return Buffer.from(`${[lines[0]!, ...rows].join('\n')}\n`, 'utf8');
}

describe('a coordinator importing the ANCT list', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('tries the file, reads the flagged cell, applies it and finds the export link', async () => {
    const { page } = j;
    await j.signIn(demo.coordinator.email);
    await page.goto('/reseau');
    await j.checkPage('Réseau du territoire');
    await page.getByRole('link', { name: /Importer \/ exporter/ }).click();
    await j.checkPage('Importer / exporter');

    await page
      .getByLabel(/Fichier à importer/)
      .setInputFiles({ name: 'france-services-orne.csv', mimeType: 'text/csv', buffer: smallAnctFile() });
    await expect.poll(() => page.getByRole('checkbox', { name: /Essai seulement/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Lancer l’import' }).click();

    const progress = page.getByRole('progressbar');
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    await page.getByRole('heading', { name: 'Rapport de l’essai (rien n’a été écrit)' }).waitFor();
    await page.getByText('Lieux à créer : 3').waitFor();
    const flagged = page.getByRole('table', { name: /Cellules signalées/ });
    const row = flagged.getByRole('row').filter({ hasText: 'selon la saison' });
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(['3', 'h_lundi', 'selon la saison', expect.any(String)]);
    await j.scan();

    await page.getByRole('button', { name: 'Appliquer ces changements' }).click();
    await page.getByRole('heading', { name: 'Rapport de l’import' }).waitFor();
    await expect.poll(() => progress.getAttribute('aria-valuenow')).toBe('100');
    await page.getByText('Lieux créés : 3').waitFor();
    await j.scan();

    // Both runs are in the history; the dry run's report opens again.
    const history = page.getByRole('table', { name: 'Imports précédents du territoire' });
    await expect.poll(() => history.getByRole('row').count()).toBe(3);
    await history
      .getByRole('row')
      .filter({ hasText: '(essai)' })
      .getByRole('button', { name: /^Voir le rapport de france-services-orne\.csv/ })
      .click();
    await page.getByRole('heading', { name: 'Rapport de l’essai (rien n’a été écrit)' }).waitFor();
    await j.scan();

    const download = page.getByRole('link', { name: /Télécharger l’export data·inclusion/ });
    expect(await download.getAttribute('href')).toMatch(/^\/api\/territories\/[0-9a-f-]+\/exports\/data-inclusion$/);

    await page.goto('/reseau');
    await j.checkPage('Réseau du territoire');
    await page.getByRole('link', { name: 'L’Aigle' }).waitFor();
    expect(j.a11yFindings).toEqual([]);
  });
});
