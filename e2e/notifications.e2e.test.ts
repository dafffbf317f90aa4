import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

describe('notifications and the mail outbox', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('an agent chooses the daily digest on their account page, then reads their emails in the outbox', async () => {
    const { page } = j;
    // An email for the agent, kept in the outbox (no SMTP server here).
    expect((await page.request.post('/api/auth/password-reset', { data: { email: demo.agent.email } })).status()).toBe(202);
    await j.signIn(demo.agent.email);
    await page.goto('/compte');
    await j.checkPage('Mon compte');
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Enregistrer mon choix' }) });
    expect(await form.getByLabel(/Un courriel à chaque notification/).isChecked()).toBe(true);
    await form.getByText(/Un résumé par jour/).click();
    await form.getByRole('button', { name: 'Enregistrer mon choix' }).click();
    await page.getByText('Votre choix est enregistré.').waitFor();
    await j.scan();
    await page.reload();
    await j.checkPage('Mon compte');
    expect(await page.getByLabel(/Un résumé par jour/).isChecked()).toBe(true);

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Courriels' }).click();
    await j.checkPage('Boîte d’envoi des courriels');
    await page.getByRole('heading', { level: 2, name: 'Relais : réinitialisation de votre mot de passe' }).waitFor();
    await page.getByRole('link', { name: /reinitialiser-mot-de-passe\?jeton=/ }).waitFor();

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
