import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATUSES,
  canTransition,
  isOpen,
  refusalOf,
  statusesBefore,
  type IncidentStatus,
} from '../../src/domain/incident.js';

/** The lifecycle, written out pair by pair: a change to the table must change this too. */
const ALLOWED: Record<IncidentStatus, IncidentStatus[]> = {
  open: ['acknowledged', 'mitigated', 'resolved'],
  acknowledged: ['mitigated', 'resolved'],
  mitigated: ['resolved'],
  resolved: [],
};

const pairs = INCIDENT_STATUSES.flatMap((from) => INCIDENT_STATUSES.map((to) => [from, to] as const));

describe('the incident lifecycle', () => {
  it.each(pairs)('%s → %s is allowed exactly when the table says so', (from, to) => {
    expect(canTransition(from, to)).toBe(ALLOWED[from].includes(to));
  });

  it('never stays in place or goes back: a status only moves forward', () => {
    for (const [from, to] of pairs) {
      if (INCIDENT_STATUSES.indexOf(to) <= INCIDENT_STATUSES.indexOf(from)) expect(canTransition(from, to)).toBe(false);
    }
  });

  it.each(INCIDENT_STATUSES)('guards entering %s with exactly the statuses that may precede it', (to) => {
    expect(statusesBefore(to)).toEqual(INCIDENT_STATUSES.filter((from) => ALLOWED[from].includes(to)));
  });

  it('lets nothing re-open an incident: no status precedes open', () => {
    expect(statusesBefore('open')).toEqual([]);
    expect(statusesBefore('resolved')).toEqual(['open', 'acknowledged', 'mitigated']);
  });

  it('is open until resolved', () => {
    expect(INCIDENT_STATUSES.filter((status) => isOpen({ status }))).toEqual(['open', 'acknowledged', 'mitigated']);
  });
});

describe('why a status change did nothing', () => {
  it('says the incident is already there', () => {
    expect(refusalOf({ key: 'INC-1', status: 'acknowledged' }, 'acknowledged')).toBe('INC-1 is already acknowledged.');
    expect(refusalOf({ key: 'INC-1', status: 'resolved' }, 'resolved')).toBe('INC-1 is already resolved.');
  });

  it('points to a new incident when a resolved one is asked to move', () => {
    expect(refusalOf({ key: 'INC-1', status: 'resolved' }, 'acknowledged')).toBe(
      'INC-1 is resolved; open a new incident if the problem is back.',
    );
  });

  it('names the current status when the move goes backwards', () => {
    expect(refusalOf({ key: 'INC-1', status: 'mitigated' }, 'acknowledged')).toBe(
      'INC-1 is mitigated, so it cannot be acknowledged now.',
    );
  });
});
