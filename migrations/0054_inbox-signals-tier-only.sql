-- The inbox no longer keeps copies of a customer's open cases and last feedback: the agent context reads
-- them from the loop and feedback modules when an agent opens a conversation. Only the tier stays, for routing.
ALTER TABLE "inbox_customer_signals" DROP COLUMN "open_cases";--> statement-breakpoint
ALTER TABLE "inbox_customer_signals" DROP COLUMN "last_feedback";