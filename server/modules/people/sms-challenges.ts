import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { MandateDurationLabels, type MandateScope, type SmsChallengeBody, type SmsChallengeView } from '../../../contracts/mandates.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/sms.ts';
import { contactPoints } from '../network/network.schema.ts';
import { checkScope } from './mandates.queries.ts';
import { smsChallenges } from './people.schema.ts';
import { findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';
import { sendSms } from './sms.service.ts';

export const CHALLENGE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
const PURPOSE = 'mandate_consent';

/** What the person agreed to, in a canonical form: the code only confirms this exact mandate. */
export const challengePayload = (p: { contactPointId: string; scope: MandateScope; duration: string }) => ({
  contactPointId: p.contactPointId,
  duration: p.duration,
  scope: { all: p.scope.all, organisationIds: [...p.scope.organisationIds].sort(), procedures: [...p.scope.procedures].sort() },
});

/** JSON with sorted keys: jsonb does not keep the order the keys were written in. */
const canonical = (value: unknown): string =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : Array.isArray(value)
      ? `[${value.map(canonical).join(',')}]`
      : JSON.stringify(value);

const codeHash = (ctx: AppContext, challengeId: string, code: string) =>
  createHmac('sha256', ctx.config.secretKey).update(`relais-sms-code:${challengeId}:${code}`).digest('base64url');

/** The contact point an agent acts for: the one named, or their only one in the territory. */
export function actingContactPoint(actor: Actor, territoryId: string, named: string | undefined): string {
  if (named) return named;
  const mine = actor.kind === 'user' ? actor.memberships.filter((m) => m.territoryId === territoryId && m.role === 'agent') : [];
  if (mine.length === 1 && mine[0]?.contactPointId) return mine[0].contactPointId;
  throw invalid('CONTACT_POINT_REQUIRED', 'Indiquez le lieu d’accueil qui détiendra le mandat.', [
    { path: 'contactPointId', message: 'lieu d’accueil requis' },
  ]);
}

/** Sends a 6-digit code to the person; the agent types it back to record their consent to this mandate. */
export async function createSmsChallenge(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  body: SmsChallengeBody,
  audit: AuditContext,
): Promise<SmsChallengeView> {
  const access = peopleAccess(actor, territoryId);
  const contactPointId = actingContactPoint(actor, territoryId, body.contactPointId);
  authorize(actor, 'mandates.manage', { territoryId, contactPointId });
  const person = await findVisible(ctx.db, access, personId);
  const [cp] = await ctx.db
    .select({ name: contactPoints.name })
    .from(contactPoints)
    .where(and(eq(contactPoints.id, contactPointId), eq(contactPoints.territoryId, territoryId)));
  if (!cp) throw notFound('Ce lieu d’accueil');
  const scope = await checkScope(ctx.db, territoryId, body.scope);
  const phone = body.phone ?? person.phone;
  if (!phone)
    throw invalid('PHONE_REQUIRED', 'La fiche n’a pas de numéro de téléphone : indiquez celui où envoyer le code.', [
      { path: 'phone', message: 'numéro requis' },
    ]);
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const message = (c: string) =>
    `Relais : votre code ${c} autorise ${cp.name} à faire vos démarches en votre nom pendant ${MandateDurationLabels[body.duration]}. ` +
    'Valable 10 minutes. Donnez-le seulement à l’agent qui vous reçoit.';
  const text = message(code);
  await sendSms(
    ctx,
    { territoryId, to: phone, text, keptText: message('······'), purpose: PURPOSE, auditData: { challengeId: id, personId } },
    audit,
    async (tx, smsMessageId) => {
      await tx.insert(smsChallenges).values({
        id,
        territoryId,
        personId,
        contactPointId,
        purpose: PURPOSE,
        payload: challengePayload({ contactPointId, scope, duration: body.duration }),
        codeHash: codeHash(ctx, id, code),
        expiresAt,
        smsMessageId,
        createdBy: access.userId,
        createdAt: now,
      });
    },
    async (tx) => {
      // A code that never reached the person cannot be used.
      await tx.update(smsChallenges).set({ consumedAt: ctx.clock.now() }).where(eq(smsChallenges.id, id));
    },
  );
  return { id, expiresAt: expiresAt.toISOString(), sentTo: maskPhone(phone), outbox: !ctx.config.sms.provider };
}

/**
 * Checks the code typed back, inside the caller's transaction. A wrong code counts an attempt
 * (committed with the caller's transaction, so the caller returns the error instead of throwing it).
 */
export async function verifySmsCode(
  ctx: AppContext,
  tx: Executor,
  c: { territoryId: string; personId: string; challengeId: string; code: string; payload: ReturnType<typeof challengePayload> },
  audit: AuditContext,
): Promise<AppError | null> {
  const [challenge] = await tx
    .select()
    .from(smsChallenges)
    .where(and(eq(smsChallenges.id, c.challengeId), eq(smsChallenges.territoryId, c.territoryId), eq(smsChallenges.personId, c.personId)))
    .for('update');
  if (!challenge) return notFound('Ce code SMS');
  const now = ctx.clock.now();
  if (challenge.consumedAt)
    return new AppError('SMS_CODE_EXPIRED', 410, 'Ce code a déjà servi ou n’a pas pu être envoyé : envoyez un nouveau code.');
  if (challenge.expiresAt.getTime() <= now.getTime())
    return new AppError('SMS_CODE_EXPIRED', 410, 'Ce code a expiré (10 minutes) : envoyez un nouveau code.');
  if (challenge.attempts >= MAX_ATTEMPTS)
    return new AppError('SMS_CODE_LOCKED', 423, 'Trop d’essais avec ce code : il est bloqué. Envoyez un nouveau code.');
  if (canonical(challenge.payload) !== canonical(c.payload))
    return new AppError(
      'SMS_CODE_MISMATCH',
      422,
      'Ce code a été envoyé pour un autre mandat (lieu, partenaires ou durée différents) : envoyez un nouveau code.',
    );
  const expected = Buffer.from(challenge.codeHash);
  const actual = Buffer.from(codeHash(ctx, challenge.id, c.code));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    const [row] = await tx
      .update(smsChallenges)
      .set({ attempts: sql`${smsChallenges.attempts} + 1` })
      .where(eq(smsChallenges.id, challenge.id))
      .returning({ attempts: smsChallenges.attempts });
    const left = MAX_ATTEMPTS - (row?.attempts ?? MAX_ATTEMPTS);
    await recordAudit(tx, audit, {
      type: 'mandate.sms_code_failed',
      territoryId: c.territoryId,
      targetType: 'person',
      targetId: c.personId,
      data: { challengeId: challenge.id, attempts: row?.attempts ?? null },
    });
    if (left <= 0)
      return new AppError('SMS_CODE_LOCKED', 423, 'Code erroné, 5 essais atteints : ce code est bloqué. Envoyez un nouveau code.');
    return new AppError(
      'SMS_CODE_INVALID',
      422,
      `Ce n’est pas le bon code : ${left} essai${left > 1 ? 's' : ''} restant${left > 1 ? 's' : ''}.`,
      [{ path: 'code', message: 'code erroné' }],
      { attemptsLeft: left },
    );
  }
  await tx.update(smsChallenges).set({ consumedAt: now }).where(eq(smsChallenges.id, challenge.id));
  return null;
}
