import type { Playbook } from '../../playbooks/schema.js';
import { type SlackMessage, context, section, userText } from '../../blockKit/blocks.js';

const COMMANDS = [
  ['`/incident <playbook> [summary]`', 'open an incident from a playbook, e.g. `/incident auth-401 login failing`'],
  ['`/incident list`', 'open incidents'],
  ['`/incident playbooks`', 'the playbooks and their aliases'],
  ['`/incident health [check|group]`', 'run health checks now'],
  ['`/incident token status | refresh <provider>`', 'token providers'],
  ['`/incident ack`', 'acknowledge: stops the acknowledgement clock'],
  ['`/incident escalate [level]`', 'page the next (or a named) escalation level'],
  ['`/incident severity <sev1..sev4>`', 'change the severity'],
  ['`/incident note <text>`', 'add a note to the timeline and the thread'],
  ['`/incident step <n> done|skip`', "the keyboard twin of a step's buttons"],
  ['`/incident mitigate [summary]`', 'the impact has stopped'],
  ['`/incident resolve [summary]`', 'close the incident'],
  ['`/incident commander @someone`', 'hand the incident over'],
  ['`/incident rollback [action]`', 'list or request a rollback'],
  ['`/incident page-test [@someone]`', "send a test page through each of a person's channels"],
  ['`/incident timeline` · `/incident report`', 'the timeline; the incident report'],
  ['`/incident oncall [schedule]`', 'who is on call now and next'],
  [
    '`/incident oncall override <schedule> @someone 2h|until Fri 18:00`',
    'cover a shift (`override remove <n>` undoes it)',
  ],
  ['`/incident oncall swap <schedule> @a @b`', "trade a's next shift for b's"],
];

export function helpMessage(): SlackMessage {
  return {
    text: 'How to use /incident',
    blocks: [
      section(`*How to use \`/incident\`*\n${COMMANDS.map(([cmd, what]) => `${cmd} — ${what}`).join('\n')}`),
      context("Inside an incident's channel the incident is implied; elsewhere name it: `/incident ack INC-42`."),
    ],
  };
}

export function playbooksMessage(playbooks: readonly Playbook[]): SlackMessage {
  const lines = playbooks.map((p) => {
    const aliases = p.aliases.length ? ` (${p.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
    return `\`${p.id}\`${aliases} — ${userText(p.title, 80)} · ${p.severity}`;
  });
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current.length + line.length + 1 > 2_900) {
      chunks.push(current);
      current = '';
    }
    current += `${line}\n`;
  }
  if (current) chunks.push(current);
  return {
    text: `${playbooks.length} playbooks`,
    blocks: [
      section(`*${playbooks.length} playbooks* — open one with \`/incident <id> [summary]\``),
      ...chunks.slice(0, 45).map((c) => section(c)),
    ],
  };
}
