ALTER TABLE "outreach_templates" ADD COLUMN "variables" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_messages" DROP CONSTRAINT "outreach_messages_status_check";--> statement-breakpoint
ALTER TABLE "outreach_messages" ADD CONSTRAINT "outreach_messages_status_check" CHECK ("outreach_messages"."status" IN ('queued','sending','sent','delivered','opened','clicked','failed','bounced','dropped','suppressed','cancelled','skipped'));
