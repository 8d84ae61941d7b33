CREATE TABLE "loyalty_accounts" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"available" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"debt" integer DEFAULT 0 NOT NULL,
	"tier" text,
	"tier_since" timestamp with time zone,
	"tier_grace_until" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"merged_into" text COLLATE "C",
	"is_closed" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_accounts_tenant_id_customer_id_pk" PRIMARY KEY("tenant_id","customer_id"),
	CONSTRAINT "loyalty_accounts_available_nonnegative" CHECK ("loyalty_accounts"."available" >= 0),
	CONSTRAINT "loyalty_accounts_pending_nonnegative" CHECK ("loyalty_accounts"."pending" >= 0),
	CONSTRAINT "loyalty_accounts_debt_nonnegative" CHECK ("loyalty_accounts"."debt" >= 0)
);
--> statement-breakpoint
CREATE TABLE "loyalty_entries" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"account" text NOT NULL,
	"lot_id" text COLLATE "C",
	"amount" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "loyalty_entries_amount_nonzero" CHECK ("loyalty_entries"."amount" <> 0),
	CONSTRAINT "loyalty_entries_account_known" CHECK ("loyalty_entries"."account" IN ('available','pending','debt','issued','redeemed','expired','reversed','transferred'))
);
--> statement-breakpoint
CREATE TABLE "loyalty_event_cursors" (
	"tenant_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loyalty_lots" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"transaction_id" text COLLATE "C" NOT NULL,
	"amount" integer NOT NULL,
	"remaining" integer NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"is_released" boolean NOT NULL,
	"expires_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_lots_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "loyalty_lots_remaining_in_range" CHECK ("loyalty_lots"."remaining" >= 0 AND "loyalty_lots"."remaining" <= "loyalty_lots"."amount"),
	CONSTRAINT "loyalty_lots_amount_positive" CHECK ("loyalty_lots"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "loyalty_offers" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"reward_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C",
	"tiers" text[] DEFAULT '{}' NOT NULL,
	"cost_points" integer,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_offers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "loyalty_programs" (
	"tenant_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loyalty_redemptions" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"reward_id" text COLLATE "C" NOT NULL,
	"offer_id" text COLLATE "C",
	"points" integer NOT NULL,
	"voucher_code" text COLLATE "C" NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"transaction_id" text COLLATE "C" NOT NULL,
	"cancel_transaction_id" text COLLATE "C",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "loyalty_redemptions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "loyalty_referrals" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"referrer_id" text COLLATE "C" NOT NULL,
	"friend_id" text COLLATE "C" NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewarded_at" timestamp with time zone,
	CONSTRAINT "loyalty_referrals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "loyalty_rewards" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"cost_points" integer NOT NULL,
	"stock" integer,
	"per_customer_limit" integer,
	"tiers" text[] DEFAULT '{}' NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"voucher_valid_days" integer DEFAULT 30 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_rewards_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "loyalty_rewards_cost_positive" CHECK ("loyalty_rewards"."cost_points" > 0),
	CONSTRAINT "loyalty_rewards_stock_nonnegative" CHECK ("loyalty_rewards"."stock" IS NULL OR "loyalty_rewards"."stock" >= 0)
);
--> statement-breakpoint
CREATE TABLE "loyalty_transactions" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text COLLATE "C" NOT NULL,
	"request_hash" text NOT NULL,
	"points" integer NOT NULL,
	"money" numeric(14, 2),
	"currency" text,
	"reference" text COLLATE "C",
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_transactions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "loyalty_offers" ADD CONSTRAINT "loyalty_offers_tenant_id_reward_id_loyalty_rewards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reward_id") REFERENCES "public"."loyalty_rewards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_redemptions" ADD CONSTRAINT "loyalty_redemptions_tenant_id_reward_id_loyalty_rewards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reward_id") REFERENCES "public"."loyalty_rewards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "loyalty_accounts_due_idx" ON "loyalty_accounts" USING btree ("next_due_at");--> statement-breakpoint
CREATE INDEX "loyalty_entries_customer_idx" ON "loyalty_entries" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "loyalty_entries_transaction_idx" ON "loyalty_entries" USING btree ("tenant_id","transaction_id");--> statement-breakpoint
CREATE INDEX "loyalty_entries_lot_idx" ON "loyalty_entries" USING btree ("tenant_id","lot_id");--> statement-breakpoint
CREATE INDEX "loyalty_lots_open_idx" ON "loyalty_lots" USING btree ("tenant_id","customer_id","expires_at") WHERE "loyalty_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "loyalty_lots_transaction_idx" ON "loyalty_lots" USING btree ("tenant_id","transaction_id");--> statement-breakpoint
CREATE INDEX "loyalty_lots_expiring_idx" ON "loyalty_lots" USING btree ("expires_at") WHERE "loyalty_lots"."remaining" > 0 AND "loyalty_lots"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "loyalty_offers_customer_idx" ON "loyalty_offers" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_redemptions_voucher_key" ON "loyalty_redemptions" USING btree ("tenant_id","voucher_code");--> statement-breakpoint
CREATE INDEX "loyalty_redemptions_customer_idx" ON "loyalty_redemptions" USING btree ("tenant_id","customer_id","reward_id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_referrals_friend_key" ON "loyalty_referrals" USING btree ("tenant_id","friend_id");--> statement-breakpoint
CREATE INDEX "loyalty_referrals_referrer_idx" ON "loyalty_referrals" USING btree ("tenant_id","referrer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_transactions_idempotency_key" ON "loyalty_transactions" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "loyalty_transactions_customer_idx" ON "loyalty_transactions" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "loyalty_transactions_reference_idx" ON "loyalty_transactions" USING btree ("tenant_id","reference");--> statement-breakpoint
CREATE INDEX "customer_events_received_idx" ON "customer_events" USING btree ("tenant_id","received_at") WHERE "customer_events"."type" IN ('purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed');