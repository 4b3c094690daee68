-- The live message converges after a crash. Every change the live message
-- shows bumps incidents.version in its own transaction; a render that Slack
-- accepted records the version it showed here. An incident whose version is
-- ahead of rendered_version changed after its last good render (the process
-- died between the commit and the render, or the render's retry could not be
-- scheduled): the sweep at start-up (and housekeeping) renders it again.
ALTER TABLE incidents ADD COLUMN rendered_version integer;

-- Incidents from before this migration: taken to show their state.
UPDATE incidents SET rendered_version = version WHERE message_ts IS NOT NULL;
