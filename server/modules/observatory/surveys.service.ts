import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { SurveyAnswerBody } from '../../../contracts/observatory.ts';
import type { CreateSurveyLinkBody, PublicSurveyView, SurveyLinksView, SurveyLinkView } from '../../../contracts/surveys.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can, requireUser } from '../../platform/authorize.ts';
import { hashToken } from '../../platform/crypto.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { MailMessage } from '../../platform/mail.ts';
import { busStops, contactPoints, territories } from '../network/network.schema.ts';
import { people } from '../people/people.schema.ts';
import { requestEvents, statusLookupThrottles } from '../requests/requests.schema.ts';
import { surveyLinks, surveyResponses } from './observatory.schema.ts';

/**
 * Survey links and anonymous answers (issue 7).
 * Tokens: 16 random bytes for a receipt ('accueil', one answer, 30 days); for standing links
 * ('lieu', 'arret_bus') and closed requests ('saisine') a keyed hash of the link id or request id
 * with the app's secret key, so a poster can be reprinted and a status page shows the same link
 * every time. Only sha256(token) is stored. An answer keeps the contact point, bus stop, channel,
 * context and day: never the link, the visit, the request or the person.
 */
export const RECEIPT_LINK_DAYS = 30;
/** A standing link takes at most this many answers per hour (a poster is not a ballot box). */
export const STANDING_ANSWERS_PER_HOUR = 30;

const linkUnknown = () =>
  new AppError('SURVEY_LINK_UNKNOWN', 404, 'Ce lien de questionnaire n’existe pas. Vérifiez l’adresse ou scannez à nouveau le QR code.');
const linkUsed = () => new AppError('SURVEY_LINK_USED', 410, 'Une réponse a déjà été donnée avec ce lien. Merci pour votre avis !');
const linkExpired = () =>
  new AppError('SURVEY_LINK_EXPIRED', 410, 'Ce lien de questionnaire n’est plus valable (il a expiré ou a été retiré).');

const derived = (secret: Buffer, what: string) => createHmac('sha256', secret).update(what).digest('base64url');
export const standingToken = (secret: Buffer, linkId: string) => derived(secret, `survey-link:${linkId}`);
export const requestToken = (secret: Buffer, requestId: string) => derived(secret, `survey-request:${requestId}`);
export const surveyUrl = (ctx: AppContext, token: string) => `${ctx.config.publicUrl}/avis/${token}`;

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The day of `now` in a time zone, as YYYY-MM-DD. */
export function dayIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

type LinkRow = typeof surveyLinks.$inferSelect;

async function viewOf(ctx: AppContext, row: LinkRow, token: string, names: { contactPoint: string; busStop: string | null }) {
  const url = surveyUrl(ctx, token);
  return {
    id: row.id,
    contactPointId: row.contactPointId,
    contactPoint: names.contactPoint,
    context: row.context,
    busStopId: row.busStopId,
    busStop: names.busStop,
    channel: row.channel,
    url,
    token,
    qrSvg: await qrSvg(url),
    multiUse: row.multiUse,
    answers: row.answers,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  } satisfies SurveyLinkView;
}

const busStopLabel = (b: { commune: string; place: string }) => `${b.commune} — ${b.place}`;

async function contactPointOf(tx: Executor, territoryId: string, contactPointId: string) {
  const [cp] = await tx
    .select({ id: contactPoints.id, name: contactPoints.name })
    .from(contactPoints)
    .where(and(eq(contactPoints.id, contactPointId), eq(contactPoints.territoryId, territoryId)));
  if (!cp) throw invalid('SURVEY_CONTACT_POINT_UNKNOWN', 'Ce lieu d’accueil n’existe pas dans ce territoire.');
  return cp;
}

export async function createSurveyLink(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  body: CreateSurveyLinkBody,
  audit: AuditContext,
): Promise<SurveyLinkView> {
  const user = requireUser(actor);
  authorize(user, 'surveys.manage', { territoryId, contactPointId: body.contactPointId });
  return ctx.db.transaction(async (tx) => {
    const cp = await contactPointOf(tx, territoryId, body.contactPointId);
    let busStop: string | null = null;
    if (body.context === 'arret_bus') {
      if (!body.busStopId) throw invalid('SURVEY_BUS_STOP_REQUIRED', 'Choisissez l’arrêt du bus où l’affiche sera posée.');
      const [stop] = await tx
        .select({ commune: busStops.commune, place: busStops.place })
        .from(busStops)
        .where(and(eq(busStops.id, body.busStopId), eq(busStops.territoryId, territoryId), eq(busStops.contactPointId, cp.id)));
      if (!stop) throw invalid('SURVEY_BUS_STOP_UNKNOWN', 'Cet arrêt n’appartient pas à la tournée de ce lieu d’accueil.');
      busStop = busStopLabel(stop);
    } else if (body.busStopId) {
      throw invalid('SURVEY_BUS_STOP_UNEXPECTED', 'Un arrêt ne se choisit que pour une affiche d’arrêt du bus.');
    }
    const id = randomUUID();
    const multiUse = body.context !== 'accueil';
    const token = multiUse ? standingToken(ctx.config.secretKey, id) : randomBytes(16).toString('base64url');
    const now = ctx.clock.now();
    const channel = body.channel ?? (body.context === 'arret_bus' ? 'arret_bus' : body.context === 'lieu' ? 'sur_place' : null);
    const [row] = await tx
      .insert(surveyLinks)
      .values({
        id,
        territoryId,
        contactPointId: cp.id,
        busStopId: body.context === 'arret_bus' ? (body.busStopId ?? null) : null,
        channel,
        context: body.context,
        tokenHash: hashToken(token),
        multiUse,
        expiresAt: multiUse ? null : new Date(now.getTime() + RECEIPT_LINK_DAYS * 86_400_000),
        createdAt: now,
      })
      .returning();
    // The audit names the link and the contact point, never a visit or a person.
    await recordAudit(tx, audit, {
      type: 'survey_link.created',
      territoryId,
      targetType: 'survey_link',
      targetId: id,
      data: { contactPointId: cp.id, context: body.context },
    });
    return viewOf(ctx, row!, token, { contactPoint: cp.name, busStop });
  });
}

/** Standing links (counter and bus-stop posters) of the contact points the caller manages, with their answers count. */
export async function listSurveyLinks(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  query: { contactPointId?: string },
): Promise<SurveyLinksView> {
  const user = requireUser(actor);
  if (query.contactPointId) authorize(user, 'surveys.manage', { territoryId, contactPointId: query.contactPointId });
  else if (
    !user.memberships.some((m) => m.territoryId === territoryId && (m.role === 'coordinator' || (m.role === 'agent' && m.contactPointId)))
  )
    throw forbidden('Les liens de questionnaire sont gérés par les agents du lieu d’accueil et la coordination.');
  const rows = await ctx.db
    .select({ link: surveyLinks, contactPoint: contactPoints.name, stopCommune: busStops.commune, stopPlace: busStops.place })
    .from(surveyLinks)
    .innerJoin(contactPoints, eq(contactPoints.id, surveyLinks.contactPointId))
    .leftJoin(busStops, eq(busStops.id, surveyLinks.busStopId))
    .where(
      and(
        eq(surveyLinks.territoryId, territoryId),
        eq(surveyLinks.multiUse, true),
        sql`${surveyLinks.context} IN ('lieu', 'arret_bus')`,
        query.contactPointId ? eq(surveyLinks.contactPointId, query.contactPointId) : undefined,
      ),
    )
    .orderBy(sql`${surveyLinks.revokedAt} IS NOT NULL`, desc(surveyLinks.createdAt));
  const mine = rows.filter((r) => can(user, 'surveys.manage', { territoryId, contactPointId: r.link.contactPointId }));
  return {
    items: await Promise.all(
      mine.map((r) =>
        viewOf(ctx, r.link, standingToken(ctx.config.secretKey, r.link.id), {
          contactPoint: r.contactPoint,
          busStop: r.stopCommune && r.stopPlace ? busStopLabel({ commune: r.stopCommune, place: r.stopPlace }) : null,
        }),
      ),
    ),
  };
}

export async function revokeSurveyLink(ctx: AppContext, actor: Actor, territoryId: string, id: string, audit: AuditContext) {
  const user = requireUser(actor);
  return ctx.db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(surveyLinks)
      .where(and(eq(surveyLinks.id, id), eq(surveyLinks.territoryId, territoryId)));
    if (!link?.multiUse || link.context === 'saisine') throw notFound('Ce lien de questionnaire');
    authorize(user, 'surveys.manage', { territoryId, contactPointId: link.contactPointId });
    const [row] = await tx
      .update(surveyLinks)
      .set({ revokedAt: sql`coalesce(${surveyLinks.revokedAt}, ${ctx.clock.now()}::timestamptz)` })
      .where(eq(surveyLinks.id, id))
      .returning();
    await recordAudit(tx, audit, { type: 'survey_link.revoked', territoryId, targetType: 'survey_link', targetId: id });
    const [cp] = await tx.select({ name: contactPoints.name }).from(contactPoints).where(eq(contactPoints.id, link.contactPointId));
    const [stop] = link.busStopId
      ? await tx.select({ commune: busStops.commune, place: busStops.place }).from(busStops).where(eq(busStops.id, link.busStopId))
      : [];
    return viewOf(ctx, row!, standingToken(ctx.config.secretKey, id), {
      contactPoint: cp?.name ?? '',
      busStop: stop ? busStopLabel(stop) : null,
    });
  });
}

/**
 * The link of a closed request, shown on its public status page: derived from the request id, its
 * row created the first time it is shown (one answer, no expiry). The row keeps the contact point
 * only, not the request.
 */
export async function requestSurveyUrl(
  ctx: AppContext,
  tx: Executor,
  req: { id: string; territoryId: string; contactPointId: string },
): Promise<string> {
  const token = requestToken(ctx.config.secretKey, req.id);
  await tx
    .insert(surveyLinks)
    .values({
      territoryId: req.territoryId,
      contactPointId: req.contactPointId,
      context: 'saisine',
      tokenHash: hashToken(token),
      multiUse: false,
    })
    .onConflictDoNothing({ target: surveyLinks.tokenHash });
  return surveyUrl(ctx, token);
}

/**
 * The email inviting the person to the survey when their request is closed for the first time:
 * only when their file has an email address, and never again after a reopening. It names the
 * contact point and the reference the person holds, not the organisation nor the subject.
 */
export async function closedRequestInvitation(
  ctx: AppContext,
  tx: Executor,
  req: { id: string; territoryId: string; contactPointId: string; personId: string | null; reference: string },
): Promise<MailMessage | null> {
  if (!req.personId) return null;
  const [person] = await tx
    .select({ email: people.email })
    .from(people)
    .where(and(eq(people.id, req.personId), isNull(people.anonymisedAt)));
  if (!person?.email) return null;
  const [before] = await tx
    .select({ id: requestEvents.id })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, req.id), eq(requestEvents.kind, 'closed')))
    .limit(1);
  if (before) return null;
  const [cp] = await tx.select({ name: contactPoints.name }).from(contactPoints).where(eq(contactPoints.id, req.contactPointId));
  const url = await requestSurveyUrl(ctx, tx, req);
  const place = cp?.name ?? 'votre lieu d’accueil';
  return {
    to: person.email,
    subject: `Votre demande ${req.reference} est close : donnez votre avis`,
    text: [
      'Bonjour,',
      '',
      `La demande que ${place} a transmise pour vous (référence ${req.reference}) est close.`,
      '',
      'Votre avis sur l’accueil reçu nous aide à l’améliorer : quatre questions, moins d’une minute.',
      'Le questionnaire est anonyme : votre réponse n’est reliée ni à vous ni à votre demande.',
      url,
      '',
      'Ce lien ne sert qu’une fois. Si vous ne souhaitez pas répondre, ignorez ce message.',
      '',
      place,
    ].join('\n'),
  };
}

async function findLink(tx: Executor, token: string) {
  const [row] = await tx
    .select({ link: surveyLinks, contactPoint: contactPoints.name, commune: contactPoints.commune, timezone: territories.timezone })
    .from(surveyLinks)
    .innerJoin(contactPoints, eq(contactPoints.id, surveyLinks.contactPointId))
    .innerJoin(territories, eq(territories.id, surveyLinks.territoryId))
    .where(eq(surveyLinks.tokenHash, hashToken(token)));
  return row;
}

function checkUsable(link: LinkRow, now: Date) {
  if (link.revokedAt || (link.expiresAt && link.expiresAt <= now)) throw linkExpired();
  if (!link.multiUse && link.answers > 0) throw linkUsed();
}

export async function publicSurvey(ctx: AppContext, token: string): Promise<PublicSurveyView> {
  const row = await findLink(ctx.db, token);
  if (!row) throw linkUnknown();
  checkUsable(row.link, ctx.clock.now());
  const [stop] = row.link.busStopId
    ? await ctx.db.select({ commune: busStops.commune, place: busStops.place }).from(busStops).where(eq(busStops.id, row.link.busStopId))
    : [];
  return { contactPoint: row.contactPoint, commune: row.commune, context: row.link.context, busStop: stop ? busStopLabel(stop) : null };
}

/** One answer: a single-use link is consumed in the answer's transaction; a standing link is throttled per hour. */
export async function answerSurvey(ctx: AppContext, token: string, body: SurveyAnswerBody): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await findLink(tx, token);
    if (!row) throw linkUnknown();
    const { link } = row;
    checkUsable(link, now);
    const [taken] = await tx
      .update(surveyLinks)
      .set({ answers: sql`${surveyLinks.answers} + 1` })
      .where(
        and(
          eq(surveyLinks.id, link.id),
          isNull(surveyLinks.revokedAt),
          sql`(${surveyLinks.expiresAt} IS NULL OR ${surveyLinks.expiresAt} > ${now}::timestamptz)`,
          sql`(${surveyLinks.multiUse} OR ${surveyLinks.answers} = 0)`,
        ),
      )
      .returning({ id: surveyLinks.id });
    if (!taken) throw linkUsed();
    if (link.multiUse) await throttle(tx, `survey:${link.id}`, now);
    await tx.insert(surveyResponses).values({
      territoryId: link.territoryId,
      contactPointId: link.contactPointId,
      busStopId: link.busStopId,
      channel: link.channel,
      context: link.context,
      answeredOn: dayIn(row.timezone, now),
      satisfaction: body.satisfaction,
      resolved: body.resolved ?? null,
      listened: body.listened ?? null,
      recommend: body.recommend ?? null,
      comment: body.comment || null,
    });
  });
}

const HOUR_MS = 3_600_000;

/** Counts a standing link's answers in a one-hour window (the status lookups' throttle table); over the limit → 429, nothing written. */
async function throttle(tx: Executor, key: string, now: Date) {
  const windowStart = new Date(now.getTime() - HOUR_MS);
  const [row] = await tx
    .insert(statusLookupThrottles)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: statusLookupThrottles.key,
      set: {
        failures: sql`CASE WHEN ${statusLookupThrottles.windowStartedAt} < ${windowStart}::timestamptz THEN 1 ELSE ${statusLookupThrottles.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${statusLookupThrottles.windowStartedAt} < ${windowStart}::timestamptz THEN ${now}::timestamptz ELSE ${statusLookupThrottles.windowStartedAt} END`,
      },
    })
    .returning();
  if (row && row.failures > STANDING_ANSWERS_PER_HOUR) {
    const retry = Math.max(1, Math.ceil((row.windowStartedAt.getTime() + HOUR_MS - now.getTime()) / 1000));
    throw new AppError(
      'SURVEY_THROTTLED',
      429,
      'Beaucoup de réponses ont été données avec ce QR code dans l’heure : réessayez un peu plus tard.',
      undefined,
      { retryAfterSeconds: retry },
    );
  }
}
