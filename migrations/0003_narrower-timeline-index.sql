DROP INDEX "customer_events_timeline_idx";--> statement-breakpoint
CREATE INDEX "customer_events_timeline_idx" ON "customer_events" USING btree ("tenant_id","customer_id","occurred_at");