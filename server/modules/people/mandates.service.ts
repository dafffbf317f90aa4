import { and, eq } from 'drizzle-orm';
import type {
  CreateMandateBody,
  MandateDuration,
  MandateListView,
  MandateScope,
  MandateView,
  RenewMandateBody,
  RevokeMandateBody,
} from '../../../contracts/mandates.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { type AppError, conflict, notFound } from '../../platform/errors.ts';
import { contactPoints } from '../network/network.schema.ts';
import { territoryOf } from '../network/territory.ts';
import { touchPerson } from './activity.ts';
import { mandateEnd } from './mandate-period.ts';
import { checkScope, holds, type Mandate, mandateOf, mandateViews } from './mandates.queries.ts';
import { mandates, personContactPoints } from './people.schema.ts';
import { findVisible } from './people.service.ts';
import { type PeopleAccess, peopleAccess } from './search.ts';
import { actingContactPoint, challengePayload, verifySmsCode } from './sms-challenges.ts';

const manageable = (actor: Actor, territoryId: string) => (contactPointId: string) =>
  can(actor, 'mandates.manage', { territoryId, contactPointId });

async function views(ctx: AppContext, db: Executor, actor: Actor, territoryId: string, personId: string, ids?: string[]) {
  const territory = await territoryOf(db, territoryId);
  return mandateViews(db, {
    territoryId,
    personId,
    now: ctx.clock.now(),
    timeZone: territory.timezone,
    manageable: manageable(actor, territoryId),
    ids,
  });
}

/** The person's mandates (active, expired, revoked) with days left; journaled as a read of the file. */
export async function listMandates(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  audit: AuditContext,
): Promise<MandateListView> {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  return ctx.db.transaction(async (tx) => {
    await findVisible(tx, access, personId);
    await recordAudit(tx, audit, {
      type: 'mandate.read',
      territoryId,
      targetType: 'person',
      targetId: personId,
      data: { mandateId: null },
    });
    return { items: await views(ctx, tx, actor, territoryId, personId) };
  });
}

/** One mandate (the printable form); journaled. */
export async function getMandate(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  mandateId: string,
  audit: AuditContext,
): Promise<MandateView> {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  return ctx.db.transaction(async (tx) => {
    await findVisible(tx, access, personId);
    await mandateOf(tx, territoryId, personId, mandateId);
    await recordAudit(tx, audit, { type: 'mandate.read', territoryId, targetType: 'person', targetId: personId, data: { mandateId } });
    return (await views(ctx, tx, actor, territoryId, personId, [mandateId]))[0]!;
  });
}

interface Consent {
  contactPointId: string;
  scope: MandateScope;
  duration: MandateDuration;
  consentMethod: CreateMandateBody['consentMethod'];
  consentReference?: string;
  challengeId?: string;
  code?: string;
}

/** Creates a mandate inside a transaction; returns its id, or the SMS code error to throw once the attempt is committed. */
async function establish(
  ctx: AppContext,
  tx: Executor,
  access: PeopleAccess,
  personId: string,
  c: Consent,
  audit: AuditContext,
  renewed?: Mandate,
): Promise<{ id: string } | { error: AppError }> {
  const territoryId = access.territoryId;
  const territory = await territoryOf(tx, territoryId);
  await findVisible(tx, access, personId);
  const [cp] = await tx
    .select({ id: contactPoints.id })
    .from(contactPoints)
    .where(and(eq(contactPoints.id, c.contactPointId), eq(contactPoints.territoryId, territoryId)));
  if (!cp) throw notFound('Ce lieu d’accueil');
  const scope = await checkScope(tx, territoryId, c.scope);
  if (c.consentMethod === 'code_sms') {
    const error = await verifySmsCode(
      ctx,
      tx,
      {
        territoryId,
        personId,
        challengeId: c.challengeId!,
        code: c.code!,
        payload: challengePayload({ contactPointId: c.contactPointId, scope, duration: c.duration }),
      },
      audit,
    );
    if (error) return { error };
  }
  const now = ctx.clock.now();
  // The contact point holding the mandate holds the file too (an agent with several places).
  const addedHolder = !(await holds(tx, personId, c.contactPointId));
  if (addedHolder) await tx.insert(personContactPoints).values({ territoryId, personId, contactPointId: c.contactPointId, since: now });
  const endsAt = mandateEnd(now, c.duration, territory.timezone);
  const consentReference = c.consentMethod === 'code_sms' ? c.challengeId! : (c.consentReference ?? null);
  const [row] = await tx
    .insert(mandates)
    .values({
      territoryId,
      contactPointId: c.contactPointId,
      personId,
      scope,
      startsAt: now,
      endsAt,
      consentMethod: c.consentMethod,
      consentAt: now,
      consentReference,
      renewedFromId: renewed?.id ?? null,
      createdBy: access.userId,
      createdAt: now,
    })
    .returning();
  // A renewal takes over from a mandate still running: the old one ends now.
  const endedPrevious = renewed && !renewed.revokedAt && renewed.endsAt > now;
  if (endedPrevious) await tx.update(mandates).set({ endsAt: now }).where(eq(mandates.id, renewed.id));
  await touchPerson(tx, personId, now);
  await recordAudit(tx, audit, {
    type: renewed ? 'mandate.renewed' : 'mandate.created',
    territoryId,
    targetType: 'person',
    targetId: personId,
    data: {
      mandateId: row!.id,
      contactPointId: c.contactPointId,
      scope,
      duration: c.duration,
      startsAt: now.toISOString(),
      endsAt: endsAt.toISOString(),
      consentMethod: c.consentMethod,
      consentReference,
      addedHolder,
      ...(renewed
        ? {
            renewedFromId: renewed.id,
            previous: endedPrevious ? { before: { endsAt: renewed.endsAt.toISOString() }, after: { endsAt: now.toISOString() } } : null,
          }
        : {}),
    },
  });
  return { id: row!.id };
}

async function run(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  work: (tx: Executor) => Promise<{ id: string } | { error: AppError }>,
) {
  const result = await ctx.db.transaction(work);
  if ('error' in result) throw result.error;
  return (await views(ctx, ctx.db, actor, territoryId, personId, [result.id]))[0]!;
}

/** An agent records a mandate for their contact point (the consent: signed form, SMS code, or phone). */
export async function createMandate(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  body: CreateMandateBody,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  const contactPointId = actingContactPoint(actor, territoryId, body.contactPointId);
  authorize(actor, 'mandates.manage', { territoryId, contactPointId });
  return run(ctx, actor, territoryId, personId, (tx) => establish(ctx, tx, access, personId, { ...body, contactPointId }, audit));
}

/** A new mandate following this one (same contact point, same scope unless changed), with a new consent. */
export async function renewMandate(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  mandateId: string,
  body: RenewMandateBody,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  const previous = await mandateOf(ctx.db, territoryId, personId, mandateId);
  await findVisible(ctx.db, access, personId);
  authorize(actor, 'mandates.manage', { territoryId, contactPointId: previous.contactPointId });
  const scope = body.scope ?? previous.scope;
  return run(ctx, actor, territoryId, personId, (tx) =>
    establish(ctx, tx, access, personId, { ...body, scope, contactPointId: previous.contactPointId }, audit, previous),
  );
}

/** The person takes back their mandate (409 when it is already revoked or over). */
export async function revokeMandate(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  mandateId: string,
  body: RevokeMandateBody,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  return run(ctx, actor, territoryId, personId, async (tx) => {
    await findVisible(tx, access, personId);
    const [m] = await tx
      .select()
      .from(mandates)
      .where(and(eq(mandates.id, mandateId), eq(mandates.personId, personId), eq(mandates.territoryId, territoryId)))
      .for('update');
    if (!m) throw notFound('Ce mandat');
    authorize(actor, 'mandates.manage', { territoryId, contactPointId: m.contactPointId });
    const now = ctx.clock.now();
    if (m.revokedAt) throw conflict('MANDATE_ALREADY_REVOKED', 'Ce mandat a déjà été révoqué.');
    if (m.endsAt <= now) throw conflict('MANDATE_EXPIRED', 'Ce mandat est déjà arrivé à échéance : il n’y a rien à révoquer.');
    await tx.update(mandates).set({ revokedAt: now, revokedReason: body.reason }).where(eq(mandates.id, mandateId));
    await recordAudit(tx, audit, {
      type: 'mandate.revoked',
      territoryId,
      targetType: 'person',
      targetId: personId,
      data: { mandateId, reason: body.reason, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } },
    });
    return { id: mandateId };
  });
}
