import { expireApproval } from '../actionApprovals.js';
import type { AppDeps } from '../deps.js';
import { announceApprovalDue } from './approval.js';
import { checkDeadlineDue, remindDue } from './deadlines.js';
import { deliverDue } from './deliver.js';
import { escalateDue } from './escalation.js';
import { handoffDue } from './handoff.js';
import { pageDue } from './page.js';
import { mirrorDue } from './pageMirror.js';
import { pageRuleDue } from './pageRule.js';
import { type WorkKind, type WorkPayload, WorkPayloads } from './payloads.js';
import { placeDue } from './place.js';
import { threadPostDue } from './threadPost.js';
import { watchRunDue } from './watch.js';
import { moveDue } from './storm.js';
import type { ParsedWork, WorkHandler } from './types.js';
import type { SlackPriority } from '../../slackApi/priority.js';

/**
 * A stakeholder update is sent last; a message to the incident's thread or to a person (a page, a reminder) first,
 * and an incident's first page before every other.
 */
function deliveryPriority(work: ParsedWork<WorkPayload<'deliver'>>): SlackPriority {
  if (work.payload.thread === 'stakeholder') return 'stakeholder';
  return work.payload.first ? 'first-page' : 'page';
}

/** The page of the level an incident starts at, scheduled as it is placed: nobody knows of the incident yet. */
const isFirstPage = (payload: WorkPayload<'page'>) => payload.because === 'opened' && payload.cycle === 0;

/** Each kind of scheduled work: its payload's schema and the use case that does it. */
export type WorkHandlers = { [K in WorkKind]: WorkHandler<WorkPayload<K>> };

export function workHandlers(deps: AppDeps): WorkHandlers {
  const p = WorkPayloads;
  return {
    // Placing comes first: an incident's pages wait for its channel and live message.
    place: { payload: p.place, run: (work, worker) => placeDue(deps, work, worker), priority: () => 'first-page' },
    'thread.post': { payload: p['thread.post'], run: (work) => threadPostDue(deps, work) },
    escalate: { payload: p.escalate, run: (work, worker) => escalateDue(deps, work, worker), priority: () => 'page' },
    page: {
      payload: p.page,
      run: (work, worker) => pageDue(deps, work, worker),
      priority: (work) => (isFirstPage(work.payload) ? 'first-page' : 'page'),
    },
    // A person's own rule (SMS, a call, a Slack DM) is a page too.
    'page.rule': {
      payload: p['page.rule'],
      run: (work, worker) => pageRuleDue(deps, work, worker),
      priority: () => 'page',
    },
    'page.mirror': { payload: p['page.mirror'], run: (work, worker) => mirrorDue(deps, work, worker) },
    deliver: { payload: p.deliver, run: (work, worker) => deliverDue(deps, work, worker), priority: deliveryPriority },
    'deadline.remind': { payload: p['deadline.remind'], run: (work, worker) => remindDue(deps, work, worker) },
    'deadline.check': { payload: p['deadline.check'], run: (work, worker) => checkDeadlineDue(deps, work, worker) },
    render: { payload: p.render, run: (work) => deps.live.renderDue(work), priority: () => 'live' },
    'oncall.handoff': { payload: p['oncall.handoff'], run: (work, worker) => handoffDue(deps, work, worker) },
    'action.expire': {
      payload: p['action.expire'],
      run: async (work) => ({ done: await expireApproval(deps, work.payload.runId) }),
    },
    'action.announce': { payload: p['action.announce'], run: (work) => announceApprovalDue(deps, work) },
    'watch.run': { payload: p['watch.run'], run: (work, worker) => watchRunDue(deps, work, worker) },
    'storm.move': { payload: p['storm.move'], run: (work, worker) => moveDue(deps, work, worker) },
  };
}
