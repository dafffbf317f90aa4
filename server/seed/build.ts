import { inArray } from 'drizzle-orm';
import { catalogueEntry } from '../../contracts/partner-catalogue.ts';
import type { Executor } from '../db/client.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import {
  busStops,
  contactPointPartners,
  contactPoints,
  partnerOrganisations,
  partnerReferents,
  territories,
} from '../modules/network/network.schema.ts';
import { holidayZoneOf } from '../platform/calendar/holidays.ts';
import { busStopsOf } from './bus-schedule.ts';
import type { SeedTerritory } from './model.ts';

/** How many weeks of bus stops the demo schedules from the seed date. */
export const BUS_WEEKS = 8;

export interface BuiltTerritory {
  territoryId: string;
  contactPointIds: Map<string, string>;
  /** Organisation ids by catalogue code. */
  organisationIds: Map<string, string>;
}

/**
 * Inserts a described territory: contact points, partners from the national catalogue with their
 * referents, the partners served at each place, the agents (all with `passwordHash`) and the
 * dated bus stops from `now` on. Run inside the caller's transaction.
 */
export async function buildTerritory(
  tx: Executor,
  seed: SeedTerritory,
  options: { now: Date; passwordHash: string },
): Promise<BuiltTerritory> {
  const [territory] = await tx
    .insert(territories)
    .values({
      slug: seed.slug,
      name: seed.name,
      departmentCode: seed.departmentCode,
      regionCode: seed.regionCode,
      timezone: seed.timezone,
    })
    .returning({ id: territories.id });
  const territoryId = territory!.id;

  const cpRows = await tx
    .insert(contactPoints)
    .values(
      seed.contactPoints.map(({ partners: _p, agents: _a, ...cp }) => ({
        territoryId,
        ...cp,
        matricule: cp.matricule ?? null,
        labelDate: cp.labelDate ?? null,
        website: cp.website ?? null,
        source: 'manual' as const,
      })),
    )
    .returning({ id: contactPoints.id, name: contactPoints.name });
  const contactPointIds = new Map(cpRows.map((r) => [r.name, r.id]));

  const orgRows = await tx
    .insert(partnerOrganisations)
    .values(
      seed.partners.map((p) => {
        const entry = catalogueEntry(p.code);
        if (!entry) throw new Error(`démo : partenaire ${p.code} absent du catalogue national`);
        return {
          territoryId,
          name: p.name,
          acronym: p.acronym,
          nationalCode: p.code,
          description: `${entry.description} ${p.localDescription}`,
          website: p.website ?? null,
          phone: p.phone,
          email: p.email,
          themes: [...entry.themes],
          procedures: [...entry.procedures],
          links: entry.links.map((l) => ({ ...l })),
        };
      }),
    )
    .returning({ id: partnerOrganisations.id, code: partnerOrganisations.nationalCode });
  const organisationIds = new Map(orgRows.map((r) => [r.code!, r.id]));
  const orgId = (code: string) => {
    const id = organisationIds.get(code);
    if (!id) throw new Error(`démo : partenaire ${code} servi mais non décrit dans ${seed.slug}`);
    return id;
  };

  await tx
    .insert(partnerReferents)
    .values(seed.partners.flatMap((p) => p.referents.map((r) => ({ territoryId, organisationId: orgId(p.code), ...r }))));

  await tx.insert(contactPointPartners).values(
    seed.contactPoints.flatMap((cp) =>
      cp.partners.map((p) => ({
        territoryId,
        contactPointId: contactPointIds.get(cp.name)!,
        organisationId: orgId(p.code),
        note: p.note ?? null,
      })),
    ),
  );

  const agents = seed.contactPoints.flatMap((cp) => cp.agents.map((a) => ({ ...a, contactPointId: contactPointIds.get(cp.name)! })));
  if (agents.length) {
    await tx
      .insert(users)
      .values(agents.map((a) => ({ email: a.email, displayName: a.displayName, passwordHash: options.passwordHash })))
      .onConflictDoNothing({ target: users.email });
    const userIds = new Map(
      (
        await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(
            inArray(
              users.email,
              agents.map((a) => a.email),
            ),
          )
      ).map((u) => [u.email, u.id]),
    );
    await tx
      .insert(memberships)
      .values(
        agents.map((a) => ({ userId: userIds.get(a.email)!, territoryId, role: 'agent' as const, contactPointId: a.contactPointId })),
      );
  }

  const holidayZone = holidayZoneOf(seed.departmentCode);
  for (const round of seed.busRounds) {
    const contactPointId = contactPointIds.get(round.contactPoint);
    if (!contactPointId) throw new Error(`démo : bus ${round.contactPoint} inconnu`);
    const stops = busStopsOf(round, { now: options.now, timezone: seed.timezone, holidayZone, weeks: BUS_WEEKS });
    if (!stops.length) continue;
    await tx.insert(busStops).values(
      stops.map((s, i) => ({
        territoryId,
        contactPointId,
        ...s,
        // One cancelled stop, as it happens (and so the schedule shows what a cancellation looks like).
        ...(round.cancelledStop === i ? { cancelledAt: options.now, note: 'Annulé : bus en maintenance' } : {}),
      })),
    );
  }

  return { territoryId, contactPointIds, organisationIds };
}
