-- Events recorded through the timeline spool carry a key made before their
-- first write. An insert that committed but whose answer was lost is spooled
-- and written again later: the key makes that second write a no-op.

ALTER TABLE timeline_events ADD COLUMN spool_key uuid;

CREATE UNIQUE INDEX timeline_events_spool_key_idx ON timeline_events (spool_key) WHERE spool_key IS NOT NULL;
