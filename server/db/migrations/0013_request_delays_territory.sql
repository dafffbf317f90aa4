CREATE TABLE "stats_request_delays_territory" (
	"territory_id" uuid NOT NULL,
	"month" date NOT NULL,
	"organisation_id" uuid NOT NULL,
	"theme_code" text NOT NULL,
	"tenths" integer NOT NULL,
	"requests" integer NOT NULL,
	CONSTRAINT "stats_request_delays_territory_territory_id_month_organisation_id_theme_code_tenths_pk" PRIMARY KEY("territory_id","month","organisation_id","theme_code","tenths")
);
--> statement-breakpoint
ALTER TABLE "stats_request_delays_territory" ADD CONSTRAINT "stats_request_delays_territory_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- ADR 15, migration 0013: the requests trigger also keeps the delay histogram without the contact
-- point, read by the views of a whole territory. Same shape as 0010's function, one more upsert.
CREATE OR REPLACE FUNCTION stats_requests_apply(old_rows requests[], new_rows requests[]) RETURNS void LANGUAGE sql AS $$
  WITH d AS (
    SELECT (x.r).*, x.sign FROM (SELECT unnest(new_rows) AS r, 1 AS sign UNION ALL SELECT unnest(old_rows), -1) x
  ), m AS (
    SELECT d.*, date_trunc('month', d.sent_at AT TIME ZONE t.timezone)::date AS month, coalesce(d.theme_code, '') AS theme
    FROM d JOIN territories t ON t.id = d.territory_id
    WHERE d.sent_at IS NOT NULL
  ), counts AS ( -- a data-modifying CTE runs whether or not it is read
    INSERT INTO stats_requests_monthly AS s
      (territory_id, month, contact_point_id, organisation_id, theme_code, sent, answered, in_time, closed, useful, partly_useful, not_useful)
    SELECT territory_id, month, contact_point_id, organisation_id, theme, sum(sign),
      sum(sign * CASE WHEN first_answered_at IS NULL THEN 0 ELSE 1 END),
      sum(sign * CASE WHEN first_answer_in_time THEN 1 ELSE 0 END),
      sum(sign * CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END),
      sum(sign * CASE WHEN usefulness = 'utile' THEN 1 ELSE 0 END),
      sum(sign * CASE WHEN usefulness = 'partiellement_utile' THEN 1 ELSE 0 END),
      sum(sign * CASE WHEN usefulness = 'pas_utile' THEN 1 ELSE 0 END)
    FROM m
    GROUP BY territory_id, month, contact_point_id, organisation_id, theme
    HAVING sum(sign) <> 0
      OR sum(sign * CASE WHEN first_answered_at IS NULL THEN 0 ELSE 1 END) <> 0
      OR sum(sign * CASE WHEN first_answer_in_time THEN 1 ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END) <> 0
      OR sum(sign * CASE WHEN usefulness = 'utile' THEN 1 ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN usefulness = 'partiellement_utile' THEN 1 ELSE 0 END) <> 0
      OR sum(sign * CASE WHEN usefulness = 'pas_utile' THEN 1 ELSE 0 END) <> 0
    ORDER BY territory_id, month, contact_point_id, organisation_id, theme
    ON CONFLICT (territory_id, month, contact_point_id, organisation_id, theme_code) DO UPDATE
      SET sent = s.sent + excluded.sent, answered = s.answered + excluded.answered, in_time = s.in_time + excluded.in_time,
          closed = s.closed + excluded.closed, useful = s.useful + excluded.useful,
          partly_useful = s.partly_useful + excluded.partly_useful, not_useful = s.not_useful + excluded.not_useful
  ), delays AS (
    INSERT INTO stats_request_delays AS s (territory_id, month, contact_point_id, organisation_id, theme_code, tenths, requests)
    SELECT territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths, sum(sign)
    FROM m
    WHERE first_answer_tenths IS NOT NULL
    GROUP BY territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths
    HAVING sum(sign) <> 0
    ORDER BY territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths
    ON CONFLICT (territory_id, month, contact_point_id, organisation_id, theme_code, tenths) DO UPDATE
      SET requests = s.requests + excluded.requests
  )
  INSERT INTO stats_request_delays_territory AS s (territory_id, month, organisation_id, theme_code, tenths, requests)
  SELECT territory_id, month, organisation_id, theme, first_answer_tenths, sum(sign)
  FROM m
  WHERE first_answer_tenths IS NOT NULL
  GROUP BY territory_id, month, organisation_id, theme, first_answer_tenths
  HAVING sum(sign) <> 0
  ORDER BY territory_id, month, organisation_id, theme, first_answer_tenths
  ON CONFLICT (territory_id, month, organisation_id, theme_code, tenths) DO UPDATE
    SET requests = s.requests + excluded.requests;
$$;
--> statement-breakpoint
-- Existing figures: the territory histogram starts as the sum of the per-contact-point one.
INSERT INTO stats_request_delays_territory (territory_id, month, organisation_id, theme_code, tenths, requests)
SELECT territory_id, month, organisation_id, theme_code, tenths, sum(requests)
FROM stats_request_delays
GROUP BY territory_id, month, organisation_id, theme_code, tenths
HAVING sum(requests) <> 0;
