import type { Incident } from '../domain/incident.js';
import type { CheckResultView } from './ports.js';
import type { TimelineEvent } from '../domain/timeline.js';
import type { Playbook } from '../playbooks/schema.js';

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
  | { kind: 'none' };

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
