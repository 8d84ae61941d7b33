-- Key columns of the portal and widget tables in the C collation, like every other key (see 0002).
ALTER TABLE "portal_sessions" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "portal_sign_ins" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "destination_hash" TYPE text COLLATE "C", ALTER COLUMN "requested_from" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "widget_feedback" ALTER COLUMN "tenant_id" TYPE text COLLATE "C", ALTER COLUMN "id" TYPE text COLLATE "C", ALTER COLUMN "customer_id" TYPE text COLLATE "C", ALTER COLUMN "client_hash" TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "widget_settings" ALTER COLUMN "tenant_id" TYPE text COLLATE "C";
