CREATE TABLE "stats_request_delays" (
	"territory_id" uuid NOT NULL,
	"month" date NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"theme_code" text NOT NULL,
	"tenths" integer NOT NULL,
	"requests" integer NOT NULL,
	CONSTRAINT "stats_request_delays_territory_id_month_contact_point_id_organisation_id_theme_code_tenths_pk" PRIMARY KEY("territory_id","month","contact_point_id","organisation_id","theme_code","tenths")
);
--> statement-breakpoint
CREATE TABLE "stats_requests_monthly" (
	"territory_id" uuid NOT NULL,
	"month" date NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"theme_code" text NOT NULL,
	"sent" integer NOT NULL,
	"answered" integer NOT NULL,
	"in_time" integer NOT NULL,
	"closed" integer NOT NULL,
	"useful" integer NOT NULL,
	"partly_useful" integer NOT NULL,
	"not_useful" integer NOT NULL,
	CONSTRAINT "stats_requests_monthly_territory_id_month_contact_point_id_organisation_id_theme_code_pk" PRIMARY KEY("territory_id","month","contact_point_id","organisation_id","theme_code")
);
--> statement-breakpoint
CREATE TABLE "stats_visits_monthly" (
	"territory_id" uuid NOT NULL,
	"month" date NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"org_key" text NOT NULL,
	"facet" text NOT NULL,
	"value" text NOT NULL,
	"visits" integer NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"timed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_visits_monthly_territory_id_org_key_facet_month_contact_point_id_value_pk" PRIMARY KEY("territory_id","org_key","facet","month","contact_point_id","value")
);
--> statement-breakpoint
CREATE TABLE "survey_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"bus_stop_id" uuid,
	"channel" text,
	"context" text NOT NULL,
	"token_hash" text NOT NULL,
	"multi_use" boolean DEFAULT false NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_links_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"bus_stop_id" uuid,
	"channel" text,
	"context" text NOT NULL,
	"answered_on" date NOT NULL,
	"satisfaction" smallint NOT NULL,
	"resolved" text,
	"listened" smallint,
	"recommend" boolean,
	"comment" text,
	CONSTRAINT "survey_satisfaction" CHECK ("survey_responses"."satisfaction" BETWEEN 1 AND 4),
	CONSTRAINT "survey_listened" CHECK ("survey_responses"."listened" IS NULL OR "survey_responses"."listened" BETWEEN 1 AND 4)
);
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "first_answer_tenths" integer;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "first_answer_in_time" boolean;--> statement-breakpoint
ALTER TABLE "stats_request_delays" ADD CONSTRAINT "stats_request_delays_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_requests_monthly" ADD CONSTRAINT "stats_requests_monthly_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_visits_monthly" ADD CONSTRAINT "stats_visits_monthly_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_links" ADD CONSTRAINT "survey_links_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_links_contact_point" ON "survey_links" USING btree ("contact_point_id");--> statement-breakpoint
CREATE INDEX "survey_responses_territory_day" ON "survey_responses" USING btree ("territory_id","answered_on");--> statement-breakpoint
CREATE INDEX "requests_open_territory" ON "requests" USING btree ("territory_id","organisation_id","due_at") WHERE "requests"."status" IN ('envoyee', 'en_cours', 'attente_infos', 'repondue');--> statement-breakpoint
-- Observatory aggregates (ADR 15). Statement-level triggers with transition tables hand every
-- changed row of `visits` and `requests` (old image -1, new image +1) to an apply function that
-- groups the signed deltas by key and upserts them, in the statement's own transaction: inserts,
-- corrections, merges, anonymisations, re-routings, wipes and deletes all keep the figures exact.
-- Keys are upserted in a fixed order so that two transactions touching the same months never
-- deadlock; a change that moves nothing (HAVING) writes nothing.
CREATE FUNCTION stats_visits_apply(old_rows visits[], new_rows visits[]) RETURNS void LANGUAGE sql AS $$
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
  )
  INSERT INTO stats_visits_monthly AS s (territory_id, month, contact_point_id, org_key, facet, value, visits, minutes, timed)
  SELECT territory_id, month, contact_point_id, org_key, facet, value, sum(sign), sum(sign * minutes), sum(sign * timed)
  FROM f
  GROUP BY territory_id, month, contact_point_id, org_key, facet, value
  HAVING sum(sign) <> 0 OR sum(sign * minutes) <> 0 OR sum(sign * timed) <> 0
  ORDER BY territory_id, org_key, facet, month, contact_point_id, value
  ON CONFLICT (territory_id, org_key, facet, month, contact_point_id, value) DO UPDATE
    SET visits = s.visits + excluded.visits, minutes = s.minutes + excluded.minutes, timed = s.timed + excluded.timed;
$$;
--> statement-breakpoint
CREATE FUNCTION stats_visits_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_visits_apply('{}'::visits[], ARRAY(SELECT n::visits FROM new_rows n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM stats_visits_apply(ARRAY(SELECT o::visits FROM old_rows o), ARRAY(SELECT n::visits FROM new_rows n));
  ELSE
    PERFORM stats_visits_apply(ARRAY(SELECT o::visits FROM old_rows o), '{}'::visits[]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER stats_visits_insert AFTER INSERT ON visits REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_visits_trigger();
--> statement-breakpoint
CREATE TRIGGER stats_visits_update AFTER UPDATE ON visits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_visits_trigger();
--> statement-breakpoint
CREATE TRIGGER stats_visits_delete AFTER DELETE ON visits REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_visits_trigger();
--> statement-breakpoint
CREATE FUNCTION stats_requests_apply(old_rows requests[], new_rows requests[]) RETURNS void LANGUAGE sql AS $$
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
  )
  INSERT INTO stats_request_delays AS s (territory_id, month, contact_point_id, organisation_id, theme_code, tenths, requests)
  SELECT territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths, sum(sign)
  FROM m
  WHERE first_answer_tenths IS NOT NULL
  GROUP BY territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths
  HAVING sum(sign) <> 0
  ORDER BY territory_id, month, contact_point_id, organisation_id, theme, first_answer_tenths
  ON CONFLICT (territory_id, month, contact_point_id, organisation_id, theme_code, tenths) DO UPDATE
    SET requests = s.requests + excluded.requests;
$$;
--> statement-breakpoint
CREATE FUNCTION stats_requests_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stats_requests_apply('{}'::requests[], ARRAY(SELECT n::requests FROM new_rows n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM stats_requests_apply(ARRAY(SELECT o::requests FROM old_rows o), ARRAY(SELECT n::requests FROM new_rows n));
  ELSE
    PERFORM stats_requests_apply(ARRAY(SELECT o::requests FROM old_rows o), '{}'::requests[]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER stats_requests_insert AFTER INSERT ON requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_requests_trigger();
--> statement-breakpoint
CREATE TRIGGER stats_requests_update AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_requests_trigger();
--> statement-breakpoint
CREATE TRIGGER stats_requests_delete AFTER DELETE ON requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_requests_trigger();
