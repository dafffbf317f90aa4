import { and, asc, eq } from 'drizzle-orm';
import type {
  CreateConsentBody,
  CreatePersonBody,
  DuplicatesBody,
  IdentifierField,
  PersonDetails,
  PersonSearchQuery,
  PersonView,
  RevealBody,
  UpdatePersonBody,
} from '../../../contracts/people.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { formatNir, maskIdentifier, maskNir } from '../../platform/nir.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { nirHash, normaliseName, normalisePhone, validNir } from './identifiers.ts';
import { people, personConsents, personContactPoints } from './people.schema.ts';
import { findDuplicates, type PeopleAccess, peopleAccess, searchPeople, visiblePeople } from './search.ts';
import { throwIfMerged } from './tombstone.ts';

type Person = typeof people.$inferSelect;

const personNotFound = () => notFound('Ce dossier');

export const sealedColumn = {
  nir: 'nirSealed',
  cafNumber: 'cafNumberSealed',
  taxNumber: 'taxNumberSealed',
  franceTravailId: 'franceTravailIdSealed',
} as const satisfies Record<IdentifierField, keyof Person>;

/** The fields kept in clear, journaled with their before/after values. */
export const plainFields = [
  'firstName',
  'lastName',
  'birthName',
  'birthDate',
  'phone',
  'email',
  'preferredLanguage',
  'address',
  'postcode',
  'commune',
  'informedAt',
  'informedHow',
] as const;
type PlainField = (typeof plainFields)[number];

export function plainOf(p: Person): Record<PlainField, unknown> {
  return Object.fromEntries(plainFields.map((f) => [f, p[f] instanceof Date ? (p[f] as Date).toISOString() : p[f]])) as Record<
    PlainField,
    unknown
  >;
}

function checkBirthDate(ctx: AppContext, birthDate: string | null | undefined) {
  if (birthDate && (birthDate > ctx.clock.now().toISOString().slice(0, 10) || birthDate < '1890-01-01')) {
    throw invalid('BIRTH_DATE_INVALID', 'La date de naissance doit être passée et postérieure à 1890.', [
      { path: 'birthDate', message: 'date de naissance invalide' },
    ]);
  }
}

/** A live file the caller may see; 410 PERSON_MERGED for a merged file whose survivor they may see; else 404. */
export async function findVisible(db: Executor, access: PeopleAccess, id: string): Promise<Person> {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.id, id), visiblePeople(access)));
  if (!row || row.mergedIntoId) await throwIfMerged(db, access, id);
  if (!row || row.anonymisedAt || row.mergedIntoId) throw personNotFound();
  return row;
}

/** The person's details in clear, as the file view and the export give them. */
export function detailsOf(p: Person): PersonDetails {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    birthName: p.birthName,
    birthDate: p.birthDate,
    phone: p.phone,
    email: p.email,
    preferredLanguage: p.preferredLanguage,
    address: p.address,
    postcode: p.postcode,
    commune: p.commune,
  };
}

export async function viewOf(ctx: AppContext, db: Executor, access: PeopleAccess, p: Person): Promise<PersonView> {
  const holders = await db
    .select({ id: contactPoints.id, name: contactPoints.name })
    .from(personContactPoints)
    .innerJoin(contactPoints, eq(contactPoints.id, personContactPoints.contactPointId))
    .where(eq(personContactPoints.personId, p.id))
    .orderBy(asc(contactPoints.name));
  const consents = await db
    .select({
      id: personConsents.id,
      organisationId: personConsents.organisationId,
      organisationName: partnerOrganisations.name,
      givenAt: personConsents.givenAt,
      how: personConsents.how,
      withdrawnAt: personConsents.withdrawnAt,
    })
    .from(personConsents)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, personConsents.organisationId))
    .where(eq(personConsents.personId, p.id))
    .orderBy(asc(personConsents.givenAt), asc(personConsents.id));
  const open = (sealed: string | null) => (sealed ? ctx.secretBox.open(sealed) : null);
  const nir = open(p.nirSealed);
  const masked = (sealed: string | null) => {
    const v = open(sealed);
    return v ? maskIdentifier(v) : null;
  };
  return {
    id: p.id,
    territoryId: p.territoryId,
    ...detailsOf(p),
    identifiers: {
      nir: nir ? maskNir(nir) : null,
      cafNumber: masked(p.cafNumberSealed),
      taxNumber: masked(p.taxNumberSealed),
      franceTravailId: masked(p.franceTravailIdSealed),
    },
    hasNir: !!p.nirSealed,
    informedAt: p.informedAt?.toISOString() ?? null,
    informedHow: p.informedHow,
    contactPoints: holders,
    consents: consents.map((c) => ({ ...c, givenAt: c.givenAt.toISOString(), withdrawnAt: c.withdrawnAt?.toISOString() ?? null })),
    canShare: access.all,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Sealed columns (and the NIR index) for the identifiers present in a body; null clears. */
function sealedValues(ctx: AppContext, body: Partial<Record<IdentifierField, string | null>>) {
  const values: Partial<Pick<Person, 'nirSealed' | 'nirHash' | 'cafNumberSealed' | 'taxNumberSealed' | 'franceTravailIdSealed'>> = {};
  const changed: Partial<Record<IdentifierField, 'set' | 'cleared'>> = {};
  for (const field of Object.keys(sealedColumn) as IdentifierField[]) {
    const input = body[field];
    if (input === undefined) continue;
    changed[field] = input === null ? 'cleared' : 'set';
    if (field === 'nir') {
      const nir = input === null ? null : validNir(input);
      values.nirSealed = nir && ctx.secretBox.seal(nir);
      values.nirHash = nir && nirHash(ctx, nir);
    } else {
      values[sealedColumn[field]] = input === null ? null : ctx.secretBox.seal(input);
    }
  }
  return { values, changed };
}

function duplicateCriteria(ctx: AppContext, b: DuplicatesBody | CreatePersonBody) {
  const nir = b.nir ? validNir(b.nir) : null;
  return {
    name: b.lastName ? normaliseName(b.firstName, b.lastName, b.birthName) : undefined,
    birthDate: b.birthDate ?? null,
    phone: b.phone ? normalisePhone(b.phone) : null,
    nirHash: nir ? nirHash(ctx, nir) : null,
  };
}

export async function duplicates(ctx: AppContext, actor: Actor, territoryId: string, body: DuplicatesBody) {
  const access = peopleAccess(actor, territoryId);
  return { candidates: await findDuplicates(ctx.db, access, duplicateCriteria(ctx, body)) };
}

export async function search(ctx: AppContext, actor: Actor, territoryId: string, q: PersonSearchQuery) {
  const access = peopleAccess(actor, territoryId);
  const name = q.q ? normaliseName(q.q) : '';
  const nir = q.identifier ? validNir(q.identifier, 'identifier') : null;
  return searchPeople(ctx.db, access, {
    name: name.length >= 2 ? name : undefined,
    birthDate: q.birthDate,
    phone: q.phone ? normalisePhone(q.phone) : undefined,
    nirHash: nir ? nirHash(ctx, nir) : undefined,
    limit: q.limit ?? 20,
  });
}

export async function create(ctx: AppContext, actor: Actor, territoryId: string, body: CreatePersonBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  // An agent with a single contact point in the territory may leave it implicit.
  const contactPointId =
    body.contactPointId ?? (!access.all && access.contactPointIds.length === 1 ? access.contactPointIds[0] : undefined);
  if (!contactPointId && !access.all) {
    throw invalid('CONTACT_POINT_REQUIRED', 'Indiquez le lieu d’accueil qui tient ce dossier.', [
      { path: 'contactPointId', message: 'lieu d’accueil requis' },
    ]);
  }
  authorize(actor, 'people.create', { territoryId, contactPointId });
  checkBirthDate(ctx, body.birthDate);
  const criteria = duplicateCriteria(ctx, body);
  const { values: sealed, changed } = sealedValues(ctx, body);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    if (contactPointId) {
      const [cp] = await tx
        .select({ id: contactPoints.id })
        .from(contactPoints)
        .where(and(eq(contactPoints.id, contactPointId), eq(contactPoints.territoryId, territoryId)));
      if (!cp) throw notFound('Ce lieu d’accueil');
    }
    if (!body.confirmNotDuplicate) {
      const candidates = await findDuplicates(tx, access, criteria);
      if (candidates.length) {
        throw conflict(
          'PERSON_PROBABLE_DUPLICATE',
          'Un dossier ressemblant existe déjà : vérifiez qu’il ne s’agit pas de la même personne, puis confirmez la création.',
          { candidates },
        );
      }
    }
    const [row] = await tx
      .insert(people)
      .values({
        territoryId,
        firstName: body.firstName,
        lastName: body.lastName,
        birthName: body.birthName ?? null,
        birthDate: body.birthDate ?? null,
        phone: body.phone ? normalisePhone(body.phone) : null,
        email: body.email ?? null,
        preferredLanguage: body.preferredLanguage ?? null,
        address: body.address ?? null,
        postcode: body.postcode ?? null,
        commune: body.commune ?? null,
        ...sealed,
        searchName: normaliseName(body.firstName, body.lastName, body.birthName),
        informedAt: body.informedAt ? new Date(body.informedAt) : body.informedHow ? now : null,
        informedHow: body.informedHow ?? null,
        lastActivityAt: now,
        createdBy: access.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const person = row as Person;
    if (contactPointId) await tx.insert(personContactPoints).values({ territoryId, personId: person.id, contactPointId, since: now });
    await recordAudit(tx, audit, {
      type: 'person.created',
      territoryId,
      targetType: 'person',
      targetId: person.id,
      data: {
        after: plainOf(person),
        identifiers: changed,
        contactPointId: contactPointId ?? null,
        confirmedNotDuplicate: !!body.confirmNotDuplicate,
      },
    });
    return viewOf(ctx, tx, access, person);
  });
}

export async function read(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  screen: string | undefined,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  return ctx.db.transaction(async (tx) => {
    const person = await findVisible(tx, access, id);
    await recordAudit(tx, audit, {
      type: 'person.read',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { screen: screen ?? null },
    });
    return viewOf(ctx, tx, access, person);
  });
}

export async function update(ctx: AppContext, actor: Actor, territoryId: string, id: string, body: UpdatePersonBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  checkBirthDate(ctx, body.birthDate);
  const { values: sealed, changed } = sealedValues(ctx, body);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await findVisible(tx, access, id);
    const firstName = body.firstName ?? before.firstName;
    const lastName = body.lastName ?? before.lastName;
    const birthName = body.birthName === undefined ? before.birthName : body.birthName;
    const plain: Partial<Person> = {};
    for (const f of plainFields) {
      const v = body[f];
      if (v === undefined) continue;
      if (f === 'informedAt') plain.informedAt = v === null ? null : new Date(v);
      else if (f === 'phone') plain.phone = v === null ? null : normalisePhone(v);
      else (plain as Record<string, unknown>)[f] = v;
    }
    if (body.informedHow && body.informedAt === undefined && !before.informedAt) plain.informedAt = now;
    const [row] = await tx
      .update(people)
      .set({ ...plain, ...sealed, searchName: normaliseName(firstName, lastName, birthName), updatedAt: now, lastActivityAt: now })
      .where(eq(people.id, id))
      .returning();
    const after = row as Person;
    const b = plainOf(before);
    const a = plainOf(after);
    const diff = plainFields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    await recordAudit(tx, audit, {
      type: 'person.updated',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: {
        before: Object.fromEntries(diff.map((f) => [f, b[f]])),
        after: Object.fromEntries(diff.map((f) => [f, a[f]])),
        identifiers: changed,
      },
    });
    return viewOf(ctx, tx, access, after);
  });
}

export async function reveal(ctx: AppContext, actor: Actor, territoryId: string, id: string, body: RevealBody, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  return ctx.db.transaction(async (tx) => {
    const person = await findVisible(tx, access, id);
    const sealed = person[sealedColumn[body.field]];
    if (!sealed) throw notFound('Cet identifiant');
    const clear = ctx.secretBox.open(sealed);
    await recordAudit(tx, audit, {
      type: 'person.identifier_revealed',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { field: body.field, reason: body.reason ?? null },
    });
    return { field: body.field, value: body.field === 'nir' ? formatNir(clear) : clear };
  });
}

export async function giveConsent(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  body: CreateConsentBody,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  const now = ctx.clock.now();
  const givenAt = body.givenAt ? new Date(body.givenAt) : now;
  if (givenAt.getTime() > now.getTime() + 60_000) {
    throw invalid('CONSENT_DATE_INVALID', 'La date de l’accord ne peut pas être dans le futur.', [
      { path: 'givenAt', message: 'date future' },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    const person = await findVisible(tx, access, id);
    const [org] = await tx
      .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
      .from(partnerOrganisations)
      .where(and(eq(partnerOrganisations.id, body.organisationId), eq(partnerOrganisations.territoryId, territoryId)));
    if (!org) throw notFound('Ce partenaire');
    const [consent] = await tx
      .insert(personConsents)
      .values({ territoryId, personId: id, organisationId: org.id, givenAt, how: body.how, recordedBy: access.userId, createdAt: now })
      .returning();
    await recordAudit(tx, audit, {
      type: 'person.consent_given',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { consentId: consent?.id, organisationId: org.id, how: body.how, givenAt: givenAt.toISOString() },
    });
    return viewOf(ctx, tx, access, person);
  });
}

export async function withdrawConsent(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  consentId: string,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const person = await findVisible(tx, access, id);
    const [consent] = await tx
      .select()
      .from(personConsents)
      .where(and(eq(personConsents.id, consentId), eq(personConsents.personId, id)));
    if (!consent) throw notFound('Cet accord');
    if (consent.withdrawnAt) throw conflict('CONSENT_ALREADY_WITHDRAWN', 'Cet accord a déjà été retiré.');
    await tx.update(personConsents).set({ withdrawnAt: now }).where(eq(personConsents.id, consentId));
    await recordAudit(tx, audit, {
      type: 'person.consent_withdrawn',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { consentId, organisationId: consent.organisationId, before: { withdrawnAt: null }, after: { withdrawnAt: now.toISOString() } },
    });
    return viewOf(ctx, tx, access, person);
  });
}

/** A coordinator lets another contact point of the territory hold the file (its agents can then find it). */
export async function shareWithContactPoint(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  contactPointId: string,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'people.share', { territoryId });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const person = await findVisible(tx, access, id);
    const [cp] = await tx
      .select({ id: contactPoints.id })
      .from(contactPoints)
      .where(and(eq(contactPoints.id, contactPointId), eq(contactPoints.territoryId, territoryId)));
    if (!cp) throw notFound('Ce lieu d’accueil');
    const inserted = await tx
      .insert(personContactPoints)
      .values({ territoryId, personId: id, contactPointId, since: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length) {
      await recordAudit(tx, audit, { type: 'person.shared', territoryId, targetType: 'person', targetId: id, data: { contactPointId } });
    }
    return viewOf(ctx, tx, access, person);
  });
}
