CREATE TABLE "mandates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"scope" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"consent_method" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"renewed_from_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"document_expired_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"birth_name" text,
	"birth_date" date,
	"phone" text,
	"email" text,
	"preferred_language" text,
	"address" text,
	"postcode" text,
	"commune" text,
	"nir_sealed" text,
	"nir_hash" text,
	"caf_number_sealed" text,
	"tax_number_sealed" text,
	"france_travail_id_sealed" text,
	"search_name" text NOT NULL,
	"informed_at" timestamp with time zone,
	"informed_how" text,
	"merged_into_id" uuid,
	"anonymised_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"how" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_contact_points" (
	"territory_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_contact_points_person_id_contact_point_id_pk" PRIMARY KEY("person_id","contact_point_id")
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"to_sealed" text NOT NULL,
	"body" text NOT NULL,
	"purpose" text NOT NULL,
	"delivered" boolean DEFAULT false NOT NULL,
	"provider_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reporting_group_themes" (
	"territory_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"theme_code" text NOT NULL,
	CONSTRAINT "reporting_group_themes_territory_id_theme_code_pk" PRIMARY KEY("territory_id","theme_code")
);
--> statement-breakpoint
CREATE TABLE "reporting_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reporting_groups_code" UNIQUE("territory_id","code")
);
--> statement-breakpoint
CREATE TABLE "territory_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"parent_code" text,
	"organisation_id" uuid,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "territory_themes_code" UNIQUE("territory_id","code")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"agent_user_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"organisation_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"theme_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"actions" text[] DEFAULT '{}'::text[] NOT NULL,
	"autonomy" text,
	"duration_minutes" integer,
	"comment" text,
	"person_id" uuid,
	"bus_stop_id" uuid,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"corrected_at" timestamp with time zone,
	CONSTRAINT "visits_duration" CHECK ("visits"."duration_minutes" IS NULL OR "visits"."duration_minutes" BETWEEN 0 AND 1440)
);
--> statement-breakpoint
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mandates" ADD CONSTRAINT "mandates_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact_points" ADD CONSTRAINT "person_contact_points_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact_points" ADD CONSTRAINT "person_contact_points_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact_points" ADD CONSTRAINT "person_contact_points_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_group_themes" ADD CONSTRAINT "reporting_group_themes_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_group_themes" ADD CONSTRAINT "reporting_group_themes_group_id_reporting_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."reporting_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reporting_groups" ADD CONSTRAINT "reporting_groups_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "territory_themes" ADD CONSTRAINT "territory_themes_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_bus_stop_id_bus_stops_id_fk" FOREIGN KEY ("bus_stop_id") REFERENCES "public"."bus_stops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mandates_person" ON "mandates" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "mandates_contact_point" ON "mandates" USING btree ("contact_point_id","ends_at");--> statement-breakpoint
CREATE INDEX "people_territory" ON "people" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "people_search_name" ON "people" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "people_nir_hash" ON "people" USING btree ("territory_id","nir_hash");--> statement-breakpoint
CREATE INDEX "people_birth_date" ON "people" USING btree ("territory_id","birth_date");--> statement-breakpoint
CREATE INDEX "people_phone" ON "people" USING btree ("territory_id","phone");--> statement-breakpoint
CREATE INDEX "person_consents_person" ON "person_consents" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_contact_points_cp" ON "person_contact_points" USING btree ("contact_point_id");--> statement-breakpoint
CREATE INDEX "sms_messages_territory" ON "sms_messages" USING btree ("territory_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_idempotency" ON "visits" USING btree ("agent_user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "visits_territory_time" ON "visits" USING btree ("territory_id","occurred_at");--> statement-breakpoint
CREATE INDEX "visits_contact_point_time" ON "visits" USING btree ("contact_point_id","occurred_at");--> statement-breakpoint
CREATE INDEX "visits_person" ON "visits" USING btree ("person_id");