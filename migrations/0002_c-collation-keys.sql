-- Keys are machine identifiers compared byte by byte: with COLLATE "C" every B-tree comparison on them
-- is a memcmp instead of a locale-aware strcoll (PostgreSQL 15 treats C.UTF-8 as a libc locale), which
-- is a measurable share of ingestion's CPU. Names and other human text keep the database collation.
ALTER TABLE "customers" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "customer_identities" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "kind" TYPE text COLLATE "C", ALTER COLUMN "value" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "customer_spend" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "currency" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "customer_preferences" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "consent_records" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "customer_events" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";
