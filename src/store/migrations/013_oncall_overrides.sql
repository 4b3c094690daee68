-- On-call overrides: someone covers a schedule for a while (an override), or
-- two people trade shifts (a swap: two rows with the same swap_of). Each row
-- says who made it; removal keeps the row (removed_at, removed_by) so the
-- history of who was on call stays readable. `request_key` makes a retried
-- Slack command create nothing twice.

CREATE TABLE oncall_overrides (
  id           bigserial PRIMARY KEY,
  schedule     text NOT NULL,
  user_id      text NOT NULL,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('override', 'swap')),
  replaces     text,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL,
  request_key  text UNIQUE,
  removed_at   timestamptz,
  removed_by   text,
  CHECK (ends_at > starts_at)
);

CREATE INDEX oncall_overrides_active_idx ON oncall_overrides (schedule, ends_at) WHERE removed_at IS NULL;
