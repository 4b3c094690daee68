import { z } from 'zod';
import { PAGE_VIAS } from '../../config/paging.js';
import { TIMELINE_KINDS } from '../../domain/timeline.js';
import { DEADLINE_EVENTS } from '../../playbooks/schema.js';
import type { NewWork } from '../../store/work.js';
import type { ParsedWork } from './types.js';

/**
 * The payload of each kind of scheduled work: what its scheduler writes and its handler reads. A payload is jsonb
 * read back from PostgreSQL, so it is parsed (by the worker, before the handler runs) like any other input. Objects
 * are loose at the top: a row written by an older or newer version with a field more still runs.
 */

const level = z.number().int().nonnegative();

/** A message the bot decided to send (notify/deliver.ts `OutgoingMessage`). */
const outgoingMessage = z.object({ text: z.string(), blocks: z.array(z.unknown()) });

/** A date written as a Date, read back as the ISO string JSON made of it. */
const date = z.coerce.date<Date>();

/** The thread posts that may wait for their incident to be placed (work/threadPost.ts `postWhenPlaced`). */
const deferredPost = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alert-firing'),
    alertname: z.string(),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    startsAt: date,
    generatorUrl: z.string().optional(),
  }),
  z.object({
    kind: z.literal('alerts-joined'),
    names: z.array(z.object({ name: z.string(), count: z.number() })),
    folded: z.number(),
    cap: z.object({ max: z.number(), windowMs: z.number() }).optional(),
  }),
  z.object({ kind: z.literal('alert-resolved'), alertname: z.string(), incidentOpen: z.boolean() }),
  z.object({
    kind: z.literal('check-results'),
    target: z.string(),
    results: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        status: z.enum(['pass', 'degraded', 'fail']),
        latencyMs: z.number(),
        attempts: z.number(),
        failure: z.string().optional(),
        details: z.array(z.string()),
      }),
    ),
  }),
]);

/** Each kind's fields, as its schedulers write them. */
const shapes = {
  /** Makes an incident visible in Slack (work/place.ts). */
  place: {
    /** Who opened it: invited to the channel, told if Slack keeps failing. */
    opener: z.string(),
    /** The incident has a channel of its own (otherwise it lives where the command was typed). */
    dedicated: z.boolean(),
  },
  /** A post in the incident's thread that waits for the incident to be placed (work/threadPost.ts). */
  'thread.post': { post: deferredPost },
  /** A level's clock ran out (work/escalation.ts). */
  escalate: { level, cycle: level, clock: z.enum(['ack', 'unresolved']) },
  /** Pages a level (work/page.ts); `because` makes it unique, `lateByMs` is how late the escalation itself was. */
  page: { level, cycle: level, because: z.string().optional(), lateByMs: z.number().nonnegative().optional() },
  /** One rule of a paged person's chain (work/pageRule.ts): `rule` is its place in their list, from 1. */
  'page.rule': { person: z.string(), rule: z.number().int().positive(), via: z.enum(PAGE_VIAS), level },
  /** The incident mirrored to PagerDuty or Opsgenie (work/pageMirror.ts). */
  'page.mirror': { to: z.enum(['pagerduty', 'opsgenie']), action: z.enum(['trigger', 'acknowledge', 'resolve']) },
  /** One message, delivered once (work/deliver.ts). */
  deliver: {
    /** A channel or user; absent for the incident's own thread. */
    to: z.string().optional(),
    /** `incident`: the incident's thread. `stakeholder`: this destination's thread about the incident. */
    thread: z.enum(['incident', 'stakeholder']).optional(),
    message: outgoingMessage,
    /** The timeline event the delivery is (a notification), written with the message's ts. */
    record: z.object({ kind: z.enum(TIMELINE_KINDS), data: z.record(z.string(), z.unknown()) }).optional(),
    /** The deadline event the delivery meets. */
    meets: z.enum(DEADLINE_EVENTS).optional(),
    /** Part of an incident's first page: sent before every other page when Slack's budget is short. */
    first: z.boolean().optional(),
    /** A page by direct message: paced per person, the pages that wait go out together (paging.dm_min_interval). */
    page: z.boolean().optional(),
    /** How it reads as one line of a digest (a page: incident, level, channel); default its notification text. */
    line: z.string().optional(),
  },
  /** Reminds the commander of a deadline (work/deadlines.ts). */
  'deadline.remind': { name: z.string() },
  /** A deadline fell due (work/deadlines.ts). */
  'deadline.check': { name: z.string() },
  /** Renders the live message again (app/liveMessage.ts); `why` is for the reader of the table. */
  render: { why: z.string().optional() },
  /**
   * A handoff of an on-call schedule (work/handoff.ts): `notice` tells the incoming person a few minutes before;
   * `start` posts it in the schedule's channel and sets its user group; `catchUp` (the shift already running when
   * the bot started) only sets the user group. `user` null: nobody is on call for the shift.
   */
  'oncall.handoff': {
    schedule: z.string(),
    user: z.string().nullable(),
    start: date,
    end: date,
    phase: z.enum(['notice', 'start']),
    catchUp: z.boolean().optional(),
  },
  /** An approval request ran out of time (app/actions.ts). */
  'action.expire': { runId: z.number().int().positive() },
  /** Posts a run's approval request in the thread, once the incident is placed (work/approval.ts). */
  'action.announce': { runId: z.number().int().positive() },
  /** One run of a change's post-deploy watch window, numbered from 1 (work/watch.ts). */
  'watch.run': { window: z.number().int().positive() },
  /** After a storm, gives an incident placed in the storm channel its own channel (work/storm.ts). */
  'storm.move': { opener: z.string() },
} satisfies Record<string, z.ZodRawShape>;

export type WorkKind = keyof typeof shapes;

/** Kind → the schema its payload is parsed with when the item runs. */
export const WorkPayloads = {
  place: z.looseObject(shapes.place),
  'thread.post': z.looseObject(shapes['thread.post']),
  escalate: z.looseObject(shapes.escalate),
  page: z.looseObject(shapes.page),
  'page.rule': z.looseObject(shapes['page.rule']),
  'page.mirror': z.looseObject(shapes['page.mirror']),
  deliver: z.looseObject(shapes.deliver),
  'deadline.remind': z.looseObject(shapes['deadline.remind']),
  'deadline.check': z.looseObject(shapes['deadline.check']),
  render: z.looseObject(shapes.render),
  'action.expire': z.looseObject(shapes['action.expire']),
  'action.announce': z.looseObject(shapes['action.announce']),
  'oncall.handoff': z.looseObject(shapes['oncall.handoff']),
  'watch.run': z.looseObject(shapes['watch.run']),
  'storm.move': z.looseObject(shapes['storm.move']),
} satisfies { [K in WorkKind]: z.ZodObject<(typeof shapes)[K]> };

/** A kind's payload as its handler reads it (parsed). */
export type WorkPayload<K extends WorkKind> = z.output<(typeof WorkPayloads)[K]>;

/** A kind's payload as its scheduler writes it: exactly the kind's fields, so a misspelt one does not compile. */
export type WorkPayloadInput<K extends WorkKind> = z.input<z.ZodObject<(typeof shapes)[K]>>;

/** A claimed item of kind K, its payload parsed. */
export type WorkOf<K extends WorkKind> = ParsedWork<WorkPayload<K>>;

/** Everything about an item but its kind and payload: when it is due, its incident, lane and keys. */
export type WorkItem = Omit<NewWork, 'kind' | 'payload'>;

/** An item to schedule, its payload typed by its kind: the only way app code makes a `NewWork`. */
export function newWork<K extends WorkKind>(kind: K, payload: WorkPayloadInput<K>, item: WorkItem): NewWork {
  return { ...item, kind, payload };
}
