import { and, eq, isNull, sql } from 'drizzle-orm';
import type {
  CreateRequestBody,
  PostMessageBody,
  RequestIdentifierKind,
  RequestSettingsBody,
  RequestSettingsView,
  UsefulnessRating,
} from '../../../contracts/requests.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { validateOpeningHours } from '../../platform/calendar/opening-hours.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { MailMessage } from '../../platform/mail.ts';
import { memberships } from '../accounts/accounts.schema.ts';
import { contactPoints } from '../network/network.schema.ts';
import { territoryOf } from '../network/territory.ts';
import { closedRequestInvitation } from '../observatory/surveys.service.ts';
import { touchPerson } from '../people/activity.ts';
import { validNir } from '../people/identifiers.ts';
import { checkMandateForVisit } from '../people/mandates.queries.ts';
import { type people, personConsents } from '../people/people.schema.ts';
import { findVisible } from '../people/people.service.ts';
import { peopleAccess } from '../people/search.ts';
import { activeThemeCodes } from '../visits/taxonomy.service.ts';
import { visits } from '../visits/visits.schema.ts';
import { emitWebhookEvent, queueWebhookDeliveries, type WebhookEventType } from '../webhooks/index.ts';
import { displayStatusCode, formatReference, newStatusCode, statusCodeHash } from './codes.ts';
import { workingDaysElapsed } from './deadline.ts';
import { appendEvent, type ClockEffect, calendarOf, settingsOf } from './log.ts';
import { noticeOf, tell } from './notices.ts';
import { loadForParty, machineSide, type Party, type RequestRow, requirePartner } from './parties.ts';
import { checkOrganisationOf, detailsView, isOrganisationOf } from './requests.queries.ts';
import {
  partnerRequestSettings,
  REQUEST_REFERENCE_SEQUENCE,
  requestAttachments,
  requestMessages,
  requestParticipants,
  requests,
} from './requests.schema.ts';
import { type RequestAction, transition, transitionErrorCodes } from './status.ts';

export interface Idempotency {
  scope: string;
  key: string | undefined;
}

export const idempotencyScopeOf = (actor: Actor) => (actor.kind === 'api_token' ? `token:${actor.tokenId}` : `user:${actor.userId}`);

const isUniqueViolation = (error: unknown, constraint: string) =>
  !!error &&
  typeof error === 'object' &&
  (error as { code?: string }).code === '23505' &&
  String((error as { constraint?: string }).constraint ?? (error as { message?: string }).message).includes(constraint);

/** The identifiers a partner needs, from the body or the person's file; 422 listing what is missing. */
async function gatherIdentifiers(
  ctx: AppContext,
  required: string[],
  given: CreateRequestBody['identifiers'],
  person: typeof people.$inferSelect | null,
): Promise<Record<string, string>> {
  const open = (sealed: string | null) => (sealed ? ctx.secretBox.open(sealed) : null);
  const fromFile: Record<RequestIdentifierKind, string | null> = {
    nir: person ? open(person.nirSealed) : null,
    caf_number: person ? open(person.cafNumberSealed) : null,
    tax_number: person ? open(person.taxNumberSealed) : null,
    france_travail_id: person ? open(person.franceTravailIdSealed) : null,
    msa_number: null,
    birth_date: person?.birthDate ?? null,
    address: person?.address ? [person.address, person.postcode, person.commune].filter(Boolean).join(' ') : null,
    phone: person?.phone ?? null,
    email: person?.email ?? null,
  };
  const result: Record<string, string> = {};
  for (const [kind, value] of Object.entries(given)) if (value) result[kind] = kind === 'nir' ? validNir(value, 'identifiers.nir') : value;
  const missing: string[] = [];
  for (const kind of required as RequestIdentifierKind[]) {
    if (result[kind]) continue;
    const value = fromFile[kind];
    if (value) result[kind] = value;
    else missing.push(kind);
  }
  if (missing.length) {
    throw new AppError(
      'REQUEST_IDENTIFIERS_MISSING',
      422,
      'Cet organisme a besoin d’identifiants qui ne sont ni dans le dossier ni dans la saisine : complétez-les.',
      missing.map((kind) => ({ path: `identifiers.${kind}`, message: 'identifiant requis par cet organisme' })),
    );
  }
  return result;
}

async function findByIdempotency(db: Executor, idem: Idempotency) {
  if (!idem.key) return null;
  const [row] = await db
    .select()
    .from(requests)
    .where(and(eq(requests.idempotencyScope, idem.scope), eq(requests.idempotencyKey, idem.key)));
  return row ?? null;
}

function replayOrConflict(existing: RequestRow, body: CreateRequestBody) {
  if (existing.organisationId !== body.organisationId || existing.subject !== body.subject || existing.description !== body.description)
    throw conflict('IDEMPOTENCY_KEY_REUSED', 'Cette clé d’envoi a déjà servi pour une autre saisine : générez-en une nouvelle.');
}

/** Creates and sends a request. The same Idempotency-Key answers the request already stored (replayed: true). */
export async function createRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  body: CreateRequestBody,
  idem: Idempotency,
  audit: AuditContext,
) {
  if (actor.kind !== 'user') throw forbidden('Une saisine est écrite par un agent connecté.');
  const agentContactPoints = actor.memberships
    .filter((m) => m.territoryId === territoryId && m.role === 'agent' && m.contactPointId)
    .map((m) => m.contactPointId as string);
  const contactPointId = body.contactPointId ?? (agentContactPoints.length === 1 ? agentContactPoints[0] : undefined);
  if (!contactPointId) {
    if (!agentContactPoints.length) throw forbidden('Seuls les agents d’un lieu d’accueil envoient des saisines.');
    throw invalid('CONTACT_POINT_REQUIRED', 'Indiquez le lieu d’accueil qui envoie cette saisine.', [
      { path: 'contactPointId', message: 'lieu d’accueil requis' },
    ]);
  }
  authorize(actor, 'requests.create', { territoryId, contactPointId });
  const replay = async (existing: RequestRow) => {
    replayOrConflict(existing, body);
    return { replayed: true, view: await createdView(ctx, actor, existing) };
  };
  const existing = await findByIdempotency(ctx.db, idem);
  if (existing) return replay(existing);
  const now = ctx.clock.now();
  const deliveries: string[] = [];
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const territory = await territoryOf(tx, territoryId);
      if (!(await isOrganisationOf(tx, territoryId, body.organisationId)))
        throw invalid('ORGANISATION_UNKNOWN', 'Cet organisme n’est pas un partenaire du territoire.', [
          { path: 'organisationId', message: 'organisme inconnu' },
        ]);
      const [cp] = await tx
        .select({ id: contactPoints.id })
        .from(contactPoints)
        .where(and(eq(contactPoints.id, contactPointId), eq(contactPoints.territoryId, territoryId)));
      if (!cp) throw notFound('Ce lieu d’accueil');
      if (body.addressedToUserId)
        await checkPartnerMember(tx, territoryId, body.organisationId, body.addressedToUserId, 'addressedToUserId');
      if (body.themeCode && !(await activeThemeCodes(tx, territoryId)).has(body.themeCode))
        throw invalid('THEME_UNKNOWN', 'Ce thème n’existe pas dans le territoire.', [{ path: 'themeCode', message: 'thème inconnu' }]);
      const person = body.personId ? await findVisible(tx, peopleAccess(actor, territoryId), body.personId) : null;
      if (body.visitId) {
        const [visit] = await tx
          .select({ id: visits.id, personId: visits.personId })
          .from(visits)
          .where(and(eq(visits.id, body.visitId), eq(visits.contactPointId, contactPointId)));
        if (!visit)
          throw invalid('VISIT_UNKNOWN', 'Cet accueil n’a pas été noté dans votre lieu d’accueil.', [
            { path: 'visitId', message: 'accueil inconnu' },
          ]);
        if (visit.personId && body.personId && visit.personId !== body.personId)
          throw invalid('VISIT_OTHER_PERSON', 'Cet accueil concerne une autre personne.', [{ path: 'visitId', message: 'autre personne' }]);
      }
      const { settings, calendar } = await calendarOf(tx, body.organisationId);
      const identifiers = await gatherIdentifiers(ctx, person ? settings.requiredIdentifiers : [], body.identifiers, person);
      let consentId: string | null = null;
      let mandateId: string | null = null;
      if (person && body.consent?.kind === 'mandat') {
        await checkMandateForVisit(tx, {
          territoryId,
          contactPointId,
          personId: person.id,
          mandateId: body.consent.mandateId,
          at: now,
          organisationIds: [body.organisationId],
        });
        mandateId = body.consent.mandateId;
      } else if (person && body.consent?.kind === 'consentement') {
        const [consent] = await tx
          .insert(personConsents)
          .values({
            territoryId,
            personId: person.id,
            organisationId: body.organisationId,
            givenAt: now,
            how: body.consent.how,
            recordedBy: actor.userId,
          })
          .returning({ id: personConsents.id });
        consentId = consent!.id;
      }
      const days = (body.themeCode && settings.themeDays[body.themeCode]) || settings.firstAnswerDays;
      const { rows } = await tx.execute<{ n: string }>(sql`SELECT nextval(${REQUEST_REFERENCE_SEQUENCE}) AS n`);
      const year = Number(new Intl.DateTimeFormat('en', { timeZone: territory.timezone, year: 'numeric' }).format(now));
      const reference = formatReference(year, Number(rows[0]!.n));
      const code = newStatusCode();
      const [inserted] = await tx
        .insert(requests)
        .values({
          territoryId,
          reference,
          statusCodeHash: statusCodeHash(ctx.config.secretKey, reference, code),
          statusCodeSealed: ctx.secretBox.seal(code),
          contactPointId,
          createdBy: actor.userId,
          organisationId: body.organisationId,
          addressedToUserId: body.addressedToUserId ?? null,
          personId: person?.id ?? null,
          visitId: body.visitId ?? null,
          themeCode: body.themeCode ?? null,
          procedure: body.procedure ?? null,
          subject: body.subject,
          description: body.description,
          identifiersSealed: Object.keys(identifiers).length ? ctx.secretBox.seal(JSON.stringify(identifiers)) : null,
          consentKind: person ? (body.consent?.kind ?? null) : null,
          consentId,
          mandateId,
          status: 'envoyee',
          firstAnswerDays: days,
          followUpDays: settings.followUpDays,
          sentAt: now,
          idempotencyScope: idem.key ? idem.scope : null,
          idempotencyKey: idem.key ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const created = await appendEvent(
        tx,
        inserted!,
        {
          kind: 'created',
          party: { side: 'agent', userId: actor.userId, tokenId: null, organisationId: null },
          data: { organisationId: body.organisationId, days, identifiers: Object.keys(identifiers) },
          clock: { kind: 'start', days, calendar },
        },
        now,
      );
      if (person) await touchPerson(tx, person.id, now);
      await tell(tx, ctx, created, 'created', { actorUserId: actor.userId });
      deliveries.push(...(await emitRequestWebhooks(tx, inserted!, created, 'created', now)));
      await recordAudit(tx, audit, {
        type: 'request.created',
        territoryId,
        targetType: 'request',
        targetId: created.id,
        data: {
          reference,
          organisationId: body.organisationId,
          personId: person?.id ?? null,
          consent: body.consent?.kind ?? null,
          mandateId,
        },
      });
      return created;
    });
    await queueWebhookDeliveries(ctx, deliveries);
    return { replayed: false, view: await createdView(ctx, actor, row) };
  } catch (error) {
    if (isUniqueViolation(error, 'requests_idempotency')) {
      const again = await findByIdempotency(ctx.db, idem);
      if (again) return replay(again);
    }
    throw error;
  }
}

async function createdView(ctx: AppContext, actor: Actor, row: RequestRow) {
  const view = await ctx.db.transaction(async (tx) => {
    const { req, party } = await loadForParty(tx, actor, row.territoryId, row.id);
    return detailsView(ctx, tx, party, req);
  });
  return { ...view, statusCode: displayStatusCode(ctx.secretBox.open(row.statusCodeSealed as string)) };
}

async function checkPartnerMember(tx: Executor, territoryId: string, organisationId: string, userId: string, path: string) {
  const [m] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        eq(memberships.organisationId, organisationId),
        eq(memberships.userId, userId),
        sql`${memberships.role} IN ('referent', 'manager')`,
      ),
    );
  if (!m) throw invalid('NOT_A_REFERENT', 'Cette personne n’est pas référente de cet organisme.', [{ path, message: 'référent inconnu' }]);
}

/** Refusals of the status machine: 409 (the request is not in a state that allows it) or 403 (not this side's action). */
function applyTransition(req: RequestRow, action: RequestAction, party: Party) {
  const result = transition(req.status, action, machineSide(party), { assigned: !!req.assigneeUserId });
  if (!result.ok) {
    const status = result.code === transitionErrorCodes.side ? 403 : 409;
    throw new AppError(result.code, status, result.message);
  }
  return result.to;
}

function checkVersion(req: RequestRow, expected: number | undefined) {
  if (expected !== undefined && expected !== req.version)
    throw conflict(
      'REQUEST_VERSION_CONFLICT',
      'Cette saisine vient d’être modifiée par quelqu’un d’autre : rechargez-la avant de recommencer.',
      {
        version: req.version,
      },
    );
}

type Change = {
  action: RequestAction;
  kind: string;
  data?: Record<string, unknown>;
  clock?: ClockEffect;
  messageId?: string | null;
  changes?: Partial<typeof requests.$inferInsert>;
};

/**
 * One action on a request, in one transaction: lock the row, find the caller's side, check the
 * transition, let `plan` write what the action writes and say what to log, append the event,
 * journal it. Returns the updated details for the caller.
 */
async function act(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  audit: AuditContext,
  plan: (tx: Executor, req: RequestRow, party: Party, now: Date) => Promise<Change>,
) {
  const { view, deliveries } = await ctx.db.transaction(async (tx) => {
    const { req, party } = await loadForParty(tx, actor, territoryId, requestId, true);
    // Read the clock once the row is locked: a writer that waited for the lock stamps its event after
    // the one it waited for, so the log is in time order and the deadline computed below sees every
    // earlier clock event (replay ignores events later than `now`).
    const now = ctx.clock.now();
    const change = await plan(tx, req, party, now);
    const to = applyTransition(req, change.action, party);
    const updated = await appendEvent(
      tx,
      req,
      { kind: change.kind, party, data: change.data, clock: change.clock, messageId: change.messageId },
      now,
      { status: to, ...(change.changes ?? {}) },
    );
    const notice = noticeOf(change.kind, party.side);
    if (notice) await tell(tx, ctx, updated, notice, { actorUserId: party.userId });
    await recordAudit(tx, audit, {
      type: 'request.updated',
      territoryId,
      targetType: 'request',
      targetId: req.id,
      data: { action: change.action, from: req.status, to, personId: req.personId },
    });
    const deliveries = await emitRequestWebhooks(tx, req, updated, change.kind, now);
    return { view: await detailsView(ctx, tx, party, updated), deliveries };
  });
  await queueWebhookDeliveries(ctx, deliveries);
  return view;
}

/**
 * Tells the partner's information system (webhooks of the organisation, and of the previous one
 * on a re-route): ids, reference, statuses, organisations, the event's kind and time — never the
 * person, the subject or a message's text.
 */
async function emitRequestWebhooks(tx: Executor, before: RequestRow, after: RequestRow, kind: string, now: Date) {
  const payload = {
    requestId: after.id,
    reference: after.reference,
    status: after.status,
    previousStatus: before.status,
    organisationId: after.organisationId,
    contactPointId: after.contactPointId,
    event: kind,
    at: now.toISOString(),
  };
  const ids: string[] = [];
  const emit = async (organisationId: string, type: WebhookEventType) =>
    ids.push(...(await emitWebhookEvent(tx, { territoryId: after.territoryId, organisationId, type, payload, occurredAt: now })));
  if (kind === 'created') await emit(after.organisationId, 'request.created');
  else if (kind === 'rerouted') {
    await emit(before.organisationId, 'request.rerouted');
    await emit(after.organisationId, 'request.rerouted');
  } else {
    if (['message', 'answered', 'info_requested', 'info_provided', 'note'].includes(kind))
      await emit(after.organisationId, 'request.message_added');
    if (before.status !== after.status) await emit(after.organisationId, 'request.status_changed');
  }
  return ids;
}

export function takeRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  expectedVersion: number | undefined,
  audit: AuditContext,
) {
  return act(ctx, actor, territoryId, requestId, audit, async (_tx, req, party) => {
    requirePartner(party);
    if (!party.userId) throw forbidden('Une prise en charge est faite par une personne : utilisez « assign » avec son identifiant.');
    if (req.assigneeUserId === party.userId) throw conflict('REQUEST_ALREADY_YOURS', 'Vous avez déjà pris en charge cette saisine.');
    if (req.assigneeUserId) throw conflict('REQUEST_ALREADY_TAKEN', 'Une autre personne vient de prendre en charge cette saisine.');
    checkVersion(req, expectedVersion);
    return { action: 'take', kind: 'taken', changes: { assigneeUserId: party.userId }, data: { userId: party.userId } };
  });
}

export function assignRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  body: { userId: string; expectedVersion?: number },
  audit: AuditContext,
) {
  return act(ctx, actor, territoryId, requestId, audit, async (tx, req, party) => {
    requirePartner(party);
    checkVersion(req, body.expectedVersion);
    const mayAssignOthers =
      can(actor, 'requests.assign_others', { territoryId, organisationId: req.organisationId }) || req.assigneeUserId === party.userId;
    if (body.userId !== party.userId && !mayAssignOthers)
      throw forbidden('Seul un responsable ou la personne en charge peut attribuer la saisine à quelqu’un d’autre.');
    await checkPartnerMember(tx, territoryId, req.organisationId, body.userId, 'userId');
    return {
      action: 'assign',
      kind: 'assigned',
      changes: { assigneeUserId: body.userId },
      data: { userId: body.userId, previous: req.assigneeUserId },
    };
  });
}

/** Which action a message is, for the status machine, and what it does to the clock. */
function messagePlan(req: RequestRow, party: Party, kind: PostMessageBody['kind'], calendarStart: () => Promise<ClockEffect>) {
  return async (): Promise<Pick<Change, 'action' | 'kind' | 'clock' | 'changes'>> => {
    if (party.side === 'agent') {
      if (kind !== 'message')
        throw forbidden('Le lieu d’accueil écrit des messages ; réponses et demandes d’informations viennent de l’organisme.');
      if (req.status === 'attente_infos') return { action: 'agent_message', kind: 'info_provided', clock: { kind: 'resume' } };
      if (req.status === 'repondue') return { action: 'agent_message', kind: 'message', clock: await calendarStart() };
      return { action: 'agent_message', kind: 'message' };
    }
    if (party.side !== 'partner') throw forbidden('Seules les parties à la saisine y écrivent.');
    switch (kind) {
      case 'reponse':
        return {
          action: 'answer',
          kind: 'answered',
          clock: req.status === 'repondue' || req.status === 'cloturee' ? undefined : { kind: 'stop' },
          changes: req.firstAnsweredAt ? {} : { firstAnsweredAt: new Date() },
        };
      case 'demande_infos':
        return { action: 'ask_info', kind: 'info_requested', clock: req.status === 'attente_infos' ? undefined : { kind: 'pause' } };
      case 'note_interne':
        return { action: 'note', kind: 'note' };
      default:
        return {
          action: 'partner_message',
          kind: 'message',
          clock: req.status === 'attente_infos' ? undefined : await calendarStart(),
          changes: req.firstAnsweredAt ? {} : { firstAnsweredAt: new Date() },
        };
    }
  };
}

/**
 * The observatory's figures of a first answer, fixed when it comes: time since sending in tenths of
 * a working day (the partner's calendar; waiting for information included), and whether it came
 * within the deadline (the clock pauses while waiting for information, so an answer then is in time).
 */
async function firstAnswerFigures(tx: Executor, req: RequestRow, now: Date) {
  const { calendar } = await calendarOf(tx, req.organisationId);
  const from = req.sentAt ?? req.createdAt;
  return {
    firstAnsweredAt: now,
    firstAnswerTenths: Math.max(0, Math.round(workingDaysElapsed(from, now, calendar) * 10)),
    firstAnswerInTime: req.status === 'attente_infos' || !req.dueAt || now.getTime() <= req.dueAt.getTime(),
  };
}

export async function postMessage(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  body: PostMessageBody,
  idem: Idempotency,
  audit: AuditContext,
) {
  if (idem.key) {
    const [existing] = await ctx.db
      .select({ id: requestMessages.id, requestId: requestMessages.requestId, body: requestMessages.body })
      .from(requestMessages)
      .where(and(eq(requestMessages.idempotencyScope, idem.scope), eq(requestMessages.idempotencyKey, idem.key)));
    if (existing) {
      if (existing.requestId !== requestId || existing.body !== body.body)
        throw conflict('IDEMPOTENCY_KEY_REUSED', 'Cette clé d’envoi a déjà servi pour un autre message : générez-en une nouvelle.');
      return { replayed: true, view: await readRequestView(ctx, actor, territoryId, requestId) };
    }
  }
  try {
    const view = await act(ctx, actor, territoryId, requestId, audit, async (tx, req, party, now) => {
      const start = async (): Promise<ClockEffect> => ({
        kind: 'start',
        days: req.followUpDays,
        calendar: (await calendarOf(tx, req.organisationId)).calendar,
      });
      const plan = await messagePlan(req, party, body.kind, start)();
      if (plan.changes?.firstAnsweredAt) Object.assign(plan.changes, await firstAnswerFigures(tx, req, now));
      const [message] = await tx
        .insert(requestMessages)
        .values({
          requestId: req.id,
          territoryId,
          kind: body.kind,
          side: party.side === 'agent' ? 'agent' : 'partner',
          authorUserId: party.userId,
          authorTokenId: party.tokenId,
          authorOrganisationId: party.side === 'partner' ? party.organisationId : null,
          internal: body.kind === 'note_interne',
          body: body.body,
          idempotencyScope: idem.key ? idem.scope : null,
          idempotencyKey: idem.key ?? null,
          createdAt: now,
        })
        .returning({ id: requestMessages.id });
      if (body.attachmentIds.length) await attachToMessage(tx, req.id, message!.id, body.attachmentIds, party);
      return {
        ...plan,
        messageId: message!.id,
        data: { messageKind: body.kind, attachments: body.attachmentIds.length },
        changes: { ...(plan.changes ?? {}), ...(body.kind === 'note_interne' ? {} : { lastMessageAt: now }) },
      };
    });
    return { replayed: false, view };
  } catch (error) {
    if (idem.key && isUniqueViolation(error, 'request_messages_idempotency'))
      return { replayed: true, view: await readRequestView(ctx, actor, territoryId, requestId) };
    throw error;
  }
}

/** Files uploaded beforehand by the same side to this request, not yet joined to a message. */
async function attachToMessage(tx: Executor, requestId: string, messageId: string, ids: string[], party: Party) {
  const side = party.side === 'agent' ? 'agent' : 'partner';
  const updated = await tx
    .update(requestAttachments)
    .set({ messageId })
    .where(
      and(
        eq(requestAttachments.requestId, requestId),
        isNull(requestAttachments.messageId),
        isNull(requestAttachments.deletedAt),
        eq(requestAttachments.side, side),
        sql`${requestAttachments.id} IN (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    )
    .returning({ id: requestAttachments.id });
  if (updated.length !== new Set(ids).size)
    throw invalid('ATTACHMENT_UNKNOWN', 'Une pièce jointe est introuvable ou déjà jointe à un autre message.', [
      { path: 'attachmentIds', message: 'pièce jointe inconnue' },
    ]);
}

export function rerouteRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  body: { organisationId: string; reason: string },
  audit: AuditContext,
) {
  return act(ctx, actor, territoryId, requestId, audit, async (tx, req, party) => {
    requirePartner(party);
    if (body.organisationId === req.organisationId)
      throw invalid('REROUTE_SAME_ORGANISATION', 'La saisine est déjà adressée à cet organisme.', [
        { path: 'organisationId', message: 'même organisme' },
      ]);
    if (!(await isOrganisationOf(tx, territoryId, body.organisationId)))
      throw invalid('ORGANISATION_UNKNOWN', 'Cet organisme n’est pas un partenaire du territoire.', [
        { path: 'organisationId', message: 'organisme inconnu' },
      ]);
    const { settings, calendar } = await calendarOf(tx, body.organisationId);
    const days = (req.themeCode && settings.themeDays[req.themeCode]) || settings.firstAnswerDays;
    return {
      action: 'reroute',
      kind: 'rerouted',
      data: { from: req.organisationId, to: body.organisationId, reason: body.reason, days },
      clock: { kind: 'start', days, calendar },
      changes: {
        organisationId: body.organisationId,
        assigneeUserId: null,
        addressedToUserId: null,
        firstAnswerDays: days,
        followUpDays: settings.followUpDays,
      },
    };
  });
}

export function inviteToRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  body: { userId?: string; organisationId?: string },
  audit: AuditContext,
) {
  return act(ctx, actor, territoryId, requestId, audit, async (tx, req, party, now) => {
    requirePartner(party);
    if (body.organisationId) {
      if (body.organisationId === req.organisationId || !(await isOrganisationOf(tx, territoryId, body.organisationId)))
        throw invalid('ORGANISATION_UNKNOWN', 'Invitez un autre organisme partenaire du territoire.', [
          { path: 'organisationId', message: 'organisme invalide' },
        ]);
    } else {
      const [m] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.territoryId, territoryId),
            eq(memberships.userId, body.userId as string),
            sql`${memberships.role} IN ('referent', 'manager')`,
          ),
        );
      if (!m)
        throw invalid('NOT_A_REFERENT', 'On invite un référent ou un responsable d’un organisme du territoire.', [
          { path: 'userId', message: 'personne inconnue' },
        ]);
    }
    await tx.insert(requestParticipants).values({
      requestId: req.id,
      territoryId,
      userId: body.userId ?? null,
      organisationId: body.organisationId ?? null,
      invitedBy: party.userId,
      createdAt: now,
    });
    return { action: 'invite', kind: 'invited', data: { userId: body.userId ?? null, organisationId: body.organisationId ?? null } };
  });
}

/** Closes the request; the first time, a person whose file has an email address is invited to the survey. */
export async function closeRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  reason: string | undefined,
  audit: AuditContext,
) {
  let invitation: MailMessage | null = null;
  const view = await act(ctx, actor, territoryId, requestId, audit, async (tx, req, _party, now) => {
    invitation = await closedRequestInvitation(ctx, tx, req);
    return {
      action: 'close',
      kind: 'closed',
      data: { reason: reason ?? null, surveySent: invitation !== null },
      clock: { kind: 'stop' },
      changes: { closedAt: now },
    };
  });
  // After the commit (a rolled-back closing sends nothing); not filed under the territory, whose
  // coordinators read its outbox: the person's address is not theirs to see.
  if (invitation) await ctx.jobs.send('mail.send', invitation);
  return view;
}

export function reopenRequest(ctx: AppContext, actor: Actor, territoryId: string, requestId: string, reason: string, audit: AuditContext) {
  return act(ctx, actor, territoryId, requestId, audit, async (tx, req) => ({
    action: 'reopen',
    kind: 'reopened',
    data: { reason },
    clock: { kind: 'start', days: req.followUpDays, calendar: (await calendarOf(tx, req.organisationId)).calendar },
    changes: { closedAt: null },
  }));
}

export function rateRequest(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  usefulness: UsefulnessRating,
  audit: AuditContext,
) {
  return act(ctx, actor, territoryId, requestId, audit, async (_tx, req) => {
    if (!req.firstAnsweredAt) throw conflict('REQUEST_NOT_ANSWERED', 'La réponse pourra être notée quand l’organisme aura répondu.');
    return { action: 'rate', kind: 'rated', data: { usefulness }, changes: { usefulness } };
  });
}

export function archiveRequest(ctx: AppContext, actor: Actor, territoryId: string, requestId: string, audit: AuditContext) {
  return act(ctx, actor, territoryId, requestId, audit, async (_tx, req, _party, now) => {
    authorize(actor, 'requests.archive', { territoryId: req.territoryId });
    return { action: 'archive', kind: 'archived', changes: { archivedAt: now } };
  });
}

export async function readRequestView(ctx: AppContext, actor: Actor, territoryId: string, requestId: string) {
  return ctx.db.transaction(async (tx) => {
    const { req, party } = await loadForParty(tx, actor, territoryId, requestId);
    return detailsView(ctx, tx, party, req);
  });
}

export async function readSettings(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  organisationId: string,
): Promise<RequestSettingsView> {
  authorize(actor, 'requests.settings_read', { territoryId });
  await checkOrganisationOf(ctx.db, territoryId, organisationId);
  const s = await settingsOf(ctx.db, organisationId);
  return { organisationId, ...s, requiredIdentifiers: s.requiredIdentifiers as RequestIdentifierKind[] };
}

/**
 * Saves an organisation's deadlines and business hours. A new calendar applies to its open
 * requests from now on: each gets a `calendar` event, so time already elapsed is never recomputed.
 */
export async function saveSettings(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  organisationId: string,
  body: RequestSettingsBody,
  audit: AuditContext,
): Promise<RequestSettingsView> {
  authorize(actor, 'requests.settings_write', { territoryId, organisationId });
  if (body.businessHours) {
    const check = validateOpeningHours(body.businessHours);
    if (!check.ok)
      throw invalid('BUSINESS_HOURS_INVALID', `Horaires d’ouverture illisibles : ${check.message}`, [
        { path: 'businessHours', message: check.message },
      ]);
    body = { ...body, businessHours: check.normalized };
  }
  const themes = await activeThemeCodes(ctx.db, territoryId);
  const unknown = Object.keys(body.themeDays).filter((code) => !themes.has(code));
  if (unknown.length)
    throw invalid(
      'THEME_UNKNOWN',
      'Un thème n’existe pas dans le territoire.',
      unknown.map((code) => ({ path: `themeDays.${code}`, message: 'thème inconnu' })),
    );
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await checkOrganisationOf(tx, territoryId, organisationId);
    const before = await settingsOf(tx, organisationId);
    const values = { ...body, updatedAt: now };
    await tx
      .insert(partnerRequestSettings)
      .values({ organisationId, territoryId, ...values })
      .onConflictDoUpdate({ target: partnerRequestSettings.organisationId, set: values });
    if ((before.businessHours ?? null) !== (body.businessHours ?? null)) {
      const { calendar } = await calendarOf(tx, organisationId);
      const open = await tx
        .select()
        .from(requests)
        .where(
          and(eq(requests.organisationId, organisationId), sql`${requests.status} IN ('envoyee', 'en_cours', 'attente_infos', 'repondue')`),
        )
        .for('update');
      for (const req of open)
        await appendEvent(tx, req, { kind: 'calendar_changed', party: 'system', data: {}, clock: { kind: 'calendar', calendar } }, now);
    }
    await recordAudit(tx, audit, {
      type: 'request.settings_changed',
      territoryId,
      targetType: 'organisation',
      targetId: organisationId,
      data: { before, after: body },
    });
  });
  return readSettings(ctx, actor, territoryId, organisationId);
}
