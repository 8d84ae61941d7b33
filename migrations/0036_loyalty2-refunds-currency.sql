-- A purchase's money in the programme's base currency (money stays in the purchase's own currency);
-- NULL on rows written before currencies were converted, whose money was taken as base already.
ALTER TABLE "loyalty_transactions" ADD COLUMN "base_money" numeric(14, 2);
--> statement-breakpoint
-- Refund events that arrived before their purchase: kept until the purchase's points exist, then applied
-- by the reconciliation pass, and listed so that nobody has to guess why a refund took no points.
CREATE TABLE "loyalty_unapplied_refunds" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"event_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"order_id" text COLLATE "C" NOT NULL,
	"amount" numeric(14, 2),
	"reason" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"last_attempt_at" timestamp with time zone NOT NULL,
	CONSTRAINT "loyalty_unapplied_refunds_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
CREATE INDEX "loyalty_unapplied_refunds_order_idx" ON "loyalty_unapplied_refunds" USING btree ("tenant_id","order_id");
