-- Typo tolerance: misspelt query words are corrected against each tenant's vocabulary by trigram
-- similarity. The embedded PGlite loads pg_trgm at start (src/platform/db.ts), so this works on both.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "knowledge_terms_trgm_idx" ON "knowledge_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
-- Keys compared byte by byte, as in 0002_c-collation-keys.
ALTER TABLE "knowledge_categories" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "parent_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_articles" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "group_id" TYPE text COLLATE "C", ALTER COLUMN "category_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_article_versions" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "article_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "article_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_synonyms" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_terms" ALTER COLUMN "tenant_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_searches" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_scripts" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_script_runs" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "script_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "knowledge_script_steps" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "run_id" TYPE text COLLATE "C";
