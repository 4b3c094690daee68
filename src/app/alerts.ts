import {
  type Alert,
  type AlertmanagerPayload,
  alertGroupKey,
  alertSummary,
  routeFor,
  tallyNames,
} from '../domain/alerts.js';
import type { AlertRoute } from '../config/alerts.js';
import { SYSTEM_ACTOR, timelineEvent } from '../domain/timeline.js';
import type { Transaction } from '../store/db.js';
import {
  countAlertOpenings,
  findAlertIncident,
  findOpenGroupIncident,
  linkAlertIncident,
  lockAlertOpening,
  newestOpenAlertIncident,
  recordAlertGroup,
  resolveAlertIncident,
} from '../store/alerts.js';
import { getIncident } from '../store/incidents.js';
import { appendTimelineEvent } from '../store/timeline.js';
import type { AppDeps } from './deps.js';
import { type Opened, openIncident } from './openIncident.js';
import { type DeferredPost, postWhenPlaced } from './work/threadPost.js';
import { definedProps, presentProps } from '../domain/defined.js';

export interface AlertsOutcome {
  /** Keys of incidents opened now. */
  opened: string[];
  /** Firing alerts that already have their incident (Alertmanager repeats them). */
  known: number;
  /** Firing alerts that joined an open incident of their group (or were folded into one by the cap). */
  joined: number;
  /** Of those, alerts folded in because too many incidents opened from alerts within the window. */
  folded: number;
  /** Resolutions said in their incident now. */
  resolved: string[];
  /** Alerts no route matches, and resolutions of alerts that opened nothing. */
  ignored: number;
}

/** Thrown inside the opening transaction when the alert belongs to another incident: the opening rolls back. */
class JoinInstead extends Error {
  constructor(
    readonly incidentId: number,
    readonly folded: boolean,
  ) {
    super('the alert joins an open incident');
  }
}

/**
 * Alertmanager's webhook. A firing alert that a route matches opens an
 * incident with the route's playbook, once per firing (its fingerprint and
 * start), however often Alertmanager repeats it and on however many
 * replicas; unless its group (groupKey and playbook) already has an open
 * incident, which it joins: its timeline gets `alert.joined`, its thread one
 * summary line per batch. At most `alerts.max_new_incidents` incidents open
 * from alerts per `alerts.incident_window`: the excess joins the newest open
 * one. A resolution is said in the alert's incident, once. Incidents stay
 * open until a person resolves them.
 */
export async function receiveAlerts(deps: AppDeps, payload: AlertmanagerPayload): Promise<AlertsOutcome> {
  const outcome: AlertsOutcome = { opened: [], known: 0, joined: 0, folded: 0, resolved: [], ignored: 0 };
  const joinedBy = new Map<number, JoinedBatch>();
  for (const alert of payload.alerts) {
    if (alert.status === 'resolved') {
      const key = await sayResolved(deps, alert);
      if (key) outcome.resolved.push(key);
      else outcome.ignored++;
      continue;
    }
    const route = routeFor(deps.config.alerts.routes, { ...payload.commonLabels, ...alert.labels });
    if (!route) {
      outcome.ignored++;
      continue;
    }
    if (await findAlertIncident(deps.db, alert.fingerprint, alert.startsAt)) {
      outcome.known++;
      continue;
    }
    const group = alertGroupKey(payload.groupKey, deps.catalog.find(route.playbook)?.id ?? route.playbook);
    const placed = await place(deps, alert, route, group);
    if (placed.kind === 'known') outcome.known++;
    else if (placed.kind === 'opened') outcome.opened.push(placed.key);
    else {
      outcome.joined++;
      if (placed.folded) outcome.folded++;
      const joined = joinedBy.get(placed.incidentId) ?? { first: firingOf(alert), names: [], folded: 0 };
      joined.names.push(nameOf(alert));
      if (placed.folded) joined.folded++;
      joinedBy.set(placed.incidentId, joined);
    }
  }
  for (const [incidentId, joined] of joinedBy) await sayJoined(deps, incidentId, joined);
  return outcome;
}

/**
 * The alerts of one request that joined one incident. A firing joins once, so the batch's first firing names the
 * batch: the line's work item is one however the request is retried.
 */
interface JoinedBatch {
  first: string;
  names: string[];
  folded: number;
}

/** One firing of an alert: Alertmanager's fingerprint and its start. */
const firingOf = (alert: Alert) => `${alert.fingerprint}:${alert.startsAt.toISOString()}`;
const nameOf = (alert: Alert) => alert.labels.alertname ?? 'alert';

type Placed =
  { kind: 'opened'; key: string } | { kind: 'joined'; incidentId: number; folded: boolean } | { kind: 'known' };

/** Opens the alert's incident, or joins its group's open one, or (past the cap) the newest one alerts opened. */
async function place(deps: AppDeps, alert: Alert, route: AlertRoute, group: string): Promise<Placed> {
  const open = await findOpenGroupIncident(deps.db, group);
  if (open) return join(deps, alert, group, open.incidentId, open.folded);
  const { max_new_incidents: max, incident_window: window } = deps.config.alerts;
  const requestKey = `alert:${firingOf(alert)}`;
  const at = deps.clock.now();
  const since = new Date(at.getTime() - window);
  // Settled without opening when it plainly is (an incident number is spent only when replicas race).
  if ((await countAlertOpenings(deps.db, since)) >= max) {
    const newest = await newestOpenAlertIncident(deps.db);
    if (newest !== undefined) return join(deps, alert, group, newest, true);
  }
  // Decided under one lock across replicas, in the opening's transaction: a concurrent alert of the group waits, then joins.
  const decide = async (tx: Transaction, incidentId: number) => {
    await lockAlertOpening(tx);
    const taken = await findOpenGroupIncident(tx, group);
    if (taken) throw new JoinInstead(taken.incidentId, taken.folded);
    if ((await countAlertOpenings(tx, since)) >= max) {
      const newest = await newestOpenAlertIncident(tx);
      if (newest !== undefined) throw new JoinInstead(newest, true);
    }
    await recordAlertGroup(tx, group, incidentId, true, at);
    await linkAlertIncident(tx, alert.fingerprint, alert.startsAt, incidentId, nameOf(alert));
  };
  let opened: Opened;
  try {
    opened = await openIncident(
      deps,
      {
        playbook: route.playbook,
        summary: alertSummary(alert),
        channelId: '',
        ...definedProps({ severity: route.severity }),
        alsoRecord: (tx, incident) => decide(tx, incident.id),
        placeInBackground: true,
      },
      { user: SYSTEM_ACTOR, requestKey },
    );
  } catch (error) {
    if (error instanceof JoinInstead) return join(deps, alert, group, error.incidentId, error.folded);
    throw error;
  }
  if (opened.kind !== 'opened') return { kind: 'known' };
  const { labels, annotations, startsAt, generatorURL } = alert;
  await postWhenPlaced(
    deps,
    opened,
    {
      kind: 'alert-firing',
      alertname: nameOf(alert),
      labels,
      annotations,
      startsAt,
      ...presentProps({ generatorUrl: generatorURL }),
    },
    'alert-firing',
  );
  return { kind: 'opened', key: opened.incident.key };
}

/** The alert joins an incident: linked (so repeats and its resolution find it) and in the timeline, once. */
async function join(deps: AppDeps, alert: Alert, group: string, incidentId: number, folded: boolean): Promise<Placed> {
  const at = deps.clock.now();
  const linked = await deps.db.transaction(async (tx) => {
    if (!(await linkAlertIncident(tx, alert.fingerprint, alert.startsAt, incidentId, nameOf(alert)))) return false;
    await recordAlertGroup(tx, group, incidentId, false, at);
    await appendTimelineEvent(tx, {
      incidentId,
      occurredAt: at,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('alert.joined', {
        alertname: nameOf(alert),
        fingerprint: alert.fingerprint,
        ...(folded ? { folded: true } : {}),
      }),
    });
    return true;
  });
  if (!linked) return { kind: 'known' };
  return { kind: 'joined', incidentId, folded };
}

/**
 * One line per batch in the thread of an incident alerts joined, as durable work: in a storm the thread's channel
 * is busy and the post waits its turn in the worker, not in Alertmanager's request (which Alertmanager would time
 * out and send again). An incident opened a moment ago may not be placed yet: the line then waits for it.
 */
async function sayJoined(deps: AppDeps, incidentId: number, joined: JoinedBatch) {
  const { max_new_incidents: max, incident_window: windowMs } = deps.config.alerts;
  const post: DeferredPost = {
    kind: 'alerts-joined',
    names: tallyNames(joined.names),
    folded: joined.folded,
    ...(joined.folded ? { cap: { max, windowMs } } : {}),
  };
  await postWhenPlaced(deps, { incident: { id: incidentId } }, post, `alerts-joined:${joined.first}`).catch(
    (error: unknown) => deps.log.warn({ err: error, incidentId }, 'could not say the joined alerts'),
  );
}

async function sayResolved(deps: AppDeps, alert: Alert): Promise<string | undefined> {
  const at = deps.clock.now();
  const link = await deps.db.transaction(async (tx) => {
    const resolved = await resolveAlertIncident(tx, alert.fingerprint, alert.startsAt, at);
    if (resolved)
      await appendTimelineEvent(tx, {
        incidentId: resolved.incidentId,
        occurredAt: at,
        actor: SYSTEM_ACTOR,
        ...timelineEvent('alert.resolved', { alertname: resolved.alertname, fingerprint: alert.fingerprint }),
      });
    return resolved;
  });
  if (!link) return undefined;
  const incident = await getIncident(deps.db, link.incidentId);
  if (incident) {
    const post: DeferredPost = {
      kind: 'alert-resolved',
      alertname: link.alertname,
      incidentOpen: incident.status !== 'resolved',
    };
    await postWhenPlaced(deps, { incident }, post, `alert-resolved:${firingOf(alert)}`);
  }
  return incident?.key;
}
