import { and, count, eq, inArray, like, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import { contactPoints, partnerOrganisations, partnerReferents, territories } from '../modules/network/network.schema.ts';
import { normaliseName } from '../modules/people/identifiers.ts';
import { mandates, people, personContactPoints } from '../modules/people/people.schema.ts';
import { uploadAttachment } from '../modules/requests/attachments.service.ts';
import { workingDaysElapsed } from '../modules/requests/deadline.ts';
import { calendarOf } from '../modules/requests/log.ts';
import { requests } from '../modules/requests/requests.schema.ts';
import {
  closeRequest,
  createRequest,
  postMessage,
  rateRequest,
  rerouteRequest,
  takeRequest,
} from '../modules/requests/requests.service.ts';
import { activeThemeCodes } from '../modules/visits/taxonomy.service.ts';
import type { Membership, UserActor } from '../platform/authorize.ts';
import { isWorkingDay } from '../platform/calendar/holidays.ts';
import { addDays, fromWallClock, localDate, parseIsoDate } from '../platform/calendar/zoned-time.ts';
import { tinyPdf } from './demo-pdf.ts';
import { PERCHE } from './perche.ts';
import { DEMO_PARTNER_ACCOUNTS, DEMO_REQUESTS, REQUEST_PEOPLE, type When } from './requests-story.ts';

/**
 * The demo's requests (saisines) in the Perche: about twenty, from its contact points to the CAF,
 * the CPAM, the CARSAT, the MSA, France Travail, the DGFiP and the ANTS, in every status. They are
 * made through the service functions with the demo agents and referents as actors, on a clock set
 * to each step's date (working days before `now`), so the log, the deadlines and the notifications
 * are those the app would have made. Idempotent: each creation carries an Idempotency-Key
 * (`demo-rNN`); a request already there is left as it is.
 */

/** Serialises the creation of the demo people (several app nodes starting together). */
const PEOPLE_LOCK = 7_242_020;

type Clockable = AppContext & { clock: { now(): Date } };

/**
 * The instant `wd` working days before `now` at the local time `hhmm`. Today's steps are placed in
 * the half hour before `now` instead, in the order of their times, so none is in the future.
 */
function dayAt(now: Date, timeZone: string, zone: Parameters<typeof isWorkingDay>[1], wd: number, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  if (wd === 0) return new Date(now.getTime() - (24 * 60 - (hour * 60 + minute)) * 2_000);
  let date = localDate(now, timeZone);
  for (let left = wd; left > 0; ) {
    date = addDays(date, -1);
    if (isWorkingDay(date, zone)) left--;
  }
  return fromWallClock({ ...parseIsoDate(date), hour, minute, second: 0, millisecond: 0 }, timeZone);
}

async function ensurePartnerAccounts(ctx: AppContext, territoryId: string, hashed: () => Promise<string>) {
  const emails = DEMO_PARTNER_ACCOUNTS.map((a) => a.email);
  const present = await ctx.db
    .select({ email: users.email })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.territoryId, territoryId)))
    .where(inArray(users.email, emails));
  if (present.length === emails.length) return;
  const passwordHash = await hashed();
  await ctx.db.transaction(async (tx) => {
    const orgs = await tx
      .select({ id: partnerOrganisations.id, code: partnerOrganisations.nationalCode })
      .from(partnerOrganisations)
      .where(eq(partnerOrganisations.territoryId, territoryId));
    for (const a of DEMO_PARTNER_ACCOUNTS) {
      const organisationId = orgs.find((o) => o.code === a.code)?.id;
      if (!organisationId) throw new Error(`démo : partenaire ${a.code} absent du Perche`);
      await tx
        .insert(users)
        .values({ email: a.email, displayName: a.displayName, passwordHash })
        .onConflictDoNothing({ target: users.email });
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, a.email));
      await tx.insert(memberships).values({ userId: user!.id, territoryId, role: 'referent', organisationId }).onConflictDoNothing();
      await tx
        .update(partnerReferents)
        .set({ userId: user!.id })
        .where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.email, a.email)));
    }
  });
}

async function actorsOf(ctx: AppContext, emails: string[]): Promise<Map<string, UserActor>> {
  const rows = await ctx.db
    .select({ email: users.email, userId: users.id, m: memberships })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(inArray(users.email, emails));
  const actors = new Map<string, UserActor>();
  for (const r of rows) {
    const actor = actors.get(r.email) ?? {
      kind: 'user',
      userId: r.userId,
      sessionId: 'demo-seed',
      isPlatformAdmin: false,
      memberships: [],
    };
    actor.memberships.push({ ...r.m, role: r.m.role as Membership['role'] });
    actors.set(r.email, actor);
  }
  for (const e of emails) if (!actors.has(e)) throw new Error(`démo : le compte ${e} manque`);
  return actors;
}

/**
 * The files of REQUEST_PEOPLE (created at their contact point when missing, under a lock so two
 * nodes starting together do not both create them) and of the mandates seed, by key.
 */
async function ensurePeople(ctx: AppContext, territoryId: string, cpIds: Map<string, string>, now: Date) {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${PEOPLE_LOCK})`);
    const ids = new Map<string, string>();
    for (const row of await tx
      .select({ id: people.id, lastName: people.lastName })
      .from(people)
      .where(and(eq(people.territoryId, territoryId), inArray(people.lastName, ['Guérin', 'Lhermitte']))))
      ids.set(row.lastName, row.id);
    const since = new Date(now.getTime() - 60 * 86_400_000);
    for (const [key, { at, ...identity }] of Object.entries(REQUEST_PEOPLE)) {
      const searchName = normaliseName(identity.firstName, identity.lastName);
      const [existing] = await tx
        .select({ id: people.id })
        .from(people)
        .where(and(eq(people.territoryId, territoryId), eq(people.searchName, searchName), eq(people.birthDate, identity.birthDate)));
      if (existing) {
        ids.set(key, existing.id);
        continue;
      }
      const [person] = await tx
        .insert(people)
        .values({
          territoryId,
          ...identity,
          searchName,
          informedAt: since,
          informedHow: 'oral',
          lastActivityAt: since,
          createdAt: since,
          updatedAt: since,
        })
        .returning({ id: people.id });
      await tx.insert(personContactPoints).values({ territoryId, personId: person!.id, contactPointId: cpIds.get(at)!, since });
      ids.set(key, person!.id);
    }
    return ids;
  });
}

async function mandateAt(ctx: AppContext, personId: string, contactPointId: string, at: Date) {
  const rows = await ctx.db
    .select()
    .from(mandates)
    .where(and(eq(mandates.personId, personId), eq(mandates.contactPointId, contactPointId)));
  return rows.find((m) => m.startsAt <= at && m.endsAt > at && !m.revokedAt)?.id ?? null;
}

/**
 * Seeds the demo requests of the Perche when some are missing (see the module comment). Returns
 * how many were created.
 */
export async function seedDemoRequests(ctx: AppContext, options: { now: Date; passwordHash: () => Promise<string> }): Promise<number> {
  const [perche] = await ctx.db.select().from(territories).where(eq(territories.slug, PERCHE.slug));
  if (!perche) return 0;
  const territoryId = perche.id;
  const [{ n }] = (await ctx.db
    .select({ n: count() })
    .from(requests)
    .where(and(eq(requests.territoryId, territoryId), like(requests.idempotencyKey, 'demo-r%')))) as [{ n: number }];
  if (n >= DEMO_REQUESTS.length) return 0;
  await ensurePartnerAccounts(ctx, territoryId, options.passwordHash);
  const now = options.now;
  const orgIds = new Map(
    (
      await ctx.db
        .select({ id: partnerOrganisations.id, code: partnerOrganisations.nationalCode })
        .from(partnerOrganisations)
        .where(eq(partnerOrganisations.territoryId, territoryId))
    ).map((o) => [o.code as string, o.id]),
  );
  const cpIds = new Map(
    (
      await ctx.db
        .select({ id: contactPoints.id, name: contactPoints.name })
        .from(contactPoints)
        .where(eq(contactPoints.territoryId, territoryId))
    ).map((c) => [c.name, c.id]),
  );
  const emails = [...new Set(DEMO_REQUESTS.flatMap((r) => [r.from, ...r.steps.map((s) => s.by)]))];
  const actors = await actorsOf(ctx, emails);
  const themes = await activeThemeCodes(ctx.db, territoryId);
  const personIds = await ensurePeople(ctx, territoryId, cpIds, now);
  const { calendar } = await calendarOf(ctx.db, orgIds.get('CAF')!);

  // The instant of a step: a working day and a time, or (creations only) a share of a 4-day allowance consumed.
  const instant = (when: When, days = 4): Date => {
    if (Array.isArray(when)) return dayAt(now, perche.timezone, calendar.zone, when[0], when[1]);
    let [low, high] = [now.getTime() - 30 * 86_400_000, now.getTime()];
    while (high - low > 60_000) {
      const mid = Math.floor((low + high) / 2);
      if (workingDaysElapsed(new Date(mid), now, calendar) / days > when.fraction) low = mid;
      else high = mid;
    }
    return new Date(high);
  };

  let current = now;
  const seedCtx: Clockable = { ...ctx, clock: { now: () => current } };
  const ids = new Map<string, string>();
  const plan: { at: Date; order: number; run: () => Promise<void> }[] = [];
  let created = 0;
  DEMO_REQUESTS.forEach((r, index) => {
    const agent = actors.get(r.from)!;
    const contactPointId = agent.memberships.find((m) => m.role === 'agent')!.contactPointId as string;
    const audit = (actor: UserActor) => ({ actorUserId: actor.userId });
    plan.push({
      at: instant(r.at),
      order: index * 100,
      run: async () => {
        const personId = personIds.get(r.person)!;
        const mandateId = r.mandate ? await mandateAt(ctx, personId, contactPointId, current) : null;
        const result = await createRequest(
          seedCtx,
          agent,
          territoryId,
          {
            contactPointId,
            organisationId: orgIds.get(r.to)!,
            personId,
            themeCode: r.themeCode && themes.has(r.themeCode) ? r.themeCode : undefined,
            procedure: r.procedure,
            subject: r.subject,
            description: r.description,
            identifiers: r.identifiers ?? {},
            consent: mandateId ? { kind: 'mandat', mandateId } : { kind: 'consentement', how: 'Accord oral au guichet' },
          },
          { scope: `user:${agent.userId}`, key: `demo-${r.key}` },
          audit(agent),
        );
        // Already seeded (an earlier run): its story is there too.
        if (result.replayed) return;
        created++;
        ids.set(r.key, result.view.id);
      },
    });
    r.steps.forEach((step, i) => {
      const actor = actors.get(step.by)!;
      plan.push({
        at: instant(step.at),
        order: index * 100 + i + 1,
        run: async () => {
          const id = ids.get(r.key);
          if (!id) return;
          if ('take' in step) await takeRequest(seedCtx, actor, territoryId, id, undefined, audit(actor));
          else if ('reroute' in step)
            await rerouteRequest(
              seedCtx,
              actor,
              territoryId,
              id,
              { organisationId: orgIds.get(step.reroute)!, reason: step.reason },
              audit(actor),
            );
          else if ('close' in step) await closeRequest(seedCtx, actor, territoryId, id, step.close ?? undefined, audit(actor));
          else if ('rate' in step) await rateRequest(seedCtx, actor, territoryId, id, step.rate, audit(actor));
          else {
            const attachmentIds = step.pdf
              ? [
                  (
                    await uploadAttachment(
                      seedCtx,
                      actor,
                      territoryId,
                      id,
                      { fileName: step.pdf.name, bytes: tinyPdf(step.pdf.lines) },
                      audit(actor),
                    )
                  ).id,
                ]
              : [];
            await postMessage(
              seedCtx,
              actor,
              territoryId,
              id,
              { kind: step.message, body: step.body, attachmentIds },
              { scope: `user:${actor.userId}`, key: `demo-${r.key}-${i}` },
              audit(actor),
            );
          }
        },
      });
    });
  });
  // In time order across requests: references follow the dates, as they would have.
  plan.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  for (const step of plan) {
    current = step.at;
    await step.run();
  }
  return created;
}
