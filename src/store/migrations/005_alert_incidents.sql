-- Alerts from Alertmanager and the incidents they opened. Alertmanager sends a
-- firing alert again every repeat_interval, for as long as it fires: the row
-- makes a repeat find its incident instead of opening another, and lets the
-- resolution be said in that incident, once.

CREATE TABLE alert_incidents (
  fingerprint  text NOT NULL,
  starts_at    timestamptz NOT NULL,
  incident_id  bigint NOT NULL REFERENCES incidents (id),
  alertname    text NOT NULL,
  resolved_at  timestamptz,
  PRIMARY KEY (fingerprint, starts_at)
);
