-- French full-text search with accents ignored: the french configuration with unaccent before the
-- Snowball stemmer (unaccent is installed by 0000). Used as 'relais_fr' by knowledge/search.ts.
CREATE TEXT SEARCH CONFIGURATION relais_fr (COPY = french);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION relais_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
--> statement-breakpoint
CREATE TABLE "kb_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"sheet_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"context" text NOT NULL,
	"target" text DEFAULT '' NOT NULL,
	"helpful" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_feedback_one" UNIQUE("sheet_id","user_id","context","target")
);
--> statement-breakpoint
CREATE TABLE "kb_lexicon" (
	"territory_id" uuid NOT NULL,
	"word" text NOT NULL,
	"lexeme" text NOT NULL,
	CONSTRAINT "kb_lexicon_territory_id_word_pk" PRIMARY KEY("territory_id","word")
);
--> statement-breakpoint
CREATE TABLE "kb_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"sheet_id" uuid NOT NULL,
	"base_version" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"sections" jsonb NOT NULL,
	"comment" text NOT NULL,
	"status" text DEFAULT 'ouverte' NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewer_id" uuid,
	"review_comment" text,
	"reviewed_at" timestamp with time zone,
	"resulting_version" integer
);
--> statement-breakpoint
CREATE TABLE "kb_sheet_versions" (
	"sheet_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"territory_id" uuid NOT NULL,
	"organisation_id" uuid,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"themes" text[] NOT NULL,
	"keywords" text[] NOT NULL,
	"sections" jsonb NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"author_id" uuid,
	"proposal_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_sheet_versions_sheet_id_version_pk" PRIMARY KEY("sheet_id","version")
);
--> statement-breakpoint
CREATE TABLE "kb_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"organisation_id" uuid,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"sections" jsonb NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"body_text" text DEFAULT '' NOT NULL,
	"search" "tsvector" NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by_id" uuid,
	"verified_by_name" text,
	"review_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_id" uuid,
	CONSTRAINT "kb_sheets_slug" UNIQUE("territory_id","slug")
);
--> statement-breakpoint
CREATE TABLE "kb_synonyms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"territory_id" uuid NOT NULL,
	"terms" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_sheet_id_kb_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."kb_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_lexicon" ADD CONSTRAINT "kb_lexicon_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_proposals" ADD CONSTRAINT "kb_proposals_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_proposals" ADD CONSTRAINT "kb_proposals_sheet_id_kb_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."kb_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_proposals" ADD CONSTRAINT "kb_proposals_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_proposals" ADD CONSTRAINT "kb_proposals_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheet_versions" ADD CONSTRAINT "kb_sheet_versions_sheet_id_kb_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."kb_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheet_versions" ADD CONSTRAINT "kb_sheet_versions_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheet_versions" ADD CONSTRAINT "kb_sheet_versions_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheet_versions" ADD CONSTRAINT "kb_sheet_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheets" ADD CONSTRAINT "kb_sheets_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheets" ADD CONSTRAINT "kb_sheets_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheets" ADD CONSTRAINT "kb_sheets_verified_by_id_users_id_fk" FOREIGN KEY ("verified_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheets" ADD CONSTRAINT "kb_sheets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sheets" ADD CONSTRAINT "kb_sheets_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_synonyms" ADD CONSTRAINT "kb_synonyms_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_feedback_sheet" ON "kb_feedback" USING btree ("sheet_id","created_at");--> statement-breakpoint
CREATE INDEX "kb_lexicon_lexeme" ON "kb_lexicon" USING btree ("territory_id","lexeme");--> statement-breakpoint
CREATE INDEX "kb_lexicon_trgm" ON "kb_lexicon" USING gist ("territory_id","word" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "kb_proposals_open" ON "kb_proposals" USING btree ("territory_id","status","created_at");--> statement-breakpoint
CREATE INDEX "kb_proposals_sheet" ON "kb_proposals" USING btree ("sheet_id");--> statement-breakpoint
CREATE INDEX "kb_sheets_search" ON "kb_sheets" USING gin ("search");--> statement-breakpoint
CREATE INDEX "kb_sheets_organisation" ON "kb_sheets" USING btree ("territory_id","organisation_id");--> statement-breakpoint
CREATE INDEX "kb_sheets_themes" ON "kb_sheets" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "kb_synonyms_territory" ON "kb_synonyms" USING btree ("territory_id");