import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerReferents } from '../server/modules/network/network.schema.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser, DEFAULT_PASSWORD } from '../server/test/factories.ts';
import { type Journey, startJourney } from './harness.ts';

describe('an agent looking for a partner referent', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('opens "Référents" from the header, types "caf" in the focused search field and finds the CAF referent’s contacts', async () => {
    // A territory of its own, so the journey does not depend on the demo seed's content.
    const db = j.app.ctx.db;
    const territory = await createTerritory(db, { name: 'Val de Sarthe' });
    const place = await createContactPoint(db, territory.id, { name: 'France Services de Mamers', commune: 'Mamers' });
    const caf = await createOrganisation(db, territory.id, {
      name: 'Caisse d’allocations familiales de l’Orne',
      acronym: 'CAF',
      nationalCode: 'CAF',
    });
    const msa = await createOrganisation(db, territory.id, { name: 'Mutualité sociale agricole', acronym: 'MSA', nationalCode: 'MSA' });
    await db.insert(partnerReferents).values([
      {
        territoryId: territory.id,
        organisationId: caf.id,
        fullName: 'Hélène Géraud',
        title: 'Référente France Services',
        email: 'helene.geraud@caf.exemple.fr',
        phone: '02 33 11 22 33',
        availability: 'mardi et jeudi matin',
      },
      { territoryId: territory.id, organisationId: msa.id, fullName: 'François Noël', email: 'francois.noel@msa.exemple.fr' },
    ]);
    const agent = await createUser(db, {
      displayName: 'Agathe Accueil',
      memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: place.id }],
    });

    const { page } = j;
    const res = await page.request.post('/api/auth/login', { data: { email: agent.email, password: DEFAULT_PASSWORD } });
    expect(res.status()).toBe(200);
    await page.goto('/');
    await j.checkPage('Bonjour Agathe Accueil');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Référents' }).click();
    await j.checkPage('Référents partenaires');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');
    await page.getByRole('heading', { name: 'François Noël' }).waitFor();

    await page.keyboard.type('caf');
    await page.getByRole('heading', { name: 'François Noël' }).waitFor({ state: 'detached' });
    const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Hélène Géraud' }) });
    await card.waitFor();
    expect(await card.getByRole('link', { name: 'helene.geraud@caf.exemple.fr' }).getAttribute('href')).toBe(
      'mailto:helene.geraud@caf.exemple.fr',
    );
    expect(await card.getByRole('link', { name: '02 33 11 22 33' }).getAttribute('href')).toBe('tel:+33233112233');
    await page.getByRole('heading', { name: '1 référent' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');
    await j.scan();

    // The referent's organisation page, with the same contacts.
    await card.getByRole('link', { name: /CAF — Caisse d’allocations familiales/ }).click();
    await j.checkPage('CAF — Caisse d’allocations familiales de l’Orne');
    await page.getByRole('link', { name: 'helene.geraud@caf.exemple.fr' }).waitFor();

    expect(j.a11yFindings).toEqual([]);
  }, 180_000);
});
