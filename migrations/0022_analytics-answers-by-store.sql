-- Columns before the keys that name them (drizzle-kit writes the keys first). Existing rows are the
-- dims 0 grouping with no store; the next refresh writes the dims 1 rows.
ALTER TABLE "analytics_drivers" DROP CONSTRAINT "analytics_drivers_tenant_id_month_touchpoint_topics_channel_segment_tier_pk";--> statement-breakpoint
ALTER TABLE "analytics_experience" DROP CONSTRAINT "analytics_experience_tenant_id_grain_period_kind_touchpoint_channel_segment_tier_pk";--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD COLUMN "store" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD COLUMN "store" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD CONSTRAINT "analytics_drivers_tenant_id_dims_month_touchpoint_topics_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","month","touchpoint","topics","channel","segment","tier","store");--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD CONSTRAINT "analytics_experience_tenant_id_dims_grain_period_kind_touchpoint_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","grain","period","kind","touchpoint","channel","segment","tier","store");
