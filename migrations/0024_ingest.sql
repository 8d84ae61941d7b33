DROP INDEX "customers_updated_idx";--> statement-breakpoint
DROP INDEX "customer_identities_customer_idx";--> statement-breakpoint
CREATE INDEX "customer_identities_customer_idx" ON "customer_identities" USING btree ("customer_id","tenant_id");