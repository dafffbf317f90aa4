import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactPoint, createTerritory } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { nirHash, normaliseName, validNir } from './identifiers.ts';
import { withKey } from './lifecycle.fixtures.ts';
import { people, personContactPoints } from './people.schema.ts';
import { findDuplicates, type PeopleAccess } from './search.ts';

/**
 * Duplicate detection, property by property, on the real database (pg_trgm on PGlite and
 * PostgreSQL): findDuplicates is called directly with a coordinator's access, so a hundred cases
 * run in seconds. Names come from realistic French first and last names.
 */

const FIRST = ['Élodie', 'Jean-François', 'Marie-Hélène', 'Françoise', 'Gaëlle', 'Benoît', 'Clémentine', 'Jérôme', 'Anaïs', 'Stéphane'];
const LAST = ['Lefèvre', 'Dubois-Martin', 'Gauthier', 'Bérénger', 'Rousseau', 'Le Goff', 'Mercier', 'Chevalier', 'Fontaine', 'Barthélemy'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

/** A fresh territory per case, so cases never see each other's files. */
async function freshAccess(): Promise<{ access: PeopleAccess; contactPointId: string }> {
  const territory = await createTerritory(t.ctx.db);
  const cp = await createContactPoint(t.ctx.db, territory.id);
  const access: PeopleAccess = { territoryId: territory.id, userId: territory.id, all: true, contactPointIds: [] };
  return { access, contactPointId: cp.id };
}

async function insertFile(a: PeopleAccess, cpId: string, p: { firstName: string; lastName: string; birthDate: string; nir?: string }) {
  const nir = p.nir ? validNir(p.nir) : null;
  const [row] = await t.ctx.db
    .insert(people)
    .values({
      territoryId: a.territoryId,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      searchName: normaliseName(p.firstName, p.lastName),
      nirSealed: nir && t.ctx.secretBox.seal(nir),
      nirHash: nir && nirHash(t.ctx, nir),
    })
    .returning();
  await t.ctx.db.insert(personContactPoints).values({ territoryId: a.territoryId, personId: row!.id, contactPointId: cpId });
  return row!.id;
}

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
/** How an agent may type the same name again. */
const variant = fc.oneof(
  fc.constant((s: string) => stripAccents(s)),
  fc.constant((s: string) => s.toLocaleUpperCase('fr-FR')),
  fc.constant((s: string) => s.toLocaleLowerCase('fr-FR')),
  fc.constant((s: string) => s.replace(/-/g, ' ')),
  fc.constant((s: string) => s.replace(/ /g, '-')),
  // One typo: a letter (not the first) replaced by another.
  fc.tuple(fc.nat(), fc.constantFrom(...'aeiourstln')).map(([i, c]) => (s: string) => {
    const at = 1 + (i % (s.length - 1));
    return s.slice(0, at) + c + s.slice(at + 1);
  }),
);
const birthDate = fc
  .date({ min: new Date('1930-01-01'), max: new Date('2005-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const person = fc.record({ firstName: fc.constantFrom(...FIRST), lastName: fc.constantFrom(...LAST), birthDate });

describe('duplicate detection (property-based, on the database)', { timeout: 180_000 }, () => {
  it('proposes a file whose name differs by accents, case, hyphens or spaces, or one typo, with the same birth date', async () => {
    await fc.assert(
      fc.asyncProperty(person, variant, fc.boolean(), async (p, change, onFirstName) => {
        const { access: a, contactPointId } = await freshAccess();
        const id = await insertFile(a, contactPointId, p);
        const typed = onFirstName ? { first: change(p.firstName), last: p.lastName } : { first: p.firstName, last: change(p.lastName) };
        const found = await findDuplicates(t.ctx.db, a, { name: normaliseName(typed.first, typed.last), birthDate: p.birthDate });
        expect(found.map((c) => c.id)).toContain(id);
        expect(found.find((c) => c.id === id)?.reasons).toContain('name_birth_date');
      }),
      { numRuns: 40 },
    );
  });

  it('always proposes the file with the same NIR, whatever the name and birth date typed', async () => {
    const nirs = fc.tuple(
      fc.constantFrom('1', '2'),
      fc.integer({ min: 30, max: 99 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 999_999 }),
    );
    await fc.assert(
      fc.asyncProperty(person, person, nirs, async (p, other, [sex, yy, mm, serial]) => {
        const nir = withKey(`${sex}${yy}${String(mm).padStart(2, '0')}75${String(serial).padStart(6, '0')}`);
        const { access: a, contactPointId } = await freshAccess();
        const id = await insertFile(a, contactPointId, { ...p, nir });
        const found = await findDuplicates(t.ctx.db, a, {
          name: normaliseName(other.firstName, other.lastName),
          birthDate: other.birthDate,
          nirHash: nirHash(t.ctx, validNir(nir)),
        });
        expect(found.find((c) => c.id === id)?.reasons).toContain('nir');
      }),
      { numRuns: 25 },
    );
  });

  it('never proposes a file with a different name and a different birth date (no NIR, no phone)', async () => {
    await fc.assert(
      fc.asyncProperty(person, person, async (p, other) => {
        fc.pre(p.firstName !== other.firstName && p.lastName !== other.lastName && p.birthDate !== other.birthDate);
        const { access: a, contactPointId } = await freshAccess();
        await insertFile(a, contactPointId, p);
        const found = await findDuplicates(t.ctx.db, a, {
          name: normaliseName(other.firstName, other.lastName),
          birthDate: other.birthDate,
        });
        expect(found).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
