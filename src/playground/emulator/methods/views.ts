import { z } from 'zod';
import { validateView } from '../blockKit.js';
import { randomHex, slackId, withBlockIds } from '../ids.js';
import { id } from '../params.js';
import type { Block, StoredView, ViewObject } from '../state.js';
import type { WorkspaceStore } from '../store.js';
import { type MethodContext, type MethodRun, defineMethod, fail } from './method.js';

/** Slack keeps at most three views on a modal's stack. */
export const MAX_VIEW_STACK = 3;
const MAX_VIEW_BYTES = 250_000;

type ViewInput = Record<string, unknown>;

/** The user's open modals, bottom of the stack first. */
export function openViews(store: WorkspaceStore, user: string): StoredView[] {
  return store.workspace.views.filter((v) => v.user === user && v.open);
}

function hash(store: WorkspaceStore): string {
  return `${store.nowSeconds()}.${randomHex(4)}`;
}

function viewObject(
  store: WorkspaceStore,
  input: ViewInput,
  o: { id: string; root: string; previous: string | null },
): ViewObject {
  const { team, bot } = store.workspace;
  return {
    id: o.id,
    team_id: team.id,
    type: String(input.type),
    title: input.title,
    submit: input.submit ?? null,
    close: input.close ?? null,
    blocks: withBlockIds((input.blocks ?? []) as Block[]),
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    external_id: input.external_id ?? '',
    state: { values: {} },
    hash: hash(store),
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    root_view_id: o.root,
    previous_view_id: o.previous,
    app_id: bot.app_id,
    app_installed_team_id: team.id,
    bot_id: bot.bot_id,
  };
}

export function createView(store: WorkspaceStore, user: string, input: ViewInput, below?: StoredView): StoredView {
  const viewId = slackId('V', 10, (candidate) => store.workspace.views.some((v) => v.id === candidate));
  const view = viewObject(store, input, {
    id: viewId,
    root: below ? String(below.view.root_view_id) : viewId,
    previous: below?.id ?? null,
  });
  const stored: StoredView = { id: viewId, user, open: true, view };
  store.workspace.views.push(stored);
  store.changed({ type: 'view_opened', id: viewId, user });
  return stored;
}

export function replaceView(store: WorkspaceStore, stored: StoredView, input: ViewInput): void {
  stored.view = viewObject(store, input, {
    id: stored.id,
    root: String(stored.view.root_view_id),
    previous: (stored.view.previous_view_id as string | null) ?? null,
  });
  delete stored.errors;
  store.changed({ type: 'view_updated', id: stored.id, user: stored.user });
}

export function closeView(store: WorkspaceStore, stored: StoredView): void {
  stored.open = false;
  store.changed({ type: 'view_closed', id: stored.id, user: stored.user });
}

/** Views answer schema problems with `invalid_arguments` and the `[ERROR] ... [json-pointer:/view/...]` lines. */
function checkedView(ctx: MethodContext, view: unknown, except?: StoredView): ViewInput {
  if (typeof view === 'string')
    fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] view must be JSON [json-pointer:/view]'] } });
  const errors = validateView(view);
  if (errors.length > 0)
    fail('invalid_arguments', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
  if (JSON.stringify(view).length > MAX_VIEW_BYTES) fail('view_too_large');
  const input = view as ViewInput;
  const external = input.external_id;
  if (
    typeof external === 'string' &&
    external !== '' &&
    ctx.workspace.views.some((v) => v !== except && v.view.external_id === external)
  )
    fail('duplicate_external_id');
  return input;
}

function exchange(ctx: MethodContext, trigger: string | undefined): { user: string; viewId?: string } {
  if (!trigger)
    fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
  const result = ctx.triggers.exchange(trigger);
  if (!result.ok) fail(result.error);
  return result;
}

const triggerArgs = {
  trigger_id: z.string().optional(),
  interactivity_pointer: z.string().optional(),
  view: z.unknown(),
};

const open = defineMethod(z.object(triggerArgs), (ctx, p) => {
  const input = checkedView(ctx, p.view);
  const { user } = exchange(ctx, p.trigger_id ?? p.interactivity_pointer);
  return { view: createView(ctx.store, user, input).view };
});

const push = defineMethod(z.object(triggerArgs), (ctx, p) => {
  const input = checkedView(ctx, p.view);
  const { user } = exchange(ctx, p.trigger_id ?? p.interactivity_pointer);
  const stack = openViews(ctx.store, user);
  const top = stack.at(-1) ?? fail('not_found');
  if (stack.length >= MAX_VIEW_STACK) fail('push_limit_reached');
  return { view: createView(ctx.store, user, input, top).view };
});

const update = defineMethod(
  z.object({ view_id: id.optional(), external_id: id.optional(), hash: z.string().optional(), view: z.unknown() }),
  (ctx, p) => {
    const stored = ctx.workspace.views.find(
      (v) =>
        v.open &&
        (p.view_id ? v.id === p.view_id : p.external_id !== undefined && v.view.external_id === p.external_id),
    );
    if (!stored) fail('not_found');
    if (p.hash && p.hash !== stored.view.hash) fail('hash_conflict');
    replaceView(ctx.store, stored, checkedView(ctx, p.view, stored));
    return { view: stored.view };
  },
);

export const viewsMethods: Record<string, MethodRun> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
};
