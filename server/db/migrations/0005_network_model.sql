CREATE TABLE "bus_stops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"commune" text NOT NULL,
	"insee_code" text,
	"place" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"note" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bus_stops_interval" CHECK ("bus_stops"."ends_at" > "bus_stops"."starts_at"),
	CONSTRAINT "bus_stops_insee" CHECK ("bus_stops"."insee_code" IS NULL OR "bus_stops"."insee_code" ~ '^[0-9][0-9AB][0-9]{3}$')
);
--> statement-breakpoint
CREATE TABLE "contact_point_partners" (
	"territory_id" uuid NOT NULL,
	"contact_point_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_point_partners_contact_point_id_organisation_id_pk" PRIMARY KEY("contact_point_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "network_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"file_name" text NOT NULL,
	"content" text,
	"dry_run" boolean DEFAULT false NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "partner_referents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"full_name" text NOT NULL,
	"title" text,
	"email" text,
	"phone" text,
	"availability" text,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"user_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "matricule" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "label_date" date;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "address_complement" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "postcode" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "managing_body" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "managing_body_type" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "accessibility" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "wheelchair_accessible" boolean;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "opening_hours" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "hours_review" text;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "themes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "source" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "contact_points" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "themes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "procedures" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "links" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "bus_stops" ADD CONSTRAINT "bus_stops_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bus_stops" ADD CONSTRAINT "bus_stops_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_point_partners" ADD CONSTRAINT "contact_point_partners_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_point_partners" ADD CONSTRAINT "contact_point_partners_contact_point_id_contact_points_id_fk" FOREIGN KEY ("contact_point_id") REFERENCES "public"."contact_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_point_partners" ADD CONSTRAINT "contact_point_partners_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_imports" ADD CONSTRAINT "network_imports_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_referents" ADD CONSTRAINT "partner_referents_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_referents" ADD CONSTRAINT "partner_referents_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bus_stops_contact_point_time" ON "bus_stops" USING btree ("contact_point_id","starts_at");--> statement-breakpoint
CREATE INDEX "bus_stops_territory_time" ON "bus_stops" USING btree ("territory_id","starts_at");--> statement-breakpoint
CREATE INDEX "contact_point_partners_organisation" ON "contact_point_partners" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "network_imports_territory" ON "network_imports" USING btree ("territory_id","created_at");--> statement-breakpoint
CREATE INDEX "partner_referents_organisation" ON "partner_referents" USING btree ("territory_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_points_territory_matricule" ON "contact_points" USING btree ("territory_id","matricule");--> statement-breakpoint
CREATE INDEX "contact_points_insee" ON "contact_points" USING btree ("insee_code");--> statement-breakpoint
ALTER TABLE "contact_points" ADD CONSTRAINT "contact_points_postcode" CHECK ("contact_points"."postcode" IS NULL OR "contact_points"."postcode" ~ '^[0-9]{5}$');--> statement-breakpoint
ALTER TABLE "contact_points" ADD CONSTRAINT "contact_points_coordinates" CHECK (("contact_points"."latitude" IS NULL) = ("contact_points"."longitude" IS NULL) AND ("contact_points"."latitude" IS NULL OR ("contact_points"."latitude" BETWEEN -90 AND 90 AND "contact_points"."longitude" BETWEEN -180 AND 180)));