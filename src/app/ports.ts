import type { WatchStanding, WatchWindowStatus } from '../domain/watch.js';
import type { ChangeProgress, GateState } from '../domain/gates.js';
import type { DeadlineView } from '../domain/deadlines.js';
import type { Incident } from '../domain/incident.js';
import type { StepStatus } from '../domain/steps.js';

/** What the live incident message shows: everything is read from PostgreSQL, never from the clicked message. */
export interface IncidentSnapshot {
  incident: Incident;
  steps: StepStatus[];
  /** The escalation level's name, when the incident has a policy. */
  levelName?: string;
  levelCount?: number;
  deadlines?: DeadlineView[];
  rollbacks?: RollbackView[];
  /** Actions run in dry-run mode (the page and the buttons say so). */
  dryRun?: boolean;
  /** The change whose post-deploy watch opened this incident (its key): its rollback comes first. */
  fromChange?: string;
  /** A change's gates and where it stands (a change's rollbacks are offered once a gate says NO-GO). */
  change?: ChangeView;
}

export interface ChangeView {
  progress: ChangeProgress;
  gates: GateView[];
  /** The post-deploy watch, once it started. */
  watch?: WatchView;
}

export interface WatchView {
  windows: WatchWindowStatus[];
  standing: WatchStanding;
  /** The key of the incident the watch opened when it tripped. */
  opened?: string;
}

export interface GateView {
  /** Its place, 1 first. */
  number: number;
  title: string;
  phase?: string;
  afterStep: number;
  checks: string[];
  state: GateState;
  /** GO can be pressed (the change stands at this gate and its checks passed, or it has none). */
  goOffered: boolean;
}

export interface RollbackView {
  name: string;
  title: string;
  target?: string;
  targetTimeMs?: number;
  approval: boolean;
  description: string;
}

/** What a person changed, as the thread says it (the view chooses the words). */
export type IncidentChangeSaid =
  | { kind: 'acknowledged' }
  | { kind: 'mitigated'; summary?: string }
  | { kind: 'severity'; to: string }
  | { kind: 'escalated'; level: number; levelName?: string }
  | { kind: 'commander'; commander: string }
  /** GO or NO-GO at a change's gate; `rollback`: the titles of the actions a NO-GO offers. */
  | { kind: 'gate'; gate: number; title: string; decision: 'go' | 'no-go'; rollback: string[] }
  | { kind: 'change-completed' }
  | { kind: 'change-aborted'; reason: string };

/**
 * Things said in an incident's thread. The Slack adapter renders each kind;
 * the use cases only say what happened.
 */
export type ThreadPost =
  | { kind: 'note'; actor: string; text: string }
  | { kind: 'step-not-configured'; actor: string; step: number; title: string; runner: string; name: string }
  /** A person changed the incident (acknowledged, mitigated, severity, escalation, commander). */
  | { kind: 'changed'; actor: string; key: string; change: IncidentChangeSaid }
  /** A scheduled check group that opened this incident passes again; the incident stays open. */
  | { kind: 'checks-recovered'; group: string; failedRuns: number }
  /** Resolved: said in the thread, with the offer of the incident report. */
  | { kind: 'resolved'; actor: string; key: string; incidentId: number; summary?: string }
  | { kind: 'text'; text: string; mentions?: string[] }
  /** What is left of a live message in the storm channel once its incident has its own channel. */
  | { kind: 'moved'; key: string; title: string; channelId: string }
  /** A run waiting for a second person: Approve / Deny while it waits, the decision once made. */
  | {
      kind: 'action-approval';
      runId: number;
      incidentId: number;
      action: string;
      title: string;
      plan: string;
      requester: string;
      dryRun: boolean;
      expiresAt: Date;
      approvers: string[];
      decision?: { state: 'approved' | 'denied' | 'expired' | 'cancelled'; by?: string };
    }
  | { kind: 'action-started'; action: string; title: string; plan: string; actor: string; dryRun: boolean }
  | {
      kind: 'action-finished';
      action: string;
      title: string;
      outcome: string;
      output: string;
      error?: string;
      durationMs: number;
      targetMs?: number;
      dryRun: boolean;
      /** PostgreSQL did not answer: the outcome is kept in the spool and recorded when it is back. */
      recordingDelayed?: boolean;
    }
  /** A run whose bot process died while it ran: given up, its process group stopped, and free to run again. */
  | {
      kind: 'action-interrupted';
      action: string;
      title: string;
      requester: string;
      /** What became of the child process: stopped, already gone, or on another host (not stopped from here). */
      child: 'stopped' | 'gone' | 'elsewhere' | 'unknown' | 'never-started';
    }
  | { kind: 'check-running'; actor: string; target: string; count: number }
  | { kind: 'check-results'; target: string; results: CheckResultView[] }
  | { kind: 'token-refreshed'; actor: string; provider: string; ok: boolean; expiresAt?: Date; error?: string }
  | {
      kind: 'alert-firing';
      alertname: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
      startsAt: Date;
      generatorUrl?: string;
    }
  | { kind: 'alert-resolved'; alertname: string; incidentOpen: boolean }
  /** Alerts that joined the incident instead of opening their own: one line per batch. */
  | {
      kind: 'alerts-joined';
      names: Array<{ name: string; count: number }>;
      folded: number;
      cap?: { max: number; windowMs: number };
    }
  | {
      kind: 'token-alert';
      provider: string;
      title: string;
      state: 'failing' | 'recovered';
      status: 'valid' | 'expiring' | 'expired' | 'missing';
      expiresAt?: Date;
      error?: string;
    };

/** What an incident's own channel is called and how the bot knows it is its own. */
export interface ChannelHome {
  name: string;
  key: string;
  title: string;
  /** Unique to this incident (not just its key, which a new database reuses): written in the channel's purpose. */
  marker: string;
  /**
   * The name an earlier attempt asked conversations.create for without hearing back: the only name under which
   * an unmarked channel of the bot's is this incident's.
   */
  askedBefore?: string;
  /** Called (and awaited) before each create request, with the name it asks for. */
  asking?: (name: string) => Promise<void>;
}

/** A health check result as the thread shows it. */
export interface CheckResultView {
  name: string;
  title: string;
  status: 'pass' | 'degraded' | 'fail';
  latencyMs: number;
  attempts: number;
  failure?: string;
  details: string[];
}

/**
 * The Slack Web API as the use cases need it. Implemented over @slack/web-api
 * in slack/port.ts; a test may implement it in memory.
 */
/** What users.info says of a person. */
export interface UserInfo {
  name?: string;
  tz?: string;
  /** Slack has no such user (`user_not_found`), or they are deactivated. */
  missing?: 'not_found' | 'deactivated';
}

export interface SlackPort {
  /**
   * Creates an incident's channel, or adopts the one an earlier attempt created when its answer was lost: a
   * channel of that name created by this bot whose purpose is empty or carries `home.marker` is reused, never
   * duplicated; a name taken by anything else gets a suffix. The purpose says whose channel it is.
   */
  createIncidentChannel(home: ChannelHome): Promise<{ channelId: string; name: string; adopted: boolean }>;
  /** Invites people; those Slack refuses for good (not found, deactivated) come back as problems, not thrown. */
  invite(channelId: string, users: string[]): Promise<{ problems: string[] }>;
  /**
   * Posts the live message. With `key`, the message carries it in its metadata, and `lookFirst` finds a message
   * an earlier attempt posted (its answer lost) instead of posting another.
   */
  postIncidentMessage(
    channelId: string,
    snapshot: IncidentSnapshot,
    options?: { key: string; lookFirst: boolean },
  ): Promise<{ ts: string; reused?: boolean }>;
  updateIncidentMessage(channelId: string, ts: string, snapshot: IncidentSnapshot): Promise<void>;
  postInThread(channelId: string, threadTs: string, post: ThreadPost): Promise<{ ts: string }>;
  /** A message of its own in a channel (not about one incident: a token alert). */
  postInChannel(channelId: string, post: ThreadPost): Promise<{ ts: string }>;
  /** Re-renders something the bot said in a thread (an approval request once decided). */
  updateInThread(channelId: string, ts: string, post: ThreadPost): Promise<void>;
  /** Members of a channel (for access: who may change the incident that lives there). */
  channelMembers(channelId: string): Promise<string[]>;
  /** Members of a user group (for permissions and pages). */
  usergroupMembers(usergroup: string): Promise<string[]>;
  /** Pins a message (already pinned is fine); a pin Slack refuses for good is a problem, not thrown. */
  pin(channelId: string, ts: string): Promise<{ problem?: string }>;
  /**
   * A person's name and IANA time zone from Slack (users.info `real_name`, `tz`); empty when Slack cannot say,
   * `missing` when Slack says there is no such user or they are deactivated.
   */
  userInfo(user: string): Promise<UserInfo>;
  /** Sets a user group's members to exactly these people (usergroups.users.update): an on-call group's sync. */
  setUsergroupMembers(usergroup: string, users: string[]): Promise<void>;
  /** Resolves `@handle` to a user id; undefined when no such user. */
  findUser(handle: string): Promise<string | undefined>;
  /** Uploads a text file into a thread. */
  uploadFile(channelId: string, threadTs: string, filename: string, title: string, content: string): Promise<void>;
}
