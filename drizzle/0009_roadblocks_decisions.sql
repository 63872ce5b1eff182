CREATE TABLE "decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"title" text NOT NULL,
	"rationale" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" integer,
	"item_keys" text[] DEFAULT '{}' NOT NULL,
	"milestone_keys" text[] DEFAULT '{}' NOT NULL,
	"roadblock_id" integer,
	"show_on_charts" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roadblock_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"roadblock_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"kind" text NOT NULL,
	"decision" text,
	"text" text,
	"ends_block" boolean
);
--> statement-breakpoint
CREATE TABLE "roadblocks" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"item_key" text NOT NULL,
	"problem" text NOT NULL,
	"proposal" text NOT NULL,
	"support_needed" text,
	"since" timestamp with time zone NOT NULL,
	"reported_by" integer,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision" text,
	"decision_text" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "blocks" ADD COLUMN "roadblock_id" integer;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_roadblock_id_roadblocks_id_fk" FOREIGN KEY ("roadblock_id") REFERENCES "public"."roadblocks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roadblock_events" ADD CONSTRAINT "roadblock_events_roadblock_id_roadblocks_id_fk" FOREIGN KEY ("roadblock_id") REFERENCES "public"."roadblocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roadblock_events" ADD CONSTRAINT "roadblock_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roadblocks" ADD CONSTRAINT "roadblocks_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roadblocks" ADD CONSTRAINT "roadblocks_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roadblocks" ADD CONSTRAINT "roadblocks_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_team" ON "decisions" USING btree ("team_id","decided_at");--> statement-breakpoint
CREATE INDEX "roadblock_events_roadblock" ON "roadblock_events" USING btree ("roadblock_id","at");--> statement-breakpoint
CREATE INDEX "roadblocks_team" ON "roadblocks" USING btree ("team_id","reported_at");--> statement-breakpoint
CREATE INDEX "blocks_roadblock" ON "blocks" USING btree ("roadblock_id");