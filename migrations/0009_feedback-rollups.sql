CREATE TABLE "feedback_rollups" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"survey_id" text COLLATE "C" NOT NULL,
	"touchpoint" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"journey_stage" text DEFAULT '' NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"passives" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"sum" bigint DEFAULT 0 NOT NULL,
	"sum_squares" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "feedback_rollups_tenant_id_kind_day_survey_id_touchpoint_channel_journey_stage_pk" PRIMARY KEY("tenant_id","kind","day","survey_id","touchpoint","channel","journey_stage")
);
--> statement-breakpoint
CREATE TABLE "feedback_topic_rollups" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"day" date NOT NULL,
	"topic" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "feedback_topic_rollups_tenant_id_kind_day_topic_pk" PRIMARY KEY("tenant_id","kind","day","topic")
);
--> statement-breakpoint
CREATE INDEX "survey_responses_topics_idx" ON "survey_responses" USING btree ("tenant_id","kind","submitted_at","score","topics") WHERE "survey_responses"."topics" <> '{}';