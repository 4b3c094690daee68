-- Opening is durable: an incident is committed with a `place` work item, and
-- that work creates its channel, invites, posts and pins the live message,
-- step by step. Each step's result is recorded here, so a retry (after a
-- failure or a crash) skips what is done. channel_id and message_ts already
-- record the channel and the live message.

ALTER TABLE incidents
  ADD COLUMN invited_at timestamptz,
  ADD COLUMN pinned_at  timestamptz,
  -- When the incident became visible (live message posted) and its pages and clocks started.
  ADD COLUMN placed_at  timestamptz;

-- Incidents from before this migration were placed when they were opened.
UPDATE incidents SET placed_at = opened_at, invited_at = opened_at, pinned_at = opened_at WHERE message_ts IS NOT NULL;

-- Open incidents the old inline opening left without a live message (Slack failed then) get their place work
-- now. Their pages and clocks were scheduled when they opened: the dedupe keys keep them from being doubled.
INSERT INTO scheduled_work (kind, incident_id, due_at, payload, dedupe_key, created_at)
SELECT 'place', id, now(), jsonb_build_object('opener', opened_by, 'dedicated', channel_id IS NULL), 'place:' || id, now()
  FROM incidents WHERE message_ts IS NULL AND status <> 'resolved'
ON CONFLICT (dedupe_key) DO NOTHING;

-- Retyping a command while its incident is still unplaced finds that incident.
CREATE INDEX incidents_unplaced ON incidents (playbook_id, opened_at) WHERE placed_at IS NULL;
