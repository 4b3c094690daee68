-- Pages beyond Slack (email, SMS, voice, webhook) and the incident mirrors
-- (PagerDuty, Opsgenie). An attempt is written before the send ('sending'),
-- so a send whose answer was lost, or whose worker died in the middle, is
-- found afterwards and reported as "may have been sent" ('uncertain')
-- instead of being sent again. `attempt_key` makes one page one row, across
-- replicas and restarts. No contact value is kept here: only the person's
-- Slack user id and the channel.

CREATE TABLE page_attempts (
  id           bigserial PRIMARY KEY,
  attempt_key  text NOT NULL UNIQUE,
  incident_id  bigint REFERENCES incidents (id),
  person       text,
  via          text NOT NULL,
  state        text NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'uncertain')),
  provider_id  text,
  error        text,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz
);

-- An SMS reply without a key acknowledges the incident most recently paged to that person by SMS or voice.
CREATE INDEX page_attempts_person_idx ON page_attempts (person, started_at DESC);
CREATE INDEX page_attempts_incident_idx ON page_attempts (incident_id);
