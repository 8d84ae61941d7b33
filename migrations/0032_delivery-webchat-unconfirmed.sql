-- Web chat replies a visitor's widget has not confirmed, found when the visitor reconnects.
CREATE INDEX "inbox_messages_unconfirmed_idx" ON "inbox_messages" ("tenant_id","channel_id",("meta"->>'to'),"created_at")
  WHERE "direction" = 'out' AND "channel_kind" = 'webchat' AND "delivery_status" IN ('sent','queued','sending');
