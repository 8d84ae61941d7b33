-- Nonces of signed webhooks, remembered until their signature is stale: a replay is refused on every node.
CREATE TABLE "webhook_nonces" (
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"nonce" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_nonces_tenant_id_scope_nonce_pk" PRIMARY KEY("tenant_id","scope","nonce")
);
--> statement-breakpoint
CREATE INDEX "webhook_nonces_expires_idx" ON "webhook_nonces" USING btree ("expires_at");
