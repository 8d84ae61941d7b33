-- The roll-ups change shape (two groupings in two tables, more dims, per-customer purchase months):
-- they are emptied and rebuilt whole by the next refresh, and the refresh record goes too, so the
-- dashboards say "never refreshed" until then. Keys are added after the columns they name.
TRUNCATE analytics_customers, analytics_customer_groups, analytics_customer_months, analytics_cohorts, analytics_experience, analytics_drivers, analytics_conversations, analytics_messages, analytics_cases, analytics_points, analytics_member_months, analytics_tier_moves, analytics_mentions, analytics_refreshes;
--> statement-breakpoint
ALTER TABLE "analytics_cases" DROP CONSTRAINT "analytics_cases_tenant_id_day_touchpoint_pk";
--> statement-breakpoint
ALTER TABLE "analytics_cohorts" DROP CONSTRAINT "analytics_cohorts_tenant_id_cohort_age_store_segment_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_conversations" DROP CONSTRAINT "analytics_conversations_tenant_id_day_channel_pk";
--> statement-breakpoint
ALTER TABLE "analytics_customer_groups" DROP CONSTRAINT "analytics_customer_groups_tenant_id_kind_bucket_store_segment_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_customer_months" DROP CONSTRAINT "analytics_customer_months_tenant_id_month_next_month_is_repeat_store_segment_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_drivers" DROP CONSTRAINT "analytics_drivers_tenant_id_month_touchpoint_topics_channel_segment_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_experience" DROP CONSTRAINT "analytics_experience_tenant_id_grain_period_kind_touchpoint_channel_segment_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_member_months" DROP CONSTRAINT "analytics_member_months_tenant_id_month_next_month_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_messages" DROP CONSTRAINT "analytics_messages_tenant_id_day_hour_channel_direction_pk";
--> statement-breakpoint
ALTER TABLE "analytics_points" DROP CONSTRAINT "analytics_points_tenant_id_month_account_tier_pk";
--> statement-breakpoint
ALTER TABLE "analytics_tier_moves" DROP CONSTRAINT "analytics_tier_moves_tenant_id_month_from_tier_to_tier_pk";
--> statement-breakpoint
CREATE TABLE "analytics_cohorts_by_answer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"cohort" date NOT NULL,
	"age" integer NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"customers" integer NOT NULL,
	"lapsed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_cohorts_by_answer_tenant_id_dims_cohort_age_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","cohort","age","store","segment","tier","channel","touchpoint")
);
--> statement-breakpoint
CREATE TABLE "analytics_customer_groups_by_answer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"bucket" text NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_customer_groups_by_answer_tenant_id_dims_kind_bucket_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","kind","bucket","store","segment","tier","channel","touchpoint")
);
--> statement-breakpoint
CREATE TABLE "analytics_customer_months_by_answer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"month" date NOT NULL,
	"next_month" date NOT NULL,
	"is_repeat" boolean NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"customers" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue" numeric(16, 2) NOT NULL,
	"core_revenue" numeric(16, 2) NOT NULL,
	CONSTRAINT "analytics_customer_months_by_answer_tenant_id_dims_month_next_month_is_repeat_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","next_month","is_repeat","store","segment","tier","channel","touchpoint")
);
--> statement-breakpoint
CREATE TABLE "analytics_drivers_by_store" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"month" date NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"topics" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	"sum" bigint NOT NULL,
	"sum_squares" bigint NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	CONSTRAINT "analytics_drivers_by_store_tenant_id_dims_month_touchpoint_topics_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","month","touchpoint","topics","channel","segment","tier","store")
);
--> statement-breakpoint
CREATE TABLE "analytics_experience_by_store" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"kind" text NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	"satisfied" integer NOT NULL,
	"sum" bigint NOT NULL,
	"sum_squares" bigint NOT NULL,
	CONSTRAINT "analytics_experience_by_store_tenant_id_dims_grain_period_kind_touchpoint_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","grain","period","kind","touchpoint","channel","segment","tier","store")
);
--> statement-breakpoint
CREATE TABLE "analytics_member_months_by_customer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"month" date NOT NULL,
	"next_month" date NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "analytics_member_months_by_customer_tenant_id_dims_month_next_month_tier_segment_store_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","next_month","tier","segment","store","channel","touchpoint")
);
--> statement-breakpoint
CREATE TABLE "analytics_messages_by_customer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"direction" text NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_messages_by_customer_tenant_id_dims_day_hour_channel_direction_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","day","hour","channel","direction","segment","tier","store")
);
--> statement-breakpoint
CREATE TABLE "analytics_points_by_customer" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"dims" smallint DEFAULT 0 NOT NULL,
	"month" date NOT NULL,
	"account" text NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"points" bigint NOT NULL,
	CONSTRAINT "analytics_points_by_customer_tenant_id_dims_month_account_tier_segment_store_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","account","tier","segment","store","channel","touchpoint")
);
--> statement-breakpoint
ALTER TABLE "analytics_cases" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cases" ADD COLUMN "segment" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cases" ADD COLUMN "tier" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cases" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cohorts" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cohorts" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_cohorts" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD COLUMN "segment" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD COLUMN "tier" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_groups" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_groups" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_groups" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_months" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_months" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customer_months" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "is_member" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "last_nps_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "months" date[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "month_orders" integer[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "month_revenue" numeric(16, 2)[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_customers" ADD COLUMN "ledger_months" date[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD COLUMN "segment" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_messages" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_messages" ADD COLUMN "segment" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_messages" ADD COLUMN "tier" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_messages" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD COLUMN "dims" smallint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD COLUMN "segment" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD COLUMN "store" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD COLUMN "channel" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD COLUMN "touchpoint" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_refreshes" ADD COLUMN "mode" text DEFAULT 'full' NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_refreshes" ADD COLUMN "full_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "analytics_refreshes" ADD COLUMN "full_seconds" double precision;
--> statement-breakpoint
ALTER TABLE "analytics_refreshes" ADD COLUMN "watermarks" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_tier_moves" ADD COLUMN "event_id" text COLLATE "C" NOT NULL;
--> statement-breakpoint
ALTER TABLE "analytics_tier_moves" ADD COLUMN "customer_id" text COLLATE "C" NOT NULL;
--> statement-breakpoint
CREATE INDEX "analytics_customers_store_idx" ON "analytics_customers" USING btree ("tenant_id","store");
--> statement-breakpoint
CREATE INDEX "analytics_customers_promoter_idx" ON "analytics_customers" USING btree ("tenant_id","last_nps_at") WHERE "analytics_customers"."last_nps" >= 9;
--> statement-breakpoint
CREATE INDEX "analytics_customers_last_purchase_idx" ON "analytics_customers" USING btree ("tenant_id","last_purchase_at");
--> statement-breakpoint
CREATE INDEX "analytics_tier_moves_month_idx" ON "analytics_tier_moves" USING btree ("tenant_id","month");
--> statement-breakpoint
ALTER TABLE "analytics_tier_moves" DROP COLUMN "n";
--> statement-breakpoint
ALTER TABLE "analytics_cases" ADD CONSTRAINT "analytics_cases_tenant_id_day_touchpoint_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","day","touchpoint","channel","segment","tier","store");
--> statement-breakpoint
ALTER TABLE "analytics_cohorts" ADD CONSTRAINT "analytics_cohorts_tenant_id_dims_cohort_age_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","cohort","age","store","segment","tier","channel","touchpoint");
--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD CONSTRAINT "analytics_conversations_tenant_id_day_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","day","channel","segment","tier","store");
--> statement-breakpoint
ALTER TABLE "analytics_customer_groups" ADD CONSTRAINT "analytics_customer_groups_tenant_id_dims_kind_bucket_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","kind","bucket","store","segment","tier","channel","touchpoint");
--> statement-breakpoint
ALTER TABLE "analytics_customer_months" ADD CONSTRAINT "analytics_customer_months_tenant_id_dims_month_next_month_is_repeat_store_segment_tier_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","next_month","is_repeat","store","segment","tier","channel","touchpoint");
--> statement-breakpoint
ALTER TABLE "analytics_drivers" ADD CONSTRAINT "analytics_drivers_tenant_id_dims_month_touchpoint_topics_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","month","touchpoint","topics","channel","segment","tier","store");
--> statement-breakpoint
ALTER TABLE "analytics_experience" ADD CONSTRAINT "analytics_experience_tenant_id_dims_grain_period_kind_touchpoint_channel_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","grain","period","kind","touchpoint","channel","segment","tier","store");
--> statement-breakpoint
ALTER TABLE "analytics_member_months" ADD CONSTRAINT "analytics_member_months_tenant_id_dims_month_next_month_tier_segment_store_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","next_month","tier","segment","store","channel","touchpoint");
--> statement-breakpoint
ALTER TABLE "analytics_messages" ADD CONSTRAINT "analytics_messages_tenant_id_dims_day_hour_channel_direction_segment_tier_store_pk" PRIMARY KEY("tenant_id","dims","day","hour","channel","direction","segment","tier","store");
--> statement-breakpoint
ALTER TABLE "analytics_points" ADD CONSTRAINT "analytics_points_tenant_id_dims_month_account_tier_segment_store_channel_touchpoint_pk" PRIMARY KEY("tenant_id","dims","month","account","tier","segment","store","channel","touchpoint");
--> statement-breakpoint
ALTER TABLE "analytics_tier_moves" ADD CONSTRAINT "analytics_tier_moves_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id");
