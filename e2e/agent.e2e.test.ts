import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

describe('an agent', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('sees their contact point at home, the 403 page on the journal, and the 404 page on an unknown address', async () => {
    const { page } = j;
    await j.signIn(demo.agent.email);
    await page.goto('/');
    await j.checkPage(`Bonjour ${demo.agent.name}`);
    await page.getByRole('main').getByText('Mairie de Bretoncelles').waitFor();
    await page.getByRole('banner').getByText('Perche (Orne) · Mairie de Bretoncelles · Agent d’accueil').first().waitFor();
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    expect(await nav.getByRole('link', { name: 'Journal de sécurité' }).count()).toBe(0);

    await page.goto('/journal');
    await j.checkPage('Accès refusé');
    await page.getByText('Erreur 403').waitFor();

    await page.goto('/cette-page-n-existe-pas');
    await j.checkPage('Page non trouvée');
    await page.getByText('Erreur 404').waitFor();

    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
