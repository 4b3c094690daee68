-- runs: a run ends even when the process running it dies, and it runs the plan that was approved.
-- interrupted: its process died while it ran (found by its owner's stale heartbeat); cancelled: its incident was
-- resolved while it waited. Neither is active, so the action can be requested again at once.
ALTER TABLE action_runs DROP CONSTRAINT IF EXISTS action_runs_state_check;
ALTER TABLE action_runs ADD CONSTRAINT action_runs_state_check CHECK (state IN (
  'awaiting_approval', 'approved', 'running', 'succeeded', 'failed', 'timed_out', 'dry_run', 'denied', 'expired',
  'interrupted', 'cancelled'));
-- The full plan resolved at request time (argv, cwd, env names; or method, URL, header names, body), without
-- credentials: what the approver saw is what runs.
ALTER TABLE action_runs ADD COLUMN resolved_plan jsonb;
-- Who runs it: the bot process (owner id, host, pid) that keeps heartbeat_at fresh, and the child's process group.
ALTER TABLE action_runs ADD COLUMN owner text;
ALTER TABLE action_runs ADD COLUMN owner_host text;
ALTER TABLE action_runs ADD COLUMN owner_pid integer;
ALTER TABLE action_runs ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE action_runs ADD COLUMN child_pid integer;
CREATE INDEX action_runs_running_idx ON action_runs (heartbeat_at) WHERE state = 'running';
