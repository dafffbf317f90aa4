import { type APIRequestContext, request as playwrightRequest } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { PersonView } from '../contracts/people.ts';
import type { CreatedRequestView, RequestDetails } from '../contracts/requests.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser, DEFAULT_PASSWORD } from '../server/test/factories.ts';
import { type Journey, startJourney } from './harness.ts';

/** A small valid PDF, as an agent would attach a scanned notice. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

async function meOf(request: APIRequestContext): Promise<Me> {
  return (await (await request.get('/api/auth/me')).json()) as Me;
}

describe('a partner referent answering a request (saisine) from a contact point', () => {
  let j: Journey;
  let territoryId: string;
  let agent: { email: string };
  let helene: { email: string };
  let paul: { email: string };
  let marc: { email: string };
  let chloe: { email: string };
  let busyId: string;
  let organisationId: string;

  /** Signs the browser in as someone else (the cookie jar is emptied first). */
  const switchTo = async (email: string) => {
    await j.page.context().clearCookies();
    const res = await j.page.request.post('/api/auth/login', { data: { email, password: DEFAULT_PASSWORD } });
    expect(res.status()).toBe(200);
  };

  /** Creates a request through the API as the agent (the person's file first). */
  const createRequest = async (subject: string): Promise<CreatedRequestView> => {
    await switchTo(agent.email);
    const me = await meOf(j.page.request);
    const headers = { 'x-csrf-token': me.csrfToken };
    const contactPointId = me.memberships[0]?.contactPoint?.id;
    const person = await j.page.request.post(`/api/territories/${territoryId}/people`, {
      data: { contactPointId, confirmNotDuplicate: true, firstName: 'Nadia', lastName: 'Benali', birthDate: '1979-03-14' },
      headers,
    });
    expect(person.status()).toBe(201);
    const personId = ((await person.json()) as PersonView).id;
    const res = await j.page.request.post(`/api/territories/${territoryId}/requests`, {
      data: {
        organisationId,
        personId,
        consent: { kind: 'consentement' },
        themeCode: 'logement',
        subject,
        description: 'Madame Benali ne perçoit plus son aide au logement depuis octobre, sans courrier de la caisse.',
        identifiers: { caf_number: '7654321' },
      },
      headers,
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as CreatedRequestView;
  };

  beforeAll(async () => {
    j = await startJourney();
    const db = j.app.ctx.db;
    const territory = await createTerritory(db, { name: 'Perche ornais' });
    territoryId = territory.id;
    const place = await createContactPoint(db, territory.id, { name: 'France Services de Mamers', commune: 'Mamers' });
    const caf = await createOrganisation(db, territory.id, {
      name: 'Caisse d’allocations familiales de l’Orne',
      acronym: 'CAF',
      nationalCode: 'CAF',
    });
    await createOrganisation(db, territory.id, {
      name: 'Caisse primaire d’assurance maladie',
      acronym: 'CPAM',
      nationalCode: 'CPAM',
    });
    // Invited to follow a request.
    await createOrganisation(db, territory.id, { name: 'Mutualité sociale agricole', acronym: 'MSA', nationalCode: 'MSA' });
    // The busy inbox, of an organisation no other test writes to.
    const carsat = await createOrganisation(db, territory.id, {
      name: 'Caisse d’assurance retraite',
      acronym: 'CARSAT',
      nationalCode: 'CARSAT',
    });
    busyId = carsat.id;
    chloe = await createUser(db, {
      displayName: 'Chloé Martin',
      memberships: [{ territoryId: territory.id, role: 'referent', organisationId: carsat.id }],
    });
    organisationId = caf.id;
    agent = await createUser(db, {
      displayName: 'Agathe Accueil',
      memberships: [{ territoryId, role: 'agent', contactPointId: place.id }],
    });
    helene = await createUser(db, {
      displayName: 'Hélène Géraud',
      memberships: [{ territoryId, role: 'referent', organisationId: caf.id }],
    });
    marc = await createUser(db, {
      displayName: 'Marc Lemoine',
      memberships: [{ territoryId, role: 'manager', organisationId: caf.id }],
    });
    paul = await createUser(db, {
      displayName: 'Paul Durand',
      memberships: [{ territoryId, role: 'referent', organisationId: caf.id }],
    });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('sees it as new and unread, takes it, asks for information, gets them with a PDF, answers and closes; the agent rates the answer', async () => {
    const subject = 'Aide au logement suspendue depuis octobre';
    const created = await createRequest(subject);
    const { page } = j;

    // The referent: the home tile counts it, the inbox shows it as new and unread.
    await switchTo(helene.email);
    await page.goto('/');
    await j.checkPage('Bonjour Hélène Géraud');
    await page.getByText('1 nouvelle saisine', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Boîte de réception' }).click();
    await j.checkPage('Boîte de réception');
    await page.getByRole('tab', { name: 'Nouvelles (1)', selected: true }).waitFor();
    const row = page.getByRole('row').filter({ hasText: subject });
    await row.getByText('Nadia Benali').or(row.getByText('BENALI Nadia')).first().waitFor();
    await row.getByText('France Services de Mamers').waitFor();
    await row.getByText(/^J-\d+$/).waitFor();
    const link = row.getByRole('link', { name: `${created.reference} non lu` });
    expect(await row.evaluate((tr) => getComputedStyle(tr.querySelector('td') as Element).fontWeight)).toBe('700');
    await j.scan();

    // Open it (the row is a link), take it: the result is announced and focused.
    await link.focus();
    await page.keyboard.press('Enter');
    await j.checkPage(subject);
    await page.getByText(/^Réponse attendue avant le \S+ \d{1,2} \S+, \d{1,2} h( \d\d)?$/).waitFor();
    await page.getByText('7654321').waitFor();
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    await page.getByText('Vous avez pris en charge cette saisine.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('relais-thread-notice'))).toBe(true);
    await page.getByRole('button', { name: 'Prendre en charge' }).waitFor({ state: 'detached' });
    await j.scan();

    // Ask for information: the deadline is suspended, the new message takes the focus.
    await page.getByRole('radio', { name: 'Demander des informations' }).check({ force: true });
    await page.getByLabel('Les informations ou pièces à fournir').fill('Merci de joindre le dernier avis d’imposition de Madame Benali.');
    await page.getByRole('button', { name: 'Envoyer la demande d’informations' }).click();
    await page
      .getByRole('paragraph')
      .filter({ hasText: /^Délai suspendu : en attente d’informations$/ })
      .waitFor();
    const asked = page.getByRole('article').filter({ hasText: 'Merci de joindre le dernier avis' });
    await asked.waitFor();
    expect(await asked.evaluate((el) => el === document.activeElement)).toBe(true);
    await j.scan();

    // The agent sends what was asked, with a PDF.
    await switchTo(agent.email);
    await page.goto(`/saisines/${created.id}`);
    await j.checkPage(subject);
    await page.getByLabel('Les informations demandées').fill('Voici l’avis d’imposition 2025.');
    // A file that is not a PDF or an image is refused with the server's explanation, the text kept.
    await page.getByLabel('Pièces jointes').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('bonjour') });
    await page.getByRole('button', { name: 'Envoyer les informations demandées' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Pièce jointe refusée' })
      .getByText(/« notes\.txt » n’est ni un PDF/)
      .waitFor();
    expect(await page.getByLabel('Les informations demandées').inputValue()).toBe('Voici l’avis d’imposition 2025.');
    await page.getByLabel('Pièces jointes').setInputFiles({ name: 'avis-imposition.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Envoyer les informations demandées' }).click();
    const sent = page.getByRole('article').filter({ hasText: 'Voici l’avis d’imposition 2025.' });
    await sent.getByRole('link', { name: 'avis-imposition.pdf' }).waitFor();
    await j.scan();

    // The referent: unread again in « miennes »; answers, then closes.
    await switchTo(helene.email);
    await page.goto(`/organisations/${organisationId}/saisines?filtre=miennes`);
    await j.checkPage('Boîte de réception');
    await page.getByRole('link', { name: `${created.reference} non lu` }).click();
    await j.checkPage(subject);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'avis-imposition.pdf' }).click();
    expect((await download).suggestedFilename()).toBe('avis-imposition.pdf');
    await page.getByRole('radio', { name: 'Répondre' }).check({ force: true });
    await page.getByLabel('Votre réponse').fill('Le droit est rétabli ; le rappel sera versé le 5 du mois prochain.');
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.getByRole('article').filter({ hasText: 'Le droit est rétabli' }).waitFor();
    await page.getByRole('button', { name: 'Clôturer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clôturer la saisine' });
    await dialog.getByLabel('Motif (facultatif)').fill('Droit rétabli.');
    await j.scan();
    await dialog.getByRole('button', { name: 'Clôturer' }).click();
    await page.getByText('La saisine est clôturée.').waitFor();
    await page.getByRole('button', { name: 'Clôturer' }).waitFor({ state: 'detached' });
    await page.getByText('Historique', { exact: false }).first().click();
    await j.scan();

    // The agent says whether the answer helped.
    await switchTo(agent.email);
    await page.goto(`/saisines/${created.id}`);
    await j.checkPage(subject);
    await page.getByRole('radio', { name: 'Réponse utile' }).check({ force: true });
    await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
    await page.getByText('Merci pour votre avis.').waitFor();
    const details = (await (await page.request.get(`/api/territories/${territoryId}/requests/${created.id}`)).json()) as RequestDetails;
    expect(details.usefulness).toBe('utile');
    await j.scan();

    expect(j.a11yFindings).toEqual([]);
  }, 240_000);

  it('tells the second referent who clicks « Prendre en charge » that a colleague was faster, and shows who', async () => {
    const subject = 'Attestation de paiement introuvable';
    const created = await createRequest(subject);
    const { page } = j;
    // Paul opens it in the browser...
    await switchTo(paul.email);
    await page.goto(`/saisines/${created.id}`);
    await j.checkPage(subject);
    await page.getByRole('button', { name: 'Prendre en charge' }).waitFor();
    // ...while Hélène takes it from her own session.
    const other = await playwrightRequest.newContext({ baseURL: j.app.baseUrl });
    try {
      expect((await other.post('/api/auth/login', { data: { email: helene.email, password: DEFAULT_PASSWORD } })).status()).toBe(200);
      const me = await meOf(other);
      const taken = await other.post(`/api/territories/${territoryId}/requests/${created.id}/take`, {
        data: {},
        headers: { 'x-csrf-token': me.csrfToken },
      });
      expect(taken.status()).toBe(200);
    } finally {
      await other.dispose();
    }
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Saisine déjà prise en charge.*vient de prendre en charge cette saisine/);
    // The page refreshed: Hélène is shown as in charge.
    await page.getByRole('definition').filter({ hasText: 'Hélène Géraud' }).waitFor();
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);

  it('keeps an internal note from the agent, assigns it to a colleague, and re-routes it to another organisation through a dialog', async () => {
    const subject = 'Complémentaire santé solidaire refusée';
    const created = await createRequest(subject);
    const { page } = j;
    await switchTo(paul.email);
    await page.goto(`/saisines/${created.id}`);
    await j.checkPage(subject);

    await page.getByRole('radio', { name: 'Note interne' }).check({ force: true });
    await page.getByLabel('Votre note').fill('Dossier déjà vu en 2025 : voir avec la CPAM.');
    await page.getByRole('button', { name: 'Enregistrer la note interne' }).click();
    const note = page.getByRole('article').filter({ hasText: 'Dossier déjà vu en 2025' });
    await note.getByText('Note interne — visible de votre organisme seulement').waitFor();

    // In charge, Paul may hand it to a colleague.
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    await page.getByText('Vous avez pris en charge cette saisine.').waitFor();
    await page.getByLabel('Attribuer à…').selectOption({ label: 'Hélène Géraud' });
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.getByText('Saisine attribuée à Hélène Géraud.').waitFor();
    await page.getByRole('definition').filter({ hasText: 'Hélène Géraud' }).waitFor();
    await j.scan();

    // Another organisation is invited to follow it.
    await page.getByRole('button', { name: 'Inviter un collègue / un organisme' }).click();
    const invite = page.getByRole('dialog', { name: 'Inviter un collègue / un organisme' });
    await invite.getByRole('radio', { name: 'Un autre organisme' }).check({ force: true });
    await invite.getByLabel('Organisme à inviter').selectOption({ label: 'MSA — Mutualité sociale agricole' });
    await invite.getByRole('button', { name: 'Inviter' }).click();
    await page.getByText('MSA peut maintenant suivre la saisine.').waitFor();
    await page.getByRole('definition').filter({ hasText: 'MSA' }).waitFor();

    await page.getByRole('button', { name: 'Ce n’est pas pour nous : réorienter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ce n’est pas pour nous : réorienter' });
    await dialog.getByRole('button', { name: 'Réorienter' }).click();
    await dialog.getByText('Choisissez l’organisme qui doit traiter la saisine.').waitFor();
    await dialog.getByLabel('Organisme qui doit la traiter').selectOption({ label: 'CPAM — Caisse primaire d’assurance maladie' });
    await dialog.getByLabel('Pourquoi ?').fill('La complémentaire santé solidaire relève de la CPAM.');
    await j.scan();
    await dialog.getByRole('button', { name: 'Réorienter' }).click();
    await j.checkPage('Boîte de réception');
    await page.getByText(`Saisine ${created.reference} réorientée vers CPAM.`).waitFor();

    // The agent sees the new organisation, and never the CAF's internal note.
    await switchTo(agent.email);
    await page.goto(`/saisines/${created.id}`);
    await j.checkPage(subject);
    await page.getByText('CPAM — Caisse primaire d’assurance maladie').waitFor();
    expect(await page.getByText('Dossier déjà vu en 2025').count()).toBe(0);
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);

  it('lists fifty requests at a time, and « Charger plus » brings the next ones with the focus on the first of them', async () => {
    const { page } = j;
    await switchTo(agent.email);
    const me = await meOf(page.request);
    for (let i = 1; i <= 51; i++) {
      const res = await page.request.post(`/api/territories/${territoryId}/requests`, {
        data: { organisationId: busyId, subject: `Question ${i}`, description: 'Une question sans personne.' },
        headers: { 'x-csrf-token': me.csrfToken },
      });
      expect(res.status()).toBe(201);
    }
    await switchTo(chloe.email);
    await page.goto('/');
    await j.checkPage('Bonjour Chloé Martin');
    await page.getByText('51 nouvelles saisines', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Boîte de réception' }).click();
    await j.checkPage('Boîte de réception');
    await page.getByRole('tab', { name: 'Nouvelles (51)', selected: true }).waitFor();
    expect(await page.title()).toBe('(51) Boîte de réception · Relais');
    const links = page.getByRole('table').getByRole('link');
    await expect.poll(() => links.count()).toBe(50);
    await page.getByRole('button', { name: 'Charger plus' }).click();
    await expect.poll(() => links.count()).toBe(51);
    expect(await links.nth(50).evaluate((a) => a === document.activeElement)).toBe(true);
    await page.getByRole('button', { name: 'Charger plus' }).waitFor({ state: 'detached' });
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);

  it('lets the organisation’s manager set its deadlines, required identifiers and business hours, with the server’s check of the hours', async () => {
    const { page } = j;
    // A referent may not change them.
    await switchTo(helene.email);
    await page.goto(`/organisations/${organisationId}/saisines/parametres`);
    await j.checkPage('Accès refusé');

    await switchTo(marc.email);
    await page.goto(`/reseau/partenaires/${organisationId}`);
    await j.checkPage('CAF — Caisse d’allocations familiales de l’Orne');
    await page.getByRole('link', { name: 'Paramètres des saisines' }).click();
    await j.checkPage('Paramètres des saisines');
    await page.getByLabel('Première réponse').fill('3');
    await page.getByLabel('Relance').fill('2');
    await page.getByLabel('Logement').fill('2');
    await page.getByLabel('Numéro d’allocataire CAF').check({ force: true });
    await page.getByLabel('Heures ouvrées').fill('du lundi au vendredi');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Horaires d’ouverture illisibles/)
      .waitFor();
    await j.scan();
    await page.getByLabel('Heures ouvrées').fill('Mo-Fr 08:30-12:00,13:30-16:30; PH off');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Paramètres enregistrés.', { exact: false }).waitFor();
    const res = await page.request.get(`/api/territories/${territoryId}/organisations/${organisationId}/request-settings`);
    expect(await res.json()).toMatchObject({
      firstAnswerDays: 3,
      followUpDays: 2,
      themeDays: { logement: 2 },
      requiredIdentifiers: ['caf_number'],
      businessHours: expect.stringContaining('Mo-Fr'),
    });
    await j.scan();
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
