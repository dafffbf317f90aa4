import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { OrganisationView } from '../contracts/network.ts';
import type { PersonView } from '../contracts/people.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** A one-page PDF, as an agent would attach a scanned notice. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The CAF's demo referent (README, « Comptes de démonstration »). */
const referent = { email: 'referent.caf@relais.demo', name: 'Romain Référent' };

describe('the request (saisine) journey, from the contact point to the partner and back to the person', () => {
  let j: Journey;
  let person: PersonView;
  beforeAll(async () => {
    j = await startJourney();
    // Setup through the API: the CAF asks for the CAF number, and the person's file (with it) exists.
    const coordinator = await j.app.signIn({ email: demo.coordinator.email, password: demo.password });
    const territoryId = ((await coordinator.get('/api/auth/me')).body as Me).memberships.find((m) => m.role === 'coordinator')!.territory
      .id;
    const orgs = (await coordinator.get(`/api/territories/${territoryId}/organisations`)).body as OrganisationView[];
    const caf = orgs.find((o) => o.acronym === 'CAF')!;
    const settings = await coordinator.request('PUT', `/api/territories/${territoryId}/organisations/${caf.id}/request-settings`, {
      body: { firstAnswerDays: 4, followUpDays: 4, requiredIdentifiers: ['caf_number'] },
    });
    expect(settings.status, settings.text).toBe(200);
    const agent = await j.app.signIn({ email: demo.agent.email, password: demo.password });
    const agentMe = (await agent.get('/api/auth/me')).body as Me;
    const created = await agent.request('POST', `/api/territories/${territoryId}/people`, {
      body: {
        firstName: 'Josiane',
        lastName: 'Parcours',
        birthDate: '1958-07-21',
        phone: '06 44 55 66 77',
        commune: 'Bretoncelles',
        cafNumber: '7654321',
        contactPointId: agentMe.memberships.find((m) => m.role === 'agent')!.contactPoint!.id,
        confirmNotDuplicate: true,
      },
    });
    expect(created.status, created.text).toBe(201);
    person = created.body as PersonView;
  });
  afterAll(async () => {
    await j?.close();
  });

  /** Signs in with the sign-in form, as a person would; lands on the home page. */
  const signInWithForm = async (email: string, name: string) => {
    const { page } = j;
    await page.goto('/connexion');
    await j.checkPage('Se connecter à Relais');
    await page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await j.checkPage(`Bonjour ${name}`);
  };
  /** Signs out from the header's button. */
  const signOut = async () => {
    await j.page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click();
    await j.checkPage('Se connecter à Relais');
    await j.page.getByText('Vous êtes déconnecté(e)').waitFor();
  };

  it('an agent escalates with a PDF; the CAF referent takes it and asks for information; the agent answers; the referent answers and closes; the person checks the status', async () => {
    const { page } = j;
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const subject = 'Allocation logement suspendue depuis octobre';
    const question = 'Merci de joindre le dernier avis d’imposition de Madame Parcours.';
    const information = 'Voici l’avis d’imposition 2025, reçu ce matin.';
    const answer = 'Le droit est rétabli ; le rappel sera versé le 5 du mois prochain.';

    // 1. The agent opens the person's file from the search and writes the request.
    await signInWithForm(demo.agent.email, demo.agent.name);
    await nav.getByRole('link', { name: 'Usagers' }).click();
    await j.checkPage('Usagers');
    await page.getByRole('searchbox', { name: /^Rechercher une personne/ }).fill('parcours josiane');
    const found = page.getByRole('table', { name: 'Personnes trouvées' });
    await found.getByRole('link', { name: 'PARCOURS Josiane' }).click();
    await j.checkPage('PARCOURS Josiane');
    expect(page.url()).toContain(`/usagers/${person.id}`);
    const section = page.getByRole('region', { name: 'Saisines' });
    await section.getByText('Aucune saisine pour cette personne.').waitFor();
    await section.getByRole('link', { name: 'Saisir un partenaire' }).click();

    await j.checkPage('Saisir un partenaire');
    const form = page.getByRole('form', { name: 'Nouvelle saisine' });
    await page.getByText('Pour : PARCOURS Josiane').waitFor();
    await form.getByLabel('Partenaire à saisir').selectOption({ label: 'CAF — Caisse d’allocations familiales de l’Orne' });
    await form.getByText('Réponse attendue sous 4 jours ouvrés').waitFor();
    // The CAF number the CAF asks for is taken from the file.
    await form.getByText('sera pris dans le dossier de la personne').waitFor();
    await form.getByLabel('Objet').fill(subject);
    await form
      .getByLabel('Description')
      .fill('Situation : l’allocation logement est suspendue.\nDéjà essayé : appel au 3230.\nCe que nous demandons : la raison.');
    await form.getByText('La personne accepte que son dossier soit transmis à Caisse d’allocations familiales de l’Orne').click();
    await form.getByLabel(/^Pièces jointes \(facultatif\)/).setInputFiles({
      name: 'avis-suspension.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await form.getByRole('list', { name: 'Pièces jointes choisies' }).getByText('avis-suspension.pdf').waitFor();
    await j.scan();
    await form.getByRole('button', { name: 'Envoyer la saisine' }).click();

    // The receipt: the reference and the code, read from the page.
    await j.checkPage('Récépissé de votre demande');
    const main = page.locator('main');
    const receipt = (await main.textContent()) ?? '';
    const reference = /RLS-\d{4}-\d{6,}/.exec(receipt)?.[0];
    expect(reference, receipt).toBeTruthy();
    const code = (await main.locator('.relais-status-code').textContent())?.replace(/\s/g, '');
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(receipt).toContain('Saisine envoyée à CAF');
    await signOut();

    // 2. The CAF referent: the request is new and unread in the inbox; takes it, asks for information.
    await signInWithForm(referent.email, referent.name);
    await nav.getByRole('link', { name: 'Boîte de réception' }).click();
    await j.checkPage('Boîte de réception');
    await page.getByRole('tab', { name: /^Nouvelles \(\d+\)$/, selected: true }).waitFor();
    const newRow = page.getByRole('row').filter({ hasText: reference! });
    await newRow.getByText(subject).waitFor();
    await newRow.getByText('Mairie de Bretoncelles').waitFor();
    await newRow.getByText('Nouvelle', { exact: true }).waitFor();
    await newRow.getByRole('link', { name: `${reference} non lu` }).click();

    await j.checkPage(subject);
    await page.getByText('7654321').waitFor();
    await page.getByRole('link', { name: 'avis-suspension.pdf' }).waitFor();
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    await page.getByText('Vous avez pris en charge cette saisine.').waitFor();
    await page.getByRole('button', { name: 'Prendre en charge' }).waitFor({ state: 'detached' });
    await j.scan();
    await page.getByRole('radio', { name: 'Demander des informations' }).check({ force: true });
    await page.getByLabel('Les informations ou pièces à fournir').fill(question);
    await page.getByRole('button', { name: 'Envoyer la demande d’informations' }).click();
    await page.getByRole('article').filter({ hasText: question }).waitFor();
    await page
      .getByRole('paragraph')
      .filter({ hasText: /^Délai suspendu : en attente d’informations$/ })
      .waitFor();
    await j.scan();
    await signOut();

    // 3. The agent finds it in « Saisines », sees the question and sends the information.
    await signInWithForm(demo.agent.email, demo.agent.name);
    await nav.getByRole('link', { name: 'Saisines' }).click();
    await j.checkPage('Saisines');
    const agentRow = page.getByRole('row').filter({ hasText: reference! });
    await agentRow.getByText('Informations demandées').waitFor();
    await agentRow.getByRole('link', { name: reference! }).click();
    await j.checkPage(subject);
    await page.getByRole('article').filter({ hasText: question }).waitFor();
    await page.getByLabel('Les informations demandées').fill(information);
    await page.getByRole('button', { name: 'Envoyer les informations demandées' }).click();
    await page.getByRole('article').filter({ hasText: information }).waitFor();
    await j.scan();
    await signOut();

    // 4. The referent reads it (unread again among theirs), answers, and closes.
    await signInWithForm(referent.email, referent.name);
    await nav.getByRole('link', { name: 'Boîte de réception' }).click();
    await j.checkPage('Boîte de réception');
    await page.getByRole('tab', { name: /^Prises en charge par moi/ }).click();
    await page.getByRole('tab', { name: /^Prises en charge par moi/, selected: true }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: reference! })
      .getByRole('link', { name: `${reference} non lu` })
      .click();
    await j.checkPage(subject);
    await page.getByRole('article').filter({ hasText: information }).waitFor();
    await page.getByRole('radio', { name: 'Répondre' }).check({ force: true });
    await page.getByLabel('Votre réponse').fill(answer);
    await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await page.getByRole('article').filter({ hasText: answer }).waitFor();
    await page.getByRole('button', { name: 'Clôturer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clôturer la saisine' });
    await dialog.getByLabel('Motif (facultatif)').fill('Droit rétabli.');
    await j.scan();
    await dialog.getByRole('button', { name: 'Clôturer' }).click();
    await page.getByText('La saisine est clôturée.').waitFor();
    await page.getByRole('button', { name: 'Clôturer' }).waitFor({ state: 'detached' });
    await j.scan();
    await signOut();

    // 5. Signed out, the person checks the status with the receipt's reference and code: closed, nothing personal.
    await page.goto('/suivi');
    await j.checkPage('Suivre ma demande');
    await page.getByRole('textbox', { name: /^Référence/ }).fill(reference!);
    await page.getByLabel('Code de suivi').fill(code!);
    await page.getByRole('button', { name: 'Voir où en est ma demande' }).click();
    const status = page.getByRole('region', { name: `Demande ${reference} : Terminée` });
    await status.getByText('Votre demande a été traitée.').waitFor();
    await status.getByText('Caisse d’allocations familiales de l’Orne').waitFor();
    await j.scan();
    const shown = (await page.locator('main').textContent()) ?? '';
    for (const personal of ['Josiane', 'PARCOURS', 'Parcours', '7654321', subject, answer]) expect(shown).not.toContain(personal);

    expect(j.a11yFindings).toEqual([]);
  }, 300_000);
});
