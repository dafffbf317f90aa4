import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../contracts/accounts.ts';
import type { OrganisationView } from '../contracts/network.ts';
import type { PersonView } from '../contracts/people.ts';
import type { RequestDetails } from '../contracts/requests.ts';
import { demo, type Journey, startJourney } from './harness.ts';

/** A one-page PDF, small enough to type here. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Signs the demo agent in (the browser's cookie jar) and creates a person file at their contact point. */
async function agentWithPerson(j: Journey, territoryId: string, fields: Record<string, string>) {
  await j.signIn(demo.agent.email);
  const me = (await (await j.page.request.get('/api/auth/me')).json()) as Me;
  const membership = me.memberships.find((m) => m.role === 'agent')!;
  const created = await j.page.request.post(`/api/territories/${territoryId}/people`, {
    data: {
      phone: '06 22 33 44 55',
      commune: 'Bretoncelles',
      contactPointId: membership.contactPoint!.id,
      confirmNotDuplicate: true,
      ...fields,
    },
    headers: { 'x-csrf-token': me.csrfToken },
  });
  expect(created.status()).toBe(201);
  return { me, person: (await created.json()) as PersonView };
}

describe('an agent escalates a person’s question to a partner', () => {
  let j: Journey;
  let territoryId: string;
  beforeAll(async () => {
    j = await startJourney();
    // The CAF asks for the CAF number and the birth date.
    const coordinator = await j.app.signIn({ email: demo.coordinator.email, password: demo.password });
    const me = (await coordinator.get('/api/auth/me')).body as Me;
    territoryId = me.memberships.find((m) => m.role === 'coordinator')!.territory.id;
    const orgs = (await coordinator.get(`/api/territories/${territoryId}/organisations`)).body as OrganisationView[];
    const caf = orgs.find((o) => o.acronym === 'CAF')!;
    const settings = await coordinator.request('PUT', `/api/territories/${territoryId}/organisations/${caf.id}/request-settings`, {
      body: { firstAnswerDays: 4, followUpDays: 4, requiredIdentifiers: ['caf_number', 'birth_date'] },
    });
    expect(settings.status, settings.text).toBe(200);
  });
  afterAll(async () => {
    await j?.close();
  });

  it('from the person’s file: writes the request with an attachment, hands over the receipt, and the person checks the status signed out', async () => {
    const { page } = j;

    // The CAF number is on her file, not her birth date.
    const { me, person } = await agentWithPerson(j, territoryId, { firstName: 'Odette', lastName: 'Saisie', cafNumber: '1234567' });

    // The file lists no request yet and offers to write one.
    await page.goto(`/usagers/${person.id}`);
    await j.checkPage('SAISIE Odette');
    const section = page.getByRole('region', { name: 'Saisines' });
    await section.getByText('Aucune saisine pour cette personne.').waitFor();
    await section.getByRole('link', { name: 'Saisir un partenaire' }).click();

    await j.checkPage('Saisir un partenaire');
    const form = page.getByRole('form', { name: 'Nouvelle saisine' });
    await page.getByText('Pour : SAISIE Odette').waitFor();
    await form.getByLabel('Partenaire à saisir').selectOption({ label: 'CAF — Caisse d’allocations familiales de l’Orne' });
    await form.getByText('Réponse attendue sous 4 jours ouvrés').waitFor();
    // Addressed to a named referent of the CAF rather than its whole team.
    await form.getByLabel(/^Référent \(facultatif\)/).selectOption({ label: 'Romain Référent' });
    // The CAF number is on the file: optional, taken from there; the birth date is not.
    await form.getByText('sera pris dans le dossier de la personne').waitFor();
    expect(await form.getByLabel(/^Numéro d’allocataire CAF \(facultatif\)/).inputValue()).toBe('');

    // Sent empty: the errors are next to the fields, nothing is created.
    await form.getByRole('button', { name: 'Envoyer la saisine' }).click();
    await form.getByText('demandé par CAF').waitFor();
    await form.getByText('indiquez l’accord de la personne ou le mandat utilisé').waitFor();
    await j.scan();

    await form.getByLabel('Démarche (facultatif)').fill('prime d’activité');
    await form.getByLabel('Objet').fill('Prime d’activité suspendue depuis septembre');
    await form
      .getByLabel('Description')
      .fill(
        'Situation : la prime est suspendue.\nDéjà essayé : appel au 3230.\nCe que nous demandons : la raison et les pièces à fournir.',
      );
    await form.getByLabel('Date de naissance').fill('1951-03-04');
    await form.getByText('La personne accepte que son dossier soit transmis à Caisse d’allocations familiales de l’Orne').click();
    await form.getByLabel(/^Pièces jointes \(facultatif\)/).setInputFiles([
      { name: 'avis-suspension.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('pas un PDF') },
    ]);
    const chosen = form.getByRole('list', { name: 'Pièces jointes choisies' });
    await chosen.getByText('avis-suspension.pdf').waitFor();
    await j.scan();
    // A double click sends one request (one Idempotency-Key for the form).
    await form.getByRole('button', { name: 'Envoyer la saisine' }).dblclick();

    // The request is sent; the PDF follows it, the text file is refused with the server's reason, in French.
    await form.getByText(/^La saisine RLS-\d{4}-\d{6,} est envoyée, mais des pièces jointes ne sont pas parties$/).waitFor();
    await chosen.getByRole('listitem').filter({ hasText: 'avis-suspension.pdf' }).getByText('Envoyé').waitFor();
    await chosen
      .getByRole('alert')
      .filter({ hasText: /Le fichier « notes\.txt » n’est ni un PDF, ni une image JPEG ou PNG/ })
      .waitFor();
    await j.scan();
    await form.getByRole('button', { name: 'Voir le récépissé' }).click();

    // The receipt: reference, the code large and spaced, who answers, the public address; printable.
    await j.checkPage('Récépissé de votre demande');
    const main = page.locator('main');
    const text = (await main.textContent()) ?? '';
    const reference = /RLS-\d{4}-\d{6,}/.exec(text)?.[0];
    expect(reference, text).toBeTruthy();
    const code = (await main.locator('.relais-status-code').textContent())?.replace(/\s/g, '');
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    for (const words of ['Saisine envoyée à CAF', 'Mairie de Bretoncelles', 'Réponse attendue sous 4 jours ouvrés', '/suivi'])
      expect(text).toContain(words);
    expect(await main.getByRole('button', { name: 'Envoyer par SMS' }).isEnabled()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#en-tete').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Imprimer le récépissé' }).isVisible()).toBe(false);
    expect(await page.locator('article').getByText(reference!, { exact: true }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // One request, with its attachment.
    const list = await page.request.get(`/api/territories/${territoryId}/requests?personId=${person.id}&open=non`);
    const items = (await list.json()).items as { id: string; reference: string }[];
    expect(items.map((i) => i.reference)).toEqual([reference]);
    const details = (await (await page.request.get(`/api/territories/${territoryId}/requests/${items[0]!.id}`)).json()) as RequestDetails;
    expect(details.attachments.map((a) => a.fileName)).toEqual(['avis-suspension.pdf']);
    expect(details.identifiers.map((i) => i.kind).sort()).toEqual(['birth_date', 'caf_number']);
    expect(details.addressedTo?.name).toBe('Romain Référent');
    expect(details.consent?.kind).toBe('consentement');

    // The SMS with the reference and code.
    await main.getByRole('button', { name: 'Envoyer par SMS' }).click();
    await main.getByText('La référence et le code ont été envoyés par SMS à la personne.').waitFor();

    // The contact point's list, from the header: the request with its status and deadline.
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Saisines' }).click();
    await j.checkPage('Saisines');
    const row = page.getByRole('row').filter({ hasText: reference! });
    await row.getByText('Prime d’activité suspendue depuis septembre').waitFor();
    await row.getByText(/Odette/i).waitFor();
    await row.getByText(/^J-\d$/).waitFor();
    // Found by its reference, as when the person phones.
    await page.getByRole('textbox', { name: /^Référence/ }).fill(reference!.toLowerCase());
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Prochaine étape :').waitFor();
    await page.getByRole('link', { name: 'Ouvrir', exact: true }).waitFor();
    await j.scan();

    // Signed out, the person follows it on /suivi with the receipt's reference and code.
    await page.request.post('/api/auth/logout', { headers: { 'x-csrf-token': me.csrfToken } });
    await page.goto(`/suivi?reference=${reference}`);
    await j.checkPage('Suivre ma demande');
    expect(await page.getByRole('textbox', { name: /^Référence/ }).inputValue()).toBe(reference);
    await page.getByLabel('Code de suivi').fill('ABCD-EF23');
    await page.getByRole('button', { name: 'Voir où en est ma demande' }).click();
    await page.getByRole('alert').filter({ hasText: 'Demande introuvable' }).waitFor();
    await page.getByLabel('Code de suivi').fill(`${code!.slice(0, 4)}-${code!.slice(4).toLowerCase()}`);
    await page.getByRole('button', { name: 'Voir où en est ma demande' }).click();
    const status = page.getByRole('region', { name: new RegExp(`^Demande ${reference}`) });
    await status.getByText('Caisse d’allocations familiales de l’Orne').waitFor();
    const shown = (await status.textContent()) ?? '';
    expect(shown).not.toContain('Odette');
    expect(shown).not.toContain('SAISIE');
    expect(shown).not.toContain('Prime d’activité');
    await j.scan();

    // Guessing codes: after ten wrong ones from this address, a clear « too many attempts ».
    const throttled = page.getByRole('alert').filter({ hasText: 'Trop de tentatives' });
    for (let attempt = 0; attempt < 12 && !(await throttled.isVisible()); attempt++) {
      await page.getByLabel('Code de suivi').fill(`ABCD-EF${attempt + 22}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/public/request-status'));
      await page.getByRole('button', { name: 'Voir où en est ma demande' }).click();
      await answered;
    }
    await throttled.waitFor();
    expect(await status.count()).toBe(0);

    expect(j.a11yFindings).toEqual([]);
  }, 240_000);

  it('after a visit noted « Transmis à un partenaire », offers the request form with the person and the partner filled in', async () => {
    const { page } = j;
    const { person } = await agentWithPerson(j, territoryId, { firstName: 'Marcel', lastName: 'Accueilli' });
    await page.goto(`/nouvel-accueil?usager=${person.id}`);
    await j.checkPage('Nouvel accueil');
    const form = page.getByRole('form', { name: 'Accueil à enregistrer' });
    await form.getByText('Pour : ACCUEILLI Marcel').waitFor();
    // The CAF is one of the contact point's partners on a key, or found by the search.
    const caf = form.getByRole('checkbox', { name: /^CAF\b|Caisse d’allocations familiales de l’Orne/ });
    if ((await caf.count()) === 0) await form.getByRole('searchbox', { name: /Chercher un autre partenaire/ }).fill('allocations');
    await caf.first().focus();
    await page.keyboard.press('Space');
    await form.getByRole('checkbox', { name: /^Transmis à un partenaire/ }).focus();
    await page.keyboard.press('Space');
    expect(await caf.first().isChecked()).toBe(true);
    await page.keyboard.press('Control+Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /enregistré\. Prêt pour le suivant\./ })
      .waitFor();
    await j.scan();
    await page.getByRole('link', { name: 'Saisir un partenaire' }).click();

    await j.checkPage('Saisir un partenaire');
    await page.getByText('Pour : ACCUEILLI Marcel').waitFor();
    const partner = page.getByRole('form', { name: 'Nouvelle saisine' }).getByLabel('Partenaire à saisir');
    expect(await partner.locator('option:checked').textContent()).toBe('CAF — Caisse d’allocations familiales de l’Orne');
    await page.getByText('Réponse attendue sous 4 jours ouvrés').waitFor();
    expect(page.url()).toMatch(/visitId=[0-9a-f-]{36}/);
    expect(j.a11yFindings).toEqual([]);
  }, 120_000);
});
