CREATE TABLE "outreach_campaigns" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"segment_id" text NOT NULL,
	"template_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"planned_at" timestamp with time zone,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_campaigns_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "outreach_customer_tiers" (
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"tier" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_customer_tiers_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "outreach_enrollments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"journey_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"exit_reason" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_enrollments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "outreach_feedback_scores" (
	"tenant_id" text NOT NULL,
	"response_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"score" numeric(6, 2) NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_feedback_scores_tenant_id_response_id_pk" PRIMARY KEY("tenant_id","response_id")
);
--> statement-breakpoint
CREATE TABLE "outreach_journeys" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"trigger" text NOT NULL,
	"steps" jsonb NOT NULL,
	"exit_on" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_journeys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "outreach_message_events" (
	"tenant_id" text NOT NULL,
	"message_id" text NOT NULL,
	"id" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "outreach_message_events_tenant_id_message_id_id_pk" PRIMARY KEY("tenant_id","message_id","id")
);
--> statement-breakpoint
CREATE TABLE "outreach_messages" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"template_id" text NOT NULL,
	"purpose" text NOT NULL,
	"channel" text,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"status_reason" text,
	"is_urgent" boolean DEFAULT false NOT NULL,
	"campaign_id" text,
	"journey_id" text,
	"enrollment_id" text,
	"locale" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_message_id" text,
	"to_address" text,
	"subject" text,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"clicked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_messages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "outreach_messages_status_check" CHECK ("outreach_messages"."status" IN ('queued','sending','sent','delivered','opened','clicked','failed','bounced','dropped','suppressed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "outreach_segments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"rules" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_segments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "outreach_settings" (
	"tenant_id" text NOT NULL,
	"smtp" jsonb,
	"caps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_window" jsonb DEFAULT '{"start":"09:00","end":"21:00","days":[1,2,3,4,5,6,7]}'::jsonb NOT NULL,
	"default_timezone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"default_locale" text DEFAULT 'zh-CN' NOT NULL,
	"throttle" jsonb DEFAULT '{"email":600,"sms":120,"wechat":300}'::jsonb NOT NULL,
	"suppress_case_types" text[] DEFAULT ARRAY['complaint']::text[] NOT NULL,
	"public_base_url" text,
	"signing_key" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_settings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "outreach_suppressions" (
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" text NOT NULL,
	"reason" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "outreach_suppressions_tenant_id_source_kind_source_id_pk" PRIMARY KEY("tenant_id","source_kind","source_id")
);
--> statement-breakpoint
CREATE TABLE "outreach_templates" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"purpose" text NOT NULL,
	"default_locale" text NOT NULL,
	"content" jsonb NOT NULL,
	"channels" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_templates_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "outreach_templates_purpose_check" CHECK ("outreach_templates"."purpose" IN ('transactional','service','marketing'))
);
--> statement-breakpoint
ALTER TABLE "outreach_campaigns" ADD CONSTRAINT "outreach_campaigns_tenant_id_segment_id_outreach_segments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","segment_id") REFERENCES "public"."outreach_segments"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_campaigns" ADD CONSTRAINT "outreach_campaigns_tenant_id_template_id_outreach_templates_tenant_id_id_fk" FOREIGN KEY ("tenant_id","template_id") REFERENCES "public"."outreach_templates"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_enrollments" ADD CONSTRAINT "outreach_enrollments_tenant_id_journey_id_outreach_journeys_tenant_id_id_fk" FOREIGN KEY ("tenant_id","journey_id") REFERENCES "public"."outreach_journeys"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_message_events" ADD CONSTRAINT "outreach_message_events_tenant_id_message_id_outreach_messages_tenant_id_id_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."outreach_messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_enrollments_trigger_key" ON "outreach_enrollments" USING btree ("tenant_id","journey_id","trigger_id");--> statement-breakpoint
CREATE INDEX "outreach_enrollments_due_idx" ON "outreach_enrollments" USING btree ("tenant_id","next_at") WHERE "outreach_enrollments"."status" = 'active';--> statement-breakpoint
CREATE INDEX "outreach_enrollments_customer_idx" ON "outreach_enrollments" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "outreach_feedback_scores_customer_idx" ON "outreach_feedback_scores" USING btree ("tenant_id","customer_id","kind","at");--> statement-breakpoint
CREATE INDEX "outreach_journeys_trigger_idx" ON "outreach_journeys" USING btree ("tenant_id","trigger");--> statement-breakpoint
CREATE INDEX "outreach_messages_customer_idx" ON "outreach_messages" USING btree ("tenant_id","customer_id","purpose","scheduled_at");--> statement-breakpoint
CREATE INDEX "outreach_messages_due_idx" ON "outreach_messages" USING btree ("tenant_id","scheduled_at") WHERE "outreach_messages"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "outreach_messages_provider_idx" ON "outreach_messages" USING btree ("tenant_id","provider_message_id") WHERE "outreach_messages"."provider_message_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outreach_suppressions_customer_idx" ON "outreach_suppressions" USING btree ("tenant_id","customer_id") WHERE "outreach_suppressions"."resolved_at" IS NULL;