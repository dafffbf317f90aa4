import type { APIRequestContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { PersonView } from '../contracts/people.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** Creates a person file through the API, as the signed-in agent (the browser's cookie jar). */
async function createPerson(request: APIRequestContext, me: Me, body: Record<string, unknown>): Promise<PersonView> {
  const membership = me.memberships[0];
  if (!membership?.contactPoint) throw new Error('the demo agent has no contact point');
  const res = await request.post(`/api/territories/${membership.territory.id}/people`, {
    data: { contactPointId: membership.contactPoint.id, confirmNotDuplicate: true, ...body },
    headers: { 'x-csrf-token': me.csrfToken },
  });
  if (res.status() !== 201 && res.status() !== 200) throw new Error(`person not created: ${res.status()} ${await res.text()}`);
  return (await res.json()) as PersonView;
}

describe('an agent at the front desk', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('finds a person despite a typo, reveals their NIR after confirming, and is warned before creating a likely duplicate', async () => {
    const { page } = j;
    await j.signIn(demo.agent.email);
    const me = (await (await page.request.get('/api/auth/me')).json()) as Me;
    await createPerson(page.request, me, {
      firstName: 'Marie-Hélène',
      lastName: 'Lefèvre',
      birthDate: '1984-05-12',
      phone: '06 12 34 56 78',
      commune: 'Bretoncelles',
      nir: '2 84 05 61 123 456 62',
    });
    await createPerson(page.request, me, { firstName: 'Jean', lastName: 'Martin', birthDate: '1990-01-02', commune: 'Rémalard-en-Perche' });

    // From the header to the search page, whose field has the focus.
    await page.goto('/');
    await j.checkPage(`Bonjour ${demo.agent.name}`);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Usagers' }).click();
    await j.checkPage('Usagers');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');

    // A typo and no accents: still found, and only her.
    await page.keyboard.type('lefebre marie');
    const results = page.getByRole('table', { name: 'Personnes trouvées' });
    const row = results.getByRole('row').filter({ hasText: 'LEFÈVRE Marie-Hélène' });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(['LEFÈVRE Marie-Hélène', '12/05/1984', 'Bretoncelles']);
    expect(await results.getByRole('row').filter({ hasText: 'MARTIN' }).count()).toBe(0);
    await page.getByRole('heading', { name: /^1 personne trouvée/ }).waitFor();
    await j.scan();

    // The keyboard alone: down arrow to the result, Enter to open the file.
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('LEFÈVRE Marie-Hélène');
    await page.keyboard.press('Enter');
    await j.checkPage('LEFÈVRE Marie-Hélène');

    // The NIR is masked; showing it asks first and says it is journaled.
    const identifiers = page.getByRole('region', { name: 'Identifiants' });
    expect(await identifiers.textContent()).not.toContain('123 456');
    await identifiers.getByRole('button', { name: 'Afficher' }).click();
    const confirm = page.getByRole('form', { name: 'Confirmer l’affichage : Numéro de sécurité sociale' });
    await confirm.getByText('inscrit au journal de sécurité').waitFor();
    await confirm.getByLabel('Motif (facultatif)').fill('Démarche CPAM');
    await confirm.getByRole('button', { name: 'Confirmer l’affichage' }).click();
    await identifiers.getByText('2 84 05 61 123 456 62').waitFor();
    await identifiers.getByText('(affichage journalisé)').waitFor();
    await j.scan();

    // A new file that looks like her: the warning links to her file before anything is created.
    await page.goto('/usagers/nouveau');
    await j.checkPage('Nouvelle fiche usager');
    await page.getByLabel('Nom', { exact: true }).fill('Lefevre');
    await page.getByLabel('Prénom', { exact: true }).fill('Marie Hélène');
    await page.getByLabel('Date de naissance (facultatif)').fill('1984-05-12');
    await page.getByRole('button', { name: 'Créer la fiche' }).click();
    await page.getByText('Ce pourrait être une personne déjà connue').waitFor();
    await page.getByRole('link', { name: 'LEFÈVRE Marie-Hélène' }).waitFor();
    await j.scan();
    // Someone else after all: the file is created and opened.
    await page.getByRole('button', { name: 'Créer quand même' }).click();
    await j.checkPage('LEFEVRE Marie Hélène');

    // She agrees to share her file with a partner of the territory.
    const consents = page.getByRole('region', { name: 'Information et consentements' });
    await consents.getByText('Aucun accord de partage en cours.').waitFor();
    const partner = consents.getByLabel('Partenaire');
    const firstPartner = (await partner.locator('option:not([disabled])').first().textContent()) ?? '';
    await partner.selectOption({ label: firstPartner });
    await consents.getByRole('button', { name: 'Enregistrer l’accord' }).click();
    await consents.getByText('Accord de partage enregistré.').waitFor();
    await consents
      .getByRole('list', { name: 'Accords de partage en cours' })
      .getByText(firstPartner.split(' — ')[1] ?? firstPartner)
      .waitFor();
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
