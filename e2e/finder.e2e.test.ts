import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactPointPartners } from '../server/modules/network/network.schema.ts';
import { fixedClock } from '../server/platform/clock.ts';
import { createContactPoint, createOrganisation, createTerritory } from '../server/test/factories.ts';
import { createTestApp, type TestApp } from '../server/test/test-app.ts';
import { type AxeFinding, type Browser, launchBrowser, seriousA11yViolations } from './browser.ts';

// The server's clock: Wednesday 11 March 2026, 10:00 in Paris.
const NOW = new Date('2026-03-11T09:00:00Z');

describe('a member of the public, not signed in', () => {
  let app: TestApp;
  let browser: Browser;
  const findings: AxeFinding[] = [];

  beforeAll(async () => {
    app = await createTestApp({ clock: fixedClock(NOW) });
    const db = app.ctx.db;
    const perche = await createTerritory(db, { slug: 'perche', name: 'Perche (Orne)', departmentCode: '61', regionCode: '28' });
    // Mortagne-au-Perche's centre is at 48.52018, 0.54734: the town hall is nearest but closed on Wednesday morning.
    await createContactPoint(db, perche.id, {
      name: 'Mairie de Mortagne-au-Perche',
      kind: 'mairie',
      commune: 'Mortagne-au-Perche',
      postcode: '61400',
      address: 'Place du Général de Gaulle',
      latitude: 48.5203,
      longitude: 0.5475,
      openingHours: 'Mo 14:00-17:00',
    });
    const open = await createContactPoint(db, perche.id, {
      name: 'France Services de Mortagne',
      commune: 'Mortagne-au-Perche',
      inseeCode: '61293',
      postcode: '61400',
      address: '12 rue des Quinze-Fusillés',
      latitude: 48.5248,
      longitude: 0.5521,
      phone: '02 33 85 00 00',
      openingHours: 'Mo-Fr 09:00-12:00,14:00-17:00',
      themes: ['famille', 'emploi-formation'],
    });
    await createContactPoint(db, perche.id, {
      name: 'France Services de Bellême',
      commune: 'Bellême',
      postcode: '61130',
      latitude: 48.3733,
      longitude: 0.57,
      openingHours: 'Mo-Sa 08:00-19:00',
    });
    const caf = await createOrganisation(db, perche.id, {
      name: 'Caisse d’allocations familiales de l’Orne',
      acronym: 'CAF',
      themes: ['famille'],
    });
    await db
      .insert(contactPointPartners)
      .values({ territoryId: perche.id, contactPointId: open.id, organisationId: caf.id, note: 'sur rendez-vous' });
    browser = await launchBrowser({ baseURL: app.baseUrl, viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('finds the nearest open contact point from a postcode and opens its page', async () => {
    const page = await browser.newPage();
    const checkPage = async (heading: string | RegExp) => {
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Chargement' }).first().waitFor({ state: 'detached' });
      findings.push(...(await seriousA11yViolations(page)));
    };

    await page.goto('/connexion');
    // On a phone the header's links are behind the "Menu" button.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Trouver un lieu d’accueil' }).click();
    await checkPage('Trouver un lieu d’accueil près de chez vous');

    const field = page.getByRole('combobox', { name: /Commune ou code postal/ });
    await field.fill('61400');
    const option = page.getByRole('option', { name: 'Mortagne-au-Perche (61400)' });
    await option.waitFor();
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    await option.click();

    await page.getByRole('heading', { level: 2, name: '3 lieux d’accueil près de Mortagne-au-Perche (61400)' }).waitFor();
    const results = page.getByRole('list', { name: 'Lieux d’accueil, du plus proche au plus éloigné' }).getByRole('listitem');
    expect(await results.first().getByRole('link').textContent()).toBe('Mairie de Mortagne-au-Perche');
    expect(await results.first().textContent()).toContain('Fermé — ouvre');
    await page.locator('figure.relais-finder-map svg').waitFor();
    findings.push(...(await seriousA11yViolations(page)));

    await page.getByText('Seulement les lieux ouverts maintenant').click();
    await page
      .getByRole('heading', { level: 2, name: '2 lieux d’accueil ouverts maintenant près de Mortagne-au-Perche (61400)' })
      .waitFor();
    const first = results.first();
    expect(await first.getByRole('link').textContent()).toBe('France Services de Mortagne');
    expect(await first.textContent()).toContain('Ouvert maintenant · jusqu’à 12 h');
    expect(await first.textContent()).toContain('à 620 m');

    await first.getByRole('link', { name: 'France Services de Mortagne' }).click();
    await checkPage('France Services de Mortagne');
    await page.getByText('Ouvert maintenant · jusqu’à 12 h').waitFor();
    expect(await page.getByRole('link', { name: '02 33 85 00 00' }).getAttribute('href')).toBe('tel:0233850000');
    expect(await page.getByRole('link', { name: 'Itinéraire' }).getAttribute('href')).toContain('openstreetmap.org/directions');
    await page.getByRole('row', { name: /Mercredi 11 mars 9 h – 12 h, 14 h – 17 h/ }).waitFor();
    await page.getByRole('row', { name: /Samedi 14 mars Fermé/ }).waitFor();
    await page.getByText('Caisse d’allocations familiales de l’Orne').waitFor();

    expect(findings).toEqual([]);
  }, 120_000);

  it('says when a commune is placed only approximately, by the communes of its postcode', async () => {
    const page = await browser.newPage();
    await page.goto('/trouver');
    const field = page.getByRole('combobox', { name: /Commune ou code postal/ });
    await field.fill('Rémalard');
    await page.getByRole('option', { name: 'Rémalard en Perche (61110)' }).click();
    await page.getByRole('heading', { level: 2, name: /près de Rémalard en Perche \(61110\)/ }).waitFor();
    await page.getByText('Position approchée : communes du code postal 61110.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  }, 60_000);
});
