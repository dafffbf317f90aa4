import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import type { Db, Executor } from '../db/client.ts';
import { memberships, users } from '../modules/accounts/accounts.schema.ts';
import { partnerReferents, territories } from '../modules/network/network.schema.ts';
import { hashPassword } from '../platform/crypto.ts';
import { type BuiltTerritory, buildTerritory } from './build.ts';
import { generateHistory, historyPlan, seedOf } from './history.ts';
import { seedDemoKnowledge } from './knowledge.ts';
import { LOT } from './lot.ts';
import { seedDemoMandates } from './mandates.ts';
import { PERCHE } from './perche.ts';
import { seedDemoRequests } from './requests.ts';
import { seedDemoSurveys } from './surveys.ts';

export const DEMO_PASSWORD = 'Relais-demo-2026';
export const DEMO_SLUG = PERCHE.slug;
export const DEMO_LOT_SLUG = LOT.slug;

/** Serialises concurrent first starts (several app nodes on one PostgreSQL). */
const SEED_LOCK = 7_242_019;

export interface DemoAccount {
  email: string;
  role: string;
  where: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@relais.demo', role: 'Administrateur de la plateforme', where: 'toute la plateforme' },
  { email: 'coordination@relais.demo', role: 'Coordinatrice du territoire', where: 'Perche (Orne)' },
  { email: 'agent.bretoncelles@relais.demo', role: 'Agent d’accueil', where: 'Mairie de Bretoncelles' },
  { email: 'referent.caf@relais.demo', role: 'Référent partenaire', where: 'CAF de l’Orne' },
  { email: 'responsable.caf@relais.demo', role: 'Responsable partenaire', where: 'CAF de l’Orne' },
  { email: 'franck.morel@cpam61.relais.demo', role: 'Référent partenaire', where: 'CPAM de l’Orne' },
  { email: 'coordination.lot@relais.demo', role: 'Coordinateur du territoire', where: 'Lot — Grand Cahors' },
];

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The demo's past activity (issue 7), so that the observatory has figures: visits and archived
 * request skeletons from 1 January 2025 to the day before the seed's `now`, 2026 growing on 2025.
 */
export const DEMO_HISTORY = {
  perche: { visitsPerYear: 5000, requestsPerYear: 600, growth: 0.15 },
  lot: { visitsPerYear: 1800, requestsPerYear: 220, growth: 0.1 },
  from: '2025-01-01',
} as const;

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);

async function seedHistory(
  tx: Tx,
  built: BuiltTerritory,
  slug: string,
  timezone: string,
  now: Date,
  volume: { visitsPerYear: number; requestsPerYear: number; growth: number },
) {
  const to = localDay(now, timezone);
  if (to <= DEMO_HISTORY.from) return;
  await generateHistory(tx, await historyPlan(tx, built.territoryId), { ...volume, from: DEMO_HISTORY.from, to, seed: seedOf(slug) });
}

async function createAccount(
  tx: Executor,
  passwordHash: string,
  input: { email: string; displayName: string; isPlatformAdmin?: boolean },
  membership?: Omit<typeof memberships.$inferInsert, 'userId'>,
) {
  const [user] = await tx
    .insert(users)
    .values({ ...input, passwordHash })
    .onConflictDoUpdate({ target: users.email, set: { email: sql`excluded.email` } })
    .returning({ id: users.id });
  if (membership) await tx.insert(memberships).values({ ...membership, userId: user!.id });
  return user!.id;
}

async function seedPerche(tx: Tx, now: Date, passwordHash: string): Promise<BuiltTerritory> {
  const built = await buildTerritory(tx, PERCHE, { now, passwordHash });
  const { territoryId } = built;
  const caf = built.organisationIds.get('CAF')!;
  await createAccount(tx, passwordHash, { email: 'admin@relais.demo', displayName: 'Alex Administrateur', isPlatformAdmin: true });
  await createAccount(
    tx,
    passwordHash,
    { email: 'coordination@relais.demo', displayName: 'Claire Coordination' },
    { territoryId, role: 'coordinator' },
  );
  const referent = await createAccount(
    tx,
    passwordHash,
    { email: 'referent.caf@relais.demo', displayName: 'Romain Référent' },
    { territoryId, role: 'referent', organisationId: caf },
  );
  await tx
    .update(partnerReferents)
    .set({ userId: referent })
    .where(and(eq(partnerReferents.territoryId, territoryId), eq(partnerReferents.email, 'referent.caf@relais.demo')));
  await createAccount(
    tx,
    passwordHash,
    { email: 'responsable.caf@relais.demo', displayName: 'Martine Responsable' },
    { territoryId, role: 'manager', organisationId: caf },
  );
  await seedDemoMandates(tx, built, PERCHE.timezone, now);
  await seedDemoSurveys(tx, built, PERCHE.timezone, now);
  await seedHistory(tx, built, PERCHE.slug, PERCHE.timezone, now, DEMO_HISTORY.perche);
  return built;
}

async function seedLot(tx: Tx, now: Date, passwordHash: string): Promise<BuiltTerritory> {
  const built = await buildTerritory(tx, LOT, { now, passwordHash });
  await createAccount(
    tx,
    passwordHash,
    { email: 'coordination.lot@relais.demo', displayName: 'Bernard Coordination' },
    { territoryId: built.territoryId, role: 'coordinator' },
  );
  await seedHistory(tx, built, LOT.slug, LOT.timezone, now, DEMO_HISTORY.lot);
  return built;
}

/**
 * Seeds the demo territories « Perche (Orne) » and « Lot — Grand Cahors », each once (idempotent:
 * a territory already there is left alone), in one transaction; bus stops are dated from `now`.
 * Each new territory gets its past activity (`history.ts`: visits and archived request skeletons
 * since 2025, which the observatory's aggregates count). Then the Perche's demo requests, through the request services (`requests.ts`), those missing only,
 * and the demo answer sheets (`knowledge.ts`) in each territory that has none.
 * Returns the demo accounts to print.
 */
export async function seedDemo(ctx: AppContext, options: { now?: Date } = {}): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  const { db } = ctx;
  const now = options.now ?? ctx.clock.now();
  const missing = async (executor: Executor) => {
    const present = new Set(
      (
        await executor
          .select({ slug: territories.slug })
          .from(territories)
          .where(inArray(territories.slug, [DEMO_SLUG, DEMO_LOT_SLUG]))
      ).map((t) => t.slug),
    );
    return { perche: !present.has(DEMO_SLUG), lot: !present.has(DEMO_LOT_SLUG) };
  };
  const before = await missing(db);
  // scrypt is slow on purpose: one hash for every demo account, made only if an account is missing.
  let hash: Promise<string> | null = null;
  const passwordHash = () => (hash ??= hashPassword(DEMO_PASSWORD));
  let created = false;
  if (before.perche || before.lot) {
    const hashed = await passwordHash();
    created = await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
      const todo = await missing(tx);
      if (todo.perche) await seedPerche(tx, now, hashed);
      if (todo.lot) await seedLot(tx, now, hashed);
      return todo.perche || todo.lot;
    });
  }
  const requests = await seedDemoRequests(ctx, { now, passwordHash });
  const sheets = await seedDemoKnowledge(ctx, [DEMO_SLUG, DEMO_LOT_SLUG], now);
  return { created: created || requests > 0 || sheets > 0, accounts: DEMO_ACCOUNTS };
}
