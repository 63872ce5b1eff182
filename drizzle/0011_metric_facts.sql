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
ALTER TABLE "transitions" ADD COLUMN "reopened" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "transitions" ADD COLUMN "moved_backwards" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "day_facts_teams" ADD CONSTRAINT "day_facts_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transitions_team_open" ON "transitions" USING btree ("team_id",coalesce("until", 'infinity'::timestamptz));--> statement-breakpoint
CREATE INDEX "transitions_team_in_progress_open" ON "transitions" USING btree ("team_id",coalesce("until", 'infinity'::timestamptz)) WHERE "transitions"."category" = 'in_progress';--> statement-breakpoint
-- Stored histories get the facts the import now derives: a move out of done (reopened) and a
-- move to an earlier status not from done (moved_backwards), each true from that transition on.
UPDATE "transitions" AS t SET "reopened" = x.reopened, "moved_backwards" = x.moved_backwards
FROM (
  SELECT item_id, seq,
    coalesce(bool_or(prev_category = 'done' AND category <> 'done') OVER w, false) AS reopened,
    coalesce(bool_or(prev_category <> 'done' AND position < prev_position) OVER w, false) AS moved_backwards
  FROM (
    SELECT s.item_id, s.seq, s.category, ws.position,
      lag(s.category) OVER p AS prev_category, lag(ws.position) OVER p AS prev_position
    FROM "transitions" s
    LEFT JOIN "workflow_statuses" ws ON ws.team_id = s.team_id AND ws.name = s.status
    WINDOW p AS (PARTITION BY s.item_id ORDER BY s.seq)
  ) y
  WINDOW w AS (PARTITION BY item_id ORDER BY seq)
) x
WHERE x.item_id = t.item_id AND x.seq = t.seq AND (x.reopened OR x.moved_backwards);
