CREATE TABLE "listening_alerts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_key" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_hour_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"volume" integer NOT NULL,
	"baseline" real NOT NULL,
	"negative_share" real NOT NULL,
	"baseline_negative_share" real NOT NULL,
	"p_value" double precision NOT NULL,
	"top_terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"delivery" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "listening_alerts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "listening_settings" (
	"tenant_id" text NOT NULL,
	"alert_webhook_url" text,
	"alert_webhook_secret_enc" text,
	"alert_email" text,
	"min_volume" integer DEFAULT 20 NOT NULL,
	"user_words" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listening_settings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "listening_sources" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"poll_minutes" integer,
	"secret_enc" text,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listening_sources_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "listening_sources_kind" CHECK ("listening_sources"."kind" in ('rss', 'webhook', 'import'))
);
--> statement-breakpoint
CREATE TABLE "listening_mentions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"source_id" text,
	"channel" text NOT NULL,
	"url" text,
	"author" text,
	"author_handle" text,
	"reach" integer,
	"text" text NOT NULL,
	"media" jsonb,
	"published_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"language" text NOT NULL,
	"sentiment" text NOT NULL,
	"score" real NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"angles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"matched_terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"about_company" boolean DEFAULT false NOT NULL,
	"customer_id" text,
	"simhash_hi" integer NOT NULL,
	"simhash_lo" integer NOT NULL,
	"band0" integer NOT NULL,
	"band1" integer NOT NULL,
	"band2" integer NOT NULL,
	"band3" integer NOT NULL,
	CONSTRAINT "listening_mentions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "listening_mentions_sentiment" CHECK ("listening_mentions"."sentiment" in ('negative', 'neutral', 'positive'))
);
--> statement-breakpoint
CREATE TABLE "listening_watch_terms" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"angle" text NOT NULL,
	"term" text NOT NULL,
	"aliases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listening_watch_terms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "listening_alerts_open_idx" ON "listening_alerts" USING btree ("tenant_id","scope_kind","scope_key") WHERE "listening_alerts"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "listening_alerts_started_idx" ON "listening_alerts" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "listening_mentions_url_idx" ON "listening_mentions" USING btree ("tenant_id","url") WHERE "listening_mentions"."url" is not null;--> statement-breakpoint
CREATE INDEX "listening_mentions_published_idx" ON "listening_mentions" USING btree ("tenant_id","published_at");--> statement-breakpoint
CREATE INDEX "listening_mentions_band0_idx" ON "listening_mentions" USING btree ("tenant_id","band0");--> statement-breakpoint
CREATE INDEX "listening_mentions_band1_idx" ON "listening_mentions" USING btree ("tenant_id","band1");--> statement-breakpoint
CREATE INDEX "listening_mentions_band2_idx" ON "listening_mentions" USING btree ("tenant_id","band2");--> statement-breakpoint
CREATE INDEX "listening_mentions_band3_idx" ON "listening_mentions" USING btree ("tenant_id","band3");--> statement-breakpoint
CREATE INDEX "listening_mentions_customer_idx" ON "listening_mentions" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "listening_watch_terms_term_idx" ON "listening_watch_terms" USING btree ("tenant_id","angle","term");