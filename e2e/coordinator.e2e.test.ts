import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

describe('a coordinator', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('signs in with the form, runs the network, invites someone, reads the journal and their sessions, then signs out', async () => {
    const { page } = j;
    await page.goto('/connexion');
    await j.checkPage('Se connecter à Relais');
    await page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(demo.coordinator.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    await j.checkPage('Territoire Perche (Orne)');
    const header = page.getByRole('banner');
    await header.getByText('Perche (Orne) · Coordinateur du territoire').first().waitFor();
    await header.getByText(demo.coordinator.name).first().waitFor();
    expect(await page.getByText('lieux d’accueil', { exact: true }).isVisible()).toBe(true);

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Réseau' }).click();
    await j.checkPage('Réseau du territoire');
    await page.getByRole('cell', { name: 'Mairie de Bretoncelles' }).waitFor();
    await page.getByRole('tab', { name: 'Partenaires' }).click();
    await page.getByRole('cell', { name: 'Caisse d’allocations familiales de l’Orne' }).waitFor();
    await j.scan();

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Membres' }).click();
    await j.checkPage('Membres');
    await page.getByRole('cell', { name: demo.agent.name }).waitFor();
    const invite = page.locator('form').filter({ has: page.getByRole('button', { name: 'Envoyer l’invitation' }) });
    await invite.getByLabel('Adresse e-mail').fill('nouvelle.agente@exemple.fr');
    await invite.getByLabel('Nom et prénom').fill('Nina Nouvelle');
    await invite.getByLabel('Rôle').selectOption({ label: 'Agent d’accueil' });
    await invite.getByLabel('Lieu d’accueil').selectOption({ label: 'Mairie de Berd’huis' });
    await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await page.getByText('Invitation envoyée à nouvelle.agente@exemple.fr').waitFor();
    await page.getByRole('cell', { name: 'Nina Nouvelle' }).waitFor();
    await j.scan();

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Journal de sécurité' }).click();
    await j.checkPage('Journal de sécurité');
    await page.getByRole('cell', { name: 'Connexion', exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'Invitation envoyée' }).first().waitFor();
    await page
      .getByRole('cell', { name: /nouvelle\.agente@exemple\.fr/ })
      .first()
      .waitFor();

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mon compte' }).click();
    await j.checkPage('Mon compte');
    await page.getByText('Cette session').waitFor();
    expect(await page.getByRole('table').getByRole('row').count()).toBeGreaterThanOrEqual(2);

    await header.getByRole('button', { name: 'Se déconnecter' }).click();
    await j.checkPage('Se connecter à Relais');
    await page.getByText('Vous êtes déconnecté(e)').waitFor();
    await page.goto('/membres');
    await j.checkPage('Se connecter à Relais');
    expect(new URL(page.url()).searchParams.get('retour')).toBe('/membres');

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
