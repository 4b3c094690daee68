-- Rollback and remediation runs, and the state scheduled health checks keep.

CREATE TABLE action_runs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id      bigint NOT NULL REFERENCES incidents (id),
  action           text NOT NULL,
  step             integer,
  -- The request that asked for the run (a click, a command): a retry of it finds this row.
  idempotency_key  text NOT NULL UNIQUE,
  state            text NOT NULL CHECK (state IN ('awaiting_approval', 'approved', 'running', 'succeeded', 'failed', 'timed_out', 'dry_run', 'denied', 'expired')),
  dry_run          boolean NOT NULL,
  plan             text NOT NULL,
  requested_by     text NOT NULL,
  requested_at     timestamptz NOT NULL,
  decided_by       text,
  decided_at       timestamptz,
  started_at       timestamptz,
  finished_at      timestamptz,
  output           text,
  error            text,
  exit_code        integer,
  http_status      integer,
  target_ms        integer,
  approval_ts      text
);

-- One run at a time per incident and action, whatever Redis says.
CREATE UNIQUE INDEX action_runs_one_active_idx ON action_runs (incident_id, action) WHERE state IN ('awaiting_approval', 'approved', 'running');

CREATE TABLE check_groups (
  name                 text PRIMARY KEY,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_status          text,
  last_run_at          timestamptz,
  incident_id          bigint REFERENCES incidents (id)
);

-- Which replica runs a scheduled job's tick: the one whose conditional update wins.
CREATE TABLE job_ticks (
  name        text PRIMARY KEY,
  last_run_at timestamptz NOT NULL
);
