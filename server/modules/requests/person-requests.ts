import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { requestEvents, requestMessages, requests } from './requests.schema.ts';

/**
 * What the people module asks of the requests about a person: the survivor of a merge takes them,
 * the export for an access request lists them, the file's history shows their main events.
 * (Erasure and retention: `wipe.ts`.)
 */

/** A merge: the survivor takes the duplicate's requests. Returns how many moved. */
export async function moveRequestsToPerson(tx: Executor, fromPersonId: string, toPersonId: string): Promise<number> {
  const moved = await tx
    .update(requests)
    .set({ personId: toPersonId })
    .where(eq(requests.personId, fromPersonId))
    .returning({ id: requests.id });
  return moved.length;
}

export interface ExportedRequest {
  reference: string;
  organisation: string;
  contactPoint: string;
  subject: string;
  description: string;
  status: string;
  sentAt: string | null;
  firstAnsweredAt: string | null;
  closedAt: string | null;
  /** The identifiers given to the organisation, by kind. */
  identifiers: Record<string, string>;
  /** The conversation, without the organisation's internal notes. */
  messages: { at: string; side: 'agent' | 'partner'; kind: string; body: string }[];
}

/** The requests about these files for the person's access request (RGPD art. 15), oldest first. */
export async function requestsForExport(db: Executor, secretBox: SecretBox, personIds: string[]): Promise<ExportedRequest[]> {
  if (!personIds.length) return [];
  const rows = await db
    .select({ r: requests, organisation: partnerOrganisations.name, contactPoint: contactPoints.name })
    .from(requests)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, requests.organisationId))
    .innerJoin(contactPoints, eq(contactPoints.id, requests.contactPointId))
    .where(inArray(requests.personId, personIds))
    .orderBy(asc(requests.createdAt));
  const messages = rows.length
    ? await db
        .select()
        .from(requestMessages)
        .where(
          and(
            inArray(
              requestMessages.requestId,
              rows.map((row) => row.r.id),
            ),
            eq(requestMessages.internal, false),
          ),
        )
        .orderBy(asc(requestMessages.createdAt))
    : [];
  return rows.map(({ r, organisation, contactPoint }) => ({
    reference: r.reference,
    organisation,
    contactPoint,
    subject: r.subject,
    description: r.description,
    status: r.status,
    sentAt: r.sentAt?.toISOString() ?? null,
    firstAnsweredAt: r.firstAnsweredAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    identifiers: r.identifiersSealed ? (JSON.parse(secretBox.open(r.identifiersSealed)) as Record<string, string>) : {},
    messages: messages
      .filter((m) => m.requestId === r.id)
      .map((m) => ({ at: m.createdAt.toISOString(), side: m.side as 'agent' | 'partner', kind: m.kind, body: m.body })),
  }));
}

/** The event kinds of a request that the person's history shows, by history kind. */
export const REQUEST_HISTORY_EVENTS = {
  request_sent: ['created', 'rerouted'],
  request_answered: ['answered'],
  request_closed: ['closed'],
} as const;

/** For history entries (request event ids): the request, its reference and the organisation concerned by the event. */
export async function requestHistoryDetails(db: Executor, eventIds: number[]) {
  if (!eventIds.length) return new Map<number, { id: string; reference: string; organisation: { id: string; name: string } }>();
  const rows = await db
    .select({
      eventId: requestEvents.id,
      kind: requestEvents.kind,
      data: requestEvents.data,
      requestId: requests.id,
      reference: requests.reference,
      currentOrganisationId: requests.organisationId,
    })
    .from(requestEvents)
    .innerJoin(requests, eq(requests.id, requestEvents.requestId))
    .where(inArray(requestEvents.id, eventIds));
  // Sent to: the organisation of the creation or of the re-route; otherwise the one it is addressed to.
  const organisationOf = (r: (typeof rows)[number]) =>
    (r.kind === 'created' && typeof r.data.organisationId === 'string' && r.data.organisationId) ||
    (r.kind === 'rerouted' && typeof r.data.to === 'string' && r.data.to) ||
    r.currentOrganisationId;
  const orgIds = [...new Set(rows.map(organisationOf))];
  const names = new Map(
    (
      await db
        .select({ id: partnerOrganisations.id, name: partnerOrganisations.name })
        .from(partnerOrganisations)
        .where(inArray(partnerOrganisations.id, orgIds))
    ).map((o) => [o.id, o.name]),
  );
  return new Map(
    rows.map((r) => {
      const organisationId = organisationOf(r);
      return [
        r.eventId,
        { id: r.requestId, reference: r.reference, organisation: { id: organisationId, name: names.get(organisationId) ?? 'Organisme' } },
      ];
    }),
  );
}
