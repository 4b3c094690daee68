import type { DEADLINE_EVENTS, Deadline } from '../playbooks/schema.js';

/** What meets a deadline: a step done, or one of the deadline events. */
export type DeadlineTrigger = { step: number } | { event: (typeof DEADLINE_EVENTS)[number] };

export interface PlannedDeadline {
  name: string;
  title: string;
  dueAt: Date;
  metByStep: number | null;
  metByEvent: string | null;
}

/** A playbook's deadlines as due times, counted from when the incident opened. */
export function planDeadlines(deadlines: readonly Deadline[], openedAt: Date): PlannedDeadline[] {
  return deadlines.map((d) => ({
    name: d.name,
    title: d.title,
    dueAt: new Date(openedAt.getTime() + d.within),
    metByStep: 'step' in d.met_by ? d.met_by.step : null,
    metByEvent: 'event' in d.met_by ? d.met_by.event : null,
  }));
}

/** When to remind the commander: `before` ahead of the due time, if that is still ahead of now. */
export function reminderAt(dueAt: Date, before: number, now: Date): Date | undefined {
  const at = new Date(dueAt.getTime() - before);
  return at.getTime() > now.getTime() ? at : undefined;
}

/** A deadline as the live message and the report show it. */
export interface DeadlineView {
  name: string;
  title: string;
  dueAt: Date;
  state: 'pending' | 'met' | 'missed';
  at?: Date;
}
