import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a Web API call is for, when Slack's budget is short: pages and
 * answers to a person first, then the live incident message, then thread
 * details, then stakeholder updates. The caller says it once around its work
 * (`withSlackPriority`); every call made inside inherits it, down to the
 * limiter in front of the HTTP request (slack/limiter.ts). Shared by the Slack
 * adapter, the notification engine and the use cases, so it lives here.
 */
export const SLACK_PRIORITIES = ['page', 'answer', 'live', 'thread', 'stakeholder'] as const;
export type SlackPriority = (typeof SLACK_PRIORITIES)[number];

/** Lower is sooner; a page and an answer to a person are equal. */
export const PRIORITY_RANK: Readonly<Record<SlackPriority, number>> = {
  page: 0,
  answer: 0,
  live: 1,
  thread: 2,
  stakeholder: 3,
};

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
