import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only security journal; a trigger (migration 0002) refuses UPDATE, DELETE and TRUNCATE. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    territoryId: uuid(),
    actorUserId: uuid(),
    actorTokenId: uuid(),
    type: text().notNull(),
    targetType: text(),
    targetId: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: text(),
    requestId: text(),
  },
  (t) => [
    index('audit_events_territory_time').on(t.territoryId, t.occurredAt),
    index('audit_events_actor').on(t.actorUserId),
    index('audit_events_target').on(t.targetType, t.targetId, t.occurredAt),
  ],
);
