-- Ledger postings are append-only: a correction is a new, reversing transaction, never an edit.
-- (DELETE stays possible for removing a whole tenant.)
CREATE OR REPLACE FUNCTION loyalty_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'loyalty_entries is append-only: post a reversing transaction instead' USING ERRCODE = 'P0001';
END $$;--> statement-breakpoint
CREATE TRIGGER loyalty_entries_no_update BEFORE UPDATE ON loyalty_entries FOR EACH ROW EXECUTE FUNCTION loyalty_entries_append_only();
