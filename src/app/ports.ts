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
}


export interface RollbackView {
  name: string;
  title: string;
  target?: string;
  targetTimeMs?: number;
  approval: boolean;
  description: string;
}

/**
 * Things said in an incident's thread. The Slack adapter renders each kind;
 * the use cases only say what happened.
 */
export type ThreadPost =
  | { kind: 'note'; actor: string; text: string }
  | { kind: 'step-not-configured'; actor: string; step: number; title: string; runner: string; name: string }
  | { kind: 'status'; actor: string; text: string }
  /** Resolved: said in the thread, with the offer of the incident report. */
  | { kind: 'resolved'; actor: string; key: string; incidentId: number; summary?: string }
  | { kind: 'text'; text: string; mentions?: string[] };

/**
 * The Slack Web API as the use cases need it. Implemented over @slack/web-api
 * in slack/port.ts; a test may implement it in memory.
 */
export interface SlackPort {
  /** Creates a channel (a suffix is added when the name is taken) and invites people. */
  createChannel(name: string, invite: string[]): Promise<{ channelId: string; name: string }>;
  postIncidentMessage(channelId: string, snapshot: IncidentSnapshot): Promise<{ ts: string }>;
  updateIncidentMessage(channelId: string, ts: string, snapshot: IncidentSnapshot): Promise<void>;
  postInThread(channelId: string, threadTs: string, post: ThreadPost): Promise<{ ts: string }>;
  pin(channelId: string, ts: string): Promise<void>;
  /** Resolves `@handle` to a user id; undefined when no such user. */
  findUser(handle: string): Promise<string | undefined>;
  /** Uploads a text file into a thread. */
  uploadFile(channelId: string, threadTs: string, filename: string, title: string, content: string): Promise<void>;
}
