import { CHANNEL_OF } from '../config/paging.js';
import { BotError } from '../errors.js';
import { testPageByDirectMessage } from '../notify/messages.js';
import { beginPageAttempt, finishPageAttempt } from '../store/pages.js';
import { scheduleWork } from '../store/work.js';
import type { Actor, AppDeps } from './deps.js';
import type { PageTestResult, Reply } from './replies.js';
import { newWork } from './work/payloads.js';
import { recipientOf } from './work/pageRule.js';

/**
 * `/incident page-test [@someone]`: one test page through each way the person's rules reach them, sent now, and
 * which arrived. Each send is recorded before it goes (page_attempts, keyed by the Slack request), so Slack
 * retrying the command sends nothing twice. No incident, no timeline event: a test pages nobody for real.
 */
export async function pageTest(deps: AppDeps, who: string, actor: Actor): Promise<Reply> {
  const person = who.startsWith('@') ? await deps.slack.findUser(who.slice(1)) : who;
  if (!person) throw new BotError('not_found', `There is no Slack user ${who}; name them with an @mention.`);
  const rules = deps.config.people[person]?.rules ?? [{ via: 'slack' as const, after: 0 }];
  const vias = [...new Set(rules.map((r) => r.via))];
  const request = actor.requestKey ?? `${actor.user}:${deps.clock.now().toISOString()}`;
  const results: PageTestResult[] = [];
  for (const via of vias) {
    const at = deps.clock.now();
    const key = `test:${request}:${person}:${via}`;
    if (via === 'slack') {
      const message = testPageByDirectMessage();
      await scheduleWork(deps.db, [newWork('deliver', { to: person, message }, { dueAt: at, dedupeKey: key })], at);
      deps.wake();
      results.push({ via, outcome: 'sent' });
      continue;
    }
    const channel = deps.pager.channel(via);
    if (!channel) {
      results.push({ via, outcome: 'not-set-up', error: `add a paging.${CHANNEL_OF[via]} block` });
      continue;
    }
    const begun = await beginPageAttempt(deps.db, { key, incidentId: null, person, via, at });
    if (!begun.created) {
      results.push({ via, outcome: begun.attempt.state === 'sent' ? 'sent' : 'uncertain' });
      continue;
    }
    const page = { key: 'TEST', title: 'Test page', summary: '', severity: 'sev4', test: true };
    const outcome = await channel.send(recipientOf(deps.config, person), page, key);
    const state = outcome.ok ? 'sent' : outcome.uncertain ? 'uncertain' : 'failed';
    await finishPageAttempt(deps.db, begun.attempt.id, { state, ...(outcome.ok ? {} : { error: outcome.error }), at });
    results.push({ via, outcome: state, ...(outcome.ok ? {} : { error: outcome.error }) });
  }
  deps.log.info({ person, by: actor.user, results: results.map((r) => `${r.via}:${r.outcome}`) }, 'test page');
  return { kind: 'page-test', person, results };
}
