CREATE TABLE "knowledge_article_versions" (
	"tenant_id" text NOT NULL,
	"article_id" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"visibility" text NOT NULL,
	"category_id" text,
	"author_type" text NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_article_versions_tenant_id_article_id_version_pk" PRIMARY KEY("tenant_id","article_id","version")
);
--> statement-breakpoint
CREATE TABLE "knowledge_articles" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"group_id" text NOT NULL,
	"category_id" text,
	"language" text NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"search_vector" "tsvector" NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_articles_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "knowledge_articles_language_check" CHECK ("knowledge_articles"."language" IN ('zh-CN', 'zh-TW', 'en')),
	CONSTRAINT "knowledge_articles_status_check" CHECK ("knowledge_articles"."status" IN ('draft', 'published')),
	CONSTRAINT "knowledge_articles_visibility_check" CHECK ("knowledge_articles"."visibility" IN ('public', 'internal'))
);
--> statement-breakpoint
CREATE TABLE "knowledge_categories" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"parent_id" text,
	"slug" text NOT NULL,
	"names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"descriptions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_categories_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_feedback" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"article_id" text NOT NULL,
	"is_helpful" boolean NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_feedback_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_script_runs" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"script_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"current_node" text,
	"agent_type" text NOT NULL,
	"agent_id" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "knowledge_script_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "knowledge_script_runs_status_check" CHECK ("knowledge_script_runs"."status" IN ('active', 'completed', 'left'))
);
--> statement-breakpoint
CREATE TABLE "knowledge_script_steps" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"node_id" text NOT NULL,
	"option_id" text,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_script_steps_tenant_id_run_id_seq_pk" PRIMARY KEY("tenant_id","run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "knowledge_scripts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"case_type" text NOT NULL,
	"title" text NOT NULL,
	"language" text NOT NULL,
	"nodes" jsonb NOT NULL,
	"root_node" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_scripts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_searches" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"query" text NOT NULL,
	"query_key" text NOT NULL,
	"language" text,
	"source" text NOT NULL,
	"result_count" integer NOT NULL,
	"anonymous_id" text,
	"conversation_id" text,
	"followed_by_chat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_searches_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_synonyms" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"terms" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_synonyms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_terms" (
	"tenant_id" text NOT NULL,
	"term" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "knowledge_terms_tenant_id_term_pk" PRIMARY KEY("tenant_id","term")
);
--> statement-breakpoint
ALTER TABLE "knowledge_article_versions" ADD CONSTRAINT "knowledge_article_versions_tenant_id_article_id_knowledge_articles_tenant_id_id_fk" FOREIGN KEY ("tenant_id","article_id") REFERENCES "public"."knowledge_articles"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD CONSTRAINT "knowledge_articles_tenant_id_category_id_knowledge_categories_tenant_id_id_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."knowledge_categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_categories" ADD CONSTRAINT "knowledge_categories_tenant_id_parent_id_knowledge_categories_tenant_id_id_fk" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "public"."knowledge_categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD CONSTRAINT "knowledge_feedback_tenant_id_article_id_knowledge_articles_tenant_id_id_fk" FOREIGN KEY ("tenant_id","article_id") REFERENCES "public"."knowledge_articles"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_script_runs" ADD CONSTRAINT "knowledge_script_runs_tenant_id_script_id_knowledge_scripts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","script_id") REFERENCES "public"."knowledge_scripts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_script_steps" ADD CONSTRAINT "knowledge_script_steps_tenant_id_run_id_knowledge_script_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."knowledge_script_runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_articles_translation_idx" ON "knowledge_articles" USING btree ("tenant_id","group_id","language");--> statement-breakpoint
CREATE INDEX "knowledge_articles_category_idx" ON "knowledge_articles" USING btree ("tenant_id","category_id","language");--> statement-breakpoint
CREATE INDEX "knowledge_articles_updated_idx" ON "knowledge_articles" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "knowledge_articles_search_idx" ON "knowledge_articles" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_categories_slug_idx" ON "knowledge_categories" USING btree ("tenant_id","slug");--> statement-breakpoint
CREATE INDEX "knowledge_feedback_article_idx" ON "knowledge_feedback" USING btree ("tenant_id","article_id","created_at");--> statement-breakpoint
CREATE INDEX "knowledge_script_runs_conversation_idx" ON "knowledge_script_runs" USING btree ("tenant_id","conversation_id","started_at");--> statement-breakpoint
CREATE INDEX "knowledge_scripts_case_type_idx" ON "knowledge_scripts" USING btree ("tenant_id","case_type");--> statement-breakpoint
CREATE INDEX "knowledge_searches_created_idx" ON "knowledge_searches" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "knowledge_searches_visitor_idx" ON "knowledge_searches" USING btree ("tenant_id","anonymous_id","created_at");