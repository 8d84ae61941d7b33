-- The polarity of each topic a response's text names ({"delivery": "positive", "service_attitude":
-- "negative"}): the loop routes a case by the topics the customer complained about, and the drivers
-- regression tells a topic praised from the same topic blamed.
ALTER TABLE "survey_responses" ADD COLUMN "topic_sentiments" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Topics corrected by people in the console: one row per corrected item and topic (a text corrected on
-- five responses weighs five), the latest word on a text winning; label true says the text is about
-- the topic, false that it is not.
CREATE TABLE "topic_corrections" (
	"tenant_id" text NOT NULL,
	"text_key" text NOT NULL,
	"topic" text NOT NULL,
	"text" text NOT NULL,
	"label" boolean NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"customer_id" text,
	"corrected_by" text,
	"corrected_at" timestamp with time zone NOT NULL,
	CONSTRAINT "topic_corrections_tenant_id_source_type_source_id_topic_pk" PRIMARY KEY("tenant_id","source_type","source_id","topic")
);--> statement-breakpoint
-- The customer whose words were corrected: erasing the customer drops the corrections (they quote the text).
CREATE INDEX "topic_corrections_customer_idx" ON "topic_corrections" USING btree ("tenant_id","customer_id") WHERE "topic_corrections"."customer_id" IS NOT NULL;--> statement-breakpoint
-- A tenant's topic classifier trained on its corrections and the keyword seeds, replaced whole by each training.
CREATE TABLE "topic_models" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"corrections" integer NOT NULL,
	"trained_at" timestamp with time zone NOT NULL
);
