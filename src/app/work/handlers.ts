import { expireApproval } from '../actions.js';
import type { AppDeps } from '../deps.js';
import { checkDeadlineDue, remindDue } from './deadlines.js';
import { deliverDue } from './deliver.js';
import { escalateDue } from './escalation.js';
import { pageDue } from './page.js';
import { placeDue } from './place.js';
import { threadPostDue } from './threadPost.js';
import type { WorkHandler } from './types.js';

/** Each kind of scheduled work and the use case that does it. */
export function workHandlers(deps: AppDeps): Record<string, WorkHandler> {
  return {
    place: (work, worker) => placeDue(deps, work, worker),
    'thread.post': (work) => threadPostDue(deps, work),
    escalate: (work, worker) => escalateDue(deps, work, worker),
    page: (work, worker) => pageDue(deps, work, worker),
    deliver: (work, worker) => deliverDue(deps, work, worker),
    'deadline.remind': (work, worker) => remindDue(deps, work, worker),
    'deadline.check': (work, worker) => checkDeadlineDue(deps, work, worker),
    render: (work) => deps.live.renderDue(work),
    'action.expire': async (work) => ({ done: await expireApproval(deps, Number(work.payload.runId)) }),
  };
}
