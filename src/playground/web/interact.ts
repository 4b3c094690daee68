import type { EphemeralMessage, Message, StoredView } from '../emulator/state.js';
import { post } from './api.js';
import type { Page } from './app.js';
import { byId, confirmDialog, toast } from './dom.js';
import { type Json, asArray, asObject } from './html.js';
import { type RawInput, stateValue } from './modal.js';

/**
 * What people do on the page, sent as Slack would send it: commands and
 * clicks through the emulator, which signs them and posts them to the bot's
 * /slack/events. The acting user (the switcher) is who sends each one.
 */

/** `/incident auth-401 login failing` → the command and its text. */
export function parseSlashCommand(input: string): { command: string; text: string } | undefined {
  const match = /^(\/[^\s]+)\s*([\s\S]*)$/.exec(input.trim());
  return match ? { command: match[1]!, text: match[2]!.trim() } : undefined;
}

function findMessage(page: Page, channel: string, ts: string): Message | EphemeralMessage | undefined {
  const workspace = page.workspace;
  return workspace?.messages[channel]?.find((m) => m.ts === ts) ?? workspace?.ephemerals.find((e) => e.ts === ts);
}

/** The element JSON behind a control, found by block and action id in the message it sits in. */
function elementOf(
  message: Message | EphemeralMessage | undefined,
  blockId: string,
  actionId: string,
): Json | undefined {
  const block = (message?.blocks ?? []).find((b) => b.block_id === blockId);
  if (!block) return undefined;
  const elements = [...asArray(block.elements), block.accessory].map(asObject);
  return elements.find((e) => e?.action_id === actionId);
}

async function interact(page: Page, control: HTMLElement, selected?: string): Promise<void> {
  const article = control.closest<HTMLElement>('article[data-ts]');
  const blockId = control.dataset.blockId ?? '';
  const actionId = control.dataset.actionId ?? '';
  if (!article) return toast('Buttons inside modals are not wired in the playground yet.');
  const channel = article.dataset.channel ?? '';
  const ts = article.dataset.ts ?? '';
  const element = elementOf(findMessage(page, channel, ts), blockId, actionId);
  const confirm = asObject(element?.confirm);
  if (confirm && !(await confirmDialog(confirm, page.ctx()))) return;
  if (control.dataset.url) window.open(control.dataset.url, '_blank', 'noopener');
  const body = { user: page.user, channel, ts, actionId, blockId, ...(selected !== undefined ? { selected } : {}) };
  await page.act(() => post('/emulator/click', body));
}

async function send(page: Page, input: HTMLTextAreaElement, threadTs?: string): Promise<void> {
  const text = input.value.trim();
  if (!text || !page.channel) return;
  const slash = threadTs ? undefined : parseSlashCommand(text);
  input.value = '';
  if (slash) {
    await page.act(() => post('/emulator/command', { ...slash, user: page.user, channel: page.channel }));
  } else {
    await page.act(() =>
      post('/emulator/message', { user: page.user, channel: page.channel, text, ...(threadTs ? { threadTs } : {}) }),
    );
  }
}

function composer(form: HTMLFormElement, input: HTMLTextAreaElement, submit: () => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  // Enter sends, Shift+Enter starts a new line: as in Slack.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    }
  });
}

function readInputs(form: HTMLFormElement, view: StoredView): Record<string, Record<string, unknown>> | undefined {
  const values: Record<string, Record<string, unknown>> = {};
  let missing = false;
  for (const wrapper of Array.from(form.querySelectorAll<HTMLElement>('.bk-input[data-block-id]'))) {
    const blockId = wrapper.dataset.blockId ?? '';
    const control = wrapper.querySelector<HTMLElement>('[data-action-id]');
    const block = view.view.blocks.find((b) => b.block_id === blockId);
    const element = asObject(block?.element);
    if (!control || !element) continue;
    const checked = Array.from(control.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value);
    const raw: RawInput =
      control instanceof HTMLSelectElement && control.multiple
        ? Array.from(control.selectedOptions).map((o) => o.value)
        : control instanceof HTMLInputElement ||
            control instanceof HTMLTextAreaElement ||
            control instanceof HTMLSelectElement
          ? control.value
          : checked;
    const empty = raw === '' || (Array.isArray(raw) && raw.length === 0);
    wrapper.querySelector('.bk-error.local')?.remove();
    if (empty && wrapper.dataset.optional !== 'true') {
      missing = true;
      wrapper.insertAdjacentHTML(
        'beforeend',
        '<p class="bk-error local" role="alert">Please complete this required field.</p>',
      );
    }
    values[blockId] = { [control.dataset.actionId ?? '']: stateValue(element, raw) };
  }
  return missing ? undefined : values;
}

export function wireInteractions(page: Page, openChannel: (id: string) => void): void {
  const message = byId<HTMLTextAreaElement>('message');
  const reply = byId<HTMLTextAreaElement>('reply');
  composer(byId<HTMLFormElement>('composer'), message, () => send(page, message));
  composer(byId<HTMLFormElement>('reply-form'), reply, () => send(page, reply, page.threadTs));
  byId('close-thread').addEventListener('click', () => {
    page.threadTs = undefined;
    page.render();
  });

  document.addEventListener('click', (event) => {
    const control = (event.target as Element).closest<HTMLElement>('[data-kind]');
    if (!control) return;
    const kind = control.dataset.kind;
    if (kind === 'channel') {
      event.preventDefault();
      openChannel(control.dataset.channel ?? '');
      page.render();
    } else if (kind === 'open-thread') {
      page.threadTs = control.dataset.ts;
      page.render();
      reply.focus();
    } else if (kind === 'dismiss') {
      page.dismissed.add(control.dataset.ts ?? '');
      page.render();
    } else if (kind === 'button') {
      void interact(page, control);
    } else if (kind === 'overflow-toggle') {
      const menu = control.nextElementSibling as HTMLElement | null;
      if (menu) menu.hidden = !menu.hidden;
      control.setAttribute('aria-expanded', String(menu ? !menu.hidden : false));
    } else if (kind === 'overflow') {
      const menu = control.closest<HTMLElement>('[role="menu"]');
      if (menu) menu.hidden = true;
      void interact(page, control, control.dataset.value);
    } else if (kind === 'view-close') {
      const viewId = control.closest<HTMLElement>('form[data-view-id]')?.dataset.viewId ?? '';
      void page.act(() => post('/emulator/close-view', { user: page.user, viewId }));
    }
  });

  document.addEventListener('change', (event) => {
    const control = (event.target as Element).closest<HTMLSelectElement>('select[data-kind="select"]');
    if (control) void interact(page, control, control.value);
  });

  document.addEventListener('submit', (event) => {
    const form = (event.target as Element).closest<HTMLFormElement>('form[data-view-id]');
    if (!form) return;
    event.preventDefault();
    const view = page.workspace?.views.find((v) => v.id === form.dataset.viewId && v.open);
    if (!view) return;
    const values = readInputs(form, view);
    if (values) void page.act(() => post('/emulator/submit', { user: page.user, viewId: view.id, values }));
  });
}
