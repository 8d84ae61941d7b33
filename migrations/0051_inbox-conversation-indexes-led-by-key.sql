-- Foreign-key checks on a new tenant's conversations probe the primary key again. PostgreSQL's check
-- that each stored message and assignment has its conversation is (tenant_id, id) = ($1, $2); the
-- planner, which believes a new tenant (not yet in the statistics) has a row or two, found any other
-- index led by tenant_id alone as cheap as the primary key and took the customer index: each check
-- then read every conversation of the tenant (5 ms a row at 5,000 conversations, under the team lock,
-- in the inbox bench's first minute). Indexes other than the primary key are led by their own column,
-- so only the primary key can answer tenant_id and id. Their uses look up both columns by equality.
DROP INDEX "inbox_conversations_customer_idx";--> statement-breakpoint
CREATE INDEX "inbox_conversations_customer_idx" ON "inbox_conversations" USING btree ("customer_id","tenant_id","created_at");--> statement-breakpoint
DROP INDEX "inbox_conversations_reply_token_key";--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_conversations_reply_token_key" ON "inbox_conversations" USING btree ("reply_token","tenant_id");
