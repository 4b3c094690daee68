-- Alert storms are bounded: the alerts of one Alertmanager group (its
-- groupKey, or the route's playbook when there is none) join one incident
-- while it is open. `opened` marks the group whose alert opened the incident;
-- a group folded into another incident by the cap on new incidents is
-- recorded too (opened = false), so its later alerts join there directly.

CREATE TABLE alert_groups (
  group_key    text NOT NULL,
  incident_id  bigint NOT NULL REFERENCES incidents (id),
  opened       boolean NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (group_key, incident_id)
);

CREATE INDEX alert_groups_opened_idx ON alert_groups (created_at) WHERE opened;
