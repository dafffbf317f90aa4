import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

describe('a coordinator keeping the network up to date', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('edits a France Services’ hours with the live preview, saves them and reads the label check', async () => {
    const { page } = j;
    await j.signIn(demo.coordinator.email);
    await page.goto('/reseau');
    await j.checkPage('Réseau du territoire');
    const house = /^France Services de Mortagne-au-Perche$/;
    await page.getByRole('columnheader', { name: 'Label France Services' }).waitFor();
    await page.getByRole('link', { name: house }).click();
    await j.checkPage(house);
    await page.getByRole('heading', { name: 'Label France Services', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Agents d’accueil', level: 2 }).waitFor();

    const hours = page.getByRole('textbox', { name: /^Horaires d’ouverture/ });
    await hours.fill('lundi matin');
    await page
      .getByText(/Horaires invalides/)
      .first()
      .waitFor();
    await j.scan();

    await hours.fill('Mo-Fr 09:00-12:00,14:00-17:00; PH off');
    await page.getByText('Horaires compris.').waitFor();
    await page
      .getByText(/30 h d’ouverture par semaine/)
      .first()
      .waitFor();
    const preview = page.getByRole('table', { name: 'Aperçu de la semaine' });
    await preview
      .getByRole('cell', { name: /09:00 – 12:00, 14:00 – 17:00/ })
      .first()
      .waitFor();
    await j.scan();

    await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await page.getByText('Modifications enregistrées.').waitFor();
    await page.getByText('Ouverture hebdomadaire : rempli — 30 h d’ouverture par semaine (24 h au moins)').waitFor();
    const week = page.getByRole('table', { name: 'Horaires de la semaine' });
    expect(await week.getByRole('row').count()).toBe(8);
    await j.scan();

    // Without the MSA, the label check lists the operator that is missing.
    const partners = page.getByRole('form', { name: 'Partenaires servis dans ce lieu' });
    const msa = partners.getByRole('checkbox', { name: /^MSA Mayenne-Orne-Sarthe/ });
    expect(await msa.isChecked()).toBe(true);
    // The DSFR draws the box on the label: click it as a person would.
    await partners.locator('label', { hasText: /^MSA Mayenne-Orne-Sarthe/ }).click();
    expect(await msa.isChecked()).toBe(false);
    await partners.getByRole('button', { name: 'Enregistrer les partenaires servis' }).click();
    await page.getByText('Partenaires enregistrés.').waitFor();
    await page.getByText(/^opérateur non couvert : Mutualité sociale agricole/).waitFor();
    await j.scan();

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Journal de sécurité' }).click();
    await j.checkPage('Journal de sécurité');
    await page.getByRole('cell', { name: 'Lieu d’accueil modifié' }).first().waitFor();
    await page.getByRole('cell', { name: 'Partenaires servis au lieu d’accueil modifiés' }).first().waitFor();

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);

  it('shows a contact point to its agent without the forms', async () => {
    const { page } = j;
    await page.request.post('/api/auth/logout', { headers: { 'x-csrf-token': '' } }).catch(() => undefined);
    await page.context().clearCookies();
    await j.signIn(demo.agent.email);
    await page.goto('/reseau');
    await j.checkPage('Réseau du territoire');
    // A bus has no weekly hours: the list says where it stops next (or stands now).
    const stopText = /^(Prochain arrêt : \S+ \d{1,2} \S+ à \d\d:\d\d, .+|À l’arrêt à .+ · jusqu’à \d\d:\d\d)$/;
    const busRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Bus numérique 61', exact: true }) });
    expect(await busRow.getByText(stopText).count()).toBe(1);
    expect(await busRow.getByText('Horaires non renseignés').count()).toBe(0);
    await busRow.getByRole('link', { name: 'Bus numérique 61' }).click();
    await j.checkPage('Bus numérique 61');
    await page.getByText(stopText).waitFor();
    await page.getByText(/^Lieu de l’arrêt : .+\.$/).waitFor();
    await page.goto('/reseau');
    await j.checkPage('Réseau du territoire');
    await page.getByRole('link', { name: 'Mairie de Bretoncelles', exact: true }).click();
    await j.checkPage('Mairie de Bretoncelles');
    await page.getByRole('heading', { name: 'Fiche du lieu', level: 2 }).waitFor();
    expect(await page.getByRole('button', { name: 'Enregistrer la fiche' }).count()).toBe(0);
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
