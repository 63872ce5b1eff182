CREATE TABLE "blocked_facts_teams" (
	"team_id" integer PRIMARY KEY NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_blocked_facts" (
	"item_id" bigint PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"blocked_ms" double precision NOT NULL,
	"open_since" timestamp with time zone,
	"open_reasons" jsonb NOT NULL,
	"by_reason" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "first_transition_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "blocked_facts_teams" ADD CONSTRAINT "blocked_facts_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "item_blocked_facts_team" ON "item_blocked_facts" USING btree ("team_id","valid_from");--> statement-breakpoint
-- Stored items get their first transition's instant, as the import now writes it.
UPDATE "work_items" SET "first_transition_at" = t."at" FROM "transitions" t WHERE t."item_id" = "work_items"."id" AND t."seq" = 0;
