import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import {
  type BusStopsQuery,
  type CreateBusSeriesBody,
  type CreateBusStopBody,
  type UpdateBusStopBody,
  Weekdays,
} from '../../../contracts/partners.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit, valuesBefore } from '../../platform/audit.ts';
import { type Actor, authorize } from '../../platform/authorize.ts';
import { holidayZoneOf, publicHolidays } from '../../platform/calendar/holidays.ts';
import { addDays, fromWallClock, parseIsoDate, toWallClock, weekdayIndex } from '../../platform/calendar/zoned-time.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { busStops, contactPoints } from './network.schema.ts';
import { territoryOf } from './territory.ts';

type BusStop = typeof busStops.$inferSelect;
type Query = import('zod').infer<typeof BusStopsQuery>;

/** Kinds of contact points whose hours are dated stops rather than a weekly schedule. */
export const MOBILE_KINDS = ['bus', 'antenne'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** The instant of a local date and HH:MM time in the territory's time zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromWallClock({ ...parseIsoDate(date), hour, minute }, timeZone);
}

function localParts(instant: Date, timeZone: string) {
  const w = toWallClock(instant, timeZone);
  return { date: `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

export function busStopView(row: BusStop, timeZone: string) {
  const start = localParts(row.startsAt, timeZone);
  const end = localParts(row.endsAt, timeZone);
  return {
    id: row.id,
    contactPointId: row.contactPointId,
    commune: row.commune,
    inseeCode: row.inseeCode,
    place: row.place,
    latitude: row.latitude,
    longitude: row.longitude,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    note: row.note,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
  };
}

/** The contact point, which must be a bus or an antenna (their hours are their stops). */
async function mobileContactPoint(db: Executor, territoryId: string, id: string) {
  const [row] = await db
    .select({ id: contactPoints.id, kind: contactPoints.kind, name: contactPoints.name })
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), eq(contactPoints.id, id)));
  if (!row) throw notFound('Ce lieu d’accueil');
  if (!(MOBILE_KINDS as readonly string[]).includes(row.kind))
    throw conflict(
      'CONTACT_POINT_NOT_MOBILE',
      'Les arrêts ne concernent que les bus itinérants et les antennes : ce lieu d’accueil a des horaires fixes.',
    );
  return row;
}

export async function listBusStops(ctx: AppContext, actor: Actor, territoryId: string, contactPointId: string, query: Query) {
  authorize(actor, 'territory.read', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  await mobileContactPoint(ctx.db, territoryId, contactPointId);
  const tz = territory.timezone;
  const conditions: SQL[] = [eq(busStops.territoryId, territoryId), eq(busStops.contactPointId, contactPointId)];
  const past = query.period === 'past';
  if (query.from) conditions.push(gte(busStops.endsAt, zonedInstant(query.from, '00:00', tz)));
  else if (!past) conditions.push(gte(busStops.endsAt, ctx.clock.now()));
  if (query.to) conditions.push(lt(busStops.startsAt, zonedInstant(addDays(query.to, 1), '00:00', tz)));
  else if (past) conditions.push(lt(busStops.endsAt, ctx.clock.now()));
  const rows = await ctx.db
    .select()
    .from(busStops)
    .where(and(...conditions))
    .orderBy(past ? desc(busStops.startsAt) : asc(busStops.startsAt), asc(busStops.id))
    .limit(500);
  return rows.map((r) => busStopView(r, tz));
}

const whereOf = (input: CreateBusStopBody | CreateBusSeriesBody) => ({
  commune: input.commune,
  inseeCode: input.inseeCode,
  place: input.place,
  latitude: input.latitude ?? null,
  longitude: input.longitude ?? null,
  note: input.note ?? null,
});

export async function createBusStop(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  contactPointId: string,
  input: CreateBusStopBody,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  await mobileContactPoint(ctx.db, territoryId, contactPointId);
  const tz = territory.timezone;
  const values = {
    territoryId,
    contactPointId,
    ...whereOf(input),
    startsAt: zonedInstant(input.date, input.startTime, tz),
    endsAt: zonedInstant(input.date, input.endTime, tz),
  };
  if (values.endsAt <= values.startsAt) throw intervalInvalid();
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx.insert(busStops).values(values).returning();
    await recordAudit(tx, audit, {
      type: 'bus_stop.created',
      territoryId,
      targetType: 'bus_stop',
      targetId: created!.id,
      data: { contactPointId, after: input },
    });
    return created!;
  });
  return busStopView(row, tz);
}

const intervalInvalid = () =>
  invalid('BUS_STOP_INTERVAL_INVALID', 'L’heure de fin de l’arrêt doit suivre son heure de début.', [
    { path: 'body.endTime', message: 'l’heure de fin doit suivre l’heure de début' },
  ]);

/** The dates of a weekly series, with the public holidays left out when asked. */
export function seriesDates(input: Pick<CreateBusSeriesBody, 'from' | 'to' | 'weekday' | 'skipHolidays'>, departmentCode: string) {
  const target = Weekdays.indexOf(input.weekday);
  const zone = holidayZoneOf(departmentCode);
  const holidays = new Map<string, string>();
  for (let year = Number(input.from.slice(0, 4)); year <= Number(input.to.slice(0, 4)); year++)
    for (const h of publicHolidays(year, zone)) holidays.set(h.date, h.name);
  const dates: string[] = [];
  const skipped: { date: string; reason: string }[] = [];
  let date = addDays(input.from, (target - weekdayIndex(input.from) + 7) % 7);
  while (date <= input.to) {
    const holiday = holidays.get(date);
    if (holiday && input.skipHolidays !== false) skipped.push({ date, reason: `jour férié : ${holiday}` });
    else dates.push(date);
    date = addDays(date, 7);
  }
  return { dates, skipped };
}

export async function createBusSeries(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  contactPointId: string,
  input: CreateBusSeriesBody,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  await mobileContactPoint(ctx.db, territoryId, contactPointId);
  const tz = territory.timezone;
  const { dates, skipped } = seriesDates(input, territory.departmentCode);
  if (!dates.length)
    throw invalid('BUS_SERIES_EMPTY', 'Aucune date ne correspond à ce jour de la semaine entre ces deux dates.', [
      { path: 'body.weekday', message: 'aucune date dans la période' },
    ]);
  const values = dates.map((date) => ({
    territoryId,
    contactPointId,
    ...whereOf(input),
    startsAt: zonedInstant(date, input.startTime, tz),
    endsAt: zonedInstant(date, input.endTime, tz),
  }));
  if (values.some((v) => v.endsAt <= v.startsAt)) throw intervalInvalid();
  const rows = await ctx.db.transaction(async (tx) => {
    const created = await tx.insert(busStops).values(values).returning();
    await recordAudit(tx, audit, {
      type: 'bus_stop.series_created',
      territoryId,
      targetType: 'contact_point',
      targetId: contactPointId,
      data: { after: input, dates, skipped, stopIds: created.map((c) => c.id) },
    });
    return created;
  });
  rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return { created: rows.map((r) => busStopView(r, tz)), skipped };
}

async function findStop(db: Executor, territoryId: string, id: string) {
  const [row] = await db
    .select()
    .from(busStops)
    .where(and(eq(busStops.territoryId, territoryId), eq(busStops.id, id)));
  if (!row) throw notFound('Cet arrêt');
  return row;
}

export async function getBusStop(ctx: AppContext, actor: Actor, territoryId: string, id: string) {
  authorize(actor, 'territory.read', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  return busStopView(await findStop(ctx.db, territoryId, id), territory.timezone);
}

export async function updateBusStop(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  id: string,
  input: UpdateBusStopBody,
  audit: AuditContext,
) {
  authorize(actor, 'network.write', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const tz = territory.timezone;
  const before = await findStop(ctx.db, territoryId, id);
  if (before.cancelledAt) throw conflict('BUS_STOP_CANCELLED', 'Cet arrêt est annulé : il ne peut plus être modifié.');
  const current = busStopView(before, tz);
  const { date = current.date, startTime = current.startTime, endTime = current.endTime, ...where } = input;
  const startsAt = zonedInstant(date, startTime, tz);
  const endsAt = zonedInstant(date, endTime, tz);
  if (endsAt <= startsAt) throw intervalInvalid();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(busStops)
      .set({ ...where, startsAt, endsAt })
      .where(and(eq(busStops.territoryId, territoryId), eq(busStops.id, id)))
      .returning();
    await recordAudit(tx, audit, {
      type: 'bus_stop.updated',
      territoryId,
      targetType: 'bus_stop',
      targetId: id,
      data: {
        contactPointId: before.contactPointId,
        before: valuesBefore(current, input),
        after: input,
      },
    });
    return updated!;
  });
  return busStopView(row, tz);
}

export async function cancelBusStop(ctx: AppContext, actor: Actor, territoryId: string, id: string, audit: AuditContext) {
  authorize(actor, 'network.write', { territoryId });
  const territory = await territoryOf(ctx.db, territoryId);
  const before = await findStop(ctx.db, territoryId, id);
  if (before.cancelledAt) throw conflict('BUS_STOP_CANCELLED', 'Cet arrêt est déjà annulé.');
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(busStops)
      .set({ cancelledAt: now })
      .where(and(eq(busStops.territoryId, territoryId), eq(busStops.id, id)))
      .returning();
    await recordAudit(tx, audit, {
      type: 'bus_stop.cancelled',
      territoryId,
      targetType: 'bus_stop',
      targetId: id,
      data: { contactPointId: before.contactPointId, before: { cancelledAt: null }, after: { cancelledAt: now.toISOString() } },
    });
    return updated!;
  });
  return busStopView(row, territory.timezone);
}
