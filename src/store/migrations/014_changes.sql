-- Changes: a second kind of run beside incidents (a deployment walked through
-- GO/NO-GO gates). A change is a row of `incidents` with kind 'change', so it
-- reuses the channel, the live message, steps, the timeline and the work
-- queue. Its key reads CHG-<n> from a sequence of its own, so it is never
-- mistaken for an INC-<n>: the number is unique per kind, the key overall.

ALTER TABLE incidents ADD COLUMN kind text NOT NULL DEFAULT 'incident' CHECK (kind IN ('incident', 'change'));

CREATE SEQUENCE change_number_seq;

ALTER TABLE incidents DROP CONSTRAINT incidents_number_key;
ALTER TABLE incidents ADD CONSTRAINT incidents_kind_number_key UNIQUE (kind, number);

ALTER TABLE incidents DROP COLUMN key;
ALTER TABLE incidents ADD COLUMN key text
  GENERATED ALWAYS AS (CASE WHEN kind = 'change' THEN 'CHG-' ELSE 'INC-' END || number::text) STORED UNIQUE;

-- The decisions at a change's gates: one row per gate, latest state (the timeline keeps every press).
CREATE TABLE change_gates (
  incident_id bigint NOT NULL REFERENCES incidents (id),
  gate        integer NOT NULL CHECK (gate >= 1),
  state       text NOT NULL CHECK (state IN ('checked', 'go', 'no-go')),
  results     jsonb NOT NULL DEFAULT '[]'::jsonb,
  actor       text NOT NULL,
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (incident_id, gate)
);
