-- A tier review over every tiered member runs as a job; the request gets this row's id and reads its
-- progress here (queued, running, done, failed) instead of holding an HTTP request for many seconds.
CREATE TABLE "loyalty_tier_reviews" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"status" text NOT NULL,
	"reviewed" integer,
	"changed" integer,
	"requested_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "loyalty_tier_reviews_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "loyalty_tier_reviews_status_check" CHECK ("status" IN ('queued', 'running', 'done', 'failed'))
);
