import { and, eq, sql } from 'drizzle-orm';
import type { PublicStatusView, ReceiptView } from '../../../contracts/requests.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { requestSurveyUrl } from '../observatory/surveys.service.ts';
import { people } from '../people/people.schema.ts';
import { sendSms } from '../people/sms.service.ts';
import { displayStatusCode, statusCodeMatches } from './codes.ts';
import { deadlineState } from './deadline.ts';
import { clockEventsOf } from './log.ts';
import { loadForParty } from './parties.ts';
import { requests, statusLookupThrottles } from './requests.schema.ts';
import { statusLabel } from './status.ts';

/**
 * The public status page: reference + the code printed on the receipt, no sign-in, no personal
 * data in the answer. A wrong reference and a wrong code give the same 404, so the page does not
 * tell which references exist. Failures are counted per client address and per reference: after
 * 10 failures in 15 minutes from one address, or 20 on one reference, lookups are refused (429)
 * for 15 minutes.
 */
const WINDOW_MS = 15 * 60_000;
const LIMITS = { ip: 10, ref: 20 } as const;

const notFoundStatus = () =>
  new AppError(
    'REQUEST_STATUS_NOT_FOUND',
    404,
    'Aucune demande ne correspond à cette référence et à ce code. Vérifiez-les sur votre récépissé (la référence commence par RLS-).',
  );

async function blockedUntil(db: Executor, keys: string[], now: Date): Promise<Date | null> {
  const rows = await db
    .select()
    .from(statusLookupThrottles)
    .where(
      sql`${statusLookupThrottles.key} IN (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  const until = rows.map((r) => r.blockedUntil).filter((d): d is Date => !!d && d > now);
  return until.length ? new Date(Math.max(...until.map((d) => d.getTime()))) : null;
}

async function countFailure(db: Executor, key: string, limit: number, now: Date) {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  await db
    .insert(statusLookupThrottles)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: statusLookupThrottles.key,
      set: {
        failures: sql`CASE WHEN ${statusLookupThrottles.windowStartedAt} < ${windowStart} THEN 1 ELSE ${statusLookupThrottles.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${statusLookupThrottles.windowStartedAt} < ${windowStart} THEN ${now} ELSE ${statusLookupThrottles.windowStartedAt} END`,
        blockedUntil: sql`CASE WHEN ${statusLookupThrottles.windowStartedAt} >= ${windowStart} AND ${statusLookupThrottles.failures} + 1 >= ${limit} THEN ${new Date(now.getTime() + WINDOW_MS)}::timestamptz ELSE ${statusLookupThrottles.blockedUntil} END`,
      },
    });
}

export async function publicStatus(ctx: AppContext, input: { reference: string; code: string }, ip: string): Promise<PublicStatusView> {
  const now = ctx.clock.now();
  const reference = input.reference.trim().toUpperCase();
  const keys = { ip: `ip:${ip}`, ref: `ref:${reference.slice(0, 30)}` };
  const until = await blockedUntil(ctx.db, [keys.ip, keys.ref], now);
  if (until) {
    throw new AppError(
      'STATUS_LOOKUP_THROTTLED',
      429,
      `Trop d’essais infructueux. Réessayez après ${until.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' })}, ou appelez votre lieu d’accueil.`,
      undefined,
      { retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) },
    );
  }
  const [req] = await ctx.db.select().from(requests).where(eq(requests.reference, reference));
  if (!req || !statusCodeMatches(ctx.config.secretKey, req.reference, input.code, req.statusCodeHash)) {
    await ctx.db.transaction(async (tx) => {
      await countFailure(tx, keys.ip, LIMITS.ip, now);
      await countFailure(tx, keys.ref, LIMITS.ref, now);
    });
    throw notFoundStatus();
  }
  const [org] = await ctx.db
    .select({ name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, req.organisationId));
  const state = deadlineState(await clockEventsOf(ctx.db, req.id), now);
  const label = statusLabel(req.status, 'public', { days: req.firstAnswerDays });
  const closed = req.status === 'cloturee' || req.status === 'archivee';
  const surveyUrl = await ctx.db.transaction(async (tx) => {
    await recordAudit(
      tx,
      { ip, requestId: null },
      { type: 'request.status_checked', territoryId: req.territoryId, targetType: 'request', targetId: req.id },
    );
    // The survey link of a closed request: derived from its id, its row (naming only the contact point) made on first use.
    return closed ? requestSurveyUrl(ctx, tx, req) : null;
  });
  return {
    reference: req.reference,
    status: label.label,
    nextStep: label.nextStep,
    organisation: org?.name ?? 'l’organisme partenaire',
    sentAt: req.sentAt?.toISOString() ?? null,
    lastUpdateAt: req.updatedAt.toISOString(),
    dueAt: state.running ? (state.dueAt?.toISOString() ?? null) : null,
    surveyUrl,
  };
}

/** The receipt the agent prints or sends by SMS: reference, code, contact point, deadline. Agents of the sending contact point and coordinators. */
async function receiptOf(ctx: AppContext, tx: Executor, actor: Actor, territoryId: string, requestId: string) {
  const { req, party } = await loadForParty(tx, actor, territoryId, requestId);
  if (party.side === 'partner') throw forbidden('Le récépissé est remis par le lieu d’accueil.');
  if (!req.statusCodeSealed) throw new AppError('REQUEST_WIPED', 410, 'Cette saisine a été archivée et ses données effacées.');
  const [cp] = await tx.select().from(contactPoints).where(eq(contactPoints.id, req.contactPointId));
  const [org] = await tx
    .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, req.organisationId));
  const code = displayStatusCode(ctx.secretBox.open(req.statusCodeSealed));
  const view: ReceiptView = {
    reference: req.reference,
    statusCode: code,
    subject: req.subject,
    organisation: org!,
    contactPoint: { name: cp!.name, address: cp!.address, phone: cp!.phone, commune: cp!.commune },
    sentAt: req.sentAt?.toISOString() ?? null,
    days: req.firstAnswerDays,
    statusUrl: `${ctx.config.publicUrl}/suivi?reference=${encodeURIComponent(req.reference)}`,
  };
  return { req, view };
}

export async function readReceipt(ctx: AppContext, actor: Actor, territoryId: string, requestId: string, audit: AuditContext) {
  return ctx.db.transaction(async (tx) => {
    const { req, view } = await receiptOf(ctx, tx, actor, territoryId, requestId);
    await recordAudit(tx, audit, {
      type: 'request.receipt_read',
      territoryId,
      targetType: 'request',
      targetId: req.id,
      data: { personId: req.personId },
    });
    return view;
  });
}

/** Sends the reference and the code to the person's phone (the number of their file). */
export async function smsReceipt(ctx: AppContext, actor: Actor, territoryId: string, requestId: string, audit: AuditContext) {
  const { req, view, phone } = await ctx.db.transaction(async (tx) => {
    const { req, view } = await receiptOf(ctx, tx, actor, territoryId, requestId);
    const [person] = req.personId
      ? await tx
          .select({ phone: people.phone })
          .from(people)
          .where(and(eq(people.id, req.personId)))
      : [];
    return { req, view, phone: person?.phone ?? null };
  });
  if (!phone)
    throw new AppError(
      'PERSON_HAS_NO_PHONE',
      422,
      'Le dossier de la personne n’a pas de numéro de téléphone : imprimez le récépissé ou ajoutez son numéro.',
    );
  const text = `${view.contactPoint.name} : votre demande ${view.reference} est transmise à ${view.organisation.acronym}. Suivi : ${view.statusUrl} code ${view.statusCode}`;
  await sendSms(
    ctx,
    {
      territoryId,
      to: phone,
      text,
      keptText: text.replace(view.statusCode, '····-····'),
      purpose: 'recepisse_saisine',
      auditData: { requestId: req.id },
    },
    audit,
    async () => {},
    async () => {},
  );
}
