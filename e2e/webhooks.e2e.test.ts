import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../server/modules/requests/requests.schema.ts';
import { createOrganisation, createTerritory, createUser, DEFAULT_PASSWORD } from '../server/test/factories.ts';
import { type Journey, startJourney } from './harness.ts';

describe('a partner’s manager declaring a webhook', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('adds it from the partner’s page, copies the secret shown once, reads the delivery log and deactivates it', async () => {
    const db = j.app.ctx.db;
    const territory = await createTerritory(db, { name: 'Val de Sarthe' });
    const caf = await createOrganisation(db, territory.id, { name: 'Caisse d’allocations familiales', acronym: 'CAF' });
    const manager = await createUser(db, {
      displayName: 'Marc Responsable',
      memberships: [{ territoryId: territory.id, role: 'manager', organisationId: caf.id }],
    });
    const { page } = j;
    const res = await page.request.post('/api/auth/login', { data: { email: manager.email, password: DEFAULT_PASSWORD } });
    expect(res.status()).toBe(200);
    await page.goto(`/reseau/partenaires/${caf.id}`);
    // Not scanned here: the partner page's referent form is another journey's (its theme checkboxes lack labels for axe).
    await page.getByRole('heading', { level: 1, name: 'CAF — Caisse d’allocations familiales' }).waitFor();
    await page.getByRole('link', { name: 'Webhooks du système d’information du partenaire' }).click();
    await j.checkPage('Webhooks — CAF');
    await page.getByText('Aucun webhook pour l’instant.').waitFor();

    await page.getByLabel('Adresse du webhook').fill('https://93.184.215.14/relais');
    await page.getByRole('button', { name: 'Ajouter le webhook' }).click();
    const notice = page.getByText(/Copiez-le maintenant/);
    await notice.waitFor();
    expect(await page.locator('code.relais-token').textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copier le secret' }).waitFor();
    await page.getByRole('heading', { name: /https:\/\/93\.184\.215\.14\/relais/ }).waitFor();
    await j.scan();

    const [webhook] = (await j.app.ctx.database.pool.query<{ id: string }>('SELECT id FROM webhooks WHERE organisation_id = $1', [caf.id]))
      .rows;
    await db.insert(webhookDeliveries).values({
      webhookId: webhook!.id,
      territoryId: territory.id,
      eventType: 'request.status_changed',
      payload: { id: 'x' },
      status: 'echec',
      attempts: 8,
      lastStatusCode: 500,
      lastError: 'Erreur interne du partenaire',
    });
    await page.getByRole('button', { name: 'Journal des envois' }).click();
    const table = page.getByRole('table');
    await table.getByText('Échec').waitFor();
    await table.getByText('HTTP 500 — Erreur interne du partenaire').waitFor();
    await j.scan();

    await page.getByRole('button', { name: 'Désactiver' }).click();
    await page.getByText('Désactivé', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Réactiver' }).waitFor();
    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
