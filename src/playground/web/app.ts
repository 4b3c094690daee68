import type { Workspace } from '../emulator/state.js';
import { type ClockState, type PlaygroundInfo, RequestFailed, getInfo, getState, post } from './api.js';
import { byId, setHtml, syncChildren, toast } from './dom.js';
import { type RenderContext, escapeHtml } from './html.js';
import { wireInteractions } from './interact.js';
import { loadOnCall, onCallSuffix, renderOnCall, wireOnCall } from './oncall.js';
import { byTs, contextOf, paneItems, sidebarHtml } from './view.js';
import { type ViewOnScreen, renderView } from './modal.js';
import { mountPhones } from './phones.js';

/**
 * The playground page. It holds no state of its own beyond who is acting and
 * what is open: the workspace comes from GET /emulator/state, and every
 * change the emulator announces on its server-sent event stream
 * (GET /emulator/events) triggers one fresh read. No polling.
 */

export interface Page {
  workspace: Workspace | undefined;
  user: string;
  channel: string | undefined;
  threadTs: string | undefined;
  clock: ClockState;
  dismissed: Set<string>;
  /** The newest ephemeral when the page loaded: older ones are gone, as after a reload of Slack. */
  since: string | undefined;
  ctx(): RenderContext;
  render(): void;
  refresh(): void;
  act<T>(work: () => Promise<T>): Promise<T | undefined>;
}

const saved = (key: string) => localStorage.getItem(`playground.${key}`) ?? undefined;
const save = (key: string, value: string) => localStorage.setItem(`playground.${key}`, value);

const page: Page = {
  workspace: undefined,
  user: saved('user') ?? 'U0ONCALL01',
  channel: saved('channel'),
  threadTs: undefined,
  clock: { offsetMs: 0, now: new Date().toISOString() },
  dismissed: new Set(),
  since: undefined,
  ctx() {
    return contextOf(this.workspace!, new Date(Date.now() + this.clock.offsetMs));
  },
  render,
  refresh,
  async act(work) {
    try {
      return await work();
    } catch (error) {
      toast(
        error instanceof RequestFailed
          ? `The emulator said: ${error.message}`
          : `Something went wrong: ${String(error)}`,
      );
      return undefined;
    }
  },
};

let reading: Promise<void> | undefined;
let again = false;

/** One read of the workspace at a time; changes during a read cause exactly one more. */
function refresh(): void {
  if (reading) {
    again = true;
    return;
  }
  reading = Promise.all([getState(), loadOnCall()])
    .then(([workspace]) => {
      page.since ??=
        workspace.ephemerals
          .map((e) => e.ts)
          .sort((a, b) => byTs({ ts: a }, { ts: b }))
          .at(-1) ?? '0.000000';
      page.workspace = workspace;
      render();
    })
    .catch((error: unknown) => toast(`Could not read the workspace: ${String(error)}`))
    .finally(() => {
      reading = undefined;
      if (again) {
        again = false;
        refresh();
      }
    });
}

function renderUsers(workspace: Workspace): void {
  const select = byId<HTMLSelectElement>('user');
  const humans = workspace.users.filter((u) => !u.is_bot && !u.deleted);
  const html = humans
    .map((u) => {
      const label = escapeHtml(u.real_name + onCallSuffix(u.id));
      return `<option value="${escapeHtml(u.id)}"${u.id === page.user ? ' selected' : ''}>${label}</option>`;
    })
    .join('');
  if (select.dataset.html !== html) {
    select.innerHTML = html;
    select.dataset.html = html;
  }
  select.value = page.user;
  byId('user-title').textContent = humans.find((u) => u.id === page.user)?.profile.title ?? '';
}

function renderClock(): void {
  const now = new Date(Date.now() + page.clock.offsetMs);
  const ahead = Math.round(page.clock.offsetMs / 60_000);
  const time = now.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  byId('clock-now').textContent =
    ahead > 0
      ? `Bot clock ${time} (+${ahead >= 60 ? `${Math.floor(ahead / 60)} h ${ahead % 60} min` : `${ahead} min`})`
      : `Bot clock ${time}`;
}

let shownView = '';

function renderModal(workspace: Workspace, ctx: RenderContext): void {
  const open = workspace.views.filter((v) => v.open && v.user === page.user).at(-1);
  const root = byId('modal-root');
  // Only redraw when the view itself changed, so typing in a field survives unrelated updates.
  const signature = open ? JSON.stringify([open.id, open.view.hash, open.errors ?? {}]) : '';
  if (signature === shownView) return;
  shownView = signature;
  root.innerHTML = open
    ? renderView(
        { id: open.id, view: open.view, ...(open.errors ? { errors: open.errors } : {}) } satisfies ViewOnScreen,
        ctx,
      )
    : '';
  root.querySelector<HTMLElement>('input, textarea, select')?.focus();
}

function render(): void {
  const workspace = page.workspace;
  if (!workspace) return;
  renderUsers(workspace);
  renderOnCall(workspace);
  renderClock();
  const visible = workspace.channels.filter((c) => c.kind !== 'im' || c.im_user === page.user);
  if (!visible.some((c) => c.id === page.channel))
    page.channel = workspace.channels.find((c) => c.name === 'incidents')?.id ?? visible[0]?.id;
  const channel = workspace.channels.find((c) => c.id === page.channel);
  const ctx = page.ctx();
  setHtml(byId('sidebar'), sidebarHtml(workspace, page.user, page.channel));
  const label = channel
    ? channel.kind === 'im'
      ? (ctx.channels[channel.id] ?? channel.name)
      : `#${channel.name}`
    : '';
  byId('channel-title').textContent = label;
  byId('channel-purpose').textContent = channel?.topic || channel?.purpose || '';
  byId<HTMLTextAreaElement>('message').placeholder = `Message ${label} — try /incident auth-401 login failing`;
  const items = paneItems(workspace, {
    user: page.user,
    channel: page.channel ?? '',
    ...(page.threadTs ? { threadTs: page.threadTs } : {}),
    dismissed: page.dismissed,
    ...(page.since ? { since: page.since } : {}),
    ctx,
  });
  followLatest(byId('messages'), items.channel, `channel:${page.channel ?? ''}`);
  byId('thread-pane').hidden = !items.parent;
  if (!items.parent) page.threadTs = undefined;
  followLatest(byId('thread'), items.thread, `thread:${page.threadTs ?? ''}`);
  renderModal(workspace, ctx);
}

const showing = new WeakMap<HTMLElement, string>();

/**
 * Updates a message list and, as Slack does, keeps it at the newest message when it was there, something new
 * came, or it was just opened.
 */
function followLatest(list: HTMLElement, items: Array<{ key: string; html: string }>, what: string): void {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const before = list.childElementCount;
  const opened = showing.get(list) !== what;
  showing.set(list, what);
  syncChildren(list, items);
  if (opened || atBottom || list.childElementCount > before) list.scrollTop = list.scrollHeight;
}

function applyInfo(info: PlaygroundInfo): void {
  page.clock = info.clock;
  byId('banner').hidden = !info.dryRun;
}

/** The Phones panel (phones.ts), once mounted. */
let phones: { refresh(): void } | undefined;

async function moveClock(minutes: number): Promise<void> {
  const clock = await page.act(() => post<ClockState>('/playground/clock', { minutes }));
  if (!clock) return;
  page.clock = clock;
  await loadOnCall();
  const moved = minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  phones?.refresh();
  toast(`The bot's clock moved ${moved} forward; ${clock.ran ?? 0} due item${clock.ran === 1 ? '' : 's'} ran.`);
  render();
}

async function start(): Promise<void> {
  applyInfo(await getInfo());
  byId<HTMLSelectElement>('user').addEventListener('change', (event) => {
    page.user = (event.target as HTMLSelectElement).value;
    save('user', page.user);
    render();
  });
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-minutes]'))) {
    button.addEventListener('click', () => void moveClock(Number(button.dataset.minutes)));
  }
  wireOnCall(page);
  wireInteractions(page, (channel) => {
    page.channel = channel;
    page.threadTs = undefined;
    save('channel', channel);
  });
  // The Phones panel reads again whenever something changed, and after the clock moved (pages fell due).
  phones = mountPhones(page);
  const events = new EventSource('/emulator/events');
  events.addEventListener('change', () => refresh());
  events.addEventListener('change', () => phones?.refresh());
  // After a reconnect (a restart of the bot) anything may have changed.
  events.addEventListener('open', () => {
    void getInfo().then(applyInfo, () => undefined);
    refresh();
  });
  setInterval(renderClock, 15_000);
  refresh();
}

void start().catch((error: unknown) => toast(`The playground did not start: ${String(error)}`));
