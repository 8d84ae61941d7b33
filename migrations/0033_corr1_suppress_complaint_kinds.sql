-- Marketing waits while a customer has an open case of any complaint kind: detractor answers and
-- negative mentions are complaints too. Tenants still on the old default get the new one.
ALTER TABLE "outreach_settings" ALTER COLUMN "suppress_case_types" SET DEFAULT ARRAY['complaint','detractor','negative_mention']::text[];--> statement-breakpoint
UPDATE "outreach_settings" SET "suppress_case_types" = ARRAY['complaint','detractor','negative_mention']::text[] WHERE "suppress_case_types" = ARRAY['complaint']::text[];
