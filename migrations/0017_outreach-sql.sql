-- Outreach key columns in C collation, as for every other module's keys (see 0002): ids are machine
-- identifiers compared byte by byte.
ALTER TABLE "outreach_settings" ALTER COLUMN "tenant_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_templates" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_messages" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "campaign_id" TYPE text COLLATE "C", ALTER COLUMN "template_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_message_events" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "message_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_suppressions" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "source_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_segments" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_campaigns" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "segment_id" TYPE text COLLATE "C", ALTER COLUMN "template_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_journeys" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_enrollments" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "journey_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "trigger_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_customer_tiers" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outreach_feedback_scores" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "response_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";
