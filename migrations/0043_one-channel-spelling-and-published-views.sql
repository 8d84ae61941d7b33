-- One spelling for the web chat channel: "webchat", the inbox's channel kind, everywhere a channel name
-- is stored. The API still accepts "web_chat" on input (customers/channel-names.ts) and stores "webchat".
UPDATE "customer_preferences" SET "channels" = array_replace("channels", 'web_chat', 'webchat') WHERE 'web_chat' = ANY("channels");
--> statement-breakpoint
UPDATE "consent_records" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "surveys" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "survey_invitations" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "survey_invitations" SET "context" = jsonb_set("context", '{channel}', '"webchat"') WHERE "context"->>'channel' = 'web_chat';
--> statement-breakpoint
UPDATE "survey_responses" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "case_activities" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "case_notices" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "outreach_messages" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "outreach_templates" SET "channels" = array_replace("channels", 'web_chat', 'webchat') WHERE 'web_chat' = ANY("channels");
--> statement-breakpoint
-- A survey answer's timeline item carries its channel.
UPDATE "customer_events" SET "properties" = jsonb_set("properties", '{channel}', '"webchat"')
  WHERE "source" = 'feedback' AND "type" = 'survey.response' AND "properties"->>'channel' = 'web_chat';
--> statement-breakpoint
-- feedback_rollups are sums keyed by channel: the old spelling's sums are added to any new-spelling row
-- of the same key, then removed.
INSERT INTO "feedback_rollups" ("tenant_id", "kind", "day", "survey_id", "touchpoint", "channel", "journey_stage", "n", "promoters", "passives", "detractors", "satisfied", "sum", "sum_squares")
  SELECT "tenant_id", "kind", "day", "survey_id", "touchpoint", 'webchat', "journey_stage", "n", "promoters", "passives", "detractors", "satisfied", "sum", "sum_squares"
    FROM "feedback_rollups" WHERE "channel" = 'web_chat'
  ON CONFLICT ("tenant_id", "kind", "day", "survey_id", "touchpoint", "channel", "journey_stage") DO UPDATE SET
    "n" = "feedback_rollups"."n" + EXCLUDED."n", "promoters" = "feedback_rollups"."promoters" + EXCLUDED."promoters",
    "passives" = "feedback_rollups"."passives" + EXCLUDED."passives", "detractors" = "feedback_rollups"."detractors" + EXCLUDED."detractors",
    "satisfied" = "feedback_rollups"."satisfied" + EXCLUDED."satisfied", "sum" = "feedback_rollups"."sum" + EXCLUDED."sum",
    "sum_squares" = "feedback_rollups"."sum_squares" + EXCLUDED."sum_squares";
--> statement-breakpoint
DELETE FROM "feedback_rollups" WHERE "channel" = 'web_chat';
--> statement-breakpoint
-- Analytics: the per-customer row's channel is not part of its key and is rewritten here; the roll-ups
-- keyed by channel are rebuilt from the sources by the next refresh, which forgetting the watermark
-- makes a full one (analytics-service.ts: no watermark, no incremental refresh).
UPDATE "analytics_customers" SET "channel" = 'webchat' WHERE "channel" = 'web_chat';
--> statement-breakpoint
UPDATE "analytics_refreshes" SET "watermarks" = '{}'::jsonb WHERE "watermarks" <> '{}'::jsonb;
--> statement-breakpoint
-- Views other modules read instead of the owner's tables (analytics' roll-up refresh first): each is the
-- owning module's published contract, declared in its schema.ts (customers: customers_v; events:
-- timeline_v, purchases_v). They carry tenant_id first and no personal data (no names, attributes,
-- identities); each is a plain view over one table, which PostgreSQL inlines, so the owner's indexes
-- serve the reader's query as before.
CREATE OR REPLACE VIEW "customers_v" AS
  SELECT "tenant_id", "id", "status", "merged_into", "created_at", "first_seen_at", "last_seen_at", "event_count", "order_count", "last_purchase_at",
         "recency_score", "frequency_score", "monetary_score", "clv", "is_core", "value_computed_at"
    FROM "customers";
--> statement-breakpoint
CREATE OR REPLACE VIEW "timeline_v" AS
  SELECT "tenant_id", "id", "type", "customer_id", "occurred_at", "received_at", "properties" FROM "customer_events";
--> statement-breakpoint
CREATE OR REPLACE VIEW "purchases_v" AS
  SELECT "tenant_id", "id", "type", "customer_id", "occurred_at", "received_at", "properties" FROM "customer_events" WHERE "type" = 'purchase';
