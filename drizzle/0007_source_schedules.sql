ALTER TABLE "sources" ADD COLUMN "cron" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;