import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../modules/accounts/accounts.schema.ts';
import { territories } from '../modules/network/network.schema.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../test/factories.ts';

export const DEMO_PASSWORD = 'Relais-demo-2026';
export const DEMO_SLUG = 'perche-orne';

/** The demo territory after the 2019 "Services publics +" experiment in the Perche (seed 001). */
const CONTACT_POINTS = [
  { name: 'Mairie de Bretoncelles', kind: 'mairie', commune: 'Bretoncelles', inseeCode: '61060' },
  { name: 'Mairie de Berd’huis', kind: 'mairie', commune: 'Berd’huis', inseeCode: '61042' },
  { name: 'Mairie de Perche-en-Nocé', kind: 'mairie', commune: 'Perche-en-Nocé', inseeCode: '61309' },
  { name: 'Mairie de Rémalard-en-Perche', kind: 'mairie', commune: 'Rémalard-en-Perche', inseeCode: '61345' },
  { name: 'France Services postale de Rémalard-en-Perche', kind: 'bureau_de_poste', commune: 'Rémalard-en-Perche', inseeCode: '61345' },
  { name: 'France Services de Mortagne-au-Perche', kind: 'france_services', commune: 'Mortagne-au-Perche', inseeCode: '61293' },
  { name: 'France Services intercommunale de Val-au-Perche', kind: 'france_services', commune: 'Val-au-Perche', inseeCode: '61484' },
  { name: 'Agence MSA de Mortagne-au-Perche', kind: 'agence_partenaire', commune: 'Mortagne-au-Perche', inseeCode: '61293' },
  { name: 'Bus numérique 61', kind: 'bus', commune: 'Alençon', inseeCode: '61001' },
] as const;

const ORGANISATIONS = [
  { acronym: 'CAF', name: 'Caisse d’allocations familiales de l’Orne', nationalCode: 'CAF' },
  { acronym: 'CPAM', name: 'Caisse primaire d’assurance maladie de l’Orne', nationalCode: 'CPAM' },
  { acronym: 'CARSAT', name: 'Assurance retraite Normandie (Carsat)', nationalCode: 'CNAV' },
  { acronym: 'MSA', name: 'MSA Mayenne-Orne-Sarthe', nationalCode: 'MSA' },
  { acronym: 'FT', name: 'France Travail Mortagne-au-Perche', nationalCode: 'FRANCE_TRAVAIL' },
  { acronym: 'DGFIP', name: 'Service des impôts des particuliers de Mortagne', nationalCode: 'DGFIP' },
  { acronym: 'ANTS', name: 'France Titres (ANTS)', nationalCode: 'ANTS' },
  { acronym: 'LA POSTE', name: 'La Poste', nationalCode: 'LA_POSTE' },
  { acronym: 'JUSTICE', name: 'Point-justice de l’Orne (CDAD)', nationalCode: 'JUSTICE' },
  { acronym: 'CD61', name: 'Conseil départemental de l’Orne', nationalCode: null },
  { acronym: 'ML', name: 'Mission locale du Perche ornais', nationalCode: null },
  { acronym: 'CCAS', name: 'CCAS de Mortagne-au-Perche', nationalCode: null },
  { acronym: 'MDPH', name: 'Maison départementale des personnes handicapées de l’Orne', nationalCode: null },
  { acronym: 'UDAF', name: 'UDAF de l’Orne', nationalCode: null },
  { acronym: 'ADIL', name: 'ADIL de l’Orne', nationalCode: null },
  { acronym: 'CC', name: 'Communauté de communes Cœur du Perche', nationalCode: null },
] as const;

export interface DemoAccount {
  email: string;
  role: string;
  where: string;
}

/** Seeds the demo territory once (idempotent); returns the demo accounts to print. */
export async function seedDemo(db: Db): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  const accounts: DemoAccount[] = [
    { email: 'admin@relais.demo', role: 'Administrateur de la plateforme', where: 'toute la plateforme' },
    { email: 'coordination@relais.demo', role: 'Coordinatrice du territoire', where: 'Perche (Orne)' },
    { email: 'agent.bretoncelles@relais.demo', role: 'Agent d’accueil', where: 'Mairie de Bretoncelles' },
    { email: 'referent.caf@relais.demo', role: 'Référent partenaire', where: 'CAF de l’Orne' },
    { email: 'responsable.caf@relais.demo', role: 'Responsable partenaire', where: 'CAF de l’Orne' },
  ];
  const [existing] = await db.select({ id: territories.id }).from(territories).where(eq(territories.slug, DEMO_SLUG));
  if (existing) return { created: false, accounts };
  await db.transaction(async (tx) => {
    const t = await createTerritory(tx, { slug: DEMO_SLUG, name: 'Perche (Orne)', departmentCode: '61', regionCode: '28' });
    const cps = new Map<string, string>();
    for (const cp of CONTACT_POINTS) cps.set(cp.name, (await createContactPoint(tx, t.id, cp)).id);
    const orgs = new Map<string, string>();
    for (const org of ORGANISATIONS) orgs.set(org.acronym, (await createOrganisation(tx, t.id, org)).id);
    const [admin] = await tx.select().from(users).where(eq(users.email, 'admin@relais.demo'));
    if (!admin)
      await createUser(tx, {
        email: 'admin@relais.demo',
        displayName: 'Alex Administrateur',
        password: DEMO_PASSWORD,
        isPlatformAdmin: true,
      });
    await createUser(tx, {
      email: 'coordination@relais.demo',
      displayName: 'Claire Coordination',
      password: DEMO_PASSWORD,
      memberships: [{ territoryId: t.id, role: 'coordinator' }],
    });
    await createUser(tx, {
      email: 'agent.bretoncelles@relais.demo',
      displayName: 'Aurélie Agent',
      password: DEMO_PASSWORD,
      memberships: [{ territoryId: t.id, role: 'agent', contactPointId: cps.get('Mairie de Bretoncelles')! }],
    });
    await createUser(tx, {
      email: 'referent.caf@relais.demo',
      displayName: 'Romain Référent',
      password: DEMO_PASSWORD,
      memberships: [{ territoryId: t.id, role: 'referent', organisationId: orgs.get('CAF')! }],
    });
    await createUser(tx, {
      email: 'responsable.caf@relais.demo',
      displayName: 'Martine Responsable',
      password: DEMO_PASSWORD,
      memberships: [{ territoryId: t.id, role: 'manager', organisationId: orgs.get('CAF')! }],
    });
  });
  return { created: true, accounts };
}
