ALTER TABLE "outreach_settings" ADD COLUMN "statements" jsonb;--> statement-breakpoint
ALTER TABLE "outreach_settings" ADD COLUMN "track_email" boolean DEFAULT true NOT NULL;