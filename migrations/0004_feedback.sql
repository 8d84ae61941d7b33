CREATE TABLE "feedback_keys" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"link_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_keys_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "feedback_marks" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"event_type" text COLLATE "C" NOT NULL,
	"first_event_id" text COLLATE "C" NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feedback_marks_tenant_id_customer_id_event_type_pk" PRIMARY KEY("tenant_id","customer_id","event_type")
);
--> statement-breakpoint
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
CREATE TABLE "survey_invitations" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"survey_id" text COLLATE "C" NOT NULL,
	"survey_version" integer NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"channel" text NOT NULL,
	"touchpoint" text,
	"journey_stage" text,
	"trigger" text NOT NULL,
	"source_key" text COLLATE "C" NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"survey_id" text COLLATE "C" NOT NULL,
	"survey_version" integer NOT NULL,
	"customer_id" text COLLATE "C",
	"invitation_id" text COLLATE "C",
	"submission_key" text COLLATE "C",
	"kind" text NOT NULL,
	"score" smallint,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"open_text" text,
	"status" text NOT NULL,
	"channel" text,
	"touchpoint" text,
	"journey_stage" text,
	"trigger" text,
	"language" text,
	"page_url" text,
	"sentiment" text,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"text_processed_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "survey_responses_status_check" CHECK ("survey_responses"."status" IN ('partial','complete'))
);
--> statement-breakpoint
CREATE TABLE "survey_schedules" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"survey_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"source_key" text COLLATE "C" NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "survey_schedules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "survey_versions" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"survey_id" text COLLATE "C" NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_versions_tenant_id_survey_id_version_pk" PRIMARY KEY("tenant_id","survey_id","version")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"throttle_days" integer,
	"consent_purpose" text DEFAULT 'service' NOT NULL,
	"channel" text DEFAULT 'email' NOT NULL,
	"touchpoint" text,
	"journey_stage" text,
	"triggers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"link_ttl_hours" integer DEFAULT 336 NOT NULL,
	"last_periodic_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "surveys_kind_check" CHECK ("surveys"."kind" IN ('nps','csat','ces','custom')),
	CONSTRAINT "surveys_status_check" CHECK ("surveys"."status" IN ('active','paused','archived'))
);
--> statement-breakpoint
CREATE TABLE "case_activities" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"case_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"body" text,
	"channel" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_activities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_notices" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"dedupe_key" text COLLATE "C" NOT NULL,
	"case_id" text COLLATE "C",
	"issue_id" text COLLATE "C",
	"customer_id" text COLLATE "C" NOT NULL,
	"channel" text NOT NULL,
	"recipient" text,
	"language" text,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "case_notices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_rules" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"signal" text NOT NULL,
	"condition" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"case_type" text NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"type" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C",
	"status" text DEFAULT 'new' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"team_id" text COLLATE "C",
	"owner_id" text COLLATE "C",
	"summary" text,
	"touchpoint" text,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"issue_id" text COLLATE "C",
	"first_contact_due_at" timestamp with time zone,
	"resolve_due_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"first_contact_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"wont_fix_reason" text,
	"customer_told_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "cases_status_check" CHECK ("cases"."status" IN ('new','contacted','resolved','wont_fix')),
	CONSTRAINT "cases_priority_check" CHECK ("cases"."priority" IN ('low','normal','high','urgent'))
);
--> statement-breakpoint
CREATE TABLE "loop_issues" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"title" text NOT NULL,
	"root_cause" text,
	"action" text,
	"status" text DEFAULT 'open' NOT NULL,
	"fix_message" jsonb,
	"fixed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loop_issues_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_routing_rules" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"position" integer DEFAULT 100 NOT NULL,
	"match" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"team_id" text COLLATE "C" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_routing_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_tenant_id_survey_id_surveys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_tenant_id_survey_id_surveys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_schedules" ADD CONSTRAINT "survey_schedules_tenant_id_survey_id_surveys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_versions" ADD CONSTRAINT "survey_versions_tenant_id_survey_id_surveys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."surveys"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_activities" ADD CONSTRAINT "case_activities_tenant_id_case_id_cases_tenant_id_id_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_issue_id_loop_issues_tenant_id_id_fk" FOREIGN KEY ("tenant_id","issue_id") REFERENCES "public"."loop_issues"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_source_key" ON "survey_invitations" USING btree ("tenant_id","survey_id","source_key");--> statement-breakpoint
CREATE INDEX "survey_invitations_customer_idx" ON "survey_invitations" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_invitations_survey_idx" ON "survey_invitations" USING btree ("tenant_id","survey_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation_key" ON "survey_responses" USING btree ("tenant_id","invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_submission_key" ON "survey_responses" USING btree ("tenant_id","survey_id","submission_key");--> statement-breakpoint
CREATE INDEX "survey_responses_measure_idx" ON "survey_responses" USING btree ("tenant_id","kind","submitted_at","touchpoint","score");--> statement-breakpoint
CREATE INDEX "survey_responses_topics_idx" ON "survey_responses" USING btree ("tenant_id","kind","submitted_at","score","topics") WHERE "survey_responses"."topics" <> '{}';--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "survey_responses_unprocessed_idx" ON "survey_responses" USING btree ("tenant_id","updated_at") WHERE "survey_responses"."open_text" IS NOT NULL AND "survey_responses"."text_processed_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_schedules_source_key" ON "survey_schedules" USING btree ("tenant_id","survey_id","source_key");--> statement-breakpoint
CREATE INDEX "survey_schedules_due_idx" ON "survey_schedules" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "survey_schedules_customer_idx" ON "survey_schedules" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "case_activities_case_idx" ON "case_activities" USING btree ("tenant_id","case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_notices_dedupe_key" ON "case_notices" USING btree ("tenant_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "case_notices_customer_idx" ON "case_notices" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_source_key" ON "cases" USING btree ("tenant_id","source_type","source_id");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "cases_customer_idx" ON "cases" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "cases_issue_idx" ON "cases" USING btree ("tenant_id","issue_id");--> statement-breakpoint
CREATE INDEX "case_routing_rules_position_idx" ON "case_routing_rules" USING btree ("tenant_id","position");