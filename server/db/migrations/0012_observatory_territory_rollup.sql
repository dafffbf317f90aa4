CREATE TABLE "stats_visits_territory" (
	"territory_id" uuid NOT NULL,
	"month" date NOT NULL,
	"org_key" text NOT NULL,
	"facet" text NOT NULL,
	"value" text NOT NULL,
	"visits" integer NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"timed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_visits_territory_territory_id_org_key_facet_month_value_pk" PRIMARY KEY("territory_id","org_key","facet","month","value")
);
--> statement-breakpoint
ALTER TABLE "stats_visits_monthly" DROP CONSTRAINT "stats_visits_monthly_territory_id_org_key_facet_month_contact_point_id_value_pk";--> statement-breakpoint
ALTER TABLE "stats_visits_monthly" ADD CONSTRAINT "stats_visits_monthly_territory_id_contact_point_id_org_key_facet_month_value_pk" PRIMARY KEY("territory_id","contact_point_id","org_key","facet","month","value");--> statement-breakpoint
ALTER TABLE "stats_visits_territory" ADD CONSTRAINT "stats_visits_territory_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- ADR 15, migration 0012: the same trigger now also keeps `stats_visits_territory`, the figures summed
-- over the territory's contact points (plus facet `cp`: each contact point's total), which the views
-- of a whole territory read. The signed deltas are grouped once (`g`), written per contact point,
-- then summed per territory; both upserts go in key order, the per-contact-point table first.
CREATE OR REPLACE FUNCTION stats_visits_apply(old_rows visits[], new_rows visits[]) RETURNS void LANGUAGE sql AS $$
  WITH d AS (
    SELECT (x.r).*, x.sign FROM (SELECT unnest(new_rows) AS r, 1 AS sign UNION ALL SELECT unnest(old_rows), -1) x
  ), m AS (
    SELECT d.*, date_trunc('month', d.occurred_at AT TIME ZONE t.timezone)::date AS month,
           ARRAY(SELECT DISTINCT o::text FROM unnest(d.organisation_ids) o) AS orgs
    FROM d JOIN territories t ON t.id = d.territory_id
  ), k AS (
    SELECT m.*, key.org_key FROM m CROSS JOIN LATERAL (SELECT '' AS org_key UNION ALL SELECT unnest(m.orgs)) key
  ), f AS (
    SELECT k.territory_id, k.month, k.contact_point_id, k.org_key, x.facet, x.value, k.sign, x.minutes, x.timed
    FROM k CROSS JOIN LATERAL (VALUES
      ('total', '', coalesce(k.duration_minutes, 0), CASE WHEN k.duration_minutes IS NULL THEN 0 ELSE 1 END),
      ('channel', k.channel, 0, 0),
      ('autonomy', coalesce(k.autonomy, ''), 0, 0),
      ('person', CASE WHEN k.person_id IS NULL THEN 'non' ELSE 'oui' END, 0, 0)
    ) x(facet, value, minutes, timed)
    UNION ALL
    SELECT k.territory_id, k.month, k.contact_point_id, k.org_key, 'theme', th.value, k.sign, 0, 0
    FROM k CROSS JOIN LATERAL (SELECT DISTINCT unnest(k.theme_codes) AS value) th
    UNION ALL
    SELECT k.territory_id, k.month, k.contact_point_id, k.org_key, 'action', a.value, k.sign, 0, 0
    FROM k CROSS JOIN LATERAL (SELECT DISTINCT unnest(k.actions) AS value) a
    UNION ALL
    SELECT m.territory_id, m.month, m.contact_point_id, '', 'org', o.value, m.sign, 0, 0
    FROM m CROSS JOIN LATERAL unnest(m.orgs) AS o(value)
  ), g AS (
    SELECT territory_id, month, contact_point_id, org_key, facet, value,
           sum(sign)::int AS visits, sum(sign * minutes)::bigint AS minutes, sum(sign * timed)::int AS timed
    FROM f
    GROUP BY territory_id, month, contact_point_id, org_key, facet, value
    HAVING sum(sign) <> 0 OR sum(sign * minutes) <> 0 OR sum(sign * timed) <> 0
  ), per_contact_point AS ( -- a data-modifying CTE runs whether or not it is read
    INSERT INTO stats_visits_monthly AS s (territory_id, month, contact_point_id, org_key, facet, value, visits, minutes, timed)
    SELECT territory_id, month, contact_point_id, org_key, facet, value, visits, minutes, timed
    FROM g
    ORDER BY territory_id, contact_point_id, org_key, facet, month, value
    ON CONFLICT (territory_id, contact_point_id, org_key, facet, month, value) DO UPDATE
      SET visits = s.visits + excluded.visits, minutes = s.minutes + excluded.minutes, timed = s.timed + excluded.timed
  ), t AS (
    SELECT territory_id, month, org_key, facet, value, visits, minutes, timed FROM g
    UNION ALL
    SELECT territory_id, month, org_key, 'cp', contact_point_id::text, visits, minutes, timed FROM g WHERE facet = 'total'
  )
  INSERT INTO stats_visits_territory AS s (territory_id, month, org_key, facet, value, visits, minutes, timed)
  SELECT territory_id, month, org_key, facet, value, sum(visits), sum(minutes), sum(timed)
  FROM t
  GROUP BY territory_id, month, org_key, facet, value
  HAVING sum(visits) <> 0 OR sum(minutes) <> 0 OR sum(timed) <> 0
  ORDER BY territory_id, org_key, facet, month, value
  ON CONFLICT (territory_id, org_key, facet, month, value) DO UPDATE
    SET visits = s.visits + excluded.visits, minutes = s.minutes + excluded.minutes, timed = s.timed + excluded.timed;
$$;
--> statement-breakpoint
-- Existing figures: the territory table starts as the sum of the per-contact-point one.
INSERT INTO stats_visits_territory (territory_id, month, org_key, facet, value, visits, minutes, timed)
SELECT territory_id, month, org_key, facet, value, sum(visits), sum(minutes), sum(timed)
FROM (
  SELECT territory_id, month, org_key, facet, value, visits, minutes, timed FROM stats_visits_monthly
  UNION ALL
  SELECT territory_id, month, org_key, 'cp', contact_point_id::text, visits, minutes, timed FROM stats_visits_monthly WHERE facet = 'total'
) t
GROUP BY territory_id, month, org_key, facet, value
HAVING sum(visits) <> 0 OR sum(minutes) <> 0 OR sum(timed) <> 0;
