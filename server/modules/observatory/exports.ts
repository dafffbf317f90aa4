import { Readable } from 'node:stream';
import { and, asc, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { ExportQuery } from '../../../contracts/observatory.ts';
import { type RequestStatus, UsefulnessLabels, type UsefulnessRating } from '../../../contracts/requests.ts';
import {
  type VisitAction,
  VisitActionLabels,
  type VisitAutonomy,
  VisitAutonomyLabels,
  type VisitChannel,
  VisitChannelLabels,
} from '../../../contracts/visits.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { busStops, contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { requests } from '../requests/requests.schema.ts';
import { statusLabel } from '../requests/status.ts';
import { loadTaxonomy } from '../visits/taxonomy.service.ts';
import { visits } from '../visits/visits.schema.ts';
import { csvStream } from './csv.ts';
import { monthDate, resolvePeriod } from './period.ts';
import { filterWithin, type StatsFilter, statsScope } from './scope.ts';
import { type Column, type Row, xlsxStream } from './xlsx.ts';

/**
 * Exports of the observatory (issue 7): one row per visit or per request within the caller's
 * scope, as CSV or XLSX, streamed. Rows are read by keyset pagination on (occurred_at, id) or
 * (sent_at, id), EXPORT_BATCH at a time, through the ordinary executor (no hand-made transaction,
 * no cursor: it works the same on PGlite and PostgreSQL); the next batch is read only when the
 * client has taken the previous one (a Node Readable over an async generator). Names and labels
 * are loaded once before. No personal data and no free text leave: no comment, subject,
 * description, person or agent name.
 */

export const EXPORT_BATCH = 2000;
export type ExportKind = 'visits' | 'requests';
type ExportFormat = 'csv' | 'xlsx';

const yesNo = (b: boolean) => (b ? 'oui' : 'non');
const JOIN = ' ; ';

export const VISIT_COLUMNS: Column[] = [
  { header: 'Date', kind: 'date', width: 12 },
  { header: 'Heure', kind: 'time', width: 8 },
  { header: 'Lieu d’accueil', kind: 'text', width: 30 },
  { header: 'Commune', kind: 'text', width: 20 },
  { header: 'Canal', kind: 'text', width: 16 },
  { header: 'Partenaires', kind: 'text', width: 30 },
  { header: 'Thèmes', kind: 'text', width: 40 },
  { header: 'Actions', kind: 'text', width: 30 },
  { header: 'Autonomie', kind: 'text', width: 18 },
  { header: 'Durée (min)', kind: 'number', width: 11 },
  { header: 'Dossier usager', kind: 'text', width: 14 },
  { header: 'Arrêt du bus', kind: 'text', width: 24 },
  { header: 'Corrigé', kind: 'text', width: 9 },
  { header: 'Identifiant', kind: 'text', width: 38 },
];

export const REQUEST_COLUMNS: Column[] = [
  { header: 'Référence', kind: 'text', width: 16 },
  { header: 'Envoyée le', kind: 'date', width: 12 },
  { header: 'Lieu d’accueil', kind: 'text', width: 30 },
  { header: 'Organisme', kind: 'text', width: 30 },
  { header: 'Thème', kind: 'text', width: 30 },
  { header: 'Statut', kind: 'text', width: 22 },
  { header: 'Première réponse le', kind: 'date', width: 14 },
  { header: 'Délai de première réponse (jours ouvrés)', kind: 'number', width: 14 },
  { header: 'Dans le délai', kind: 'text', width: 10 },
  { header: 'Clôturée le', kind: 'date', width: 12 },
  { header: 'Utilité de la réponse', kind: 'text', width: 24 },
];

export interface PreparedExport {
  filename: string;
  contentType: string;
  stream: Readable;
}

/** Resolves scope, filters, period and lookups (so that errors are answered before the first byte), then streams. */
export async function prepareExport(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  kind: ExportKind,
  query: ExportQuery,
  audit: AuditContext,
): Promise<PreparedExport> {
  const db = ctx.db;
  const scope = await statsScope(db, actor, territoryId);
  const filter = filterWithin(scope, query);
  const format: ExportFormat = query.format ?? 'csv';
  const period = resolvePeriod({ ...query, compare: 'aucune' }, ctx.clock.now(), scope.territory.timezone);
  const { from, to } = period.view;
  const bounds: Bounds = { start: monthDate(period.from), end: monthDate(period.to + 1), timezone: scope.territory.timezone };
  const lookups = await loadLookups(db, territoryId);
  const batches =
    kind === 'visits' ? visitBatches(db, territoryId, filter, bounds, lookups) : requestBatches(db, territoryId, filter, bounds, lookups);
  const columns = kind === 'visits' ? VISIT_COLUMNS : REQUEST_COLUMNS;
  const title = kind === 'visits' ? 'Accueils' : 'Saisines';
  const filters = {
    from,
    to,
    contactPointId: query.contactPointId ?? null,
    organisationId: query.organisationId ?? null,
    scope: scope.kind,
  };

  async function* body(): AsyncGenerator<Uint8Array> {
    let rows = 0;
    let complete = false;
    const counted = (async function* () {
      for await (const batch of batches) {
        rows += batch.length;
        yield batch;
      }
    })();
    try {
      yield* format === 'xlsx' ? xlsxStream(title, columns, counted) : csvStream(columns, counted);
      complete = true;
    } finally {
      // Journaled once the file is out (or the client gave up): what, how, which filters, how many rows.
      await recordAudit(ctx.db, audit, {
        type: 'observatory.exported',
        territoryId,
        targetType: 'territory',
        targetId: territoryId,
        data: { kind, format, filters, rows, complete },
      });
    }
  }

  const name = `relais-${kind === 'visits' ? 'accueils' : 'requetes'}-${scope.territory.slug}-${from}-${to}.${format}`;
  return {
    filename: name,
    contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    stream: Readable.from(body(), { objectMode: false }),
  };
}

interface Bounds {
  /** First day of the first month and of the month after the last, read in `timezone`. */
  start: string;
  end: string;
  timezone: string;
}

interface Lookups {
  contactPoints: Map<string, { name: string; commune: string }>;
  organisations: Map<string, string>;
  themes: Map<string, string>;
}

async function loadLookups(db: Executor, territoryId: string): Promise<Lookups> {
  const [cps, orgs, taxonomy] = await Promise.all([
    db
      .select({ id: contactPoints.id, name: contactPoints.name, commune: contactPoints.commune })
      .from(contactPoints)
      .where(eq(contactPoints.territoryId, territoryId)),
    db
      .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
      .from(partnerOrganisations)
      .where(eq(partnerOrganisations.territoryId, territoryId)),
    loadTaxonomy(db, territoryId),
  ]);
  return {
    contactPoints: new Map(cps.map((c) => [c.id, { name: c.name, commune: c.commune }])),
    organisations: new Map(orgs.map((o) => [o.id, o.name])),
    themes: new Map(taxonomy.themes.map((t) => [t.code, t.label])),
  };
}

/** Local instant at 00:00 of `day` in the territory's time zone. */
const localStart = (day: string, timezone: string) => sql`((${day}::date)::timestamp AT TIME ZONE ${timezone})`;
/** `AAAA-MM-JJ HH:MM` of an instant in the territory's time zone. */
const localText = (column: SQLWrapper, timezone: string) =>
  sql<string | null>`to_char(${column} AT TIME ZONE ${timezone}, 'YYYY-MM-DD HH24:MI')`;

/** The columns a keyset export reads by: the instant that orders it, the id that breaks ties, and what scopes it. */
interface Keyset {
  territoryId: AnyPgColumn;
  instant: AnyPgColumn;
  id: AnyPgColumn;
  contactPointId: AnyPgColumn;
  /** The condition of a partner filter on this table. */
  organisation: (organisationId: string) => SQL;
}

/**
 * Keyset pages of a table's rows in the period and scope, ordered by (instant, id); the cursor's
 * instant is kept as text (microseconds intact). Each page repeats `instant >= cursor` beside the
 * row comparison, so that the (territory, instant) index starts at the cursor instead of the
 * period's first row. `read` selects the row (with `cursorAt` and `id`) under the conditions given.
 */
async function* keysetPages<T extends { cursorAt: string; id: string }>(
  k: Keyset,
  territoryId: string,
  filter: StatsFilter,
  bounds: Bounds,
  read: (where: SQL | undefined, order: SQL[]) => Promise<T[]>,
): AsyncGenerator<T[]> {
  const where: SQL[] = [
    eq(k.territoryId, territoryId),
    sql`${k.instant} >= ${localStart(bounds.start, bounds.timezone)}`,
    sql`${k.instant} < ${localStart(bounds.end, bounds.timezone)}`,
  ];
  if (filter.contactPointIds) where.push(sql`${k.contactPointId} = ANY(${sql.param(filter.contactPointIds)}::uuid[])`);
  if (filter.organisationId) where.push(k.organisation(filter.organisationId));
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const cursor: SQL | undefined = after
      ? sql`${k.instant} >= ${after.at}::timestamptz AND (${k.instant}, ${k.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
      : undefined;
    const rows = await read(and(...where, cursor), [asc(k.instant), asc(k.id)]);
    if (rows.length) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.cursorAt, id: last.id };
  }
}

async function* visitBatches(
  db: Executor,
  territoryId: string,
  filter: StatsFilter,
  bounds: Bounds,
  lookups: Lookups,
): AsyncGenerator<Row[]> {
  const tz = bounds.timezone;
  const keyset: Keyset = {
    territoryId: visits.territoryId,
    instant: visits.occurredAt,
    id: visits.id,
    contactPointId: visits.contactPointId,
    organisation: (id) => sql`${visits.organisationIds} @> ARRAY[${id}]::uuid[]`,
  };
  const theme = (code: string) => lookups.themes.get(code) ?? code;
  const org = (id: string) => lookups.organisations.get(id) ?? 'Partenaire supprimé';
  for await (const page of keysetPages(keyset, territoryId, filter, bounds, (where, order) =>
    db
      .select({
        id: visits.id,
        cursorAt: sql<string>`${visits.occurredAt}::text`,
        local: localText(visits.occurredAt, tz),
        contactPointId: visits.contactPointId,
        channel: visits.channel,
        organisationIds: visits.organisationIds,
        themeCodes: visits.themeCodes,
        actions: visits.actions,
        autonomy: visits.autonomy,
        durationMinutes: visits.durationMinutes,
        withPerson: sql<boolean>`${visits.personId} IS NOT NULL`,
        corrected: sql<boolean>`${visits.correctedAt} IS NOT NULL`,
        stopCommune: busStops.commune,
        stopPlace: busStops.place,
      })
      .from(visits)
      .leftJoin(busStops, eq(busStops.id, visits.busStopId))
      .where(where)
      .orderBy(...order)
      .limit(EXPORT_BATCH),
  )) {
    yield page.map((v): Row => {
      const [day = null, time = null] = v.local?.split(' ') ?? [];
      const cp = lookups.contactPoints.get(v.contactPointId);
      return [
        day,
        time,
        cp?.name ?? '',
        cp?.commune ?? '',
        VisitChannelLabels[v.channel as VisitChannel] ?? v.channel,
        [...new Set(v.organisationIds)]
          .map(org)
          .sort((a, b) => a.localeCompare(b, 'fr'))
          .join(JOIN),
        [...new Set(v.themeCodes)].map(theme).join(JOIN),
        [...new Set(v.actions)].map((a) => VisitActionLabels[a as VisitAction] ?? a).join(JOIN),
        v.autonomy ? (VisitAutonomyLabels[v.autonomy as VisitAutonomy] ?? v.autonomy) : null,
        v.durationMinutes,
        yesNo(v.withPerson),
        v.stopCommune ? `${v.stopCommune} — ${v.stopPlace}` : null,
        yesNo(v.corrected),
        v.id,
      ];
    });
  }
}

async function* requestBatches(
  db: Executor,
  territoryId: string,
  filter: StatsFilter,
  bounds: Bounds,
  lookups: Lookups,
): AsyncGenerator<Row[]> {
  const tz = bounds.timezone;
  const keyset: Keyset = {
    territoryId: requests.territoryId,
    instant: requests.sentAt,
    id: requests.id,
    contactPointId: requests.contactPointId,
    organisation: (id) => eq(requests.organisationId, id),
  };
  const day = (local: string | null) => local?.split(' ')[0] ?? null;
  for await (const page of keysetPages(keyset, territoryId, filter, bounds, (where, order) =>
    db
      .select({
        id: requests.id,
        cursorAt: sql<string>`${requests.sentAt}::text`,
        reference: requests.reference,
        sent: localText(requests.sentAt, tz),
        contactPointId: requests.contactPointId,
        organisationId: requests.organisationId,
        themeCode: requests.themeCode,
        status: requests.status,
        firstAnswered: localText(requests.firstAnsweredAt, tz),
        firstAnswerTenths: requests.firstAnswerTenths,
        firstAnswerInTime: requests.firstAnswerInTime,
        closed: localText(requests.closedAt, tz),
        usefulness: requests.usefulness,
      })
      .from(requests)
      .where(where)
      .orderBy(...order)
      .limit(EXPORT_BATCH),
  )) {
    yield page.map(
      (r): Row => [
        r.reference,
        day(r.sent),
        lookups.contactPoints.get(r.contactPointId)?.name ?? '',
        lookups.organisations.get(r.organisationId) ?? 'Partenaire supprimé',
        r.themeCode ? (lookups.themes.get(r.themeCode) ?? r.themeCode) : null,
        statusLabel(r.status as RequestStatus, 'agent').label,
        day(r.firstAnswered),
        r.firstAnswerTenths === null ? null : r.firstAnswerTenths / 10,
        r.firstAnswerInTime === null ? null : yesNo(r.firstAnswerInTime),
        day(r.closed),
        r.usefulness ? UsefulnessLabels[r.usefulness as UsefulnessRating] : null,
      ],
    );
  }
}
