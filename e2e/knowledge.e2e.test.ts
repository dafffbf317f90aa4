import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, type Journey, startJourney } from './harness.ts';

/** The CAF's demo referent (README, « Comptes de démonstration »): owns the CAF's sheets. */
const referent = { email: 'referent.caf@relais.demo' };

describe('the knowledge base (fiches), from a search with a typo to an accepted proposal and a suggestion', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  /** Another person on the same browser: a fresh cookie jar, then the sign-in through the API. */
  const signInAs = async (email: string) => {
    await j.browser.context.clearCookies();
    await j.signIn(email);
  };

  it('an agent finds a CAF sheet despite a typo and proposes a change; the CAF referent accepts it; the history shows it; the visit form suggests the sheet', async () => {
    const { page } = j;
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const addition = 'Vérifier aussi que le bail est au nom de la personne (essai de bout en bout).';

    // 1. The agent searches with a typo: the search reads « allocation » and highlights the matches.
    await signInAs(demo.agent.email);
    await page.goto('/');
    await j.checkPage(`Bonjour ${demo.agent.name}`);
    await nav.getByRole('link', { name: 'Fiches' }).click();
    await j.checkPage('Fiches');
    await expect(page.getByRole('link', { name: 'Nouvelle fiche' }).count()).resolves.toBe(0);
    await page.getByRole('searchbox', { name: /^Rechercher une fiche/ }).fill('alocation logement');
    await page.waitForURL(/[?&]q=alocation(\+|%20)logement/);
    await page.getByText(/au lieu de « alocation »/).waitFor();
    const results = page.getByRole('list', { name: 'Fiches trouvées' });
    const cafHit = results
      .getByRole('listitem')
      .filter({ has: page.locator('abbr', { hasText: /^CAF$/ }) })
      .first();
    await cafHit.waitFor();
    expect(await results.locator('mark').count()).toBeGreaterThan(0);
    expect(await cafHit.locator('mark').count()).toBeGreaterThan(0);
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /\d+ fiches? trouvées?/ })
        .count(),
    ).resolves.toBe(1);
    await j.scan();
    const link = cafHit.getByRole('heading').getByRole('link');
    const title = ((await link.textContent()) ?? '').trim();
    expect(title).not.toBe('');

    // 2. The sheet: its sections, « Oui » to « Cette fiche vous a-t-elle aidé ? », no « Modifier » for an agent.
    await link.click();
    await j.checkPage(title);
    const sheetUrl = new URL(page.url()).pathname;
    expect(sheetUrl).toMatch(/^\/fiches\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 2, name: 'Étapes' }).waitFor();
    await page
      .getByText(/Vérifiée le|Jamais vérifiée/)
      .first()
      .waitFor();
    const feedback = page.getByRole('group', { name: 'Cette fiche vous a-t-elle aidé ?' });
    await feedback.getByRole('button', { name: 'Oui' }).click();
    await page.getByRole('status').filter({ hasText: 'Merci, votre réponse est enregistrée.' }).waitFor();
    await j.scan();
    expect(await page.getByRole('link', { name: 'Modifier', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Marquer comme vérifiée' }).count()).toBe(0);
    await page.getByRole('link', { name: /^Saisir le partenaire/ }).waitFor();

    // 3. The agent proposes a change: the sheet's text, prefilled, plus a comment.
    await page.getByRole('link', { name: 'Proposer une modification' }).click();
    await j.checkPage('Proposer une modification');
    const form = page.getByRole('form', { name: 'Proposition de modification' });
    expect(await form.getByLabel('Titre', { exact: true }).inputValue()).toBe(title);
    const pitfalls = form.getByLabel(/^Pièges fréquents/);
    const before = await pitfalls.inputValue();
    await pitfalls.fill(before ? `${before}\n\n${addition}` : addition);
    await form.getByRole('button', { name: 'Aperçu : Pièges fréquents' }).click();
    await form.locator('.relais-markdown-preview').getByText(addition).waitFor();
    await form.getByLabel('Commentaire pour le responsable de la fiche').fill('Vu avec plusieurs usagers ce mois-ci.');
    await j.scan();
    await form.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Votre proposition est envoyée aux référents CAF/ })
      .waitFor();
    await j.scan();

    // 4. The CAF referent reviews it: the diff shows the addition; « Accepter ».
    await signInAs(referent.email);
    await page.goto('/fiches');
    await j.checkPage('Fiches');
    await page.getByRole('link', { name: 'Propositions à examiner' }).click();
    await j.checkPage('Propositions de modification');
    const proposal = page.getByRole('article').filter({ has: page.getByRole('link', { name: title }) });
    await proposal.locator('ins').filter({ hasText: addition }).waitFor();
    await proposal.getByText('Vu avec plusieurs usagers ce mois-ci.').waitFor();
    await j.scan();
    await proposal.getByRole('button', { name: 'Accepter' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Proposition acceptée : « ${title} » a une nouvelle version.` })
      .waitFor();
    await j.scan();

    // 5. The history: the new version first, and the diff from the previous one shows the addition.
    await page.goto(sheetUrl);
    await j.checkPage(title);
    await page.getByText(addition).waitFor();
    await page.getByRole('link', { name: 'Modifier', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Historique' }).click();
    await j.checkPage('Historique de la fiche');
    const versions = page.getByRole('table', { name: /^Versions de la fiche/ });
    const rows = versions.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const latest = Number(await rows.first().locator('th').textContent());
    await rows.first().getByText('Proposition acceptée').waitFor();
    await page.getByRole('heading', { name: `De la version ${latest - 1} à la version ${latest}` }).waitFor();
    await page.locator('.relais-diff ins').filter({ hasText: addition }).waitFor();
    await j.scan();

    // 6. The agent logs a visit about the CAF: the form suggests the CAF's sheets, and asks if one answered.
    await signInAs(demo.agent.email);
    await page.goto('/nouvel-accueil');
    await j.checkPage('Nouvel accueil');
    const visit = page.getByRole('form', { name: 'Accueil à enregistrer' });
    const partners = visit.getByRole('group', { name: /^Partenaires concernés/ });
    const quickCaf = partners.getByRole('checkbox', { name: /^CAF/ });
    if ((await quickCaf.count()) > 0) await quickCaf.first().check();
    else {
      const search = partners.getByRole('searchbox', { name: /^Chercher un autre partenaire/ });
      await search.fill('allocations familiales');
      await search.press('Enter');
    }
    await visit.getByLabel(/^Commentaire/).fill('aide au logement');
    const suggestions = page.getByRole('region', { name: 'Des fiches qui peuvent aider' });
    await suggestions.getByRole('link').first().waitFor();
    expect(await suggestions.getByRole('listitem').count()).toBeLessThanOrEqual(5);
    const suggested = suggestions.getByRole('link', { name: new RegExp(escapeRegExp(title)) });
    await suggested.waitFor();
    expect(await suggested.getAttribute('target')).toBe('_blank');
    const item = suggestions.getByRole('listitem').filter({ has: suggested });
    await item.getByRole('button', { name: 'Oui' }).click();
    await item.getByRole('status').filter({ hasText: 'Merci, votre réponse est enregistrée.' }).waitFor();
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 300_000);
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
