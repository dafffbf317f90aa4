import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { VisitListView } from '../contracts/visits.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** Every key the agent presses goes through here, so the test can count them. */
function keyCounter(page: Page) {
  const counter = {
    presses: 0,
    async press(key: string) {
      counter.presses += 1;
      await page.keyboard.press(key);
    },
  };
  return counter;
}

const activeField = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return { name: el?.name ?? '', checked: !!el?.checked, label: el?.labels?.[0]?.textContent ?? '' };
  });

describe('an agent at the front desk', () => {
  let j: Journey;
  let territoryId: string;
  let csrf: string;
  beforeAll(async () => {
    j = await startJourney();
    await j.signIn(demo.agent.email);
    const me = (await (await j.page.request.get('/api/auth/me')).json()) as Me;
    const membership = me.memberships.find((m) => m.role === 'agent');
    if (!membership) throw new Error('the demo agent has no agent membership');
    territoryId = membership.territory.id;
    csrf = me.csrfToken;
  });
  afterAll(async () => {
    await j?.close();
  });

  const myVisits = async () => {
    const res = await j.page.request.get(`/api/territories/${territoryId}/visits?mine=true&limit=200`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as VisitListView).items;
  };

  it('logs a visit with the keyboard alone in 8 key presses, finds it in « Mes accueils » and corrects it', async () => {
    const { page } = j;
    await page.goto('/');
    await j.checkPage(`Bonjour ${demo.agent.name}`);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Nouvel accueil' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Nouvel accueil' }).click();
    await j.checkPage('Nouvel accueil');
    const form = page.getByRole('form', { name: 'Accueil à enregistrer' });
    await form.getByRole('group', { name: /^Canal/ }).waitFor();
    await page.getByText('Lieu d’accueil : Mairie de Bretoncelles').waitFor();
    const partnerA = form.locator('input[aria-keyshortcuts="A"]');
    const themeI = form.locator('input[aria-keyshortcuts="I"]');
    const partnerLabel = (await partnerA.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')).replace(/A$/, '');
    const themeLabel = (await themeI.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')).replace(/I$/, '');
    expect(partnerLabel).not.toBe('');
    expect(themeLabel).not.toBe('');
    await j.scan();
    // The demo agent has two years of visits: compare the latest page's ids, not its length.
    const before = new Set((await myVisits()).map((v) => v.id));

    const keys = keyCounter(page);
    await keys.press('2'); // channel: téléphone
    await keys.press('a'); // the contact point's first partner
    await keys.press('i'); // its first theme
    await keys.press('q'); // done: information
    await keys.press('y'); // autonomy: with help
    await keys.press('Tab'); // to the duration
    await keys.press('Space'); // 5 min
    expect(await form.getByRole('radio', { name: /^Téléphone/ }).isChecked()).toBe(true);
    expect(await partnerA.isChecked()).toBe(true);
    expect(await themeI.isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /^Information/ }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: /^Avec de l’aide/ }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: '5 min', exact: true }).isChecked()).toBe(true);
    await keys.press('Control+Enter');
    expect(keys.presses).toBe(8);

    await page
      .getByRole('status')
      .filter({ hasText: /Accueil de \d\d:\d\d enregistré\. Prêt pour le suivant\./ })
      .waitFor();
    // The form is empty again and the focus is back on the first field.
    expect(await partnerA.isChecked()).toBe(false);
    expect(await activeField(page)).toEqual({ name: 'channel', checked: true, label: 'Sur place1' });
    await j.scan();

    const after = await myVisits();
    expect(after.filter((v) => !before.has(v.id))).toHaveLength(1);
    const logged = after.find((v) => v.channel === 'telephone' && v.durationMinutes === 5);
    expect(logged).toMatchObject({ actions: ['information'], autonomy: 'avec_aide', contactPointName: 'Mairie de Bretoncelles' });
    expect(logged?.organisationIds).toHaveLength(1);
    expect(logged?.themeCodes).toHaveLength(1);

    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes accueils' }).click();
    await j.checkPage('Mes accueils');
    const row = page.getByRole('row').filter({ hasText: 'Téléphone' }).filter({ hasText: '5 min' });
    await row.waitFor();
    await row.getByText(themeLabel.trim()).waitFor();
    await j.scan();

    // A slip is corrected from the list, with the same keys.
    await row.getByRole('link', { name: 'Corriger' }).click();
    await j.checkPage('Corriger un accueil');
    await page.getByRole('radio', { name: /^Téléphone/ }).waitFor();
    expect(await page.getByRole('radio', { name: /^Téléphone/ }).isChecked()).toBe(true);
    await page.keyboard.press('4'); // visio
    await page.keyboard.press('Control+Enter');
    await j.checkPage('Mes accueils');
    await page.getByRole('row').filter({ hasText: 'Visio' }).filter({ hasText: '5 min' }).waitFor();
    const corrected = (await myVisits()).find((v) => v.id === logged?.id);
    expect(corrected).toMatchObject({ channel: 'visio', durationMinutes: 5, autonomy: 'avec_aide' });
    expect(corrected?.correctedAt).not.toBeNull();
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);

  it('shows a refused visit on the form instead of queuing it', async () => {
    const { page } = j;
    await page.goto('/nouvel-accueil');
    await j.checkPage('Nouvel accueil');
    await page.getByRole('spinbutton', { name: 'Autre durée, en minutes' }).fill('5000');
    await page.keyboard.press('Control+Enter');
    await page.getByText('au plus 1 440 minutes (24 heures)').first().waitFor();
    expect(await page.getByText(/en attente d’envoi/).count()).toBe(0);
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 60_000);

  it('keeps a visit typed offline and sends it once when the connection comes back', async () => {
    const { page } = j;
    const comment = `Accueil hors ligne ${Date.now()}`;
    await page.goto('/nouvel-accueil');
    await j.checkPage('Nouvel accueil');
    await page.getByRole('textbox', { name: /^Commentaire/ }).fill(comment);
    await page.context().setOffline(true);
    await page.keyboard.press('Control+Enter');
    await page.getByText('1 accueil en attente d’envoi').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /Pas de connexion/ })
      .waitFor();
    await j.scan();

    // The first attempt reached the server but its answer was lost: the same body is already stored.
    const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('relais.accueils.en-attente') ?? '[]'));
    expect(queued).toHaveLength(1);
    const first = await page.request.post(`/api/territories/${territoryId}/visits`, {
      data: queued[0].body,
      headers: { 'x-csrf-token': csrf },
    });
    expect(first.status()).toBe(201);

    await page.context().setOffline(false);
    await page.getByText('1 accueil en attente d’envoi').waitFor({ state: 'detached', timeout: 40_000 });
    expect(await page.evaluate(() => localStorage.getItem('relais.accueils.en-attente'))).toBe('[]');
    const same = (await myVisits()).filter((v) => v.comment === comment);
    expect(same).toHaveLength(1);
    expect(same[0]?.idempotencyKey).toBe(queued[0].key);
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
