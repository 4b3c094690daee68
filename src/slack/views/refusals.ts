import { formatDuration } from '../../domain/duration.js';
import { codeSpan, escapeMrkdwn } from '../../domain/text.js';
import { type BotError, type Refusal, RefusalError } from '../../errors.js';
import { onCallRefusalSentence } from './oncallRefusals.js';

const didYouMean = (closest: readonly string[]) =>
  closest.length ? ` Did you mean ${closest.map((c) => `\`${c}\``).join(', ')}?` : '';

/** Each refusal, worded once: what was asked that the bot cannot do, and what to type instead. */
export function refusalSentence(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'no-incident':
      return `There is no incident ${refusal.key}. \`/incident list\` shows the open ones.`;
    case 'no-incident-here':
      return "This channel has no incident. Run it in the incident's channel, or name the incident, e.g. `/incident ack INC-42`.";
    case 'many-incidents-here': {
      const { keys } = refusal;
      const example = `\`/incident ack ${keys[0] ?? 'INC-42'}\``;
      return `${keys.length} incidents are open in this channel (${keys.join(', ')}). Name one, e.g. ${example}.`;
    }
    case 'no-action':
      return `${refusal.key} has no action ${codeSpan(refusal.action)}. \`/incident rollback\` lists the ones it has.`;
    case 'action-not-configured':
      return `The action ${codeSpan(refusal.action)} is no longer configured.`;
    case 'no-check':
      return `There is no check or group ${codeSpan(refusal.name)}.${didYouMean(refusal.closest)} \`/incident health\` runs them all.`;
    case 'no-playbook':
      return `There is no playbook ${codeSpan(refusal.typed)}.${didYouMean(refusal.closest)} \`/incident playbooks\` lists them all.`;
    case 'no-user':
      return `There is nobody called ${escapeMrkdwn(refusal.user)} in this workspace.`;
    case 'open-unconfirmed':
      return (
        'The database stopped answering while the incident was being opened, so it may not be open. ' +
        '`/incident list` shows it once the database is back; if it is not there, type the command again.'
      );
    case 'too-many-opens': {
      const { max, windowMs } = refusal;
      const opened = `You have opened ${max} incident${max === 1 ? '' : 's'} in the last few minutes`;
      const instead = 'Add to an open one (`/incident list`), or ask a teammate to open this one.';
      return `${opened}, the most one person may per ${formatDuration(windowMs)}. ${instead}`;
    }
    case 'wrong-run-kind': {
      const { playbook: id, runKind } = refusal;
      return runKind === 'change'
        ? `${codeSpan(id)} is a change runbook (a deployment with GO/NO-GO gates), not an incident playbook: ` +
            `start it with \`/incident change ${id}\`.`
        : `${codeSpan(id)} is an incident playbook, not a change runbook: open an incident with \`/incident ${id}\`, ` +
            'or start a change from a runbook with `kind: change`.';
    }
    case 'no-schedules':
    case 'no-schedule':
    case 'cannot-be-on-call':
    case 'override-too-long':
    case 'swap-with-self':
    case 'no-shift-to-swap':
    case 'swap-overlaps':
    case 'no-override':
    case 'override-removed-already':
      return onCallRefusalSentence(refusal);
  }
}

/** What a person reads for a BotError: a refusal worded here, any other its own sentence. */
export const botErrorSentence = (error: BotError): string =>
  error instanceof RefusalError ? refusalSentence(error.refusal) : error.userMessage;
