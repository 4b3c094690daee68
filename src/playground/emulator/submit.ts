import { validateView } from './blockKit.js';
import { type InboundDeps, type InboundResult, deliver } from './inbound.js';
import { closeView, createView, openViews, replaceView } from './methods/views.js';
import type { StoredView } from './state.js';
import type { WorkspaceStore } from './store.js';

export interface SubmitOptions {
  user: string;
  viewId: string;
  /** `view.state.values`: block_id → action_id → element state. */
  values: Record<string, Record<string, unknown>>;
  retryNum?: number;
  retryReason?: string;
}

/** Submits an open modal; the ack's response_action (errors, update, push, clear) is applied as Slack applies it. */
export async function submitView(deps: InboundDeps, o: SubmitOptions): Promise<InboundResult> {
  const { store } = deps;
  const user = store.user(o.user);
  if (!user) throw new Error(`no user ${o.user} in the emulated workspace`);
  const stored = store.workspace.views.find((v) => v.id === o.viewId);
  if (!stored || !stored.open) throw new Error(`submitView: no open view ${o.viewId}`);
  if (stored.user !== user.id)
    throw new Error(`submitView: view ${o.viewId} is open for ${stored.user}, not ${user.id}`);
  stored.view.state = { values: o.values };
  const triggerId = deps.triggers.issue(user.id, stored.id);
  const { team, bot } = store.workspace;
  const payload = {
    type: 'view_submission',
    team: { id: team.id, domain: team.domain },
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: bot.app_id,
    token: deps.verificationToken,
    trigger_id: triggerId,
    view: stored.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const result = { ...(await deliver(deps, 'interactive', payload, o)), triggerId, responseUrl: '' };
  if (result.status === 200) applyViewAck(store, stored, result.json);
  return result;
}

function applyViewAck(store: WorkspaceStore, stored: StoredView, ack: unknown): void {
  const answer = typeof ack === 'object' && ack !== null ? (ack as Record<string, unknown>) : {};
  const action = answer.response_action;
  const invalid = (view: unknown) => {
    const errors = validateView(view);
    if (errors.length > 0) {
      stored.errors = { '': `invalid view in response_action: ${errors.join('; ')}` };
      store.changed({ type: 'view_updated', id: stored.id, user: stored.user });
    }
    return errors.length > 0;
  };
  if (action === 'errors') {
    stored.errors = (answer.errors ?? {}) as Record<string, string>;
    store.changed({ type: 'view_updated', id: stored.id, user: stored.user });
  } else if (action === 'update') {
    if (!invalid(answer.view)) replaceView(store, stored, answer.view as Record<string, unknown>);
  } else if (action === 'push') {
    if (!invalid(answer.view)) createView(store, stored.user, answer.view as Record<string, unknown>, stored);
  } else if (action === 'clear') {
    for (const view of openViews(store, stored.user)) closeView(store, view);
  } else {
    closeView(store, stored);
  }
}

/** The user dismisses a modal (Cancel / ×): closed, and a view_closed payload sent when the view asked for it. */
export async function dismissView(
  deps: InboundDeps,
  o: { user: string; viewId: string },
): Promise<InboundResult | undefined> {
  const { store } = deps;
  const stored = store.workspace.views.find((v) => v.id === o.viewId && v.open);
  if (!stored) throw new Error(`closeView: no open view ${o.viewId}`);
  if (stored.user !== o.user) throw new Error(`closeView: view ${o.viewId} is open for ${stored.user}, not ${o.user}`);
  const stack = stored.view.clear_on_close ? openViews(store, o.user) : [stored];
  for (const view of stack) closeView(store, view);
  if (stored.view.notify_on_close !== true) return undefined;
  const user = store.user(o.user);
  const { team, bot } = store.workspace;
  const payload = {
    type: 'view_closed',
    team: { id: team.id, domain: team.domain },
    user: { id: o.user, username: user?.name, name: user?.name, team_id: team.id },
    api_app_id: bot.app_id,
    token: deps.verificationToken,
    view: stored.view,
    is_cleared: stored.view.clear_on_close === true,
    is_enterprise_install: false,
    enterprise: null,
  };
  return { ...(await deliver(deps, 'interactive', payload)), triggerId: '', responseUrl: '' };
}
