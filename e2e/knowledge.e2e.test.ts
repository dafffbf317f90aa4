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
    expect(await form.getByRole('textbox', { name: /^Titre/ }).inputValue()).toBe(title);
    const pitfalls = form.getByLabel(/^Pièges fréquents/);
    const before = await pitfalls.inputValue();
    await pitfalls.fill(before ? `${before}\n\n${addition}` : addition);
    await form.getByRole('button', { name: 'Aperçu : Pièges fréquents' }).click();
    await form.locator('.relais-markdown-preview').getByText(addition).waitFor();
    await form.getByLabel(/^Commentaire pour le responsable de la fiche/).fill('Vu avec plusieurs usagers ce mois-ci.');
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
    const proposal = page
      .getByRole('article')
      .filter({ has: page.getByRole('link', { name: title }) })
      .filter({ hasText: 'Vu avec plusieurs usagers ce mois-ci.' });
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
    await rows
      .first()
      .getByText(/acceptée/)
      .waitFor();
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
    if ((await quickCaf.count()) > 0) await quickCaf.first().press('Space');
    else {
      const search = partners.getByRole('searchbox', { name: /^Chercher un autre partenaire/ });
      await search.fill('allocations familiales');
      await search.press('Enter');
    }
    await visit.getByLabel(/^Commentaire/).fill('aide au logement');
    const suggestions = page.getByRole('region', { name: 'Des fiches qui peuvent aider' });
    await suggestions.getByRole('link').first().waitFor();
    expect(await suggestions.getByRole('link').count()).toBeLessThanOrEqual(5);
    const suggestedName = new RegExp(escapeRegExp(title));
    const suggested = suggestions.getByRole('link', { name: suggestedName });
    await suggested.waitFor();
    expect(await suggested.getAttribute('target')).toBe('_blank');
    const item = suggestions.getByRole('listitem').filter({ has: page.getByRole('link', { name: suggestedName }) });
    await item.getByRole('button', { name: 'Oui' }).click();
    await item.getByRole('status').filter({ hasText: 'Merci, votre réponse est enregistrée.' }).waitFor();
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 300_000);

  it('a coordinator writes a sheet of the network with a preview, then imports one from a Markdown file after an essay', async () => {
    const { page } = j;
    const title = 'Obtenir un justificatif de domicile quand on est hébergé';

    // 1. The editor: title, owner (the network), sections in Markdown with the server's preview; published.
    await signInAs(demo.coordinator.email);
    await page.goto('/fiches');
    await j.checkPage('Fiches');
    await page.getByRole('link', { name: 'Nouvelle fiche' }).click();
    await j.checkPage('Nouvelle fiche');
    const form = page.getByRole('form', { name: 'Nouvelle fiche' });
    // Refused as written: the steps are required.
    await form.getByRole('button', { name: 'Créer la fiche' }).click();
    await form.getByText('titre trop court (3 caractères au moins)').waitFor();
    await form.getByText('décrivez au moins les étapes').waitFor();
    await j.scan();
    await form.getByRole('textbox', { name: /^Titre/ }).fill(title);
    await form
      .getByRole('textbox', { name: /^Résumé/ })
      .fill('Une attestation d’hébergement signée par l’hébergeant, avec ses justificatifs.');
    await form.getByRole('textbox', { name: /^Mots-clés/ }).fill('attestation d’hébergement, hébergé, domicile');
    await form
      .getByRole('textbox', { name: /^Étapes/ })
      .fill('1. Faire remplir l’attestation par l’hébergeant.\n2. Joindre **sa pièce d’identité** et un justificatif à son nom.');
    await form.getByRole('button', { name: 'Aperçu : Étapes' }).click();
    await form.locator('.relais-markdown-preview strong', { hasText: 'sa pièce d’identité' }).waitFor();
    await form.getByRole('radio', { name: /^Publiée/ }).press('Space');
    await j.scan();
    await form.getByRole('button', { name: 'Créer la fiche' }).click();
    await j.checkPage(title);
    await page.getByRole('status').filter({ hasText: 'Fiche créée.' }).waitFor();
    await page.getByText('Fiche du réseau').waitFor();
    await page.getByRole('link', { name: 'Modifier', exact: true }).waitFor();
    await j.scan();

    // 2. The import: an essay first (nothing written), then for real.
    await page.goto('/fiches');
    await j.checkPage('Fiches');
    await page.getByRole('link', { name: 'Importer / exporter' }).click();
    await j.checkPage('Importer et exporter des fiches');
    const importForm = page.getByRole('form', { name: 'Importer des fiches' });
    await importForm.getByLabel(/^Fichier de fiches/).setInputFiles({
      name: 'reseau-essai-import.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(IMPORTED_SHEET),
    });
    await importForm.getByRole('button', { name: 'Vérifier le fichier (essai)' }).click();
    await page.getByRole('heading', { name: 'Résultat de l’essai (rien n’est écrit)' }).waitFor();
    const planned = page.getByRole('table', { name: 'Fiches lues' });
    await planned.getByRole('cell', { name: 'reseau-essai-import' }).waitFor();
    await planned.getByRole('cell', { name: 'Créée' }).waitFor();
    await j.scan();
    await importForm.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Import terminé : 1 créée(s)' }).waitFor();
    const exportLink = page.getByRole('link', { name: 'Télécharger l’export (.zip)' });
    await page.getByLabel('Fiches à exporter').selectOption({ label: 'Fiches du réseau' });
    expect(await exportLink.getAttribute('href')).toMatch(/\/knowledge\/export\?organisationId=reseau$/);
    const exported = await page.request.get((await exportLink.getAttribute('href')) ?? '');
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toContain('application/zip');
    await j.scan();

    // The territory's own synonyms: searching one expression finds the sheets that use the other.
    const synonyms = page.getByRole('form', { name: 'Synonymes du territoire' });
    await synonyms.getByLabel(/^Groupes du territoire/).fill('Zorglub, domiciliation');
    await synonyms.getByRole('button', { name: 'Enregistrer les synonymes' }).click();
    await page.getByRole('status').filter({ hasText: 'Synonymes enregistrés' }).waitFor();
    await j.scan();

    // 3. Both are found by the search.
    await page.goto(`/fiches?q=${encodeURIComponent('hébergé domicile')}`);
    await j.checkPage('Fiches');
    await page.getByRole('list', { name: 'Fiches trouvées' }).getByRole('link', { name: title }).waitFor();
    await page.goto(`/fiches?q=${encodeURIComponent('essai import')}`);
    await page.getByRole('list', { name: 'Fiches trouvées' }).getByRole('link', { name: 'Essai d’import de fiche' }).waitFor();
    await page.goto('/fiches?q=zorglub');
    await page.getByText(/Recherche élargie/).waitFor();
    await page
      .getByRole('list', { name: 'Fiches trouvées' })
      .getByRole('link', { name: /domiciliation/i })
      .first()
      .waitFor();
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 300_000);
});

/** A sheet of the network in the export's Markdown format. */
const IMPORTED_SHEET = `---
slug: reseau-essai-import
title: Essai d’import de fiche
summary: Une fiche importée par la coordination pendant le parcours de bout en bout.
themes: [logement]
keywords: [essai, import]
status: publiee
---
## Étapes
1. Ouvrir la page d’import.
2. Vérifier le fichier, puis importer.
`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
