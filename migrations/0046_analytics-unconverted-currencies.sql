-- A customer's purchases in a currency the tenant's loyalty settings give no rate for: kept out of
-- revenue (summed in the base currency) and reported apart, [{ currency, month, purchases, amount }].
ALTER TABLE "analytics_customers" ADD COLUMN "unconverted" jsonb;
--> statement-breakpoint
CREATE INDEX "analytics_customers_unconverted_idx" ON "analytics_customers" USING btree ("tenant_id") WHERE "unconverted" IS NOT NULL;
