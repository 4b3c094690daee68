-- Work that only needs to happen once more, however often it is asked for (an
-- incident's live message render): at most one item per coalesce_key waits to
-- be claimed. An item in hand (claimed) leaves the index, so a request made
-- while it runs waits as the one next render.
ALTER TABLE scheduled_work ADD COLUMN coalesce_key text;

CREATE UNIQUE INDEX scheduled_work_waiting_key ON scheduled_work (coalesce_key)
  WHERE done_at IS NULL AND locked_by IS NULL AND coalesce_key IS NOT NULL;
