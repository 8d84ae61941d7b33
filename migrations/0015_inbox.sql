CREATE TABLE "inbox_agents" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"user_id" text COLLATE "C",
	"status" text DEFAULT 'offline' NOT NULL,
	"capacity" integer DEFAULT 5 NOT NULL,
	"is_senior" boolean DEFAULT false NOT NULL,
	"last_assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_agents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_agents_status_check" CHECK ("inbox_agents"."status" IN ('online','away','offline')),
	CONSTRAINT "inbox_agents_capacity_check" CHECK ("inbox_agents"."capacity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inbox_assignments" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"team_id" text COLLATE "C",
	"agent_id" text COLLATE "C",
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_assignments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "inbox_attachments" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"message_id" text COLLATE "C" NOT NULL,
	"filename" text,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content_id" text,
	"content" "bytea",
	"url" text,
	CONSTRAINT "inbox_attachments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "inbox_canned_replies" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_canned_replies_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "inbox_channels" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text NOT NULL,
	"inbound_address" text COLLATE "C",
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_channels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_channels_kind_check" CHECK ("inbox_channels"."kind" IN ('webchat','email','sms','whatsapp','wechat','api'))
);
--> statement-breakpoint
CREATE TABLE "inbox_conversations" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"snoozed_until" timestamp with time zone,
	"priority" text DEFAULT 'normal' NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"subject" text,
	"language" text,
	"team_id" text COLLATE "C",
	"assignee_id" text COLLATE "C",
	"routing_rule_id" text COLLATE "C",
	"last_channel_id" text COLLATE "C",
	"last_channel_kind" text,
	"reply_token" text COLLATE "C" NOT NULL,
	"sla_policy_id" text COLLATE "C",
	"first_response_due_at" timestamp with time zone,
	"next_response_due_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"first_responded_at" timestamp with time zone,
	"sla_status" text DEFAULT 'ok' NOT NULL,
	"sla_events" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"merged_into" text COLLATE "C",
	"last_inbound_at" timestamp with time zone,
	"last_message_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_conversations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_conversations_status_check" CHECK ("inbox_conversations"."status" IN ('open','pending','snoozed','resolved')),
	CONSTRAINT "inbox_conversations_priority_check" CHECK ("inbox_conversations"."priority" IN ('low','normal','high','urgent'))
);
--> statement-breakpoint
CREATE TABLE "inbox_customer_signals" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"open_cases" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_feedback" jsonb,
	"tier" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_customer_signals_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"direction" text NOT NULL,
	"channel_kind" text,
	"channel_id" text COLLATE "C",
	"author_type" text NOT NULL,
	"author_id" text COLLATE "C",
	"text" text DEFAULT '' NOT NULL,
	"html" text,
	"subject" text,
	"external_id" text COLLATE "C",
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"delivery_status" text,
	"delivery_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_messages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_messages_direction_check" CHECK ("inbox_messages"."direction" IN ('in','out','note'))
);
--> statement-breakpoint
CREATE TABLE "inbox_routing_rules" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"team_id" text COLLATE "C" NOT NULL,
	"priority" text,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_routing_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "inbox_sla_policies" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"team_id" text COLLATE "C",
	"priority" text,
	"first_response_minutes" integer,
	"next_response_minutes" integer,
	"resolution_minutes" integer,
	"warning_percent" integer DEFAULT 80 NOT NULL,
	"calendar" jsonb DEFAULT '{"kind":"24x7"}'::jsonb NOT NULL,
	"escalation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_sla_policies_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_sla_policies_warning_check" CHECK ("inbox_sla_policies"."warning_percent" BETWEEN 1 AND 99)
);
--> statement-breakpoint
CREATE TABLE "inbox_team_members" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"team_id" text COLLATE "C" NOT NULL,
	"agent_id" text COLLATE "C" NOT NULL,
	CONSTRAINT "inbox_team_members_tenant_id_team_id_agent_id_pk" PRIMARY KEY("tenant_id","team_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "inbox_teams" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"assignment" text DEFAULT 'round_robin' NOT NULL,
	"manager_agent_id" text COLLATE "C",
	"last_assigned_agent_id" text COLLATE "C",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_teams_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_teams_assignment_check" CHECK ("inbox_teams"."assignment" IN ('round_robin','least_loaded'))
);
--> statement-breakpoint
ALTER TABLE "inbox_assignments" ADD CONSTRAINT "inbox_assignments_tenant_id_conversation_id_inbox_conversations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."inbox_conversations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_attachments" ADD CONSTRAINT "inbox_attachments_tenant_id_message_id_inbox_messages_tenant_id_id_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."inbox_messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_tenant_id_conversation_id_inbox_conversations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."inbox_conversations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_routing_rules" ADD CONSTRAINT "inbox_routing_rules_tenant_id_team_id_inbox_teams_tenant_id_id_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."inbox_teams"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_team_members" ADD CONSTRAINT "inbox_team_members_tenant_id_team_id_inbox_teams_tenant_id_id_fk" FOREIGN KEY ("tenant_id","team_id") REFERENCES "public"."inbox_teams"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_team_members" ADD CONSTRAINT "inbox_team_members_tenant_id_agent_id_inbox_agents_tenant_id_id_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."inbox_agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_assignments_conversation_idx" ON "inbox_assignments" USING btree ("tenant_id","conversation_id","at");--> statement-breakpoint
CREATE INDEX "inbox_attachments_message_idx" ON "inbox_attachments" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_canned_replies_shortcut_key" ON "inbox_canned_replies" USING btree ("tenant_id","shortcut");--> statement-breakpoint
CREATE INDEX "inbox_channels_address_idx" ON "inbox_channels" USING btree ("inbound_address");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_conversations_one_open_key" ON "inbox_conversations" USING btree ("tenant_id","customer_id") WHERE "inbox_conversations"."status" <> 'resolved';--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_conversations_reply_token_key" ON "inbox_conversations" USING btree ("tenant_id","reply_token");--> statement-breakpoint
CREATE INDEX "inbox_conversations_customer_idx" ON "inbox_conversations" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "inbox_conversations_queue_idx" ON "inbox_conversations" USING btree ("tenant_id","team_id","created_at") WHERE "inbox_conversations"."status" <> 'resolved' AND "inbox_conversations"."assignee_id" IS NULL;--> statement-breakpoint
CREATE INDEX "inbox_conversations_assignee_idx" ON "inbox_conversations" USING btree ("tenant_id","assignee_id") WHERE "inbox_conversations"."status" <> 'resolved';--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_messages_external_key" ON "inbox_messages" USING btree ("tenant_id","channel_id","external_id");--> statement-breakpoint
CREATE INDEX "inbox_messages_external_idx" ON "inbox_messages" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "inbox_messages_conversation_idx" ON "inbox_messages" USING btree ("tenant_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "inbox_messages_customer_idx" ON "inbox_messages" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "inbox_routing_rules_position_idx" ON "inbox_routing_rules" USING btree ("tenant_id","position");--> statement-breakpoint
CREATE INDEX "inbox_team_members_agent_idx" ON "inbox_team_members" USING btree ("tenant_id","agent_id");