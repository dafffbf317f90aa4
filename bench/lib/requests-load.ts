import type { BenchApp } from './app.ts';

/**
 * Loads a territory's history of requests (saisines) with SQL only, set-based: each statement
 * draws a chunk of requests with generate_series and random(), inserts them and their event log
 * in one go (a data-modifying CTE), so that 1,000,000 requests and their ~5,000,000 events load in
 * minutes on PostgreSQL as on PGlite. The secondary indexes of the two tables are dropped first
 * and rebuilt from their own definitions afterwards (as pg_restore does), then VACUUM ANALYZE (as
 * autovacuum would have done on a live database).
 *
 * Clock events carry `data.clock` exactly as `appendEvent` (log.ts) writes them: `start` with the
 * allowance and the calendar of the organisation (`calendarOf`), `pause`, `resume`, `stop`.
 */
export interface RequestsWorld {
  territoryId: string;
  /** Contact points and their agent (who sends the requests), same order. */
  contactPointIds: string[];
  agentIds: string[];
  organisationIds: string[];
  /** REFERENTS_PER_ORGANISATION referents per organisation, organisation after organisation. */
  referentIds: string[];
  /** The working calendar of each organisation, as `calendarOf` returns it. */
  calendars: Record<string, unknown>;
}

export const REFERENTS_PER_ORGANISATION = 5;

export interface RequestsLoadTimes {
  history: number;
  open: number;
  index: number;
  vacuumAnalyze: number;
  total: number;
  events: number;
  /** Requests per status, after loading. */
  statuses: Record<string, number>;
}

/** Requests per statement: the CTE holds the chunk and its events in memory (PGlite included). */
const CHUNK = 50_000;

const TABLES = ['requests', 'request_events'];

/**
 * Columns shared by the two inserts: $1 territory, $2 contact points, $3 their agents, $4
 * organisations, $5 referents, $6 calendars by organisation, $7 now. An organisation is drawn with
 * a skewed law (the first, the family allowance fund say, gets a fifth of all requests).
 */
const PARAMS = `p AS (
  SELECT $1::uuid AS territory, $2::uuid[] AS cps, $3::uuid[] AS agents, $4::uuid[] AS orgs, $5::uuid[] AS referents,
         $6::jsonb AS calendars, $7::timestamptz AS now
)`;
const DRAW = `least(array_length(p.orgs, 1) - 1, floor(array_length(p.orgs, 1) * power(random(), 1.6)))::int AS o,
    floor(random() * array_length(p.cps, 1))::int AS c,
    floor(random() * ${REFERENTS_PER_ORGANISATION})::int AS k`;
const SUBJECTS = `(ARRAY['Dossier de prime d’activité en attente', 'Rappel de trop-perçu à expliquer', 'Changement de situation non pris en compte',
  'Attestation de droits à transmettre', 'Rendez-vous impossible à obtenir', 'Pièce justificative refusée sans explication',
  'Demande de remise de dette', 'Paiement suspendu depuis deux mois', 'Compte en ligne bloqué', 'Dossier de retraite incomplet'])`;

/**
 * Closed requests over three years before the last three weeks: answered within 0 to 8 days
 * (squared law: most on time, some late), one in five after a request for information (pause then
 * resume), closed up to 12 days after the answer, archived 90 days after closing.
 */
const HISTORY = `WITH ${PARAMS},
g AS MATERIALIZED (
  SELECT n, gen_random_uuid() AS id, ${DRAW}, p.now - interval '21 days' - random() * interval '1095 days' AS created_at,
    random() < 0.2 AS paused, power(random(), 2) AS a, random() AS r
  FROM generate_series($8::int, $9::int - 1) AS n, p
),
h AS MATERIALIZED (
  SELECT g.*, created_at + interval '2 hours' + a * interval '8 days' AS answered_at FROM g
),
f AS MATERIALIZED (
  SELECT c.*, CASE WHEN closed_at < p.now - interval '90 days' THEN closed_at + interval '90 days' END AS archived_at,
    p.referents[1 + o * ${REFERENTS_PER_ORGANISATION} + k] AS referent
  FROM (SELECT h.*, answered_at + interval '1 hour' + r * interval '12 days' AS closed_at FROM h) c, p
),
inserted AS (
  INSERT INTO requests (id, territory_id, reference, status_code_hash, contact_point_id, created_by, organisation_id, assignee_user_id,
    theme_code, subject, description, status, first_answer_days, follow_up_days, due_at, sent_at, first_answered_at, last_message_at,
    closed_at, archived_at, version, created_at, updated_at)
  SELECT f.id, p.territory, 'RLS-' || to_char(f.created_at, 'YYYY') || '-' || lpad(f.n::text, 7, '0'), md5(f.id::text),
    p.cps[1 + f.c], p.agents[1 + f.c], p.orgs[1 + f.o], f.referent,
    (ARRAY['famille', 'logement', 'emploi-formation', 'social-sante', 'retraite', 'argent-impots', 'mobilite'])[1 + f.n % 7],
    ${SUBJECTS}[1 + f.n % 10], 'Description de la situation, telle que l’agent l’a notée.',
    CASE WHEN f.archived_at IS NULL THEN 'cloturee' ELSE 'archivee' END, 4, 4, NULL, f.created_at, f.answered_at, f.answered_at,
    f.closed_at, f.archived_at, 5 + CASE WHEN f.paused THEN 2 ELSE 0 END + CASE WHEN f.archived_at IS NULL THEN 0 ELSE 1 END,
    f.created_at, coalesce(f.archived_at, f.closed_at)
  FROM f, p
)
INSERT INTO request_events (request_id, territory_id, at, kind, actor_user_id, side, organisation_id, data)
SELECT f.id, p.territory, e.at, e.kind, e.actor, e.side, e.org, e.data
FROM f, p, LATERAL (VALUES
  (f.created_at, 'created', p.agents[1 + f.c], 'agent', NULL::uuid,
    jsonb_build_object('organisationId', p.orgs[1 + f.o], 'days', 4, 'identifiers', '[]'::jsonb,
      'clock', jsonb_build_object('kind', 'start', 'days', 4, 'calendar', p.calendars -> (p.orgs[1 + f.o])::text))),
  (f.created_at + (f.answered_at - f.created_at) * 0.25, 'taken', f.referent, 'partner', p.orgs[1 + f.o], jsonb_build_object('userId', f.referent)),
  (CASE WHEN f.paused THEN f.created_at + (f.answered_at - f.created_at) * 0.4 END, 'info_requested', f.referent, 'partner', p.orgs[1 + f.o],
    '{"clock": {"kind": "pause"}}'::jsonb),
  (CASE WHEN f.paused THEN f.created_at + (f.answered_at - f.created_at) * 0.6 END, 'info_provided', p.agents[1 + f.c], 'agent', NULL,
    '{"clock": {"kind": "resume"}}'::jsonb),
  (f.answered_at, 'answered', f.referent, 'partner', p.orgs[1 + f.o], '{"clock": {"kind": "stop"}}'::jsonb),
  (f.closed_at, 'closed', p.agents[1 + f.c], 'agent', NULL, '{"reason": null, "clock": {"kind": "stop"}}'::jsonb),
  (f.archived_at, 'archived', NULL, 'system', NULL, '{}'::jsonb)
) AS e(at, kind, actor, side, org, data)
WHERE e.at IS NOT NULL
ORDER BY e.at`;

/**
 * Open requests: 30 % sent in the last 5 days and not taken yet (envoyee), 40 % taken (en_cours;
 * half of them with an intermediate partner message that restarts the clock with the follow-up
 * allowance), 15 % waiting for information (the clock paused), 15 % answered (the clock stopped),
 * taken ones sent 1 to 15 days ago (some overdue); one in fifty also has another organisation
 * invited. `due_at` is left NULL here and set afterwards by the app's own deadline computation.
 */
const OPEN = `WITH ${PARAMS},
g AS MATERIALIZED (
  SELECT n, gen_random_uuid() AS id, ${DRAW},
    CASE WHEN n % 20 < 6 THEN 'envoyee' WHEN n % 20 < 14 THEN 'en_cours' WHEN n % 20 < 17 THEN 'attente_infos' ELSE 'repondue' END AS status,
    CASE WHEN n % 20 < 6 THEN p.now - random() * interval '5 days' ELSE p.now - interval '1 day' - random() * interval '14 days' END AS created_at,
    random() < 0.5 AS message, n % 50 = 7 AS invite
  FROM generate_series($8::int, $9::int - 1) AS n, p
),
f AS MATERIALIZED (
  SELECT g.*, p.referents[1 + o * ${REFERENTS_PER_ORGANISATION} + k] AS referent, p.orgs[1 + o] AS org,
    p.orgs[1 + (o + 1) % array_length(p.orgs, 1)] AS invited, p.agents[1 + c] AS agent,
    g.status <> 'envoyee' AS taken, g.status = 'en_cours' AND g.message AS messaged, g.invite AND g.status <> 'envoyee' AS invites,
    CASE WHEN g.status = 'repondue' THEN g.created_at + (p.now - g.created_at) * 0.7
         WHEN g.status = 'en_cours' AND g.message THEN g.created_at + (p.now - g.created_at) * 0.6 END AS answered_at
  FROM g, p
),
inserted AS (
  INSERT INTO requests (id, territory_id, reference, status_code_hash, contact_point_id, created_by, organisation_id, assignee_user_id,
    theme_code, subject, description, status, first_answer_days, follow_up_days, due_at, sent_at, first_answered_at, last_message_at,
    version, created_at, updated_at)
  SELECT f.id, p.territory, 'RLS-' || to_char(f.created_at, 'YYYY') || '-' || lpad(f.n::text, 7, '0'), md5(f.id::text),
    p.cps[1 + f.c], f.agent, f.org, CASE WHEN f.taken THEN f.referent END,
    (ARRAY['famille', 'logement', 'emploi-formation', 'social-sante', 'retraite', 'argent-impots', 'mobilite'])[1 + f.n % 7],
    ${SUBJECTS}[1 + f.n % 10], 'Description de la situation, telle que l’agent l’a notée.',
    f.status, 4, 4, NULL, f.created_at, f.answered_at, f.answered_at,
    2 + f.taken::int + f.messaged::int + (f.status = 'attente_infos')::int + (f.status = 'repondue')::int + f.invites::int,
    f.created_at, greatest(f.created_at, f.answered_at)
  FROM f, p
),
participants AS (
  INSERT INTO request_participants (request_id, territory_id, organisation_id, invited_by, created_at)
  SELECT f.id, p.territory, f.invited, f.referent, f.created_at + (p.now - f.created_at) * 0.3 FROM f, p WHERE f.invites
)
INSERT INTO request_events (request_id, territory_id, at, kind, actor_user_id, side, organisation_id, data)
SELECT f.id, p.territory, e.at, e.kind, e.actor, e.side, e.org, e.data
FROM f, p, LATERAL (VALUES
  (f.created_at, 'created', f.agent, 'agent', NULL::uuid,
    jsonb_build_object('organisationId', f.org, 'days', 4, 'identifiers', '[]'::jsonb,
      'clock', jsonb_build_object('kind', 'start', 'days', 4, 'calendar', p.calendars -> f.org::text))),
  (CASE WHEN f.taken THEN f.created_at + (p.now - f.created_at) * 0.2 END, 'taken', f.referent, 'partner', f.org, jsonb_build_object('userId', f.referent)),
  (CASE WHEN f.invites THEN f.created_at + (p.now - f.created_at) * 0.3 END, 'invited', f.referent, 'partner', f.org,
    jsonb_build_object('userId', NULL, 'organisationId', f.invited)),
  (CASE WHEN f.status = 'attente_infos' THEN f.created_at + (p.now - f.created_at) * 0.5 END, 'info_requested', f.referent, 'partner', f.org,
    '{"clock": {"kind": "pause"}}'::jsonb),
  (CASE WHEN f.messaged THEN f.answered_at END, 'message', f.referent, 'partner', f.org,
    jsonb_build_object('clock', jsonb_build_object('kind', 'start', 'days', 4, 'calendar', p.calendars -> f.org::text))),
  (CASE WHEN f.status = 'repondue' THEN f.answered_at END, 'answered', f.referent, 'partner', f.org, '{"clock": {"kind": "stop"}}'::jsonb)
) AS e(at, kind, actor, side, org, data)
WHERE e.at IS NOT NULL
ORDER BY e.at`;

/** The referents who took an open request have read it up to its last event. */
const READS = `INSERT INTO request_reads (request_id, user_id, last_event_id, read_at)
  SELECT r.id, r.assignee_user_id, max(e.id), max(e.at) FROM requests r JOIN request_events e ON e.request_id = r.id
  WHERE r.status IN ('en_cours', 'attente_infos', 'repondue') AND r.assignee_user_id IS NOT NULL
  GROUP BY r.id, r.assignee_user_id`;

export async function loadRequests(
  bench: BenchApp,
  world: RequestsWorld,
  counts: { history: number; open: number },
  onProgress: (message: string) => void = () => {},
): Promise<RequestsLoadTimes> {
  const pool = bench.relais.ctx.database.pool;
  const seconds = (from: number) => (performance.now() - from) / 1000;
  const started = performance.now();
  const { rows: indexes } = await pool.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = ANY($1::text[])
       AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    [TABLES],
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.name}"`);

  const params = (from: number, to: number) => [
    world.territoryId,
    world.contactPointIds,
    world.agentIds,
    world.organisationIds,
    world.referentIds,
    JSON.stringify(world.calendars),
    new Date().toISOString(),
    from,
    to,
  ];
  const t0 = performance.now();
  for (let from = 1; from <= counts.history; from += CHUNK) {
    const to = Math.min(counts.history + 1, from + CHUNK);
    await pool.query(HISTORY, params(from, to));
    onProgress(`  ${to - 1} / ${counts.history} saisines closes (${seconds(t0).toFixed(0)} s)`);
  }
  const history = seconds(t0);
  const t1 = performance.now();
  await pool.query(OPEN, params(counts.history + 1, counts.history + counts.open + 1));
  await pool.query(READS);
  // The app numbers the next requests after these.
  await pool.query(`SELECT setval('request_reference_seq', $1::bigint)`, [counts.history + counts.open + 1]);
  const open = seconds(t1);
  const t2 = performance.now();
  for (const index of indexes) await pool.query(index.definition);
  const index = seconds(t2);
  const t3 = performance.now();
  await pool.query('VACUUM ANALYZE requests, request_events, request_participants, request_reads');
  const vacuumAnalyze = seconds(t3);
  const { rows: statusRows } = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM requests GROUP BY status ORDER BY status',
  );
  const { rows: eventRows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM request_events');
  return {
    history,
    open,
    index,
    vacuumAnalyze,
    total: seconds(started),
    events: eventRows[0]!.n,
    statuses: Object.fromEntries(statusRows.map((r) => [r.status, r.n])),
  };
}
