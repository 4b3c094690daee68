-- A change's post-deploy watch: one row per window (checks on a schedule for a time after the last GO).
-- The runs themselves are durable work ('watch.run'); this row is what the live message shows and what a
-- run counts on: failures in a row, the last verdict, and, once the watch trips, the incident it opened.
CREATE TABLE change_watches (
  incident_id        bigint NOT NULL REFERENCES incidents (id),
  window_no          integer NOT NULL CHECK (window_no >= 1),
  checks             jsonb NOT NULL,
  every_ms           bigint NOT NULL CHECK (every_ms > 0),
  started_at         timestamptz NOT NULL,
  ends_at            timestamptz NOT NULL,
  runs               integer NOT NULL DEFAULT 0,
  failures_in_a_row  integer NOT NULL DEFAULT 0,
  last_status        text CHECK (last_status IN ('pass', 'degraded', 'fail')),
  last_run_at        timestamptz,
  state              text NOT NULL DEFAULT 'watching' CHECK (state IN ('watching', 'passed', 'tripped', 'stopped')),
  opened_incident_id bigint REFERENCES incidents (id),
  PRIMARY KEY (incident_id, window_no)
);

-- The incident a watch opened finds its change (the change's rollback is its first button).
CREATE INDEX change_watches_opened ON change_watches (opened_incident_id) WHERE opened_incident_id IS NOT NULL;
