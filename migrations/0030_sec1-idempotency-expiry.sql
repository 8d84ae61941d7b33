-- Idempotency records expire after a day (swept by created_at) and never keep an answer that carried a secret.
ALTER TABLE "idempotency_keys" ADD COLUMN "is_withheld" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");
--> statement-breakpoint
-- Answers stored before this change that hold a one-time secret (a new API key's token) are dropped.
DELETE FROM "idempotency_keys" WHERE "route" = 'POST /v1/api-keys' OR "route" = 'POST /v1/inbox/channels' OR "route" = 'PATCH /v1/listening/settings' OR "route" = 'POST /v1/listening/sources';
