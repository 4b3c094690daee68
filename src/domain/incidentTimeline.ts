import { z } from 'zod';
import { count, flag, instant, kind, severity, status, text, user } from './timelineFields.js';

const statusChange = { from: status, to: status, summary: text.optional() };
const deadline = { name: text, title: text, dueAt: instant };

/** The incident's own kinds: its lifecycle, where it lives in Slack, notes, alerts, deadlines and who was told. */
export const INCIDENT_DATA = {
  'incident.opened': kind('an incident opens (command, alert or scheduled check)', {
    key: text,
    playbook: text,
    title: text,
    summary: text,
    severity,
  }),
  'incident.acknowledged': kind('someone acknowledges', statusChange),
  'incident.mitigated': kind('someone marks it mitigated', statusChange),
  'incident.resolved': kind('someone resolves it', statusChange),
  'incident.severity_changed': kind('the severity changes', { from: severity, to: severity }),
  'incident.commander_changed': kind('command is handed over', { from: user, to: user }),
  'incident.escalated': kind('the level changes, by hand or when a level clock runs out', {
    from: count,
    to: count,
    manual: flag,
    clock: z.enum(['ack', 'unresolved']).optional(),
    dueAt: instant.optional(),
    late: flag,
    lateByMs: count.optional(),
    repeat: count.optional(),
  }),
  'incident.placed': kind('the incident becomes visible in Slack (its channel and live message)', {
    channelId: text,
    messageTs: text,
    channelName: text.optional(),
    attempts: count,
    afterMs: count,
    /** Opened during a storm: a thread of the shared storm channel until it gets its own channel. */
    storm: flag,
  }),
  'incident.moved': kind('after a storm, the incident moves from the storm channel to its own', {
    fromChannelId: text,
    channelId: text,
    messageTs: text,
    channelName: text,
  }),
  'incident.place_failed': kind('Slack failed 3 times to create the channel or post the live message', {
    attempts: count,
    error: text,
  }),
  'note.added': kind('someone adds a note', { text }),
  'report.posted': kind('the report is posted in the thread', { bytes: count }),
  'timeline.viewed': kind('someone views the timeline', {}),
  'alert.resolved': kind("Alertmanager resolves an incident's alert", { alertname: text, fingerprint: text }),
  'alert.joined': kind('an alert of an open group (or past the cap) joins an incident instead of opening one', {
    alertname: text,
    fingerprint: text,
    folded: flag,
  }),
  'access.refused': kind('someone who may not change (or read) the incident tries to', {
    action: text,
    intent: z.enum(['change', 'read']),
  }),
  'deadline.reminded': kind('the commander is reminded of a deadline', { ...deadline, commander: user }),
  'deadline.met': kind('a step or event meets a deadline', { ...deadline, late: flag }),
  'deadline.missed': kind('a deadline falls due unmet', deadline),
  'notification.sent': kind('stakeholders are told, one event per channel or person', {
    reason: text,
    group: text,
    to: text,
    ts: text.optional(),
    /** Carried by a digest post of this many updates (the destination's posts were paced). */
    digest: count.optional(),
  }),
  'notification.failed': kind('telling stakeholders fails (written by older versions)', { to: text, error: text }),
} as const;
