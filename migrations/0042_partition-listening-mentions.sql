-- listening_mentions becomes a table partitioned by month of published_at, as customer_events (0041).
-- Its primary key must include the partition column: (tenant_id, id, published_at); ids are made by
-- Rapport (men_…) and never arrive from outside, and every look-up by id still uses the key's
-- (tenant_id, id) prefix. The same post is recognised by its URL under the tenant's ingestion lock
-- (ingest-mentions.ts); the unique index on the URL, its backstop, must include published_at too.
ALTER TABLE "listening_mentions" RENAME TO "listening_mentions_unpartitioned";--> statement-breakpoint
ALTER TABLE "listening_mentions_unpartitioned" RENAME CONSTRAINT "listening_mentions_tenant_id_id_pk" TO "listening_mentions_unpartitioned_pk";--> statement-breakpoint
ALTER TABLE "listening_mentions_unpartitioned" RENAME CONSTRAINT "listening_mentions_sentiment" TO "listening_mentions_unpartitioned_sentiment";--> statement-breakpoint
ALTER INDEX "listening_mentions_url_idx" RENAME TO "listening_mentions_unpartitioned_url_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_published_idx" RENAME TO "listening_mentions_unpartitioned_published_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_band0_idx" RENAME TO "listening_mentions_unpartitioned_band0_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_band1_idx" RENAME TO "listening_mentions_unpartitioned_band1_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_band2_idx" RENAME TO "listening_mentions_unpartitioned_band2_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_band3_idx" RENAME TO "listening_mentions_unpartitioned_band3_idx";--> statement-breakpoint
ALTER INDEX "listening_mentions_customer_idx" RENAME TO "listening_mentions_unpartitioned_customer_idx";--> statement-breakpoint
CREATE TABLE "listening_mentions" (LIKE "listening_mentions_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("published_at");--> statement-breakpoint
ALTER TABLE "listening_mentions" ADD CONSTRAINT "listening_mentions_tenant_id_id_published_at_pk" PRIMARY KEY ("tenant_id", "id", "published_at");--> statement-breakpoint
ALTER TABLE "listening_mentions" ADD CONSTRAINT "listening_mentions_sentiment" CHECK ("listening_mentions"."sentiment" in ('negative', 'neutral', 'positive'));--> statement-breakpoint
CREATE UNIQUE INDEX "listening_mentions_url_idx" ON "listening_mentions" USING btree ("tenant_id","url","published_at") WHERE "listening_mentions"."url" is not null;--> statement-breakpoint
CREATE INDEX "listening_mentions_published_idx" ON "listening_mentions" USING btree ("tenant_id","published_at");--> statement-breakpoint
CREATE INDEX "listening_mentions_band0_idx" ON "listening_mentions" USING btree ("tenant_id","band0");--> statement-breakpoint
CREATE INDEX "listening_mentions_band1_idx" ON "listening_mentions" USING btree ("tenant_id","band1");--> statement-breakpoint
CREATE INDEX "listening_mentions_band2_idx" ON "listening_mentions" USING btree ("tenant_id","band2");--> statement-breakpoint
CREATE INDEX "listening_mentions_band3_idx" ON "listening_mentions" USING btree ("tenant_id","band3");--> statement-breakpoint
CREATE INDEX "listening_mentions_customer_idx" ON "listening_mentions" USING btree ("tenant_id","customer_id");--> statement-breakpoint
DO $$
DECLARE
  first_month timestamptz;
  m timestamptz;
BEGIN
  SELECT date_trunc('month', min(published_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' INTO first_month FROM listening_mentions_unpartitioned;
  m := greatest(coalesce(first_month, now()), now() - interval '5 years');
  m := date_trunc('month', m AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  WHILE m < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '4 months' LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF listening_mentions FOR VALUES FROM (%L) TO (%L)',
      'listening_mentions_p' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'),
      to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"'),
      to_char((m AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM-DD"T00:00:00Z"'));
    m := ((m AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  END LOOP;
END $$;--> statement-breakpoint
CREATE TABLE "listening_mentions_default" PARTITION OF "listening_mentions" DEFAULT;--> statement-breakpoint
INSERT INTO "listening_mentions" SELECT * FROM "listening_mentions_unpartitioned";--> statement-breakpoint
DROP TABLE "listening_mentions_unpartitioned";
