-- Durable clocks: escalations, pages, reminders, deadline checks and stakeholder
-- notifications are rows with a due time, claimed with FOR UPDATE SKIP LOCKED.

CREATE TABLE scheduled_work (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  incident_id  bigint REFERENCES incidents (id),
  due_at       timestamptz NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Items of one lane run one at a time, in id order (a channel's updates, an incident's pages).
  lane         text,
  -- Scheduling the same thing twice is harmless: the second insert does nothing.
  dedupe_key   text UNIQUE,
  attempts     integer NOT NULL DEFAULT 0,
  locked_by    text,
  locked_until timestamptz,
  done_at      timestamptz,
  outcome      text,
  created_at   timestamptz NOT NULL
);

CREATE INDEX scheduled_work_due_idx ON scheduled_work (due_at) WHERE done_at IS NULL;
CREATE INDEX scheduled_work_lane_idx ON scheduled_work (lane, id) WHERE done_at IS NULL;
CREATE INDEX scheduled_work_incident_idx ON scheduled_work (incident_id) WHERE done_at IS NULL;

-- The escalation policy as it was when the incident opened: later config edits do not change pages in flight.
ALTER TABLE incidents ADD COLUMN escalation_policy jsonb;
ALTER TABLE incidents ADD COLUMN escalation_policy_name text;
-- How many times the policy has started over from level 1 (its `repeat`).
ALTER TABLE incidents ADD COLUMN escalation_cycle integer NOT NULL DEFAULT 0;

CREATE TABLE deadlines (
  incident_id   bigint NOT NULL REFERENCES incidents (id),
  name          text NOT NULL,
  title         text NOT NULL,
  due_at        timestamptz NOT NULL,
  met_by_step   integer,
  met_by_event  text,
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'met', 'missed')),
  settled_at    timestamptz,
  PRIMARY KEY (incident_id, name)
);

-- Where each stakeholder channel's thread about an incident starts.
CREATE TABLE stakeholder_threads (
  incident_id bigint NOT NULL REFERENCES incidents (id),
  channel_id  text NOT NULL,
  thread_ts   text NOT NULL,
  PRIMARY KEY (incident_id, channel_id)
);
