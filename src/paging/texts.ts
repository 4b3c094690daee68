import type { PageContent } from './port.js';

/** What each channel says: short where the medium is (SMS, a voice), always the key and what to do. */

const levelOf = (p: PageContent) =>
  p.level === undefined ? '' : ` Level ${p.level}${p.levelName ? ` (${p.levelName})` : ''}.`;

export function smsText(p: PageContent): string {
  if (p.test) return `incident-bot test page: SMS reaches you. Nothing to do.`;
  const text = `${p.key} [${p.severity}] ${p.title}.${levelOf(p)} Reply ACK to acknowledge.`;
  return text.length > 300 ? `${text.slice(0, 260)}… Reply ACK to acknowledge.` : text;
}

export function emailSubject(p: PageContent): string {
  return p.test ? 'incident-bot test page' : `[${p.severity}] ${p.key}: ${p.title}`;
}

export function emailText(p: PageContent): string {
  if (p.test) return 'This is a test page from incident-bot: email reaches you. Nothing to do.\n';
  return [
    `${p.key} is open: ${p.title}`,
    `Severity: ${p.severity}.${levelOf(p)}`,
    ...(p.summary ? ['', p.summary] : []),
    '',
    `Acknowledge with /incident ack ${p.key} in Slack${p.link ? ` (${p.link})` : ''}, or reply ACK to an SMS page.`,
    '',
  ].join('\n');
}

/** What the call says, slowly enough to follow half asleep: the key letter by letter. */
export function spokenPage(p: PageContent): string {
  if (p.test) return 'This is a test call from incident bot. Your phone is set up. Goodbye.';
  const key = p.key.replace('-', ' ').split('').join(' ');
  return `Incident ${key}, severity ${p.severity.replace('sev', '')}: ${p.title}.${levelOf(p)}`;
}

/** The call's TwiML: it reads the page and asks for 1; the digit is posted to `action` (signed by Twilio). */
export function voiceTwiml(p: PageContent, action: string): string {
  const say = `<Say>${xml(spokenPage(p))}</Say>`;
  if (p.test) return `<Response>${say}</Response>`;
  const ask = '<Say>Press 1 to acknowledge.</Say>';
  return (
    `<Response><Gather numDigits="1" timeout="10" action="${xml(action)}" method="POST">${say}${ask}</Gather>` +
    `${say}${ask}<Redirect method="POST">${xml(action)}</Redirect></Response>`
  );
}

/** TwiML answering a reply or a key press. */
export function answerTwiml(kind: 'sms' | 'voice', text: string): string {
  return kind === 'sms'
    ? `<Response><Message>${xml(text)}</Message></Response>`
    : `<Response><Say>${xml(text)}</Say><Hangup/></Response>`;
}

export function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
