CREATE TYPE "public"."import_source_kind" AS ENUM('url', 'file');--> statement-breakpoint
CREATE TABLE "import_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"cron" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"source_kind" "import_source_kind" NOT NULL,
	"source" text NOT NULL,
	"auth_env" text,
	"aggregation" "kpi_aggregation" DEFAULT 'sum' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "schedule_id" integer;