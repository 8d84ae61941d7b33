DROP INDEX "analytics_customers_store_idx";--> statement-breakpoint
CREATE INDEX "analytics_customers_store_idx" ON "analytics_customers" USING btree ("tenant_id","store","touchpoint","channel");