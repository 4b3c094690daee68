import type { Incident } from '../domain/incident.js';
import type { CheckResultView } from './ports.js';
import type { TimelineEvent } from '../domain/timeline.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Shift } from '../domain/oncall.js';
import type { StoredOverride } from '../store/overrides.js';
import type { ChangeProgress } from '../domain/gates.js';
import type { WatchStanding } from '../domain/watch.js';

/**
 * What a use case answers the person who asked. The Slack layer renders it,
 * ephemerally, as the reply to a command or a click.
 */
export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'help' }
  | { kind: 'playbooks'; playbooks: readonly Playbook[] }
  | { kind: 'list'; incidents: Incident[] }
  | { kind: 'timeline'; incident: Incident; events: TimelineEvent[]; offset: number; total: number; pageSize: number }
  | {
      kind: 'rollbacks';
      incident: Incident;
      actions: Array<{
        name: string;
        title: string;
        plan: string;
        target?: string;
        targetTimeMs?: number;
        approval: boolean;
        dryRun: boolean;
      }>;
    }
  | { kind: 'health'; target: string; results: CheckResultView[] }
  | { kind: 'tokens'; tokens: TokenView[] }
  /** Who commands the incident now, or already did (nothing changed). */
  | { kind: 'commander'; commander: string; key: string; already: boolean }
  /** A step someone moved was already in that state (`by` who put it there). */
  | { kind: 'step-already'; step: number; key: string; state: string; by?: string }
  /** A step asks for a check, token or action this bot has no engine for. */
  | { kind: 'step-runner-missing'; step: number; runner: string; name: string }
  /** What became of a request to run (or decide on) an action. */
  | { kind: 'action'; title: string; said: ActionSaid }
  /** A token refresh someone asked for (by command, or by a step's button): fresh until when, or why not. */
  | { kind: 'token-refresh'; provider: string; ok: boolean; expiresAt?: Date; error?: string; step?: number }
  /** A step's checks ran: which failed first, if any. */
  | { kind: 'step-checks'; step: number; failure?: { name: string; reason: string } }
  /** A test page through each of a person's channels (`/incident page-test`): which arrived. */
  | { kind: 'page-test'; person: string; results: PageTestResult[] }
  /** `/incident oncall`: who is on call now and next for each schedule, read in `zone` (the asker's); none configured: none. */
  | { kind: 'oncall'; now: Date; schedules: OnCallView[] }
  /** An override, a swap or a removal was made: what it is now. */
  | {
      kind: 'oncall-changed';
      change: 'override' | 'swap' | 'removed';
      schedule: string;
      zone: string;
      now: Date;
      overrides: StoredOverride[];
      onCall: Shift;
    }
  /** A change was started from a runbook: where it lives, if Slack has shown it yet. */
  | { kind: 'change-started'; key: string; runbook: string; channelId?: string }
  /** `/incident change status`: each open change, where it stands. */
  | { kind: 'changes'; changes: ChangeView[] }
  /** `/incident change abort`: aborted (with a reason or without), or it had already ended. */
  | { kind: 'change-aborted'; key: string; withReason: boolean; alreadyEnded: boolean }
  | { kind: 'none' };

export interface ChangeView {
  change: Incident;
  progress: ChangeProgress;
  watch: WatchStanding;
}

export interface PageTestResult {
  via: string;
  /** `sent`: the provider took it; `uncertain`: its answer was lost; `not-set-up`: no channel or address for it. */
  outcome: 'sent' | 'failed' | 'uncertain' | 'not-set-up';
  error?: string;
}

export interface OnCallView {
  id: string;
  title?: string;
  zone: string;
  current: Shift;
  next?: Shift;
  /** Overrides not over yet, with their ids (for `override remove`). */
  overrides: StoredOverride[];
}

export type ActionSaid =
  | { kind: 'not-allowed' }
  | { kind: 'busy'; key: string; waiting: boolean; requestedBy: string }
  | { kind: 'awaits-approval'; key: string }
  | { kind: 'incident-resolved'; key: string }
  | { kind: 'not-allowed-to-decide' }
  | { kind: 'denied' }
  /** It ran, but PostgreSQL did not answer: the outcome is spooled and written when it is back. */
  | { kind: 'recording-delayed'; outcome: string };

export const actionReply = (title: string, said: ActionSaid): Reply => ({ kind: 'action', title, said });

export interface TokenView {
  provider: string;
  title: string;
  status: string;
  expiresAt?: Date;
  ageMs?: number;
  lastRefreshAt?: Date;
  lastError?: string;
  cacheHits: number;
  cacheMisses: number;
}

export const text = (message: string): Reply => ({ kind: 'text', text: message });
export const NO_REPLY: Reply = { kind: 'none' };
