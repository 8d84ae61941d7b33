-- A new tenant's rows are found by their keys, whatever the statistics say (as 0051 did for
-- conversations). The planner, which believes a tenant not yet in the statistics (rows stored since the
-- last ANALYZE) has a row or two, found any other index led by tenant_id as cheap as the key and took
-- it: each look-up then read all of the tenant's rows. PostgreSQL's own foreign-key checks look up
-- (tenant_id, id) = ($1, $2) for every case activity, message event, script step and attachment stored
-- (2,020 pages each at 2,000 outreach messages); the ledger looks up a write's idempotency key on every
-- earn and spend; a response finds its invitation, a portal request its session, a till its voucher.
-- On those tables the other indexes are now led by their own column; their uses look it up by
-- equality. inbox_messages_external_idx went: external_key, now led by external_id, answers its
-- look-ups. knowledge_articles_updated_idx and survey_responses_measure_idx stay led by tenant_id, as a
-- tenant's list and its measures range over them (test/new-tenant-lookups.test.ts names them).
DROP INDEX "inbox_messages_external_idx";--> statement-breakpoint
DROP INDEX "users_email_key";--> statement-breakpoint
DROP INDEX "survey_invitations_customer_idx";--> statement-breakpoint
DROP INDEX "survey_invitations_survey_idx";--> statement-breakpoint
DROP INDEX "survey_responses_customer_idx";--> statement-breakpoint
DROP INDEX "survey_schedules_customer_idx";--> statement-breakpoint
DROP INDEX "inbox_messages_external_key";--> statement-breakpoint
DROP INDEX "inbox_messages_conversation_idx";--> statement-breakpoint
DROP INDEX "knowledge_articles_translation_idx";--> statement-breakpoint
DROP INDEX "knowledge_articles_category_idx";--> statement-breakpoint
DROP INDEX "knowledge_categories_slug_idx";--> statement-breakpoint
DROP INDEX "knowledge_script_runs_conversation_idx";--> statement-breakpoint
DROP INDEX "knowledge_scripts_case_type_idx";--> statement-breakpoint
DROP INDEX "case_notices_customer_idx";--> statement-breakpoint
DROP INDEX "cases_source_key";--> statement-breakpoint
DROP INDEX "cases_status_idx";--> statement-breakpoint
DROP INDEX "cases_customer_idx";--> statement-breakpoint
DROP INDEX "cases_issue_idx";--> statement-breakpoint
DROP INDEX "loyalty_redemptions_customer_idx";--> statement-breakpoint
DROP INDEX "loyalty_transactions_customer_idx";--> statement-breakpoint
DROP INDEX "loyalty_transactions_reference_idx";--> statement-breakpoint
DROP INDEX "outreach_enrollments_customer_idx";--> statement-breakpoint
DROP INDEX "outreach_journeys_trigger_idx";--> statement-breakpoint
DROP INDEX "outreach_messages_customer_idx";--> statement-breakpoint
DROP INDEX "portal_sessions_customer_idx";--> statement-breakpoint
DROP INDEX "portal_sign_ins_destination_idx";--> statement-breakpoint
DROP INDEX "portal_sign_ins_address_idx";--> statement-breakpoint
DROP INDEX "portal_sign_ins_customer_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email","tenant_id");--> statement-breakpoint
CREATE INDEX "survey_invitations_customer_idx" ON "survey_invitations" USING btree ("customer_id","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_invitations_survey_idx" ON "survey_invitations" USING btree ("survey_id","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE INDEX "survey_schedules_customer_idx" ON "survey_schedules" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_messages_external_key" ON "inbox_messages" USING btree ("external_id","tenant_id","channel_id");--> statement-breakpoint
CREATE INDEX "inbox_messages_conversation_idx" ON "inbox_messages" USING btree ("conversation_id","tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_articles_translation_idx" ON "knowledge_articles" USING btree ("group_id","tenant_id","language");--> statement-breakpoint
CREATE INDEX "knowledge_articles_category_idx" ON "knowledge_articles" USING btree ("category_id","tenant_id","language");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_categories_slug_idx" ON "knowledge_categories" USING btree ("slug","tenant_id");--> statement-breakpoint
CREATE INDEX "knowledge_script_runs_conversation_idx" ON "knowledge_script_runs" USING btree ("conversation_id","tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "knowledge_scripts_case_type_idx" ON "knowledge_scripts" USING btree ("case_type","tenant_id");--> statement-breakpoint
CREATE INDEX "case_notices_customer_idx" ON "case_notices" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_source_key" ON "cases" USING btree ("source_id","tenant_id","source_type");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_customer_idx" ON "cases" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE INDEX "cases_issue_idx" ON "cases" USING btree ("issue_id","tenant_id");--> statement-breakpoint
CREATE INDEX "loyalty_redemptions_customer_idx" ON "loyalty_redemptions" USING btree ("customer_id","tenant_id","reward_id");--> statement-breakpoint
CREATE INDEX "loyalty_transactions_customer_idx" ON "loyalty_transactions" USING btree ("customer_id","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "loyalty_transactions_reference_idx" ON "loyalty_transactions" USING btree ("reference","tenant_id");--> statement-breakpoint
CREATE INDEX "outreach_enrollments_customer_idx" ON "outreach_enrollments" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE INDEX "outreach_journeys_trigger_idx" ON "outreach_journeys" USING btree ("trigger","tenant_id");--> statement-breakpoint
CREATE INDEX "outreach_messages_customer_idx" ON "outreach_messages" USING btree ("customer_id","tenant_id","purpose","scheduled_at");--> statement-breakpoint
CREATE INDEX "portal_sessions_customer_idx" ON "portal_sessions" USING btree ("customer_id","tenant_id");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_destination_idx" ON "portal_sign_ins" USING btree ("destination_hash","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_address_idx" ON "portal_sign_ins" USING btree ("requested_from","tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_customer_idx" ON "portal_sign_ins" USING btree ("customer_id","tenant_id");