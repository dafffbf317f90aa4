import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG } from '../server/seed/demo.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** The CAF's demo referent (README, « Comptes de démonstration »). */
const partnerReferent = { email: 'referent.caf@relais.demo' };

describe('the observatory: dashboards with filters in the address, exports, key figures, public statistics', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  const signInAs = async (email: string) => {
    await j.browser.context.clearCookies();
    await j.signIn(email);
  };

  it('a coordinator filters by partner (the figures change, the back button restores them), switches to the requests, exports, opens the key figures; the public page needs no sign-in', async () => {
    const { page } = j;
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const tile = (label: string) =>
      page
        .locator('.relais-stat')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('.relais-stat__value');

    // 1. The coordinator opens the observatory from the navigation: the visits tab, with figures.
    await signInAs(demo.coordinator.email);
    await page.goto('/');
    await j.checkPage(/^Territoire /);
    await nav.getByRole('link', { name: 'Observatoire' }).click();
    await j.checkPage('Observatoire');
    expect(await page.getByRole('tab', { name: 'Accueils' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Satisfaction' }).waitFor();
    const visits = tile('Accueils');
    await visits.waitFor();
    const allVisits = (await visits.textContent())?.trim() ?? '';
    expect(allVisits).toMatch(/^\d[\d\s\u202f]*$/);
    const months = page.getByRole('figure', { name: 'Accueils par mois' });
    await months.locator('svg[aria-hidden="true"]').first().waitFor();
    expect(await months.getByRole('table', { name: 'Accueils par mois' }).locator('tbody tr').count()).toBeGreaterThan(0);
    const partners = page.getByRole('figure', { name: 'Partenaires cités' });
    await partners.getByRole('columnheader', { name: 'Part nationale' }).waitFor();
    await j.scan();

    // 2. Filter by a partner (the CAF), submitted with Enter from a field of the form.
    const form = page.getByRole('form', { name: 'Filtres de l’observatoire' });
    const partnerSelect = form.getByRole('combobox', { name: 'Partenaire' });
    const caf = (await partnerSelect.locator('option').allTextContents()).find((o) => /CAF|allocations familiales/i.test(o));
    expect(caf).toBeDefined();
    await partnerSelect.selectOption({ label: caf ?? '' });
    await form.getByLabel(/^Du \(mois\)/).press('Enter');
    await page.waitForURL(/[?&]organisationId=[0-9a-f-]{36}/);
    const organisationId = new URL(page.url()).searchParams.get('organisationId');
    await expect.poll(async () => (await visits.textContent())?.trim(), { timeout: 15_000 }).not.toBe(allVisits);
    const cafVisits = (await visits.textContent())?.trim() ?? '';
    expect(Number(cafVisits.replace(/\D/g, ''))).toBeLessThan(Number(allVisits.replace(/\D/g, '')));
    await j.scan();

    // The back button restores the unfiltered figures (the filters live in the address).
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('organisationId'), { timeout: 15_000 }).toBeNull();
    await expect.poll(async () => (await visits.textContent())?.trim(), { timeout: 15_000 }).toBe(allVisits);
    expect(await partnerSelect.inputValue()).toBe('');
    await page.goForward();
    await expect.poll(async () => (await visits.textContent())?.trim(), { timeout: 15_000 }).toBe(cafVisits);

    // 3. The requests tab keeps the filters; the export links carry them.
    await page.getByRole('tab', { name: 'Saisines et délais' }).click();
    await page.waitForURL(/[?&]onglet=saisines/);
    expect(new URL(page.url()).searchParams.get('organisationId')).toBe(organisationId);
    await tile('Saisines envoyées').waitFor();
    await tile('En attente maintenant').waitFor();
    await page.getByRole('figure', { name: 'Délais par partenaire' }).getByRole('table').waitFor();
    await j.scan();
    const csv = page.locator('a[download]').filter({ hasText: 'Exporter (CSV)' });
    const href = (await csv.getAttribute('href')) ?? '';
    expect(href).toMatch(/\/observatory\/exports\/requests\?/);
    const exportParams = new URL(href, page.url()).searchParams;
    expect(exportParams.get('format')).toBe('csv');
    expect(exportParams.get('organisationId')).toBe(organisationId);
    expect(await csv.getAttribute('download')).not.toBeNull();
    expect(
      new URL(
        (await page.locator('a[download]').filter({ hasText: 'Exporter (Excel)' }).getAttribute('href')) ?? '',
        page.url(),
      ).searchParams.get('format'),
    ).toBe('xlsx');
    const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    const file = await download.path();
    const firstLine = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
    expect(firstLine).toMatch(/^Référence;Envoyée le;Lieu d’accueil;Organisme;/);

    // 4. The yearly key figures, printable.
    await page.getByRole('link', { name: 'Chiffres clés de l’année' }).click();
    await j.checkPage(/^Chiffres clés \d{4}$/);
    await page.getByRole('heading', { level: 2, name: 'Accueils' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Saisines et délais' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Satisfaction' }).waitFor();
    await page.getByRole('table', { name: 'Partenaires cités, comparés aux parts nationales' }).waitFor();
    await page.getByRole('button', { name: 'Imprimer / Enregistrer en PDF' }).waitFor();
    await j.scan();

    // 5. The public statistics, linked from the dashboard, without signing in.
    await page.goto('/observatoire');
    await j.checkPage('Observatoire');
    expect(await page.getByRole('link', { name: 'Page publique' }).getAttribute('href')).toBe(`/statistiques/${DEMO_SLUG}`);
    await j.browser.context.clearCookies();
    await page.goto(`/statistiques/${DEMO_SLUG}`);
    await j.checkPage(/^Statistiques : /);
    await tile('Accueils').waitFor();
    await page.getByRole('table', { name: 'Accueils par mois' }).waitFor();
    await page.getByRole('table', { name: 'Accueils par lieu' }).waitFor();
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 300_000);

  it('a partner referent sees the visits and requests tabs of their organisation, no satisfaction tab nor partner filter', async () => {
    const { page } = j;
    await signInAs(partnerReferent.email);
    await page.goto('/observatoire');
    await j.checkPage('Observatoire');
    await page.getByRole('tab', { name: 'Saisines et délais' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Satisfaction' }).count()).toBe(0);
    await page.locator('.relais-stat__value').first().waitFor();
    const form = page.getByRole('form', { name: 'Filtres de l’observatoire' });
    expect(await form.getByRole('combobox', { name: 'Partenaire' }).count()).toBe(0);
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
