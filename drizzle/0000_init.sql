CREATE TYPE "public"."status_category" AS ENUM('todo', 'in_progress', 'done');--> statement-breakpoint
CREATE TYPE "public"."kpi_aggregation" AS ENUM('sum', 'last', 'avg');--> statement-breakpoint
CREATE TYPE "public"."import_kind" AS ENUM('history', 'kpi');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "blocks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"team_id" integer NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"end" timestamp with time zone,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" serial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"due_on" date,
	"shipped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"wip_limit" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "transitions" (
	"item_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"team_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"until" timestamp with time zone,
	"from_status" text,
	"status" text NOT NULL,
	"category" "status_category" NOT NULL,
	"blocked" boolean NOT NULL,
	"discarded" boolean NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "transitions_item_id_seq_pk" PRIMARY KEY("item_id","seq")
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" integer NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"milestone_key" text,
	"url" text,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow_statuses" (
	"team_id" integer NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"category" "status_category" NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"discarded" boolean DEFAULT false NOT NULL,
	"wip_limit" integer,
	CONSTRAINT "workflow_statuses_team_id_name_pk" PRIMARY KEY("team_id","name")
);
--> statement-breakpoint
CREATE TABLE "kpi_points" (
	"kpi_id" integer NOT NULL,
	"date" date NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "kpi_points_kpi_id_date_segment_pk" PRIMARY KEY("kpi_id","date","segment")
);
--> statement-breakpoint
CREATE TABLE "kpis" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"unit" text,
	"aggregation" "kpi_aggregation" NOT NULL,
	CONSTRAINT "kpis_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" "import_kind" NOT NULL,
	"source" text NOT NULL,
	"team_key" text,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_statuses" ADD CONSTRAINT "workflow_statuses_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_points" ADD CONSTRAINT "kpi_points_kpi_id_kpis_id_fk" FOREIGN KEY ("kpi_id") REFERENCES "public"."kpis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blocks_item" ON "blocks" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "blocks_team" ON "blocks" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "milestones_team_key" ON "milestones" USING btree ("team_id","key");--> statement-breakpoint
CREATE INDEX "transitions_team_at" ON "transitions" USING btree ("team_id","at");--> statement-breakpoint
CREATE INDEX "transitions_team_finished" ON "transitions" USING btree ("team_id","finished_at") WHERE "transitions"."finished_at" is not null and not "transitions"."discarded";--> statement-breakpoint
CREATE INDEX "transitions_team_in_progress" ON "transitions" USING btree ("team_id","at") WHERE "transitions"."category" = 'in_progress';--> statement-breakpoint
CREATE INDEX "transitions_team_blocked" ON "transitions" USING btree ("team_id","at") WHERE "transitions"."blocked";--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_team_key" ON "work_items" USING btree ("team_id","key");--> statement-breakpoint
CREATE INDEX "work_items_team_milestone" ON "work_items" USING btree ("team_id","milestone_key");