-- The platform outbox: one row per message Rapport sends (agent replies, loop notices, alert webhooks)
-- and one per attempt to deliver it. The owning module keeps the message itself; the outbox keeps
-- what it takes to deliver and retry it, and the story of every try.
CREATE TABLE "outbox_messages" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"give_up_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"provider_id" text COLLATE "C",
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_messages_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "outbox_messages_status_check" CHECK ("status" IN ('queued','sending','sent','delivered','failed'))
);
--> statement-breakpoint
CREATE INDEX "outbox_messages_due_idx" ON "outbox_messages" ("next_attempt_at") WHERE "status" IN ('queued','sending');
--> statement-breakpoint
CREATE INDEX "outbox_messages_provider_idx" ON "outbox_messages" ("tenant_id","provider_id") WHERE "provider_id" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "outbox_attempts" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"message_id" text COLLATE "C" NOT NULL,
	"n" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"error" text,
	"http_status" integer,
	CONSTRAINT "outbox_attempts_pk" PRIMARY KEY("tenant_id","message_id","n"),
	CONSTRAINT "outbox_attempts_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "outbox_messages"("tenant_id","id") ON DELETE cascade
);
