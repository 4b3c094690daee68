import { choicePayload, findChoice } from './choices.js';
import { type ClickOptions, type InboundDeps, type InboundResult, channelOf, deliver, userOf, who } from './inbound.js';
import { apiMessage } from './shapes.js';
import { type Block, type Channel, type EphemeralMessage, type Message, type User, elementsOf } from './state.js';
import { isReply } from './messageStore.js';
import { presentProps } from '../../domain/defined.js';

// Clicks: a person presses a button or picks a choice in a message, and the bot gets Slack's block_actions for it.

interface FoundButton {
  block_id: string;
  element: Record<string, unknown>;
}

function findButtons(blocks: Block[], actionId: string): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of blocks) {
    for (const element of elementsOf(block)) {
      if (element.type === 'button' && element.action_id === actionId)
        found.push({ block_id: String(block.block_id), element });
    }
  }
  return found;
}

function buttonIds(blocks: Block[]): string[] {
  return blocks
    .flatMap(elementsOf)
    .filter((e) => e.type === 'button')
    .map((e) => String(e.action_id));
}

/**
 * A button press (or, with `selected`, a choice in a select or overflow menu)
 * on a stored message or an ephemeral, as a block_actions payload.
 */
export async function click(deps: InboundDeps, o: ClickOptions): Promise<InboundResult> {
  const { store } = deps;
  const user = userOf(store, o.user);
  const channel = channelOf(store, o.channel);
  const message = store.message(channel.id, o.ts);
  const ephemeral = message ? undefined : store.ephemeral(o.ts);
  if (!message && (!ephemeral || ephemeral.channel !== channel.id))
    throw new Error(`click: no message with ts ${o.ts} in ${channel.id}`);
  if (ephemeral && ephemeral.user !== user.id)
    throw new Error(`click: the ephemeral ${o.ts} is shown to ${ephemeral.user}, not ${user.id}`);
  const blocks = (o.staleBlocks as Block[] | undefined) ?? message?.blocks ?? ephemeral?.blocks ?? [];
  const actionTs = o.actionTs ?? store.ts.next();
  if (o.selected !== undefined) {
    const { action, values } = choicePayload(findChoice(blocks, o.actionId, o.selected, o.blockId), actionTs);
    return blockActions(deps, o, { user, channel, message, ephemeral }, action, values);
  }
  let buttons = findButtons(blocks, o.actionId);
  if (o.blockId !== undefined) buttons = buttons.filter((b) => b.block_id === o.blockId);
  if (buttons.length > 1 && o.value !== undefined) buttons = buttons.filter((b) => b.element.value === o.value);
  const [button] = buttons;
  if (!button) {
    const where = `message ${o.ts} in ${channel.id}`;
    const inBlock = o.blockId ? ` in block ${o.blockId}` : '';
    const present = buttonIds(blocks).join(', ') || 'none';
    throw new Error(`click: ${where} has no button "${o.actionId}"${inBlock} (buttons: ${present})`);
  }
  if (buttons.length > 1)
    throw new Error(`click: ${buttons.length} buttons "${o.actionId}" in message ${o.ts}; pass blockId or value`);
  const { element } = button;
  const action = {
    action_id: o.actionId,
    block_id: button.block_id,
    text: element.text,
    ...((o.value ?? element.value) !== undefined ? { value: o.value ?? element.value } : {}),
    ...(element.style ? { style: element.style } : {}),
    type: 'button',
    action_ts: actionTs,
  };
  return blockActions(deps, o, { user, channel, message, ephemeral }, action, {});
}

interface ClickedOn {
  user: User;
  channel: Channel;
  message: Message | undefined;
  ephemeral: EphemeralMessage | undefined;
}

async function blockActions(
  deps: InboundDeps,
  o: ClickOptions,
  on: ClickedOn,
  action: Record<string, unknown>,
  values: Record<string, unknown>,
): Promise<InboundResult> {
  const { store } = deps;
  const { user, channel, message } = on;
  const threadTs = o.threadTs ?? (message && isReply(message) ? message.thread_ts : on.ephemeral?.thread_ts);
  const triggerId = o.triggerId ?? deps.triggers.issue(user.id);
  if (o.triggerId) deps.triggers.reuse(o.triggerId, user.id);
  const responseUrl = deps.responses.issue({
    channel: channel.id,
    user: user.id,
    message: { ts: o.ts, ephemeral: !message },
    ...presentProps({ threadTs }),
  });
  const { team, bot } = store.workspace;
  const payload = {
    type: 'block_actions',
    user: who(store, user),
    api_app_id: bot.app_id,
    token: deps.verificationToken,
    container: {
      type: 'message',
      message_ts: o.ts,
      channel_id: channel.id,
      is_ephemeral: !message,
      ...presentProps({ thread_ts: threadTs }),
    },
    trigger_id: triggerId,
    team: { id: team.id, domain: team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.kind === 'im' ? 'directmessage' : channel.name },
    ...(message ? { message: apiMessage(store.workspace, deps.baseUrl(), message) } : {}),
    state: { values },
    response_url: responseUrl,
    actions: [action],
  };
  return { ...(await deliver(deps, 'interactive', payload, o)), triggerId, responseUrl };
}
