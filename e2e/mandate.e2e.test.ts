import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { PersonView } from '../contracts/people.ts';
import { seriousA11yViolations } from './browser.ts';
import { demo, type Journey, startJourney } from './harness.ts';

describe('an agent records a mandate', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('by an SMS code read from the outbox page, sees the days left, opens the printable form, and logs a visit under it', async () => {
    const { page } = j;
    await j.signIn(demo.agent.email);
    const me = (await (await page.request.get('/api/auth/me')).json()) as Me;
    const membership = me.memberships[0]!;
    const created = await page.request.post(`/api/territories/${membership.territory.id}/people`, {
      data: {
        firstName: 'Josette',
        lastName: 'Mandataire',
        birthDate: '1944-02-17',
        phone: '06 11 22 33 44',
        commune: 'Bretoncelles',
        contactPointId: membership.contactPoint!.id,
        confirmNotDuplicate: true,
      },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(created.status()).toBe(201);
    const person = (await created.json()) as PersonView;

    await page.goto(`/usagers/${person.id}`);
    await j.checkPage('MANDATAIRE Josette');
    const section = page.getByRole('region', { name: 'Mandats' });
    await section.getByText('Aucun mandat en cours.').waitFor();
    await section.getByRole('link', { name: 'Aidants Connect (nouvelle fenêtre)' }).waitFor();

    // Scope, duration and consent with the keyboard: the form opens on « Nouveau mandat ».
    await section.getByRole('button', { name: 'Nouveau mandat' }).click();
    const form = section.getByRole('form', { name: 'Nouveau mandat' });
    await form.getByRole('radio', { name: 'Tous les partenaires' }).waitFor();
    await form.locator('label', { hasText: '6 mois' }).click();
    expect(await form.getByLabel('6 mois').isChecked()).toBe(true);
    expect(await form.getByLabel('Code reçu par SMS').isChecked()).toBe(true);
    expect(await form.getByLabel('Téléphone où envoyer le code').inputValue()).toBe('0611223344');
    await form.getByRole('button', { name: 'Envoyer le code' }).focus();
    await page.keyboard.press('Enter');
    await form.getByText('Code envoyé au ** ** ** 33 44, valable 10 minutes.').waitFor();
    await j.scan();

    // No SMS provider in the demo: the outbox page, linked in the header, shows the message.
    const outbox = await page.context().newPage();
    await outbox.goto('/');
    await outbox.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Boîte d’envoi SMS' }).click();
    await outbox.getByRole('heading', { level: 1, name: 'Boîte d’envoi SMS' }).waitFor();
    const row = outbox.getByRole('row').filter({ hasText: '** ** ** 33 44' });
    const text = await row.textContent();
    const code = /code (\d{6})/.exec(text ?? '')?.[1];
    expect(code, text ?? '').toMatch(/^\d{6}$/);
    expect(text).not.toContain('06 11 22 33 44');
    j.a11yFindings.push(...(await seriousA11yViolations(outbox)));
    await outbox.close();

    await form.getByLabel('Code reçu par la personne').fill(code!);
    await form.getByRole('button', { name: 'Enregistrer le mandat' }).click();
    await section.getByText(/Mandat enregistré jusqu’au/).waitFor();
    const current = section.getByRole('list', { name: 'Mandats en cours' });
    await current.getByText('Tous les partenaires').waitFor();
    const days = await current.getByText(/\d+ jours restants/).textContent();
    expect(Number(/(\d+)/.exec(days ?? '')?.[1])).toBeGreaterThanOrEqual(181);
    await current.getByText(/Code reçu par SMS/).waitFor();
    await j.scan();

    // The printable form: the parties, the scope and duration, the rights; no header or footer on paper.
    await current.getByRole('link', { name: 'Imprimer le formulaire' }).click();
    await j.checkPage('Mandat d’accompagnement aux démarches administratives');
    const body = (await page.locator('main').textContent()) ?? '';
    for (const words of [
      'MANDATAIRE Josette',
      'Mairie de Bretoncelles',
      'révoquer à tout moment',
      'RGPD',
      'rectifier ou effacer',
      'La personne',
    ])
      expect(body).toContain(words);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#en-tete').isVisible()).toBe(false);
    expect(await page.locator('#pied-de-page').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // Back on the file: a visit done under this mandate, from the mandate itself.
    await page.goBack();
    await j.checkPage('MANDATAIRE Josette');
    await section.getByRole('link', { name: 'Noter un accueil sous ce mandat' }).click();
    await j.checkPage('Nouvel accueil');
    const visitForm = page.getByRole('form', { name: 'Accueil à enregistrer' });
    await visitForm.getByText('Pour : MANDATAIRE Josette').waitFor();
    const used = visitForm.getByRole('group', { name: /Mandat utilisé/ });
    expect(await used.getByRole('radio', { name: /^Tous les partenaires, jusqu’au/ }).isChecked()).toBe(true);
    expect(await visitForm.getByRole('checkbox', { name: /^Fait sous mandat/ }).isChecked()).toBe(true);
    await j.scan();
    await page.keyboard.press('Control+Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /enregistré\. Prêt pour le suivant\./ })
      .waitFor();
    const visits = await page.request.get(`/api/territories/${membership.territory.id}/visits?mine=true`);
    const [logged] = (await visits.json()).items as { personId: string; mandateId: string; actions: string[] }[];
    expect(logged).toMatchObject({ personId: person.id, actions: ['sous_mandat'] });
    expect(logged?.mandateId).toMatch(/^[0-9a-f-]{36}$/);

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
