import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PersonConfig } from '../config/paging.js';
import { type Route, readBody, sendJson } from '../http/server.js';
import { type Answer, type PagingProviders, pressKeys, replySms } from './emulator/providers/index.js';
import { presentProps } from '../domain/defined.js';

/**
 * The Phones panel's routes: per person of the config's `people:`, what the provider emulators received for
 * them (texts, calls with what they say, emails), and the two things a phone can do back, a reply to a text and
 * a key pressed on a call. Both go out as the provider's own signed webhook to the bot's public hooks, so the
 * bot checks the signature exactly as it checks Twilio's: nothing here acknowledges anything itself.
 */

export interface PhonesOptions {
  people: Record<string, PersonConfig>;
  paging: PagingProviders;
  /** The number the bot texts and calls from: a reply is sent to it. */
  twilioNumber: string;
  /** The bot's URL, known once it listens. */
  botUrl(): string;
  /** The bot's clock: the emulators stamp what they receive with it, and the answers are stamped alike. */
  now(): Date;
}

/** A reply or a key press from the phone and what the bot answered, shown under the person's messages. */
export interface PhoneAnswer {
  kind: 'sms-reply' | 'keypress';
  sent: string;
  status: number;
  answer: string;
  at: string;
}

export interface PersonPhone {
  user: string;
  phone?: string;
  email?: string;
  rules: Array<{ via: string; afterMinutes: number }>;
  sms: Array<{ sid: string; from: string; body: string; at: string }>;
  calls: Array<{ sid: string; from: string; spoken: string; canPress: boolean; at: string }>;
  emails: Array<{ subject: string; text: string; at: string }>;
  answers: PhoneAnswer[];
}

const entity = (text: string) => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));

/** What a call says: the `<Say>`s of its first `<Gather>` (the rest repeats them), else every `<Say>`. */
export function spokenText(twiml: string): string {
  const gather = /<Gather\b[^>]*>([\s\S]*?)<\/Gather>/.exec(twiml)?.[1] ?? twiml;
  return Array.from(gather.matchAll(/<Say\b[^>]*>([\s\S]*?)<\/Say>/g), (m) => entity(m[1]!)).join(' ');
}

/** The text of the bot's TwiML answer (`<Message>` or `<Say>`), or the body as it came. */
function answerText(answer: Answer): string {
  const said = Array.from(answer.body.matchAll(/<(?:Message|Say)\b[^>]*>([\s\S]*?)<\/(?:Message|Say)>/g), (m) =>
    entity(m[1]!),
  );
  return said.length > 0 ? said.join(' ') : answer.body.slice(0, 300);
}

const replyBody = z.strictObject({ user: z.string().min(1), text: z.string().trim().min(1).max(160).default('ACK') });
const pressBody = z.strictObject({ sid: z.string().min(1), digits: z.string().regex(/^[0-9*#]{1,4}$/) });

async function parse<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    return schema.parse(JSON.parse(await readBody(req, 10_000)));
  } catch {
    return undefined;
  }
}

export function phoneRoutes(o: PhonesOptions): Route[] {
  const answers = new Map<string, PhoneAnswer[]>();
  const keep = (user: string, answer: PhoneAnswer) => answers.set(user, [...(answers.get(user) ?? []), answer]);
  const ownerOf = (phone: string) => Object.entries(o.people).find(([, p]) => p.phone === phone)?.[0];

  const list = (): PersonPhone[] =>
    Object.entries(o.people).map(([user, person]) => {
      const { providers, smtp } = o.paging;
      return {
        user,
        ...presentProps({ phone: person.phone, email: person.email }),
        rules: person.rules.map((r) => ({ via: r.via, afterMinutes: Math.round(r.after / 60_000) })),
        sms: providers.sms
          .filter((m) => person.phone !== undefined && m.to === person.phone)
          .map((m) => ({ sid: m.sid, from: m.from, body: m.body, at: m.at.toISOString() })),
        calls: providers.calls
          .filter((c) => person.phone !== undefined && c.to === person.phone)
          .map((c) => ({
            sid: c.sid,
            from: c.from,
            spoken: spokenText(c.twiml),
            canPress: c.action !== undefined,
            at: c.at.toISOString(),
          })),
        emails: smtp.messages
          .filter((m) => person.email !== undefined && m.to.includes(person.email))
          .map((m) => ({ subject: m.subject, text: m.text, at: m.at.toISOString() })),
        answers: answers.get(user) ?? [],
      };
    });

  async function reply(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await parse(req, replyBody);
    if (!body) return sendJson(res, 400, { error: 'send {"user": "U…", "text": "ACK"}' });
    const phone = o.people[body.user]?.phone;
    if (!phone) return sendJson(res, 400, { error: `${body.user} has no phone number in people:` });
    const answer = await replySms(o.paging.providers, o.botUrl(), { from: phone, to: o.twilioNumber, body: body.text });
    const kept: PhoneAnswer = {
      kind: 'sms-reply',
      sent: body.text,
      status: answer.status,
      answer: answerText(answer),
      at: o.now().toISOString(),
    };
    keep(body.user, kept);
    sendJson(res, 200, kept);
  }

  async function press(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await parse(req, pressBody);
    if (!body) return sendJson(res, 400, { error: 'send {"sid": "CA…", "digits": "1"}' });
    const call = o.paging.providers.calls.find((c) => c.sid === body.sid);
    if (!call) return sendJson(res, 404, { error: `no call ${body.sid}` });
    if (!call.action) return sendJson(res, 400, { error: 'this call asks for no key press' });
    const answer = await pressKeys(o.paging.providers, call, body.digits);
    const kept: PhoneAnswer = {
      kind: 'keypress',
      sent: body.digits,
      status: answer.status,
      answer: answerText(answer),
      at: o.now().toISOString(),
    };
    const user = ownerOf(call.to);
    if (user) keep(user, kept);
    sendJson(res, 200, kept);
  }

  return [
    { method: 'GET', path: '/playground/phones', handler: (_req, res) => sendJson(res, 200, { people: list() }) },
    { method: 'POST', path: '/playground/phones/reply', handler: reply },
    { method: 'POST', path: '/playground/phones/press', handler: press },
  ];
}
