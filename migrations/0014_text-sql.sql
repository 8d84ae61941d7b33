-- Listening's key columns in COLLATE "C", as migrations/0002 does for the foundation's tables: ids are
-- compared byte by byte.
ALTER TABLE "listening_sources" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "listening_watch_terms" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "listening_mentions" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "source_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "listening_alerts" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "listening_settings" ALTER COLUMN "tenant_id" TYPE text COLLATE "C";
