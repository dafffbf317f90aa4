import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import { demo, type Journey, startJourney } from './harness.ts';

describe('the anonymous satisfaction survey', () => {
  let j: Journey;
  let surveyPath = '';
  beforeAll(async () => {
    j = await startJourney();
    await j.signIn(demo.agent.email);
  }, 300_000);
  afterAll(async () => {
    await j?.close();
  });

  it('prints a visit receipt with the survey’s QR code after the agent logs a visit', async () => {
    const { page } = j;
    await page.goto('/nouvel-accueil');
    await j.checkPage('Nouvel accueil');
    const form = page.getByRole('form', { name: 'Accueil à enregistrer' });
    await form.getByRole('group', { name: /^Canal/ }).waitFor();
    await page.keyboard.press('1'); // sur place
    await page.keyboard.press('q'); // information
    await page.keyboard.press('Control+Enter');
    await page.getByRole('link', { name: 'Imprimer le reçu de passage' }).click();
    await j.checkPage('Reçu de passage');
    const qr = page.getByRole('img', { name: 'QR code du questionnaire de satisfaction' });
    await qr.waitFor();
    expect(await qr.locator('svg path').count()).toBeGreaterThan(0);
    await page.getByText('Mairie de Bretoncelles —').waitFor();
    await page.getByText('Information').first().waitFor();
    const href = await page.locator('.relais-survey-url a').getAttribute('href');
    expect(href).toMatch(/\/avis\/[A-Za-z0-9_-]{22}$/);
    surveyPath = new URL(href!).pathname;
    await j.scan();
    // Shown again (reload, reprint): the same one-answer link, not a new one.
    await page.reload();
    await qr.waitFor();
    expect(await page.locator('.relais-survey-url a').getAttribute('href')).toBe(href);
    // The printed page: the QR code and the text, without the site's header nor the buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await qr.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Imprimer le reçu' }).isVisible()).toBe(false);
    expect(await page.locator('#en-tete').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  }, 180_000);

  it('lets the person answer with the keyboard alone, thanks them, and refuses a second answer', async () => {
    const { page } = j;
    await page.request.post('/api/auth/logout', {
      headers: { 'x-csrf-token': ((await (await page.request.get('/api/auth/me')).json()) as Me).csrfToken },
    });
    await page.goto(surveyPath);
    await j.checkPage('Donnez votre avis');
    await page.getByText(/Votre passage à Mairie de Bretoncelles/).waitFor();
    await page.getByText(/Ce questionnaire est anonyme/).waitFor();
    // Sending with no answer: the required question says so.
    await page.getByRole('button', { name: 'Envoyer mon avis' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Choisissez une réponse à cette question').waitFor();
    await j.scan();
    const satisfaction = page.getByRole('group', { name: /Êtes-vous satisfait\(e\) de l’accueil/ });
    await satisfaction.getByRole('radio', { name: 'Très satisfait(e)' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown'); // Plutôt satisfait(e)
    expect(await satisfaction.getByRole('radio', { name: 'Plutôt satisfait(e)' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab'); // the next question's group
    await page.keyboard.press('Space'); // Oui
    expect(
      await page
        .getByRole('group', { name: /a-t-elle avancé/ })
        .getByRole('radio', { name: 'Oui' })
        .isChecked(),
    ).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // Oui, tout à fait
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // recommend: Oui
    await page.keyboard.press('Tab');
    await page.keyboard.type('Merci pour le temps passé.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await j.checkPage('Merci pour votre avis');
    await page.getByText('Votre réponse est enregistrée').waitFor();
    await j.scan();
    await page.goto(surveyPath);
    await j.checkPage('Vous avez déjà répondu');
    await j.scan();
  }, 180_000);

  it('makes a counter poster on the contact point’s survey page', async () => {
    const { page } = j;
    await j.signIn(demo.agent.email);
    const me = (await (await page.request.get('/api/auth/me')).json()) as Me;
    const cpId = me.memberships.find((m) => m.role === 'agent')?.contactPoint?.id;
    expect(cpId).toBeTruthy();
    await page.goto(`/reseau/lieux/${cpId}/questionnaire`);
    await j.checkPage('Questionnaire de satisfaction');
    await page.getByRole('button', { name: 'Créer l’affiche' }).click();
    await page.getByText('Affiche du comptoir créée.').waitFor();
    await page.getByRole('img', { name: /QR code du questionnaire : Affiche du comptoir/ }).waitFor();
    await page.getByText('Votre avis compte — 1 minute, anonyme').first().waitFor();
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
