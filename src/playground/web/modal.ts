import { renderBlock, renderText } from './blocks.js';
import { directoryOptions, optionList, optionsOf, selectOptions, textOf, unsupported } from './elements.js';
import { type Json, type RenderContext, asArray, asObject, asString, dataAttrs, escapeHtml } from './html.js';
import { plainText } from './mrkdwn.js';

/**
 * A modal (views.open / views.update / a pushed view) as a form, and the
 * `view.state.values` a submission carries, built from what the form holds.
 */

export interface ViewOnScreen {
  id: string;
  view: Json;
  /** The bot's `response_action: errors`, per block_id. */
  errors?: Record<string, string>;
}

/** A control's name: one per input block, so the form reads back per block and action. */
const controlId = (viewId: string, blockId: string) => `in-${viewId}-${blockId}`.replace(/[^A-Za-z0-9_-]/g, '_');

function inputControl(element: Json, id: string, ctx: RenderContext): string {
  const type = asString(element.type) ?? '';
  const ids = dataAttrs({ 'action-id': asString(element.action_id), type });
  const placeholder = textOf(element.placeholder);
  const ph = placeholder ? ` placeholder="${escapeHtml(placeholder)}"` : '';
  const initial = asString(element.initial_value) ?? '';
  switch (type) {
    case 'plain_text_input': {
      const max = typeof element.max_length === 'number' ? ` maxlength="${element.max_length}"` : '';
      return element.multiline
        ? `<textarea id="${id}" rows="3"${ph}${max}${ids}>${escapeHtml(initial)}</textarea>`
        : `<input id="${id}" type="text" value="${escapeHtml(initial)}"${ph}${max}${ids}>`;
    }
    case 'number_input': {
      const step = element.is_decimal_allowed ? 'any' : '1';
      return `<input id="${id}" type="number" step="${step}" value="${escapeHtml(initial)}"${ph}${ids}>`;
    }
    case 'email_text_input':
      return `<input id="${id}" type="email" value="${escapeHtml(initial)}"${ph}${ids}>`;
    case 'url_text_input':
      return `<input id="${id}" type="url" value="${escapeHtml(initial)}"${ph}${ids}>`;
    case 'datepicker':
      return `<input id="${id}" type="date" value="${escapeHtml(asString(element.initial_date) ?? '')}"${ids}>`;
    case 'timepicker':
      return `<input id="${id}" type="time" value="${escapeHtml(asString(element.initial_time) ?? '')}"${ids}>`;
    case 'static_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const source = type === 'static_select' ? element : { options: directoryOptions(type, ctx) };
      const initialValue =
        asString(asObject(element.initial_option)?.value) ??
        asString(element.initial_user) ??
        asString(element.initial_conversation) ??
        asString(element.initial_channel);
      return `<select id="${id}"${ids}>${selectOptions(source, placeholder || 'Select an item', initialValue)}</select>`;
    }
    case 'multi_static_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const source = type === 'multi_static_select' ? element : { options: directoryOptions(type, ctx) };
      const initial = [
        ...asArray(element.initial_options).map((o) => asObject(o)?.value),
        ...asArray(element.initial_users),
        ...asArray(element.initial_conversations),
        ...asArray(element.initial_channels),
      ];
      const chosen = new Set(initial.map(asString).filter((v): v is string => v !== undefined));
      return `<select id="${id}" multiple size="4"${ids}>${optionList(source, chosen)}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const input = type === 'checkboxes' ? 'checkbox' : 'radio';
      const chosen = new Set(
        [...asArray(element.initial_options), element.initial_option].map((o) => asString(asObject(o)?.value)),
      );
      const boxes = optionsOf(element).map((o) => {
        const checked = chosen.has(o.value) ? ' checked' : '';
        const box = `<input type="${input}" name="${id}" value="${escapeHtml(o.value)}"${checked}>`;
        return `<label class="bk-choice">${box} ${plainText(o.text)}</label>`;
      });
      return `<div id="${id}" role="group"${ids}>${boxes.join('')}</div>`;
    }
    default:
      return unsupported('input element', type);
  }
}

function inputBlock(viewId: string, block: Json, error: string | undefined, ctx: RenderContext): string {
  const blockId = asString(block.block_id) ?? '';
  const element = asObject(block.element) ?? {};
  const id = controlId(viewId, blockId);
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = block.hint ? `<p class="bk-hint">${renderText(block.hint, ctx)}</p>` : '';
  const problem = error ? `<p class="bk-error" role="alert">${escapeHtml(error)}</p>` : '';
  const attrs = dataAttrs({ 'block-id': blockId, optional: block.optional === true ? 'true' : undefined });
  const label = `<label for="${id}">${plainText(textOf(block.label))}${optional}</label>`;
  return `<div class="bk-block bk-input"${attrs}>${label}${inputControl(element, id, ctx)}${hint}${problem}</div>`;
}

/** The modal as a dialog holding a form; the page wires submit and close. */
export function renderView(screen: ViewOnScreen, ctx: RenderContext): string {
  const { view, id } = screen;
  const errors = screen.errors ?? {};
  const titleId = `view-title-${id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const body = asArray(view.blocks).map((block) => {
    const b = asObject(block);
    return b?.type === 'input' ? inputBlock(id, b, errors[asString(b.block_id) ?? ''], ctx) : renderBlock(block, ctx);
  });
  const general = errors[''] ? `<p class="bk-error" role="alert">${escapeHtml(errors[''])}</p>` : '';
  const submit = view.submit
    ? `<button type="submit" class="bk-button bk-primary">${plainText(textOf(view.submit))}</button>`
    : '';
  const closeLabel = plainText(textOf(view.close) || 'Cancel');
  const close = `<button type="button" class="bk-button"${dataAttrs({ kind: 'view-close' })}>${closeLabel}</button>`;
  return (
    `<div class="modal" role="dialog" aria-modal="true" aria-labelledby="${titleId}">` +
    `<form class="modal-form"${dataAttrs({ 'view-id': id })}>` +
    `<header class="modal-head"><h2 id="${titleId}">${plainText(textOf(view.title))}</h2></header>` +
    `<div class="modal-body">${general}${body.join('')}</div>` +
    `<footer class="modal-foot">${close}${submit}</footer>` +
    '</form></div>'
  );
}

/** What the form holds for one input: a string, the checked values, or undefined when empty. */
export type RawInput = string | string[] | undefined;

/** Slack's `view.state.values[block_id][action_id]` for one element and what the person entered. */
export function stateValue(element: Json, raw: RawInput): Record<string, unknown> {
  const type = asString(element.type) ?? '';
  const one = Array.isArray(raw) ? raw[0] : raw;
  const many = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const empty = one === undefined || one === '';
  const option = (value: string | undefined) => {
    const found = optionsOf(element).find((o) => o.value === value);
    return found ? { text: { type: 'plain_text', text: found.text, emoji: true }, value: found.value } : null;
  };
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: empty ? null : option(one) };
    case 'checkboxes':
    case 'multi_static_select':
      return { type, selected_options: many.map(option).filter(Boolean) };
    case 'multi_users_select':
      return { type, selected_users: many };
    case 'multi_conversations_select':
      return { type, selected_conversations: many };
    case 'multi_channels_select':
      return { type, selected_channels: many };
    case 'users_select':
      return { type, selected_user: empty ? null : one };
    case 'conversations_select':
      return { type, selected_conversation: empty ? null : one };
    case 'channels_select':
      return { type, selected_channel: empty ? null : one };
    case 'datepicker':
      return { type, selected_date: empty ? null : one };
    case 'timepicker':
      return { type, selected_time: empty ? null : one };
    default:
      return { type, value: empty ? null : one };
  }
}
