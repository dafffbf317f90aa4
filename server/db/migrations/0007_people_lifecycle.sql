CREATE TABLE "mandate_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"mandate_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content_sealed" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"consumed_at" timestamp with time zone,
	"sms_message_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mandates" ADD COLUMN "consent_reference" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "merged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "anonymised_reason" text;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "mandate_id" uuid;--> statement-breakpoint
ALTER TABLE "mandate_documents" ADD CONSTRAINT "mandate_documents_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mandate_documents" ADD CONSTRAINT "mandate_documents_mandate_id_mandates_id_fk" FOREIGN KEY ("mandate_id") REFERENCES "public"."mandates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_challenges" ADD CONSTRAINT "sms_challenges_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_challenges" ADD CONSTRAINT "sms_challenges_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_challenges" ADD CONSTRAINT "sms_challenges_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mandate_documents_mandate" ON "mandate_documents" USING btree ("mandate_id");--> statement-breakpoint
CREATE INDEX "sms_challenges_person" ON "sms_challenges" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "audit_events_target" ON "audit_events" USING btree ("target_type","target_id","occurred_at");--> statement-breakpoint
CREATE INDEX "people_inactive" ON "people" USING btree ("territory_id","last_activity_at") WHERE "people"."anonymised_at" IS NULL AND "people"."merged_into_id" IS NULL;--> statement-breakpoint
-- Erasure on request (GDPR art. 17) must be able to blank the personal values that person.* journal
-- entries carry (names in a before/after), while the journal stays append-only for everything else:
-- an UPDATE is accepted only inside a transaction that set relais.audit_redaction = 'on', and only
-- on the data column. DELETE and TRUNCATE stay refused.
DROP TRIGGER "audit_events_no_update_delete" ON "audit_events";--> statement-breakpoint
CREATE TRIGGER "audit_events_no_delete"
  BEFORE DELETE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();--> statement-breakpoint
CREATE FUNCTION audit_events_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('relais.audit_redaction', true), '') <> 'on'
     OR (NEW.id, NEW.occurred_at, NEW.territory_id, NEW.actor_user_id, NEW.actor_token_id, NEW.type,
         NEW.target_type, NEW.target_id, NEW.ip, NEW.request_id)
        IS DISTINCT FROM
        (OLD.id, OLD.occurred_at, OLD.territory_id, OLD.actor_user_id, OLD.actor_token_id, OLD.type,
         OLD.target_type, OLD.target_id, OLD.ip, OLD.request_id) THEN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_redact_only"
  BEFORE UPDATE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_redact_only();
--> statement-breakpoint
-- Erasure and retention find the journal entries that name a person in their data (visits,
-- mandates, consents) without reading the whole journal. Declared here, not in the drizzle schema,
-- like the trigger above.
CREATE INDEX "audit_events_data_person" ON "audit_events" USING btree (("data"->>'personId'));
