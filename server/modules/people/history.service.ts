import { inArray, sql } from 'drizzle-orm';
import type { HistoryItem, HistoryKind, HistoryPage, HistoryQuery } from '../../../contracts/people-lifecycle.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { invalid } from '../../platform/errors.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { REQUEST_HISTORY_EVENTS, requestHistoryDetails } from '../requests/person-requests.ts';
import { visits } from '../visits/visits.schema.ts';
import { mandates } from './people.schema.ts';
import { findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';

interface Entry {
  kind: HistoryKind;
  at: Date;
  key: string;
  ref: string;
}

const encodeCursor = (e: Entry) => Buffer.from(`${e.at.toISOString()}|${e.key}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; key: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const at = text.slice(0, bar);
  const key = text.slice(bar + 1);
  if (bar < 0 || Number.isNaN(new Date(at).getTime()) || !/^[a-z_]+:([0-9a-f-]{36}|[0-9]{1,18})$/.test(key))
    throw invalid('INVALID_CURSOR', 'Curseur de pagination invalide : reprenez l’historique depuis le début.');
  return { at, key };
}

/** The request events shown in the history, and the history kind of each (from the requests module). */
const requestEventKinds = Object.values(REQUEST_HISTORY_EVENTS).flat();
const requestKind = sql.raw(
  `case e.kind ${Object.entries(REQUEST_HISTORY_EVENTS)
    .flatMap(([kind, events]) => events.map((event) => `when '${event}' then '${kind}'`))
    .join(' ')} end`,
);

/**
 * Every dated event of a file as one relation (kind, at, key, ref), newest first. Merged files gave
 * their visits, consents, mandates and requests to the survivor, so they are already under its id;
 * the merge itself is an entry. A request shows as sent (created or re-routed), answered, closed.
 * Times are cut to the millisecond so a cursor (a JavaScript date) matches.
 */
function timeline(personId: string, now: Date) {
  const ms = (col: string) => `date_trunc('milliseconds', ${col})`;
  return sql`
    select kind, at, key, ref from (
      select 'visit' as kind, ${sql.raw(ms('occurred_at'))} as at, 'visit:' || id as key, id::text as ref from visits where person_id = ${personId}
      union all
      select case when renewed_from_id is null then 'mandate_given' else 'mandate_renewed' end, ${sql.raw(ms('consent_at'))}, 'mandate_given:' || id, id::text from mandates where person_id = ${personId}
      union all
      select 'mandate_revoked', ${sql.raw(ms('revoked_at'))}, 'mandate_revoked:' || id, id::text from mandates where person_id = ${personId} and revoked_at is not null
      union all
      select 'mandate_expired', ${sql.raw(ms('ends_at'))}, 'mandate_expired:' || id, id::text from mandates
        where person_id = ${personId} and revoked_at is null and ends_at <= ${now.toISOString()}::timestamptz
      union all
      select 'consent_given', ${sql.raw(ms('given_at'))}, 'consent_given:' || id, id::text from person_consents where person_id = ${personId}
      union all
      select 'consent_withdrawn', ${sql.raw(ms('withdrawn_at'))}, 'consent_withdrawn:' || id, id::text from person_consents where person_id = ${personId} and withdrawn_at is not null
      union all
      select 'informed', ${sql.raw(ms('informed_at'))}, 'informed:' || id, informed_how from people where id = ${personId} and informed_at is not null
      union all
      select 'merged', ${sql.raw(ms('merged_at'))}, 'merged:' || id, id::text from people where merged_into_id = ${personId} and merged_at is not null
      union all
      select ${requestKind}, ${sql.raw(ms('e.at'))}, ${requestKind} || ':' || e.id, e.id::text
        from request_events e join requests r on r.id = e.request_id
        where r.person_id = ${personId} and e.kind in (${sql.join(
          requestEventKinds.map((k) => sql`${k}`),
          sql`, `,
        )})
    ) h`;
}

const empty = { contactPoint: null, visit: null, mandate: null, organisation: null, how: null, mergedPersonId: null, request: null };

/** One page of a file's history, newest first (keyset paging); journaled as a read of the file from `screen`. */
export async function history(ctx: AppContext, actor: Actor, territoryId: string, id: string, q: HistoryQuery, audit: AuditContext) {
  const access = peopleAccess(actor, territoryId);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  return ctx.db.transaction(async (tx): Promise<HistoryPage> => {
    await findVisible(tx, access, id);
    await recordAudit(tx, audit, {
      type: 'person.read',
      territoryId,
      targetType: 'person',
      targetId: id,
      data: { screen: q.screen ?? 'historique' },
    });
    const where = after ? sql`where (h.at, h.key) < (${after.at}::timestamptz, ${after.key}::text)` : sql``;
    const result = await tx.execute(sql`${timeline(id, ctx.clock.now())} ${where} order by h.at desc, h.key desc limit ${q.limit + 1}`);
    const rows = (result.rows as { kind: HistoryKind; at: Date | string; key: string; ref: string }[]).map((r) => ({
      ...r,
      at: new Date(r.at),
    }));
    const page = rows.slice(0, q.limit);
    return { items: await describe(tx, page), nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1) as Entry) : null };
  });
}

/** The details of a page of entries: a few lookups by id, not one per entry. */
async function describe(db: Parameters<typeof findVisible>[0], page: Entry[]): Promise<HistoryItem[]> {
  const refs = (...kinds: HistoryKind[]) => [...new Set(page.filter((e) => kinds.includes(e.kind)).map((e) => e.ref))];
  const visitIds = refs('visit');
  const mandateIds = refs('mandate_given', 'mandate_renewed', 'mandate_revoked', 'mandate_expired');
  const consentIds = refs('consent_given', 'consent_withdrawn');
  const requestById = await requestHistoryDetails(db, refs('request_sent', 'request_answered', 'request_closed').map(Number));
  const visitRows = visitIds.length
    ? await db
        .select({ visit: visits, contactPointName: contactPoints.name })
        .from(visits)
        .innerJoin(contactPoints, sql`${contactPoints.id} = ${visits.contactPointId}`)
        .where(inArray(visits.id, visitIds))
    : [];
  const mandateRows = mandateIds.length
    ? await db
        .select({ mandate: mandates, contactPointName: contactPoints.name })
        .from(mandates)
        .innerJoin(contactPoints, sql`${contactPoints.id} = ${mandates.contactPointId}`)
        .where(inArray(mandates.id, mandateIds))
    : [];
  const consentRows = consentIds.length
    ? ((
        await db.execute(
          sql`select c.id, o.id as "organisationId", o.name from person_consents c join partner_organisations o on o.id = c.organisation_id where ${inArray(sql`c.id`, consentIds)}`,
        )
      ).rows as { id: string; organisationId: string; name: string }[])
    : [];
  const orgIds = [...new Set(visitRows.flatMap((r) => r.visit.organisationIds))];
  const orgNames = new Map(
    (orgIds.length
      ? await db
          .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
          .from(partnerOrganisations)
          .where(inArray(partnerOrganisations.id, orgIds))
      : []
    ).map((o) => [o.id, o.name]),
  );
  const visitById = new Map(visitRows.map((r) => [r.visit.id, r]));
  const mandateById = new Map(mandateRows.map((r) => [r.mandate.id, r]));
  const consentById = new Map(consentRows.map((r) => [r.id, r]));
  return page.map((e): HistoryItem => {
    const base = { ...empty, key: e.key, kind: e.kind, at: e.at.toISOString() };
    if (e.kind === 'visit') {
      const r = visitById.get(e.ref);
      if (!r) return base;
      const v = r.visit;
      return {
        ...base,
        contactPoint: { id: v.contactPointId, name: r.contactPointName },
        visit: {
          id: v.id,
          channel: v.channel,
          organisations: v.organisationIds.map((o) => ({ id: o, name: orgNames.get(o) ?? 'Partenaire' })),
          themeCodes: v.themeCodes,
          actions: v.actions,
          mandateId: v.mandateId,
        },
      };
    }
    if (e.kind === 'consent_given' || e.kind === 'consent_withdrawn') {
      const c = consentById.get(e.ref);
      return { ...base, organisation: c ? { id: c.organisationId, name: c.name } : null };
    }
    if (e.kind === 'informed') return { ...base, how: e.ref };
    if (e.kind === 'merged') return { ...base, mergedPersonId: e.ref };
    if (e.kind === 'request_sent' || e.kind === 'request_answered' || e.kind === 'request_closed') {
      const r = requestById.get(Number(e.ref));
      return r ? { ...base, organisation: r.organisation, request: { id: r.id, reference: r.reference } } : base;
    }
    const r = mandateById.get(e.ref);
    if (!r) return base;
    const m = r.mandate;
    return {
      ...base,
      contactPoint: { id: m.contactPointId, name: r.contactPointName },
      mandate: {
        id: m.id,
        startsAt: m.startsAt.toISOString(),
        endsAt: m.endsAt.toISOString(),
        consentMethod: m.consentMethod,
        revokedReason: m.revokedReason,
      },
    };
  });
}
