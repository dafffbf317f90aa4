import type { Executor } from '../db/client.ts';
import { normaliseName } from '../modules/people/identifiers.ts';
import { mandateEnd } from '../modules/people/mandate-period.ts';
import { mandates, people, personContactPoints } from '../modules/people/people.schema.ts';
import type { BuiltTerritory } from './build.ts';

/** Fictitious people of the Perche, held by the Mairie de Bretoncelles, each with a mandate running. */
const DEMO_PEOPLE = [
  {
    firstName: 'Odette',
    lastName: 'Guérin',
    birthDate: '1941-03-08',
    phone: '0600000101',
    commune: 'Bretoncelles',
    mandate: { duration: '1_an', all: true, codes: [], consentMethod: 'formulaire_signe', daysAgo: 40 },
  },
  {
    firstName: 'Marcel',
    lastName: 'Lhermitte',
    birthDate: '1950-11-21',
    phone: '0600000102',
    commune: 'Condeau',
    mandate: { duration: '6_mois', all: false, codes: ['CAF', 'CPAM'], consentMethod: 'code_sms', daysAgo: 12 },
  },
  {
    firstName: 'Yvonne',
    lastName: 'Besnard',
    birthDate: '1938-07-02',
    phone: '0600000103',
    commune: 'Bretoncelles',
    mandate: { duration: '1_mois', all: false, codes: ['ANTS'], consentMethod: 'telephone', daysAgo: 3 },
  },
] as const;

/** Adds the demo people and their mandates, inside the transaction that creates the Perche (so once). */
export async function seedDemoMandates(tx: Executor, built: BuiltTerritory, timeZone: string, now: Date) {
  const { territoryId } = built;
  const contactPointId = built.contactPointIds.get('Mairie de Bretoncelles');
  if (!contactPointId) throw new Error('démo : la Mairie de Bretoncelles manque au Perche');
  for (const p of DEMO_PEOPLE) {
    const { mandate: m, ...identity } = p;
    const [person] = await tx
      .insert(people)
      .values({
        territoryId,
        ...identity,
        searchName: normaliseName(p.firstName, p.lastName),
        informedAt: now,
        informedHow: 'formulaire_signe',
        lastActivityAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: people.id });
    await tx.insert(personContactPoints).values({ territoryId, personId: person!.id, contactPointId, since: now });
    const startsAt = new Date(now.getTime() - m.daysAgo * 86_400_000);
    await tx.insert(mandates).values({
      territoryId,
      contactPointId,
      personId: person!.id,
      scope: { all: m.all, organisationIds: m.codes.map((c) => built.organisationIds.get(c)!).sort(), procedures: [] },
      startsAt,
      endsAt: mandateEnd(startsAt, m.duration, timeZone),
      consentMethod: m.consentMethod,
      consentAt: startsAt,
      consentReference: m.consentMethod === 'formulaire_signe' ? 'Formulaire papier n° DEMO-001' : null,
      createdAt: startsAt,
    });
  }
}
