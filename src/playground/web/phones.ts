import type { Workspace } from '../emulator/state.js';
import type { PersonPhone, PhoneAnswer } from '../phones.js';
import { post } from './api.js';
import { setHtml, toast } from './dom.js';
import { escapeHtml } from './html.js';

/**
 * The Phones panel: per person of the config's `people:`, the texts, calls and emails the provider emulators
 * received (GET /playground/phones), with what a phone can do back: reply ACK to a text, press 1 on a call.
 * Both go to the bot as the provider's signed webhook (POST /playground/phones/reply, /press).
 */

export interface PhonesHost {
  workspace: Workspace | undefined;
  act<T>(work: () => Promise<T>): Promise<T | undefined>;
}

const VIA: Record<string, string> = {
  slack: 'Slack',
  email: 'email',
  sms: 'SMS',
  voice: 'call',
  push: 'push',
  webhook: 'webhook',
};

function rulesLine(person: PersonPhone): string {
  return person.rules
    .map((r) => `${VIA[r.via] ?? r.via} ${r.afterMinutes === 0 ? 'at once' : `after ${r.afterMinutes} min`}`)
    .join(' → ');
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });

function answerHtml(a: PhoneAnswer): string {
  const sent = a.kind === 'sms-reply' ? `You replied “${escapeHtml(a.sent)}”` : `You pressed ${escapeHtml(a.sent)}`;
  const said = a.status === 200 ? escapeHtml(a.answer) : `refused (HTTP ${a.status}): ${escapeHtml(a.answer)}`;
  return `<li class="phone-item phone-answer"><span class="phone-kind">${sent}</span> ${said}</li>`;
}

/** One person's card: contacts, rules, then everything received, newest first. */
export function personHtml(person: PersonPhone, name: string): string {
  const items = [
    ...person.sms.map((m) => ({
      at: m.at,
      html:
        `<li class="phone-item phone-sms"><span class="phone-kind">SMS ${time(m.at)}</span> ${escapeHtml(m.body)}` +
        ` <button type="button" class="bk-button" data-phone="reply" data-user="${escapeHtml(person.user)}">` +
        'Reply ACK</button></li>',
    })),
    ...person.calls.map((c) => ({
      at: c.at,
      html:
        `<li class="phone-item phone-call"><span class="phone-kind">Call ${time(c.at)}</span> “${escapeHtml(c.spoken)}”` +
        (c.canPress
          ? ` <button type="button" class="bk-button" data-phone="press" data-sid="${escapeHtml(c.sid)}">Press 1</button>`
          : '') +
        '</li>',
    })),
    ...person.emails.map((e) => ({
      at: e.at,
      html:
        `<li class="phone-item phone-email"><span class="phone-kind">Email ${time(e.at)}</span> ` +
        `<strong>${escapeHtml(e.subject)}</strong><div class="phone-text">${escapeHtml(e.text)}</div></li>`,
    })),
    ...person.answers.map((a) => ({ at: a.at, html: answerHtml(a) })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const contacts = [person.phone, person.email].filter((c): c is string => c !== undefined).map(escapeHtml);
  return (
    `<section class="phone-person"><h3>${escapeHtml(name)}</h3>` +
    `<p class="phone-contacts">${contacts.join(' · ') || 'Slack only'}</p>` +
    `<p class="phone-rules">${escapeHtml(rulesLine(person))}</p>` +
    (items.length > 0
      ? `<ul class="phone-items">${items.map((i) => i.html).join('')}</ul>`
      : '<p class="phone-empty">Nothing received yet.</p>') +
    '</section>'
  );
}

/** Adds the panel beside the channel; `refresh()` reads what the emulators received again. */
export function mountPhones(host: PhonesHost): { refresh(): void } {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/playground/static/phones.css';
  document.head.append(link);
  const pane = document.createElement('aside');
  pane.className = 'phones-pane';
  pane.setAttribute('aria-label', 'Phones');
  pane.innerHTML =
    '<header class="pane-head"><h2>Phones</h2>' +
    '<button type="button" class="bk-button" data-phone="toggle" aria-expanded="true">Hide</button></header>' +
    '<div class="phones-list"></div>';
  (document.querySelector('.layout') ?? document.body).append(pane);
  const list = pane.querySelector<HTMLElement>('.phones-list')!;

  let people: PersonPhone[] = [];
  const render = () => {
    const names = new Map((host.workspace?.users ?? []).map((u) => [u.id, u.real_name]));
    setHtml(list, people.map((p) => personHtml(p, names.get(p.user) ?? p.user)).join(''));
  };
  let reading: Promise<void> | undefined;
  let again = false;
  const refresh = (): void => {
    if (reading) {
      again = true;
      return;
    }
    reading = fetch('/playground/phones')
      .then(async (response) => {
        people = ((await response.json()) as { people: PersonPhone[] }).people;
        render();
      })
      .catch((error: unknown) => toast(`Could not read the phones: ${String(error)}`))
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          refresh();
        }
      });
  };

  pane.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-phone]');
    if (!button) return;
    const what = button.dataset.phone;
    if (what === 'toggle') {
      const hidden = !list.hidden;
      list.hidden = hidden;
      button.textContent = hidden ? 'Show' : 'Hide';
      button.setAttribute('aria-expanded', String(!hidden));
      return;
    }
    button.disabled = true;
    void host
      .act(() =>
        what === 'reply'
          ? post<PhoneAnswer>('/playground/phones/reply', { user: button.dataset.user, text: 'ACK' })
          : post<PhoneAnswer>('/playground/phones/press', { sid: button.dataset.sid, digits: '1' }),
      )
      .then((answer) => {
        if (answer) toast(answer.status === 200 ? `The bot answered: ${answer.answer}` : `Refused: ${answer.answer}`);
        refresh();
      });
  });
  refresh();
  return { refresh };
}
