import { type Json, type RenderContext, asArray, asObject, asString, dataAttrs, escapeHtml, safeUrl } from './html.js';
import { plainText } from './mrkdwn.js';

/**
 * Interactive Block Kit elements in messages (buttons, static selects,
 * overflow menus) as real form controls. Each carries data-kind,
 * data-block-id and data-action-id; the page finds the element's JSON again
 * (for `confirm`, option texts) from those, so nothing else needs to be
 * smuggled through attributes.
 */

/** Text of a plain_text object (or a bare string). */
export function textOf(value: unknown): string {
  return asString(value) ?? asString(asObject(value)?.text) ?? '';
}

const textHtml = (value: unknown) => plainText(textOf(value), asObject(value)?.emoji !== false);

export interface Option {
  text: string;
  value: string;
}

/** An element's options, option groups flattened. */
export function optionsOf(element: Json): Option[] {
  const direct = asArray(element.options);
  const grouped = asArray(element.option_groups).flatMap((g) => asArray(asObject(g)?.options));
  return [...direct, ...grouped].flatMap((o) => {
    const option = asObject(o);
    const value = asString(option?.value);
    return option && value !== undefined ? [{ text: textOf(option.text), value }] : [];
  });
}

function optionTags(options: unknown[], selected: string | ReadonlySet<string> | undefined): string {
  const isSelected = (value: string) =>
    typeof selected === 'string' ? value === selected : (selected?.has(value) ?? false);
  return options
    .map(asObject)
    .filter((o): o is Json => o !== undefined && typeof o.value === 'string')
    .map(
      (o) =>
        `<option value="${escapeHtml(String(o.value))}"${isSelected(String(o.value)) ? ' selected' : ''}>${textHtml(o.text)}</option>`,
    )
    .join('');
}

/** The `<option>`s of options and option_groups, the chosen values selected (a multi-select has no placeholder). */
export function optionList(element: Json, selected: string | ReadonlySet<string> | undefined): string {
  const groups = asArray(element.option_groups)
    .map(asObject)
    .filter((g): g is Json => g !== undefined)
    .map(
      (g) => `<optgroup label="${escapeHtml(textOf(g.label))}">${optionTags(asArray(g.options), selected)}</optgroup>`,
    )
    .join('');
  return `${optionTags(asArray(element.options), selected)}${groups}`;
}

/** A `<select>`'s option list, with a hidden placeholder first. */
export function selectOptions(element: Json, placeholder: string, selected?: string): string {
  const first = `<option value=""${selected === undefined ? ' selected' : ''} disabled hidden>${escapeHtml(placeholder)}</option>`;
  return `${first}${optionList(element, selected)}`;
}

/** The option list of a users/conversations/channels select, from the workspace. */
export function directoryOptions(type: string, ctx: RenderContext): unknown[] {
  const entries = type.includes('users')
    ? Object.entries(ctx.users)
    : Object.entries(ctx.channels).map(([id, name]) => [id, `#${name}`] as const);
  return entries.map(([value, text]) => ({ value, text: { type: 'plain_text', text } }));
}

export function unsupported(what: string, type: string): string {
  return `<span class="bk-unknown" role="note">Unsupported ${escapeHtml(what)}: <code>${escapeHtml(type || '(no type)')}</code></span>`;
}

/** One element of an actions block or a section accessory, in a message. */
export function renderElement(element: unknown, blockId: string, ctx: RenderContext): string {
  const e = asObject(element);
  const type = asString(e?.type) ?? '';
  if (!e) return unsupported('element', type);
  const ids = { 'block-id': blockId, 'action-id': asString(e.action_id) };
  switch (type) {
    case 'button': {
      const style = e.style === 'primary' || e.style === 'danger' ? ` bk-${e.style}` : '';
      const url = asString(e.url) ? safeUrl(String(e.url)) : undefined;
      const title = asString(e.accessibility_label) ? ` title="${escapeHtml(String(e.accessibility_label))}"` : '';
      const attrs = `${dataAttrs({ kind: 'button', ...ids })}${url ? ` data-url="${url}"` : ''}${title}`;
      return `<button type="button" class="bk-button${style}"${attrs}>${textHtml(e.text)}</button>`;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const placeholder = textOf(e.placeholder) || 'Select an item';
      const source =
        type === 'static_select' || type === 'external_select' ? e : { options: directoryOptions(type, ctx) };
      const initial =
        asString(asObject(e.initial_option)?.value) ??
        asString(e.initial_user) ??
        asString(e.initial_conversation) ??
        asString(e.initial_channel);
      const attrs = `aria-label="${escapeHtml(placeholder)}"${dataAttrs({ kind: 'select', type, ...ids })}`;
      return `<select class="bk-select" ${attrs}>${selectOptions(source, placeholder, initial)}</select>`;
    }
    case 'overflow': {
      const item = (o: Option) =>
        `<button type="button" role="menuitem"${dataAttrs({ kind: 'overflow', ...ids, value: o.value })}>${plainText(o.text)}</button>`;
      const toggleAttrs = 'aria-haspopup="menu" aria-expanded="false" aria-label="More actions"';
      const toggleData = dataAttrs({ kind: 'overflow-toggle' });
      const toggle = `<button type="button" class="bk-button bk-overflow-toggle" ${toggleAttrs}${toggleData}>⋯</button>`;
      const menu = `<span class="bk-menu" role="menu" hidden>${optionsOf(e).map(item).join('')}</span>`;
      return `<span class="bk-overflow">${toggle}${menu}</span>`;
    }
    case 'image': {
      const src = safeUrl(asString(e.image_url) ?? '');
      return src
        ? `<img class="bk-accessory-image" src="${src}" alt="${escapeHtml(asString(e.alt_text) ?? '')}" loading="lazy">`
        : unsupported('image', 'image without a URL');
    }
    default:
      return unsupported('element', type);
  }
}
