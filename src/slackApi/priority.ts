import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a Web API call is for, when Slack's budget is short: an incident's
 * first page (and placing it, which that page waits for) first, since nobody
 * knows of the incident yet; then other pages and answers to a person; then
 * the live incident message, then thread details, then stakeholder updates. The caller says it once around its work
 * (`withSlackPriority`); every call made inside inherits it, down to the
 * limiter in front of the HTTP request (slack/limiter.ts). Shared by the Slack
 * adapter, the notification engine and the use cases, so it lives here.
 */
export const SLACK_PRIORITIES = ['first-page', 'page', 'answer', 'live', 'thread', 'stakeholder'] as const;
export type SlackPriority = (typeof SLACK_PRIORITIES)[number];

/** Lower is sooner; a page and an answer to a person are equal. */
export const PRIORITY_RANK: Readonly<Record<SlackPriority, number>> = {
  'first-page': 0,
  page: 1,
  answer: 1,
  live: 2,
  thread: 3,
  stakeholder: 4,
};

/** A page, first or not: it waits for nobody's other work (scheduler/worker.ts). */
export const isPaging = (priority: SlackPriority): boolean => priority === 'first-page' || priority === 'page';

const current = new AsyncLocalStorage<SlackPriority>();

export function withSlackPriority<T>(priority: SlackPriority, fn: () => Promise<T>): Promise<T> {
  return current.run(priority, fn);
}

/** The priority the caller gave, or one that follows from the method: answers, renders, else thread details. */
export function slackPriorityOf(method: string): SlackPriority {
  const given = current.getStore();
  if (given) return given;
  if (method === 'chat.postEphemeral' || method.startsWith('views.')) return 'answer';
  if (method === 'chat.update') return 'live';
  return 'thread';
}
