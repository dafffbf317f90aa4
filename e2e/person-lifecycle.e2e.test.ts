import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { PersonView } from '../contracts/people.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** The coordinator's API calls, with the browser's own cookie jar. */
function apiOf(request: APIRequestContext, me: Me) {
  const territoryId = me.memberships[0]!.territory.id;
  const headers = { 'x-csrf-token': me.csrfToken };
  return {
    territoryId,
    async createPerson(body: Record<string, unknown>): Promise<PersonView> {
      const res = await request.post(`/api/territories/${territoryId}/people`, { data: { confirmNotDuplicate: true, ...body }, headers });
      if (res.status() !== 201) throw new Error(`person not created: ${res.status()} ${await res.text()}`);
      return (await res.json()) as PersonView;
    },
    async logVisit(personId: string, contactPointId: string) {
      const res = await request.post(`/api/territories/${territoryId}/visits`, {
        data: { contactPointId, channel: 'telephone', actions: ['information'], personId, idempotencyKey: randomUUID() },
        headers,
      });
      if (res.status() !== 201) throw new Error(`visit not logged: ${res.status()} ${await res.text()}`);
    },
    async firstContactPoint(): Promise<string> {
      const res = await request.get(`/api/territories/${territoryId}/contact-points`);
      const body = (await res.json()) as { id: string }[] | { items: { id: string }[] };
      return (Array.isArray(body) ? body : body.items)[0]!.id;
    },
  };
}

describe('a coordinator looks after the life of person files', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('sees the history, exports the file for an access request, merges a duplicate and erases a file on request', async () => {
    const { page } = j;
    await j.signIn(demo.coordinator.email);
    const me = (await (await page.request.get('/api/auth/me')).json()) as Me;
    const api = apiOf(page.request, me);
    const contactPointId = await api.firstContactPoint();
    const kept = await api.createPerson({ firstName: 'Odile', lastName: 'Fusionnée', birthDate: '1975-03-02', contactPointId });
    const duplicate = await api.createPerson({
      firstName: 'Odile',
      lastName: 'Fusionnee',
      birthDate: '1975-03-02',
      commune: 'Bellême',
      phone: '06 98 76 54 32',
      contactPointId,
    });
    const erased = await api.createPerson({ firstName: 'Gaspard', lastName: 'Effaçable', contactPointId });
    await api.logVisit(kept.id, contactPointId);

    // The file and its history.
    await page.goto(`/usagers/${kept.id}`);
    await j.checkPage('FUSIONNÉE Odile');
    const history = page.getByRole('region', { name: 'Historique' });
    await history
      .getByRole('list', { name: /Historique du dossier/ })
      .getByText('Téléphone')
      .waitFor();
    await j.scan();

    // The export: a printable page, and the JSON file.
    await page.getByRole('link', { name: 'Exporter le dossier (demande d’accès)' }).click();
    await j.checkPage('Vos données enregistrées dans Relais');
    await page.getByRole('table', { name: 'Journal des accès au dossier' }).getByText('Consultation du dossier').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger le fichier (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`dossier-usager-${kept.id}.json`);

    // The merge: search the other file, compare, confirm.
    await page.goto(`/usagers/${kept.id}`);
    await j.checkPage('FUSIONNÉE Odile');
    await page.getByRole('button', { name: 'Fusionner avec un autre dossier' }).click();
    const mergeDialog = page.getByRole('dialog', { name: 'Fusionner avec un autre dossier' });
    await mergeDialog.getByLabel('Rechercher l’autre dossier').fill('Fusionnee');
    await mergeDialog.locator('label', { hasText: 'FUSIONNEE Odile' }).click();
    const comparison = mergeDialog.getByRole('table', { name: 'Comparaison des deux dossiers' });
    await comparison.getByText('Bellême (repris)').waitFor();
    await j.scan();
    await mergeDialog.getByRole('button', { name: 'Confirmer la fusion' }).click();
    await page.getByText('a été fusionné dans celui-ci').waitFor();
    await page.getByText('Née ou né le 02/03/1975 · Bellême').waitFor();
    await j.scan();
    // The duplicate's address leads to the file kept.
    await page.goto(`/usagers/${duplicate.id}`);
    await page.waitForURL(`**/usagers/${kept.id}`);
    await j.checkPage('FUSIONNÉE Odile');

    // The erasure: a reason and a typed confirmation.
    await page.goto(`/usagers/${erased.id}`);
    await j.checkPage('EFFAÇABLE Gaspard');
    await page.getByRole('button', { name: 'Effacer le dossier' }).click();
    const eraseDialog = page.getByRole('dialog', { name: 'Effacer le dossier à la demande de la personne' });
    await eraseDialog.getByLabel('Motif de l’effacement').fill('Demande écrite reçue le 30 novembre');
    const confirm = eraseDialog.getByRole('button', { name: 'Effacer définitivement' });
    expect(await confirm.isDisabled()).toBe(true);
    await eraseDialog.getByLabel('Pour confirmer, tapez EFFACER').fill('EFFACER');
    await j.scan();
    await confirm.click();
    await page.waitForURL('**/usagers');
    await j.checkPage('Usagers');
    await page.getByText('Le dossier a été effacé').waitFor();
    expect((await page.request.get(`/api/territories/${api.territoryId}/people/${erased.id}`)).status()).toBe(404);

    expect(j.a11yFindings).toEqual([]);
  }, 240_000);
});
