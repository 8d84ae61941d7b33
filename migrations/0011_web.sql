CREATE TABLE "portal_sessions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "portal_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "portal_sign_ins" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"destination_hash" text NOT NULL,
	"requested_from" text NOT NULL,
	"code_hash" text NOT NULL,
	"link_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "portal_sign_ins_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "widget_feedback" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"text" text NOT NULL,
	"rating" integer,
	"page_url" text,
	"client_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widget_feedback_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "widget_feedback_rating_range" CHECK ("widget_feedback"."rating" IS NULL OR "widget_feedback"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "widget_settings" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widget_settings_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE INDEX "portal_sessions_customer_idx" ON "portal_sessions" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_destination_idx" ON "portal_sign_ins" USING btree ("tenant_id","destination_hash","created_at");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_address_idx" ON "portal_sign_ins" USING btree ("tenant_id","requested_from","created_at");--> statement-breakpoint
CREATE INDEX "portal_sign_ins_customer_idx" ON "portal_sign_ins" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "widget_feedback_created_idx" ON "widget_feedback" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "widget_feedback_client_idx" ON "widget_feedback" USING btree ("tenant_id","client_hash","created_at");--> statement-breakpoint
CREATE INDEX "widget_feedback_customer_idx" ON "widget_feedback" USING btree ("tenant_id","customer_id");