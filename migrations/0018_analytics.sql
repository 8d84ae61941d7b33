CREATE TABLE "analytics_cases" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"opened" integer NOT NULL,
	"closed" integer NOT NULL,
	"told" integer NOT NULL,
	"agent_actions" integer NOT NULL,
	CONSTRAINT "analytics_cases_tenant_id_day_touchpoint_pk" PRIMARY KEY("tenant_id","day","touchpoint")
);
--> statement-breakpoint
CREATE TABLE "analytics_cohorts" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"cohort" date NOT NULL,
	"age" integer NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"customers" integer NOT NULL,
	"lapsed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_cohorts_tenant_id_cohort_age_store_segment_tier_pk" PRIMARY KEY("tenant_id","cohort","age","store","segment","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_conversations" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"first_responses" integer DEFAULT 0 NOT NULL,
	"first_response_seconds" double precision DEFAULT 0 NOT NULL,
	"first_response_targets" integer DEFAULT 0 NOT NULL,
	"first_response_met" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"resolution_seconds" double precision DEFAULT 0 NOT NULL,
	"resolution_targets" integer DEFAULT 0 NOT NULL,
	"resolution_met" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_conversations_tenant_id_day_channel_pk" PRIMARY KEY("tenant_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "analytics_customer_groups" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"bucket" text NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_customer_groups_tenant_id_kind_bucket_store_segment_tier_pk" PRIMARY KEY("tenant_id","kind","bucket","store","segment","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_customer_months" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"month" date NOT NULL,
	"next_month" date NOT NULL,
	"is_repeat" boolean NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"customers" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue" numeric(16, 2) NOT NULL,
	"core_revenue" numeric(16, 2) NOT NULL,
	CONSTRAINT "analytics_customer_months_tenant_id_month_next_month_is_repeat_store_segment_tier_pk" PRIMARY KEY("tenant_id","month","next_month","is_repeat","store","segment","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_customers" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"cohort" date,
	"first_purchase_at" timestamp with time zone,
	"last_purchase_at" timestamp with time zone,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	"store" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"is_core" boolean DEFAULT false NOT NULL,
	"clv" numeric(14, 2),
	"recency_score" smallint,
	"frequency_score" smallint,
	"monetary_score" smallint,
	"last_nps" smallint,
	"last_csat" smallint,
	"complaints" integer DEFAULT 0 NOT NULL,
	"has_referred" boolean DEFAULT false NOT NULL,
	"is_satisfied" boolean DEFAULT false NOT NULL,
	"has_left" boolean DEFAULT false NOT NULL,
	"churn_risk" real,
	CONSTRAINT "analytics_customers_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_drivers" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"month" date NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"topics" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	"sum" bigint NOT NULL,
	"sum_squares" bigint NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	CONSTRAINT "analytics_drivers_tenant_id_month_touchpoint_topics_channel_segment_tier_pk" PRIMARY KEY("tenant_id","month","touchpoint","topics","channel","segment","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_experience" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"kind" text NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"segment" text DEFAULT '' NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	"promoters" integer NOT NULL,
	"detractors" integer NOT NULL,
	"satisfied" integer NOT NULL,
	"sum" bigint NOT NULL,
	"sum_squares" bigint NOT NULL,
	CONSTRAINT "analytics_experience_tenant_id_grain_period_kind_touchpoint_channel_segment_tier_pk" PRIMARY KEY("tenant_id","grain","period","kind","touchpoint","channel","segment","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_member_months" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"month" date NOT NULL,
	"next_month" date NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "analytics_member_months_tenant_id_month_next_month_tier_pk" PRIMARY KEY("tenant_id","month","next_month","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_mentions" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"angle" text DEFAULT '' NOT NULL,
	"sentiment" text NOT NULL,
	"n" integer NOT NULL,
	"reach" bigint NOT NULL,
	CONSTRAINT "analytics_mentions_tenant_id_day_channel_angle_sentiment_pk" PRIMARY KEY("tenant_id","day","channel","angle","sentiment")
);
--> statement-breakpoint
CREATE TABLE "analytics_messages" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"hour" smallint NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"direction" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_messages_tenant_id_day_hour_channel_direction_pk" PRIMARY KEY("tenant_id","day","hour","channel","direction")
);
--> statement-breakpoint
CREATE TABLE "analytics_points" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"month" date NOT NULL,
	"account" text NOT NULL,
	"tier" text DEFAULT '' NOT NULL,
	"points" bigint NOT NULL,
	CONSTRAINT "analytics_points_tenant_id_month_account_tier_pk" PRIMARY KEY("tenant_id","month","account","tier")
);
--> statement-breakpoint
CREATE TABLE "analytics_refreshes" (
	"tenant_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"seconds" double precision NOT NULL,
	"model" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"snapshot" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_settings" (
	"tenant_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"hourly_cost" numeric(12, 2) DEFAULT '30' NOT NULL,
	"minutes_per_action" integer DEFAULT 6 NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"staffed_hours" jsonb DEFAULT '{"1":["09:00","18:00"],"2":["09:00","18:00"],"3":["09:00","18:00"],"4":["09:00","18:00"],"5":["09:00","18:00"]}'::jsonb NOT NULL,
	"digest_recipients" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_tier_moves" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"month" date NOT NULL,
	"from_tier" text DEFAULT '' NOT NULL,
	"to_tier" text DEFAULT '' NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_tier_moves_tenant_id_month_from_tier_to_tier_pk" PRIMARY KEY("tenant_id","month","from_tier","to_tier")
);
--> statement-breakpoint
CREATE INDEX "analytics_customers_left_idx" ON "analytics_customers" USING btree ("tenant_id","last_purchase_at") WHERE "analytics_customers"."is_satisfied" AND "analytics_customers"."has_left";--> statement-breakpoint
CREATE INDEX "analytics_customers_risk_idx" ON "analytics_customers" USING btree ("tenant_id","churn_risk") WHERE NOT "analytics_customers"."has_left" AND "analytics_customers"."churn_risk" IS NOT NULL;