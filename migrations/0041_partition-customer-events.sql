-- customer_events becomes a table partitioned by month of occurred_at (native range partitions), so the
-- newest months stay small and hot and retention drops a month whole (src/platform/partitions.ts keeps
-- the next months made and old ones dropped). A partitioned table's primary key must include the
-- partition column, so the key becomes (tenant_id, id, occurred_at); the event's id stays its
-- idempotency key across every partition through customer_event_ids, a plain table keyed by
-- (tenant_id, id) that a trigger fills before each row is stored: a replayed id is skipped there
-- whatever its occurred_at, exactly as the old primary key skipped it.
ALTER TABLE "customer_events" RENAME TO "customer_events_unpartitioned";--> statement-breakpoint
ALTER TABLE "customer_events_unpartitioned" RENAME CONSTRAINT "customer_events_tenant_id_id_pk" TO "customer_events_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "customer_events_timeline_idx" RENAME TO "customer_events_unpartitioned_timeline_idx";--> statement-breakpoint
ALTER INDEX "customer_events_received_idx" RENAME TO "customer_events_unpartitioned_received_idx";--> statement-breakpoint
CREATE TABLE "customer_events" (LIKE "customer_events_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("occurred_at");--> statement-breakpoint
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_tenant_id_id_occurred_at_pk" PRIMARY KEY ("tenant_id", "id", "occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_timeline_idx" ON "customer_events" USING btree ("tenant_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_events_received_idx" ON "customer_events" USING btree ("tenant_id","received_at") WHERE "customer_events"."type" IN ('purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed');--> statement-breakpoint
-- One partition per month (UTC) from the oldest stored month, at most five years back, to three months
-- ahead; anything older, and anything outside the made months, lands in the default partition.
DO $$
DECLARE
  first_month timestamptz;
  m timestamptz;
BEGIN
  SELECT date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' INTO first_month FROM customer_events_unpartitioned;
  m := greatest(coalesce(first_month, now()), now() - interval '5 years');
  m := date_trunc('month', m AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  WHILE m < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '4 months' LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF customer_events FOR VALUES FROM (%L) TO (%L)',
      'customer_events_p' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'),
      to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"'),
      to_char((m AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM-DD"T00:00:00Z"'));
    m := ((m AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  END LOOP;
END $$;--> statement-breakpoint
CREATE TABLE "customer_events_default" PARTITION OF "customer_events" DEFAULT;--> statement-breakpoint
INSERT INTO "customer_events" SELECT * FROM "customer_events_unpartitioned";--> statement-breakpoint
DROP TABLE "customer_events_unpartitioned";--> statement-breakpoint
CREATE TABLE "customer_event_ids" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_event_ids_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);--> statement-breakpoint
INSERT INTO "customer_event_ids" SELECT "tenant_id", "id", "occurred_at" FROM "customer_events";--> statement-breakpoint
-- Claims the event's id before the row is stored; a row whose id is already claimed is skipped (the
-- insert reports it neither inserted nor returned, as ON CONFLICT DO NOTHING did on the old key).
CREATE FUNCTION "customer_events_claim_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_event_ids (tenant_id, id, occurred_at) VALUES (NEW.tenant_id, NEW.id, NEW.occurred_at) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN RETURN NULL; END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "customer_events_claim_id" BEFORE INSERT ON "customer_events" FOR EACH ROW EXECUTE FUNCTION "customer_events_claim_id"();
