-- How many of a day's answers named each topic with a complaint and with praise: "delivery" among
-- detractors says little when half of them praised it. Rows summed before this column count none
-- (their responses had no polarity stored either).
ALTER TABLE "feedback_topic_rollups" ADD COLUMN "negative" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback_topic_rollups" ADD COLUMN "positive" integer DEFAULT 0 NOT NULL;
