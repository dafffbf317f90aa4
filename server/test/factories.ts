import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import { contactPoints, partnerOrganisations, territories } from '../modules/network/network.schema.ts';
import type { Role } from '../platform/authorize.ts';
import { hashPassword } from '../platform/crypto.ts';

/** Factories shared by tests, the demo seed, end-to-end journeys and benchmarks. */
export const DEFAULT_PASSWORD = 'Mot-de-passe-de-test-2026';

const hashes = new Map<string, Promise<string>>();
/**
 * Test accounts get a cheap scrypt cost (N = 2^12): sign-in verifies with the parameters stored in
 * the hash, so tests run the same code as production at a fraction of the CPU (each OWASP-cost
 * verification takes 128 MiB and up to a second on a busy two-core machine, several per test).
 * The OWASP cost of the hashes the app writes is asserted in crypto.unit.test.ts; the demo seed
 * hashes with the app's cost.
 */
const TEST_SCRYPT_COST = 2 ** 12;
// Tests create many users with the same password: hash it once.
const cachedHash = (password: string) => {
  let h = hashes.get(password);
  if (!h) {
    h = hashPassword(password, TEST_SCRYPT_COST);
    hashes.set(password, h);
  }
  return h;
};

const short = () => randomUUID().slice(0, 8);

export async function createTerritory(db: Executor, input: Partial<typeof territories.$inferInsert> = {}) {
  const id = short();
  const [row] = await db
    .insert(territories)
    .values({ slug: `territoire-${id}`, name: `Territoire ${id}`, departmentCode: '61', regionCode: '28', ...input })
    .returning();
  return row!;
}

export async function createContactPoint(db: Executor, territoryId: string, input: Partial<typeof contactPoints.$inferInsert> = {}) {
  const [row] = await db
    .insert(contactPoints)
    .values({ territoryId, name: `Lieu ${short()}`, kind: 'france_services', commune: 'Mortagne-au-Perche', ...input })
    .returning();
  return row!;
}

export async function createOrganisation(db: Executor, territoryId: string, input: Partial<typeof partnerOrganisations.$inferInsert> = {}) {
  const id = short();
  const [row] = await db
    .insert(partnerOrganisations)
    .values({ territoryId, name: `Partenaire ${id}`, acronym: `P-${id}`, ...input })
    .returning();
  return row!;
}

export interface MembershipSpec {
  territoryId: string;
  role: Role;
  contactPointId?: string;
  organisationId?: string;
}

export async function createUser(
  db: Executor,
  input: Partial<typeof users.$inferInsert> & { password?: string | null; memberships?: MembershipSpec[] } = {},
) {
  const { password = DEFAULT_PASSWORD, memberships: specs = [], ...rest } = input;
  const [user] = await db
    .insert(users)
    .values({
      email: `personne-${short()}@exemple.fr`,
      displayName: 'Camille Exemple',
      passwordHash: password === null ? null : await cachedHash(password),
      ...rest,
    })
    .returning();
  for (const spec of specs) {
    await db.insert(memberships).values({ userId: user!.id, ...spec });
  }
  return { ...user!, password: password ?? '' };
}
