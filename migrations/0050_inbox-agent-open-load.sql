-- Each agent's open load (conversations assigned to them that are open or pending), kept by the
-- database as conversations are assigned, moved and closed, so that routing reads one column per
-- agent under the team lock instead of counting each agent's conversations for every batch (the
-- count was most of the inbox's new-conversation cost on a fresh database, where every count visits
-- the heap). Kept by triggers, so that no path that assigns, resolves, snoozes, erases or merges
-- can forget it.
ALTER TABLE "inbox_agents" ADD COLUMN "open_load" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "inbox_agents" a SET "open_load" = (
  SELECT count(*) FROM "inbox_conversations" c WHERE c.tenant_id = a.tenant_id AND c.assignee_id = a.id AND c.status IN ('open','pending'));--> statement-breakpoint
CREATE FUNCTION "inbox_agents_count_load"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_counted boolean := TG_OP <> 'INSERT' AND OLD.assignee_id IS NOT NULL AND OLD.status IN ('open','pending');
  is_counted boolean := TG_OP <> 'DELETE' AND NEW.assignee_id IS NOT NULL AND NEW.status IN ('open','pending');
BEGIN
  IF was_counted AND is_counted AND OLD.assignee_id = NEW.assignee_id AND OLD.tenant_id = NEW.tenant_id THEN RETURN NULL; END IF;
  IF was_counted THEN
    UPDATE inbox_agents SET open_load = open_load - 1 WHERE tenant_id = OLD.tenant_id AND id = OLD.assignee_id;
  END IF;
  IF is_counted THEN
    UPDATE inbox_agents SET open_load = open_load + 1 WHERE tenant_id = NEW.tenant_id AND id = NEW.assignee_id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "inbox_conversations_load_insert" AFTER INSERT ON "inbox_conversations" FOR EACH ROW
  WHEN (NEW.assignee_id IS NOT NULL AND NEW.status IN ('open','pending')) EXECUTE FUNCTION "inbox_agents_count_load"();--> statement-breakpoint
CREATE TRIGGER "inbox_conversations_load_update" AFTER UPDATE OF "assignee_id", "status", "tenant_id" ON "inbox_conversations" FOR EACH ROW
  WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
  EXECUTE FUNCTION "inbox_agents_count_load"();--> statement-breakpoint
CREATE TRIGGER "inbox_conversations_load_delete" AFTER DELETE ON "inbox_conversations" FOR EACH ROW
  WHEN (OLD.assignee_id IS NOT NULL AND OLD.status IN ('open','pending')) EXECUTE FUNCTION "inbox_agents_count_load"();
