CREATE TABLE "notification_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'immediat' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid,
	"user_id" uuid NOT NULL,
	"request_id" uuid,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"not_before" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"digested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_request_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"territory_id" uuid NOT NULL,
	"first_answer_days" integer DEFAULT 4 NOT NULL,
	"follow_up_days" integer DEFAULT 4 NOT NULL,
	"theme_days" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required_identifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"business_hours" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"territory_id" uuid NOT NULL,
	"message_id" uuid,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"scan_status" text DEFAULT 'non_analyse' NOT NULL,
	"uploaded_by" uuid,
	"uploaded_by_token_id" uuid,
	"side" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"territory_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"actor_user_id" uuid,
	"actor_token_id" uuid,
	"side" text NOT NULL,
	"organisation_id" uuid,
	"message_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"territory_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"side" text NOT NULL,
	"author_user_id" uuid,
	"author_token_id" uuid,
	"author_organisation_id" uuid,
	"internal" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"idempotency_scope" text,
	"idempotency_key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"territory_id" uuid NOT NULL,
	"user_id" uuid,
	"organisation_id" uuid,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "request_participants_who" CHECK ("request_participants"."user_id" IS NOT NULL OR "request_participants"."organisation_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "request_reads" (
	"request_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_event_id" bigint NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "request_reads_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"status_code_hash" text NOT NULL,
	"status_code_sealed" text,
	"contact_point_id" uuid NOT NULL,
	"created_by" uuid,
	"organisation_id" uuid NOT NULL,
	"addressed_to_user_id" uuid,
	"assignee_user_id" uuid,
	"person_id" uuid,
	"visit_id" uuid,
	"theme_code" text,
	"procedure" text,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"identifiers_sealed" text,
	"consent_kind" text,
	"consent_id" uuid,
	"mandate_id" uuid,
	"status" text NOT NULL,
	"first_answer_days" integer NOT NULL,
	"follow_up_days" integer NOT NULL,
	"due_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"first_answered_at" timestamp with time zone,
	"last_message_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"wiped_at" timestamp with time zone,
	"usefulness" text,
	"idempotency_scope" text,
	"idempotency_key" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_lookup_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"territory_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'en_attente' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"events" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_request_settings" ADD CONSTRAINT "partner_request_settings_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_request_settings" ADD CONSTRAINT "partner_request_settings_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_attachments" ADD CONSTRAINT "request_attachments_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_attachments" ADD CONSTRAINT "request_attachments_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_messages" ADD CONSTRAINT "request_messages_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_messages" ADD CONSTRAINT "request_messages_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_participants" ADD CONSTRAINT "request_participants_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_participants" ADD CONSTRAINT "request_participants_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_reads" ADD CONSTRAINT "request_reads_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_pending" ON "notifications" USING btree ("not_before") WHERE "notifications"."sent_at" IS NULL AND "notifications"."digested_at" IS NULL;--> statement-breakpoint
CREATE INDEX "notifications_user" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_mails_to" ON "outbox_mails" USING btree ("to_address","created_at");--> statement-breakpoint
CREATE INDEX "outbox_mails_territory" ON "outbox_mails" USING btree ("territory_id","created_at");--> statement-breakpoint
CREATE INDEX "request_attachments_request" ON "request_attachments" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_events_request" ON "request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "request_events_kind_time" ON "request_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "request_messages_request" ON "request_messages" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "request_messages_idempotency" ON "request_messages" USING btree ("idempotency_scope","idempotency_key");--> statement-breakpoint
CREATE INDEX "request_participants_request" ON "request_participants" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_participants_user" ON "request_participants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "request_participants_organisation" ON "request_participants" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "request_reads_user" ON "request_reads" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_reference" ON "requests" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_idempotency" ON "requests" USING btree ("idempotency_scope","idempotency_key");--> statement-breakpoint
CREATE INDEX "requests_inbox" ON "requests" USING btree ("organisation_id","due_at","id") WHERE "requests"."status" IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee');--> statement-breakpoint
CREATE INDEX "requests_organisation_time" ON "requests" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_inbox_counts" ON "requests" USING btree ("organisation_id","status","assignee_user_id","territory_id") WHERE "requests"."status" IN ('envoyee', 'en_cours', 'attente_infos', 'repondue', 'cloturee');--> statement-breakpoint
CREATE INDEX "requests_contact_point_time" ON "requests" USING btree ("contact_point_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_territory_time" ON "requests" USING btree ("territory_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_person" ON "requests" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "requests_due" ON "requests" USING btree ("due_at") WHERE "requests"."due_at" IS NOT NULL AND "requests"."status" IN ('envoyee', 'en_cours', 'repondue');--> statement-breakpoint
CREATE INDEX "requests_archived" ON "requests" USING btree ("territory_id","archived_at") WHERE "requests"."archived_at" IS NOT NULL AND "requests"."wiped_at" IS NULL;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending" ON "webhook_deliveries" USING btree ("created_at") WHERE "webhook_deliveries"."status" = 'en_attente';--> statement-breakpoint
CREATE INDEX "webhooks_organisation" ON "webhooks" USING btree ("organisation_id");--> statement-breakpoint
-- References RLS-<year>-<n>: one global counter (a sequence never hands out the same number twice,
-- even to concurrent transactions; a rolled-back create leaves a gap, which is fine).
CREATE SEQUENCE "request_reference_seq" START 1;--> statement-breakpoint
-- The request log is append-only: DELETE and TRUNCATE refused; an UPDATE only of the data column and
-- only inside a transaction that set relais.request_wipe = 'on' (the retention wipe of personal data).
CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'request_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "request_events_no_delete"
  BEFORE DELETE OR TRUNCATE ON "request_events"
  FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only();--> statement-breakpoint
CREATE FUNCTION request_events_wipe_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('relais.request_wipe', true), '') <> 'on'
     OR (NEW.id, NEW.request_id, NEW.territory_id, NEW.at, NEW.kind, NEW.actor_user_id, NEW.actor_token_id,
         NEW.side, NEW.organisation_id, NEW.message_id)
        IS DISTINCT FROM
        (OLD.id, OLD.request_id, OLD.territory_id, OLD.at, OLD.kind, OLD.actor_user_id, OLD.actor_token_id,
         OLD.side, OLD.organisation_id, OLD.message_id) THEN
    RAISE EXCEPTION 'request_events is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "request_events_wipe_only"
  BEFORE UPDATE ON "request_events"
  FOR EACH ROW EXECUTE FUNCTION request_events_wipe_only();
