import { context, mention, section, userText, usergroupMention } from '../blockKit/blocks.js';
import { formatDuration } from '../domain/duration.js';
import { sayWhen } from '../domain/oncallTime.js';
import type { OutgoingMessage } from './deliver.js';

/** A handoff as the messages say it: whose shift, of which schedule, from when until when, read in `zone`. */
export interface HandoffFacts {
  schedule: string;
  title?: string;
  user: string | null;
  start: Date;
  end: Date;
  /** The reader's zone (the incoming person's, from Slack), else the schedule's. */
  zone: string;
  now: Date;
  usergroup?: string;
  /** The notice went out later than it was due (the bot was down). */
  lateByMs?: number;
}

const nameOf = (f: HandoffFacts) => userText(f.title ?? f.schedule, 80);
const span = (f: HandoffFacts) => `from ${sayWhen(f.start, f.zone, f.now)} until ${sayWhen(f.end, f.zone, f.now)}`;
const late = (f: HandoffFacts) =>
  f.lateByMs ? ` _(This notice is late by ${formatDuration(f.lateByMs)}: the bot was down when it was due.)_` : '';

/** To the incoming person, a few minutes before their shift. */
export function handoffNotice(f: HandoffFacts & { user: string }): OutgoingMessage {
  const started = f.start.getTime() <= f.now.getTime();
  const when = started ? `since ${sayWhen(f.start, f.zone, f.now)} until ${sayWhen(f.end, f.zone, f.now)}` : span(f);
  const said = `You are on call for ${nameOf(f)} ${when} (${f.zone})`;
  return {
    text: `${said}${f.lateByMs ? ` (late by ${formatDuration(f.lateByMs)})` : ''}`,
    blocks: [
      section(`:pager: ${said}.${late(f)}`),
      context(
        [
          f.usergroup ? `${usergroupMention(f.usergroup)} points to you for the shift.` : '',
          '`/incident oncall` shows the rotation; `/incident oncall override` hands a part of it to someone else.',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    ],
  };
}

/** In the schedule's channel when the shift starts. */
export function handoffPost(f: HandoffFacts): OutgoingMessage {
  if (f.user === null) {
    const said = `Nobody is on call for ${nameOf(f)} ${span(f)} (${f.zone})`;
    return {
      text: said,
      blocks: [section(`:warning: ${said}. Pages for it go to the escalation level's fallback.`)],
    };
  }
  const said = `${mention(f.user)} is on call for ${nameOf(f)} ${span(f)} (${f.zone})`;
  return { text: said, blocks: [section(`:pager: ${said}.`)] };
}
