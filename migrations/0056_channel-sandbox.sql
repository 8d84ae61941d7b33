-- A channel may be a sandbox: what Rapport would send on it is kept and marked sent, and no provider is
-- contacted (the demo's channels, a channel being tried out). Existing channels are not.
ALTER TABLE "inbox_channels" ADD COLUMN "is_sandbox" boolean DEFAULT false NOT NULL;