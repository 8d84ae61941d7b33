-- Foreign-key checks on a new tenant's rows probe the primary key again, on every table a foreign key
-- points at (as 0051 did for conversations). PostgreSQL checks that a case activity has its case, a
-- message event its message, a script step its run (tenant_id, id) = ($1, $2); the planner, which
-- believes a new tenant (rows stored since the last ANALYZE) has a row or two, found any other index led
-- by tenant_id as cheap as the primary key and took it: each check then read every message or run of
-- the tenant (2,000 pages at 2,000 outreach messages). Other indexes on these tables are led by their
-- own column; their uses look it up by equality. inbox_messages_external_idx went: external_key, now
-- led by external_id, answers its lookups. knowledge_articles_updated_idx stays led by tenant_id, as
-- the article list pages by it (test/foreign-key-checks.test.ts names it).
DROP INDEX "inbox_messages_external_idx";--> statement-breakpoint
DROP INDEX "users_email_key";--> statement-breakpoint
DROP INDEX "inbox_messages_external_key";--> statement-breakpoint
DROP INDEX "inbox_messages_conversation_idx";--> statement-breakpoint
DROP INDEX "knowledge_articles_translation_idx";--> statement-breakpoint
DROP INDEX "knowledge_articles_category_idx";--> statement-breakpoint
DROP INDEX "knowledge_categories_slug_idx";--> statement-breakpoint
DROP INDEX "knowledge_script_runs_conversation_idx";--> statement-breakpoint
DROP INDEX "knowledge_scripts_case_type_idx";--> statement-breakpoint
DROP INDEX "cases_source_key";--> statement-breakpoint
DROP INDEX "cases_status_idx";--> statement-breakpoint
DROP INDEX "cases_customer_idx";--> statement-breakpoint
DROP INDEX "cases_issue_idx";--> statement-breakpoint
DROP INDEX "outreach_journeys_trigger_idx";--> statement-breakpoint
DROP INDEX "outreach_messages_customer_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email","tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_messages_external_key" ON "inbox_messages" USING btree ("external_id","tenant_id","channel_id");--> statement-breakpoint
CREATE INDEX "inbox_messages_conversation_idx" ON "inbox_messages" USING btree ("conversation_id","tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_articles_translation_idx" ON "knowledge_articles" USING btree ("group_id","tenant_id","language");--> statement-breakpoint
CREATE INDEX "knowledge_articles_category_idx" ON "knowledge_articles" USING btree ("category_id","tenant_id","language");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_categories_slug_idx" ON "knowledge_categories" USING btree ("slug","tenant_id");--> statement-breakpoint
CREATE INDEX "knowledge_script_runs_conversation_idx" ON "knowledge_script_runs" USING btree ("conversation_id","tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "knowledge_scripts_case_type_idx" ON "knowledge_scripts" USING btree ("case_type","tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_source_key" ON "cases" USING btree ("source_id","tenant_id","source_type");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_customer_idx" ON "cases" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE INDEX "cases_issue_idx" ON "cases" USING btree ("issue_id","tenant_id");--> statement-breakpoint
CREATE INDEX "outreach_journeys_trigger_idx" ON "outreach_journeys" USING btree ("trigger","tenant_id");--> statement-breakpoint
CREATE INDEX "outreach_messages_customer_idx" ON "outreach_messages" USING btree ("customer_id","tenant_id","purpose","scheduled_at");