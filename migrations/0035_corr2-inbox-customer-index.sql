-- Finding a customer's open conversation, and their messages, through indexes led by customer_id
-- (customer ids are unique across tenants). Led by tenant_id, these indexes also serve "the tenant's
-- open conversations", and for a tenant newer than the table's statistics the planner walked all of
-- them per incoming message: the inbox's first minute on a fresh database.
CREATE INDEX "inbox_conversations_open_customer_idx" ON "inbox_conversations" USING btree ("customer_id","tenant_id") WHERE "inbox_conversations"."status" <> 'resolved';--> statement-breakpoint
DROP INDEX "inbox_messages_customer_idx";--> statement-breakpoint
CREATE INDEX "inbox_messages_customer_idx" ON "inbox_messages" USING btree ("customer_id","tenant_id");
