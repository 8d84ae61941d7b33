-- The widget's feedback takes a submission key: a resend after a lost answer finds the row it stored
-- instead of storing the feedback twice. Older rows have none; the index covers only rows that do.
ALTER TABLE "widget_feedback" ADD COLUMN "submission_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "widget_feedback_submission_key" ON "widget_feedback" USING btree ("tenant_id","submission_key") WHERE "widget_feedback"."submission_key" IS NOT NULL;