import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DeadlineView } from '../../../contracts/requests.ts';
import type { Executor } from '../../db/client.ts';
import { holidayZoneOf } from '../../platform/calendar/holidays.ts';
import { partnerOrganisations, territories } from '../network/network.schema.ts';
import { type ClockEvent, type DeadlineState, deadlineState, type WorkCalendar } from './deadline.ts';
import type { Party, RequestRow } from './parties.ts';
import { partnerRequestSettings, requestEvents, requests } from './requests.schema.ts';

/**
 * The request's log. Every change appends an event; an event that affects the answer clock
 * carries it in `data.clock` (start with its allowance and the calendar in force, pause, resume,
 * stop, calendar change), so the deadline is recomputed from the log alone and a later change of
 * the organisation's calendar never rewrites time already elapsed. `requests.due_at` is derived
 * from the log in the same transaction, for sorting and the reminder sweep only.
 */
export type ClockEffect =
  | { kind: 'start'; days: number; calendar: WorkCalendar }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' }
  | { kind: 'calendar'; calendar: WorkCalendar };

export interface RequestSettings {
  firstAnswerDays: number;
  followUpDays: number;
  themeDays: Record<string, number>;
  requiredIdentifiers: string[];
  businessHours: string | null;
}

export const DEFAULT_SETTINGS: RequestSettings = {
  firstAnswerDays: 4,
  followUpDays: 4,
  themeDays: {},
  requiredIdentifiers: [],
  businessHours: null,
};

export async function settingsOf(db: Executor, organisationId: string): Promise<RequestSettings> {
  const [row] = await db.select().from(partnerRequestSettings).where(eq(partnerRequestSettings.organisationId, organisationId));
  return row
    ? {
        firstAnswerDays: row.firstAnswerDays,
        followUpDays: row.followUpDays,
        themeDays: row.themeDays,
        requiredIdentifiers: row.requiredIdentifiers,
        businessHours: row.businessHours,
      }
    : DEFAULT_SETTINGS;
}

/** The working calendar of an organisation in its territory: holiday zone of the département, time zone, business hours. */
export async function calendarOf(db: Executor, organisationId: string): Promise<{ calendar: WorkCalendar; settings: RequestSettings }> {
  const [row] = await db
    .select({ departmentCode: territories.departmentCode, timezone: territories.timezone })
    .from(partnerOrganisations)
    .innerJoin(territories, eq(territories.id, partnerOrganisations.territoryId))
    .where(eq(partnerOrganisations.id, organisationId));
  const settings = await settingsOf(db, organisationId);
  return {
    settings,
    calendar: {
      zone: holidayZoneOf(row?.departmentCode ?? '75'),
      timeZone: row?.timezone ?? 'Europe/Paris',
      businessHours: settings.businessHours,
    },
  };
}

export interface NewEvent {
  kind: string;
  party: Pick<Party, 'side' | 'userId' | 'tokenId' | 'organisationId'> | 'system';
  messageId?: string | null;
  data?: Record<string, unknown>;
  clock?: ClockEffect;
}

const SYSTEM = { side: 'system', userId: null, tokenId: null, organisationId: null } as const;

/**
 * Appends one event, recomputes the deadline from the log and applies `changes` to the request
 * (status, assignee…), bumping its version. Runs in the caller's transaction, which has locked the row.
 */
export async function appendEvent(
  tx: Executor,
  req: RequestRow,
  event: NewEvent,
  now: Date,
  changes: Partial<typeof requests.$inferInsert> = {},
): Promise<RequestRow> {
  const who = event.party === 'system' ? SYSTEM : event.party;
  const data = { ...(event.data ?? {}), ...(event.clock ? { clock: event.clock } : {}) };
  const [inserted] = await tx
    .insert(requestEvents)
    .values({
      requestId: req.id,
      territoryId: req.territoryId,
      at: now,
      kind: event.kind,
      actorUserId: who.userId,
      actorTokenId: who.tokenId,
      side: who.side,
      organisationId: who.organisationId,
      messageId: event.messageId ?? null,
      data,
    })
    .returning({ id: requestEvents.id });
  let dueAt = req.dueAt;
  if (event.clock) dueAt = deadlineState(await clockEventsOf(tx, req.id), now).dueAt;
  const [updated] = await tx
    .update(requests)
    .set({ ...changes, dueAt, version: sql`${requests.version} + 1`, updatedAt: now })
    .where(eq(requests.id, req.id))
    .returning();
  return Object.assign(updated as RequestRow, { lastEventId: inserted!.id });
}

function toClockEvent(at: Date, effect: ClockEffect): ClockEvent {
  switch (effect.kind) {
    case 'start':
      return { kind: 'start', at, days: effect.days, calendar: effect.calendar };
    case 'calendar':
      return { kind: 'calendar', at, calendar: effect.calendar };
    default:
      return { kind: effect.kind, at };
  }
}

/** The clock events of one request, in log order. */
export async function clockEventsOf(db: Executor, requestId: string): Promise<ClockEvent[]> {
  return (await clockEventsOfMany(db, [requestId])).get(requestId) ?? [];
}

/** The clock events of many requests (a page of a list, the sweep), in one query. */
export async function clockEventsOfMany(db: Executor, requestIds: string[]): Promise<Map<string, ClockEvent[]>> {
  const result = new Map<string, ClockEvent[]>();
  if (!requestIds.length) return result;
  const rows = await db
    .select({ requestId: requestEvents.requestId, at: requestEvents.at, clock: sql<ClockEffect>`${requestEvents.data}->'clock'` })
    .from(requestEvents)
    .where(and(inArray(requestEvents.requestId, requestIds), sql`${requestEvents.data} ? 'clock'`))
    .orderBy(asc(requestEvents.requestId), asc(requestEvents.id));
  for (const row of rows) {
    const list = result.get(row.requestId) ?? [];
    list.push(toClockEvent(row.at, row.clock));
    result.set(row.requestId, list);
  }
  return result;
}

export function deadlineView(state: DeadlineState): DeadlineView {
  const perDay = state.days ? state.allowedMinutes / state.days : 0;
  const hasClock = state.days !== null && (state.running || state.paused);
  return {
    level: state.level,
    running: state.running,
    paused: state.paused,
    days: state.days,
    fraction: Math.round(state.fraction * 1000) / 1000,
    dueAt: state.dueAt?.toISOString() ?? null,
    workingDaysLeft: hasClock && perDay > 0 ? Math.floor((state.allowedMinutes - state.elapsedMinutes) / perDay) : null,
  };
}
