CREATE TABLE "day_facts_teams" (
	"team_id" integer PRIMARY KEY NOT NULL,
	"timezone" text NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "day_status_facts" (
	"team_id" integer NOT NULL,
	"day" date NOT NULL,
	"item_type" text NOT NULL,
	"status" text NOT NULL,
	"end_of_day" integer NOT NULL,
	"any_instant" integer NOT NULL,
	CONSTRAINT "day_status_facts_team_id_day_item_type_status_pk" PRIMARY KEY("team_id","day","item_type","status")
);
--> statement-breakpoint
CREATE TABLE "day_wip_facts" (
	"team_id" integer NOT NULL,
	"day" date NOT NULL,
	"item_type" text NOT NULL,
	"delta" integer NOT NULL,
	CONSTRAINT "day_wip_facts_team_id_day_item_type_pk" PRIMARY KEY("team_id","day","item_type")
);
--> statement-breakpoint
ALTER TABLE "day_facts_teams" ADD CONSTRAINT "day_facts_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transitions_team_until" ON "transitions" USING btree ("team_id","until");--> statement-breakpoint
CREATE INDEX "transitions_team_in_progress_open" ON "transitions" USING btree ("team_id",coalesce("until", 'infinity'::timestamptz)) WHERE "transitions"."category" = 'in_progress';