-- The views feedback, loop, loyalty, inbox and listening publish for other modules' set-based reads
-- (analytics' roll-up refresh and its measures), as customers and events did in 0043: each is the owning
-- module's contract, declared in its schema.ts, and holds the columns readers use, tenant_id first, no
-- personal data (no open text, message bodies, authors or notes). Each is a plain SELECT of one table,
-- which PostgreSQL inlines into the reader's query, so the owner's indexes and partitions serve it as
-- before. A column is added here and in schema.ts together, and never removed while a reader uses it.
CREATE OR REPLACE VIEW "survey_responses_v" AS
  SELECT "tenant_id", "id", "customer_id", "kind", "score", "status", "channel", "touchpoint", "topics", "topic_sentiments", "submitted_at", "updated_at"
    FROM "survey_responses";
--> statement-breakpoint
CREATE OR REPLACE VIEW "cases_v" AS
  SELECT "tenant_id", "id", "customer_id", "status", "source_type", "source_id", "touchpoint", "resolve_due_at", "resolved_at", "customer_told_at", "created_at", "updated_at"
    FROM "cases";
--> statement-breakpoint
CREATE OR REPLACE VIEW "case_activities_v" AS
  SELECT "tenant_id", "case_id", "actor", "at" FROM "case_activities";
--> statement-breakpoint
CREATE OR REPLACE VIEW "loyalty_accounts_v" AS
  SELECT "tenant_id", "customer_id", "tier", "is_closed", "merged_into", "updated_at" FROM "loyalty_accounts";
--> statement-breakpoint
CREATE OR REPLACE VIEW "ledger_transactions_v" AS
  SELECT "tenant_id", "customer_id", "occurred_at" FROM "loyalty_transactions";
--> statement-breakpoint
CREATE OR REPLACE VIEW "ledger_entries_v" AS
  SELECT "tenant_id", "customer_id", "account", "amount", "created_at" FROM "loyalty_entries";
--> statement-breakpoint
CREATE OR REPLACE VIEW "referrals_v" AS
  SELECT "tenant_id", "referrer_id", "created_at" FROM "loyalty_referrals";
--> statement-breakpoint
CREATE OR REPLACE VIEW "conversations_v" AS
  SELECT "tenant_id", "id", "customer_id", "status", "last_channel_kind", "merged_into", "first_response_due_at", "first_responded_at",
         "resolution_due_at", "resolved_at", "created_at", "updated_at"
    FROM "inbox_conversations";
--> statement-breakpoint
CREATE OR REPLACE VIEW "messages_v" AS
  SELECT "tenant_id", "customer_id", "direction", "channel_kind", "created_at" FROM "inbox_messages";
--> statement-breakpoint
CREATE OR REPLACE VIEW "mentions_v" AS
  SELECT "tenant_id", "customer_id", "channel", "sentiment", "reach", "angles", "published_at", "received_at" FROM "listening_mentions";
