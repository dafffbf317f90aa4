import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import {
  type InboxFilter,
  InboxFilters,
  type InboxQuery,
  type InboxView,
  type RequestDetails,
  type RequestIdentifierKind,
  RequestIdentifierLabels,
  type RequestListQuery,
  type RequestListView,
  type RequestLookupView,
  type RequestSummary,
  UsefulnessLabels,
} from '../../../contracts/requests.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { people } from '../people/people.schema.ts';
import { deadlineState } from './deadline.ts';
import { clockEventsOf, clockEventsOfMany, deadlineView } from './log.ts';
import { loadForParty, machineSide, type Party, partyOf, type RequestRow } from './parties.ts';
import { requestAttachments, requestEvents, requestMessages, requestParticipants, requestReads, requests } from './requests.schema.ts';
import { allowedActions, OPEN_STATUSES, statusLabel } from './status.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const audienceOf = (party: Party) => (party.side === 'partner' ? 'partner' : 'agent');

async function namesOf(db: Executor, userIds: (string | null)[]) {
  const ids = [...new Set(userIds.filter((id): id is string => !!id))];
  if (!ids.length) return new Map<string, string>();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function organisationsOf(db: Executor, ids: (string | null)[]) {
  const list = [...new Set(ids.filter((id): id is string => !!id))];
  if (!list.length) return new Map<string, { id: string; acronym: string; name: string }>();
  const rows = await db
    .select({ id: partnerOrganisations.id, acronym: partnerOrganisations.acronym, name: partnerOrganisations.name })
    .from(partnerOrganisations)
    .where(inArray(partnerOrganisations.id, list));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Rows of the lists and the inbox, with the deadline computed from each request's log. */
async function summariesOf(
  db: Executor,
  rows: RequestRow[],
  viewer: { userId: string | null; audience: 'agent' | 'partner'; seePeople: boolean },
  now: Date,
) {
  if (!rows.length) return [] as RequestSummary[];
  const ids = rows.map((r) => r.id);
  const clocks = await clockEventsOfMany(db, ids);
  const orgs = await organisationsOf(
    db,
    rows.map((r) => r.organisationId),
  );
  const names = await namesOf(
    db,
    rows.map((r) => r.assigneeUserId),
  );
  const cps = new Map(
    (
      await db
        .select({ id: contactPoints.id, name: contactPoints.name })
        .from(contactPoints)
        .where(inArray(contactPoints.id, [...new Set(rows.map((r) => r.contactPointId))]))
    ).map((c) => [c.id, c]),
  );
  const personIds = viewer.seePeople ? rows.map((r) => r.personId).filter((id): id is string => !!id) : [];
  const personNames = new Map(
    personIds.length
      ? (
          await db
            .select({ id: people.id, first: people.firstName, last: people.lastName, anonymised: people.anonymisedAt })
            .from(people)
            .where(inArray(people.id, personIds))
        ).map((p) => [p.id, p.anonymised ? null : `${p.first} ${p.last}`])
      : [],
  );
  const unread = new Set<string>();
  if (viewer.userId) {
    const hidden = viewer.audience === 'agent' ? sql`AND e.kind <> 'note'` : sql``;
    const { rows: unreadRows } = await db.execute<{ id: string }>(sql`
      SELECT r.id FROM unnest(${sql.raw(`ARRAY[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`)}) AS r(id)
      WHERE EXISTS (
        SELECT 1 FROM ${requestEvents} e
        WHERE e.request_id = r.id AND e.kind NOT IN ('reminder', 'calendar_changed')
          AND e.actor_user_id IS DISTINCT FROM ${viewer.userId}::uuid ${hidden}
          AND e.id > coalesce((SELECT last_event_id FROM ${requestReads} rr WHERE rr.request_id = r.id AND rr.user_id = ${viewer.userId}::uuid), 0)
      )`);
    for (const r of unreadRows) unread.add(r.id);
  }
  return rows.map((r): RequestSummary => {
    const org = orgs.get(r.organisationId) ?? { id: r.organisationId, acronym: '?', name: '?' };
    return {
      id: r.id,
      reference: r.reference,
      status: r.status,
      statusLabel: statusLabel(r.status, viewer.audience).label,
      subject: r.wipedAt ? 'Saisine archivée' : r.subject,
      themeCode: r.themeCode,
      procedure: r.procedure,
      organisation: org,
      contactPoint: cps.get(r.contactPointId) ?? { id: r.contactPointId, name: '?' },
      assignee: r.assigneeUserId ? { id: r.assigneeUserId, name: names.get(r.assigneeUserId) ?? '?' } : null,
      personName: r.personId ? (personNames.get(r.personId) ?? null) : null,
      createdAt: r.createdAt.toISOString(),
      sentAt: iso(r.sentAt),
      lastMessageAt: iso(r.lastMessageAt),
      deadline: deadlineView(deadlineState(clocks.get(r.id) ?? [], now)),
      unread: unread.has(r.id),
    };
  });
}

function eventText(e: typeof requestEvents.$inferSelect, names: Map<string, string>, orgs: Map<string, { acronym: string }>): string {
  const who = e.actorUserId
    ? (names.get(e.actorUserId) ?? 'Quelqu’un')
    : e.actorTokenId
      ? 'Le système d’information de l’organisme'
      : 'Relais';
  const org = (id: unknown) => (typeof id === 'string' ? (orgs.get(id)?.acronym ?? 'un organisme') : 'un organisme');
  const d = e.data as Record<string, unknown>;
  switch (e.kind) {
    case 'created':
      return `Saisine envoyée à ${org(d.organisationId)} par ${who} (réponse attendue sous ${d.days} jours ouvrés)`;
    case 'taken':
      return `Prise en charge par ${who}`;
    case 'assigned':
      return `Attribuée à ${names.get(String(d.userId)) ?? 'une personne'} par ${who}`;
    case 'info_requested':
      return `${who} a demandé des informations : le délai est suspendu`;
    case 'info_provided':
      return `${who} a envoyé les informations demandées : le délai reprend`;
    case 'answered':
      return `Réponse de ${who}`;
    case 'message':
      return `Message de ${who}`;
    case 'note':
      return `Note interne de ${who}`;
    case 'rerouted':
      return `Réorientée de ${org(d.from)} vers ${org(d.to)} par ${who} : ${d.reason ?? ''}`;
    case 'invited':
      return d.organisationId
        ? `${who} a invité ${org(d.organisationId)}`
        : `${who} a invité ${names.get(String(d.userId)) ?? 'une personne'}`;
    case 'closed':
      return `Clôturée par ${who}${d.reason ? ` : ${d.reason}` : ''}${d.surveySent ? ' (questionnaire de satisfaction envoyé par courriel à l’usager)' : ''}`;
    case 'reopened':
      return `Rouverte par ${who} : ${d.reason ?? ''}`;
    case 'rated':
      return `${who} a noté la réponse : ${UsefulnessLabels[d.usefulness as keyof typeof UsefulnessLabels] ?? ''}`;
    case 'archived':
      return `Archivée par ${who}`;
    case 'reminder':
      return d.level === 'breach'
        ? 'Délai dépassé : l’organisme et la coordination ont été prévenus'
        : `Rappel envoyé à l’organisme (${d.level === 'half' ? '50 %' : '75 %'} du délai)`;
    case 'calendar_changed':
      return 'L’organisme a changé ses horaires : ils comptent à partir de ce moment';
    case 'attachment_added':
      return `${who} a ajouté une pièce jointe`;
    case 'wiped':
      return 'Données personnelles effacées à la fin de la durée de conservation';
    default:
      return e.kind;
  }
}

/** The request as the caller's side sees it; marks it seen and journals the read (it may show personal data). */
export async function detailsView(
  ctx: AppContext,
  tx: Executor,
  party: Party,
  req: RequestRow,
  audit: AuditContext | null = null,
): Promise<RequestDetails> {
  const now = ctx.clock.now();
  const audience = audienceOf(party);
  const [summary] = await summariesOf(tx, [req], { userId: party.userId, audience, seePeople: true }, now);
  const partnerSide = party.side === 'partner';
  const events = await tx.select().from(requestEvents).where(eq(requestEvents.requestId, req.id)).orderBy(asc(requestEvents.id));
  const visibleEvents = partnerSide || party.side === 'coordination' ? events : events.filter((e) => e.kind !== 'note');
  const messages = await tx
    .select()
    .from(requestMessages)
    .where(and(eq(requestMessages.requestId, req.id), partnerSide ? undefined : eq(requestMessages.internal, false)))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
  const attachments = await tx
    .select()
    .from(requestAttachments)
    .where(and(eq(requestAttachments.requestId, req.id), isNull(requestAttachments.deletedAt)))
    .orderBy(asc(requestAttachments.createdAt));
  const participants = await tx
    .select()
    .from(requestParticipants)
    .where(and(eq(requestParticipants.requestId, req.id), isNull(requestParticipants.removedAt)));
  const names = await namesOf(tx, [
    ...events.map((e) => e.actorUserId),
    ...events.map((e) => (typeof e.data.userId === 'string' ? e.data.userId : null)),
    ...messages.map((m) => m.authorUserId),
    ...participants.map((p) => p.userId),
    req.addressedToUserId,
  ]);
  const orgs = await organisationsOf(tx, [
    ...events.flatMap((e) =>
      [e.organisationId, e.data.from, e.data.to, e.data.organisationId].map((v) => (typeof v === 'string' ? v : null)),
    ),
    ...messages.map((m) => m.authorOrganisationId),
    ...participants.map((p) => p.organisationId),
  ]);
  const attachmentView = (a: typeof requestAttachments.$inferSelect) => ({
    id: a.id,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    scanStatus: a.scanStatus,
    messageId: a.messageId,
    side: a.side as 'agent' | 'partner',
    createdAt: a.createdAt.toISOString(),
  });
  const visibleMessageIds = new Set(messages.map((m) => m.id));
  const visibleAttachments = attachments.filter((a) => !a.messageId || visibleMessageIds.has(a.messageId));
  let person: RequestDetails['person'] = null;
  if (req.personId && !req.wipedAt) {
    const [p] = await tx.select().from(people).where(eq(people.id, req.personId));
    if (p && !p.anonymisedAt) person = { id: p.id, name: `${p.firstName} ${p.lastName}`, birthDate: p.birthDate, phone: p.phone };
  }
  const identifiers = req.identifiersSealed
    ? Object.entries(JSON.parse(ctx.secretBox.open(req.identifiersSealed)) as Record<RequestIdentifierKind, string>).map(
        ([kind, value]) => ({
          kind: kind as RequestIdentifierKind,
          label: RequestIdentifierLabels[kind as RequestIdentifierKind] ?? kind,
          value,
        }),
      )
    : [];
  const consent: RequestDetails['consent'] = req.consentKind
    ? {
        kind: req.consentKind,
        text:
          req.consentKind === 'mandat'
            ? 'Le lieu d’accueil agit sous un mandat de la personne couvrant cet organisme.'
            : 'La personne a accepté que ces informations soient transmises à l’organisme.',
      }
    : null;
  const lastEventId = events.at(-1)?.id ?? 0;
  if (party.userId && lastEventId) {
    await tx
      .insert(requestReads)
      .values({ requestId: req.id, userId: party.userId, lastEventId, readAt: now })
      .onConflictDoUpdate({ target: [requestReads.requestId, requestReads.userId], set: { lastEventId, readAt: now } });
  }
  if (audit) {
    await recordAudit(tx, audit, {
      type: 'request.read',
      territoryId: req.territoryId,
      targetType: 'request',
      targetId: req.id,
      data: { side: party.side, personId: req.personId },
    });
  }
  const publicStatus = statusLabel(req.status, 'public', { days: req.firstAnswerDays });
  return {
    ...(summary as RequestSummary),
    unread: false,
    description: req.wipedAt ? '' : req.description,
    side: party.side,
    identifiers,
    person,
    consent,
    addressedTo: req.addressedToUserId ? { id: req.addressedToUserId, name: names.get(req.addressedToUserId) ?? '?' } : null,
    participants: participants.map((p) => ({
      id: p.id,
      user: p.userId ? { id: p.userId, name: names.get(p.userId) ?? '?' } : null,
      organisation: p.organisationId ? (orgs.get(p.organisationId) ?? null) : null,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      side: m.side as 'agent' | 'partner',
      internal: m.internal,
      author: m.authorUserId ? (names.get(m.authorUserId) ?? '?') : 'Système d’information de l’organisme',
      organisation: m.authorOrganisationId ? (orgs.get(m.authorOrganisationId)?.acronym ?? null) : null,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      attachments: visibleAttachments.filter((a) => a.messageId === m.id).map(attachmentView),
    })),
    attachments: visibleAttachments.map(attachmentView),
    events: visibleEvents.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, text: eventText(e, names, orgs) })),
    usefulness: req.usefulness,
    allowedActions:
      party.side === 'coordination'
        ? allowedActions(req.status, 'system', { assigned: !!req.assigneeUserId })
        : allowedActions(req.status, machineSide(party), { assigned: !!req.assigneeUserId }),
    version: req.version,
    publicStatus,
    wiped: !!req.wipedAt,
  };
}

export async function getRequest(ctx: AppContext, actor: Actor, territoryId: string, requestId: string, audit: AuditContext) {
  return ctx.db.transaction(async (tx) => {
    const { req, party } = await loadForParty(tx, actor, territoryId, requestId);
    return detailsView(ctx, tx, party, req, audit);
  });
}

/** Keyset cursors: base64url of the last row's sort key. */
const encodeCursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeCursor<T>(cursor: string | undefined): T | null {
  if (!cursor) return null;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString()) as T;
  } catch {
    throw invalid('CURSOR_INVALID', 'Curseur de pagination illisible : repartez de la première page.', [
      { path: 'cursor', message: 'curseur invalide' },
    ]);
  }
}

/**
 * Requests of the territory the caller may list: coordinators all of them, agents those of their
 * contact points, partners those addressed to their organisations.
 */
export async function listRequests(ctx: AppContext, actor: Actor, territoryId: string, q: RequestListQuery): Promise<RequestListView> {
  if (actor.kind !== 'user') throw invalid('USE_PARTNER_API', 'Avec un jeton d’API, utilisez /api/partner/v1/requests.');
  const mine = actor.memberships.filter((m) => m.territoryId === territoryId);
  const all = can(actor, 'requests.read_all', { territoryId });
  const cpIds = mine.filter((m) => m.role === 'agent').map((m) => m.contactPointId as string);
  const orgIds = mine.filter((m) => m.role === 'referent' || m.role === 'manager').map((m) => m.organisationId as string);
  if (!all && !cpIds.length && !orgIds.length) authorize(actor, 'requests.read_all', { territoryId });
  const scope: SQL[] = [eq(requests.territoryId, territoryId)];
  if (!all) {
    const parts: SQL[] = [];
    if (cpIds.length) parts.push(inArray(requests.contactPointId, cpIds));
    if (orgIds.length) parts.push(inArray(requests.organisationId, orgIds));
    scope.push(or(...parts) as SQL);
  }
  if (q.contactPointId) scope.push(eq(requests.contactPointId, q.contactPointId));
  if (q.organisationId) scope.push(eq(requests.organisationId, q.organisationId));
  if (q.personId) scope.push(eq(requests.personId, q.personId));
  if (q.status) scope.push(eq(requests.status, q.status));
  else if (q.open === 'oui') scope.push(inArray(requests.status, [...OPEN_STATUSES]));
  const after = decodeCursor<{ c: string; id: string }>(q.cursor);
  if (after) scope.push(sql`(${requests.createdAt}, ${requests.id}) < (${after.c}::timestamptz, ${after.id}::uuid)`);
  const rows = await ctx.db
    .select()
    .from(requests)
    .where(and(...scope))
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const audience = !cpIds.length && orgIds.length ? 'partner' : 'agent';
  const items = await summariesOf(ctx.db, page, { userId: actor.userId, audience, seePeople: true }, ctx.clock.now());
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt.toISOString(), id: last.id }) : null };
}

function inboxFilter(filter: InboxFilter, userId: string | null): SQL {
  switch (filter) {
    case 'nouvelles':
      return and(eq(requests.status, 'envoyee'), isNull(requests.assigneeUserId)) as SQL;
    case 'miennes':
      return and(inArray(requests.status, [...OPEN_STATUSES]), userId ? eq(requests.assigneeUserId, userId) : sql`false`) as SQL;
    case 'en_cours':
      return eq(requests.status, 'en_cours');
    case 'attente_infos':
      return eq(requests.status, 'attente_infos');
    case 'repondues':
      return eq(requests.status, 'repondue');
    case 'cloturees':
      return eq(requests.status, 'cloturee');
    case 'toutes':
      return inArray(requests.status, [...OPEN_STATUSES, 'cloturee']);
  }
}

/** Whether the organisation is a partner of the territory. */
export async function isOrganisationOf(db: Executor, territoryId: string, organisationId: string): Promise<boolean> {
  const [org] = await db
    .select({ id: partnerOrganisations.id })
    .from(partnerOrganisations)
    .where(and(eq(partnerOrganisations.id, organisationId), eq(partnerOrganisations.territoryId, territoryId)));
  return !!org;
}

/** 404 unless the organisation is a partner of the territory in the path (a coordinator's rights stop at their territory). */
export async function checkOrganisationOf(db: Executor, territoryId: string, organisationId: string) {
  if (!(await isOrganisationOf(db, territoryId, organisationId))) throw notFound('Cet organisme');
}

/**
 * An organisation's inbox: requests addressed to it or to which it was invited, most urgent first
 * (due date, then oldest), with the count of each tab.
 */
export async function inbox(ctx: AppContext, actor: Actor, territoryId: string, organisationId: string, q: InboxQuery): Promise<InboxView> {
  authorize(actor, 'requests.inbox', { territoryId, organisationId });
  await checkOrganisationOf(ctx.db, territoryId, organisationId);
  const userId = actor.kind === 'user' ? actor.userId : null;
  const where: SQL[] = [eq(requests.territoryId, territoryId), inboxFilter(q.filtre, userId)];
  if (q.themeCode) where.push(eq(requests.themeCode, q.themeCode));
  const after = decodeCursor<{ d: string | null; id: string }>(q.cursor);
  if (after) {
    where.push(
      after.d
        ? (sql`((${requests.dueAt}, ${requests.id}) > (${after.d}::timestamptz, ${after.id}::uuid) OR ${requests.dueAt} IS NULL)` as SQL)
        : (sql`(${requests.dueAt} IS NULL AND ${requests.id} > ${after.id}::uuid)` as SQL),
    );
  }
  // Two branches, each read from an index already in the inbox's order, then merged: the requests
  // addressed to the organisation (`requests_inbox`), and those it was invited to (the invitations
  // as an array looked up in the primary key). One query with `organisation_id = $o OR id IN
  // (SELECT …)` read every request of the territory (BENCHMARKS.md, requests: 140 ms a page among
  // 1,000,000, against well under a millisecond for a branch).
  const branch = (addressed: SQL) =>
    ctx.db
      .select()
      .from(requests)
      .where(and(addressed, ...where))
      .orderBy(sql`${requests.dueAt} ASC NULLS LAST`, asc(requests.id))
      .limit(q.limit + 1);
  const [own, invited] = [
    await branch(eq(requests.organisationId, organisationId)),
    await branch(
      sql`${requests.id} = ANY(ARRAY(SELECT ${requestParticipants.requestId} FROM ${requestParticipants} WHERE ${requestParticipants.organisationId} = ${organisationId}::uuid AND ${requestParticipants.removedAt} IS NULL)) AND ${requests.organisationId} <> ${organisationId}::uuid`,
    ),
  ];
  const rows = [...own, ...invited].sort(inboxOrder).slice(0, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const counts = await inboxCounts(ctx.db, territoryId, organisationId, userId);
  const items = await summariesOf(ctx.db, page, { userId, audience: 'partner', seePeople: true }, ctx.clock.now());
  const last = page.at(-1);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ d: last.dueAt?.toISOString() ?? null, id: last.id }) : null,
    counts,
  };
}

/** The inbox's order in SQL (`due_at ASC NULLS LAST, id`), for merging its two branches. */
function inboxOrder(a: RequestRow, b: RequestRow) {
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The count of each tab, from the counts index (the same two branches, disjoint, added up). */
async function inboxCounts(db: Executor, territoryId: string, organisationId: string, userId: string | null) {
  const { rows } = await db.execute<Record<InboxFilter, string>>(sql`
    SELECT
      count(*) FILTER (WHERE status = 'envoyee' AND assignee_user_id IS NULL) AS nouvelles,
      count(*) FILTER (WHERE status IN ('envoyee', 'en_cours', 'attente_infos', 'repondue') AND assignee_user_id = ${userId}::uuid) AS miennes,
      count(*) FILTER (WHERE status = 'en_cours') AS en_cours,
      count(*) FILTER (WHERE status = 'attente_infos') AS attente_infos,
      count(*) FILTER (WHERE status = 'repondue') AS repondues,
      count(*) FILTER (WHERE status = 'cloturee') AS cloturees,
      count(*) AS toutes
    FROM (
      SELECT status, assignee_user_id FROM ${requests}
      WHERE organisation_id = ${organisationId}::uuid AND territory_id = ${territoryId}::uuid
        AND status IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee')
      UNION ALL
      SELECT status, assignee_user_id FROM ${requests}
      WHERE id = ANY(ARRAY(SELECT request_id FROM ${requestParticipants} WHERE organisation_id = ${organisationId}::uuid AND removed_at IS NULL))
        AND organisation_id <> ${organisationId}::uuid AND territory_id = ${territoryId}::uuid
        AND status IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee')
    ) AS shown`);
  const row = rows[0] as Record<InboxFilter, string>;
  return Object.fromEntries(InboxFilters.map((f) => [f, Number(row[f])])) as Record<InboxFilter, number>;
}

/** When the person phones: any agent or coordinator of the territory finds the status by reference; details only for parties. */
export async function lookupByReference(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  reference: string,
  audit: AuditContext,
): Promise<RequestLookupView> {
  authorize(actor, 'requests.lookup', { territoryId });
  return ctx.db.transaction(async (tx) => {
    const [req] = await tx
      .select()
      .from(requests)
      .where(and(eq(requests.territoryId, territoryId), eq(requests.reference, reference)));
    if (!req)
      throw invalid(
        'REQUEST_REFERENCE_UNKNOWN',
        `Aucune saisine ${reference} dans ce territoire : vérifiez la référence sur le récépissé.`,
        [{ path: 'reference', message: 'référence inconnue' }],
      );
    const party = await partyOf(tx, actor, req);
    const orgs = await organisationsOf(tx, [req.organisationId]);
    const [cp] = await tx
      .select({ id: contactPoints.id, name: contactPoints.name })
      .from(contactPoints)
      .where(eq(contactPoints.id, req.contactPointId));
    const state = deadlineState(await clockEventsOf(tx, req.id), ctx.clock.now());
    const label = statusLabel(req.status, 'agent', { days: req.firstAnswerDays });
    await recordAudit(tx, audit, { type: 'request.looked_up', territoryId, targetType: 'request', targetId: req.id, data: { reference } });
    return {
      id: req.id,
      reference: req.reference,
      status: req.status,
      statusLabel: label.label,
      nextStep: statusLabel(req.status, 'public', { days: req.firstAnswerDays }).nextStep,
      organisation: orgs.get(req.organisationId) ?? { id: req.organisationId, acronym: '?', name: '?' },
      contactPoint: cp ?? { id: req.contactPointId, name: '?' },
      sentAt: iso(req.sentAt),
      lastUpdateAt: req.updatedAt.toISOString(),
      deadline: deadlineView(state),
      canOpen: !!party,
    };
  });
}

/** Referents and managers of an organisation who have an account: whom a request can be assigned to. */
export async function assignees(ctx: AppContext, actor: Actor, territoryId: string, organisationId: string) {
  // The organisation's people, and the agents who address a request to one of them by name.
  if (!can(actor, 'requests.lookup', { territoryId })) authorize(actor, 'requests.inbox', { territoryId, organisationId });
  await checkOrganisationOf(ctx.db, territoryId, organisationId);
  const rows = await ctx.db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        eq(memberships.organisationId, organisationId),
        sql`${memberships.role} IN ('referent', 'manager')`,
        eq(users.status, 'active'),
      ),
    )
    .orderBy(asc(users.displayName));
  return { items: rows };
}
