ALTER TABLE "knowledge_searches" ADD COLUMN "customer_id" text;--> statement-breakpoint
CREATE INDEX "knowledge_searches_customer_idx" ON "knowledge_searches" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "knowledge_searches_conversation_idx" ON "knowledge_searches" USING btree ("tenant_id","conversation_id");