-- Incidents, their timeline and their steps: the source of truth.

CREATE SEQUENCE incident_number_seq;

CREATE TABLE incidents (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- INC-<number>: a sequence keeps keys unique however many incidents open at once.
  number           bigint NOT NULL UNIQUE DEFAULT nextval('incident_number_seq'),
  key              text GENERATED ALWAYS AS ('INC-' || number::text) STORED UNIQUE,
  playbook_id      text NOT NULL,
  title            text NOT NULL,
  summary          text NOT NULL DEFAULT '',
  severity         text NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'mitigated', 'resolved')),
  escalation_level integer NOT NULL DEFAULT 1 CHECK (escalation_level >= 1),
  commander        text NOT NULL,
  channel_id       text,
  message_ts       text,
  opened_by        text NOT NULL,
  opened_at        timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  mitigated_at     timestamptz,
  resolved_at      timestamptz,
  -- The playbook as it was when the incident opened: later edits do not change a running incident.
  playbook         jsonb NOT NULL,
  -- Bumped by every change; the live message is re-rendered until it shows the latest.
  version          integer NOT NULL DEFAULT 1
);

CREATE INDEX incidents_open_idx ON incidents (opened_at) WHERE status <> 'resolved';
CREATE INDEX incidents_channel_idx ON incidents (channel_id, message_ts);

CREATE TABLE timeline_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES incidents (id),
  occurred_at timestamptz NOT NULL,
  -- A Slack user id, or 'system' for the bot's own doing.
  actor       text NOT NULL,
  kind        text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX timeline_events_incident_idx ON timeline_events (incident_id, occurred_at, id);

-- The timeline is append-only: operators build dashboards and audits on it.
CREATE FUNCTION timeline_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'timeline_events is append-only';
END;
$$;

CREATE TRIGGER timeline_events_append_only
  BEFORE UPDATE OR DELETE ON timeline_events
  FOR EACH ROW EXECUTE FUNCTION timeline_events_append_only();

-- A step without a row is pending.
CREATE TABLE step_states (
  incident_id bigint NOT NULL REFERENCES incidents (id),
  step        integer NOT NULL CHECK (step >= 1),
  state       text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'skipped', 'failed')),
  actor       text NOT NULL,
  changed_at  timestamptz NOT NULL,
  detail      text,
  PRIMARY KEY (incident_id, step)
);

-- Requests already acted on (a Slack retry, the same click delivered to two replicas).
-- Redis answers first; this holds when Redis is down.
CREATE TABLE handled_requests (
  key        text PRIMARY KEY,
  handled_at timestamptz NOT NULL
);
