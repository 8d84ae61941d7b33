DROP INDEX "survey_responses_invitation_key";--> statement-breakpoint
DROP INDEX "survey_responses_submission_key";--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation_key" ON "survey_responses" USING btree ("tenant_id","invitation_id") WHERE "survey_responses"."invitation_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_submission_key" ON "survey_responses" USING btree ("tenant_id","survey_id","submission_key") WHERE "survey_responses"."submission_key" IS NOT NULL;