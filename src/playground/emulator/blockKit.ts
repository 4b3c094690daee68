/**
 * Block Kit rules as Slack enforces them on chat.postMessage, chat.update,
 * chat.postEphemeral, response_url and views.* (docs.slack.dev/reference/block-kit).
 * Pure: a list of readable problems, each with Slack's json-pointer; empty when valid.
 */

import { BLOCK_TYPES, ELEMENT_TYPES, LIMITS, type Surface } from './blockKitLimits.js';

export { LIMITS, MAX_MESSAGE_TEXT, type Surface } from './blockKitLimits.js';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Report {
  errors: string[];
  where: string;
}

function fail(r: Report, pointer: string, rule: string): void {
  r.errors.push(`${r.where}: ${rule} [json-pointer:${pointer}]`);
}

function string(
  r: Report,
  value: unknown,
  pointer: string,
  name: string,
  max: number,
  required = false,
  min = required ? 1 : 0,
): void {
  if (value === undefined) {
    if (required) fail(r, pointer, `${name} is required`);
    return;
  }
  if (typeof value !== 'string') fail(r, pointer, `${name} must be a string`);
  else if (value.length < min) fail(r, pointer, `${name} must not be empty`);
  else if (value.length > max) fail(r, pointer, `${name} must be at most ${max} characters (got ${value.length})`);
}

function text(
  r: Report,
  value: unknown,
  pointer: string,
  o: { name: string; max: number; plain?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (o.required) fail(r, pointer, `${o.name} is required`);
    return;
  }
  if (!isObj(value) || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
    fail(r, pointer, `${o.name} must be a text object of type plain_text or mrkdwn`);
    return;
  }
  if (o.plain && value.type !== 'plain_text') fail(r, `${pointer}/type`, `${o.name} must be plain_text`);
  if (typeof value.text !== 'string' || value.text.length === 0)
    fail(r, `${pointer}/text`, `${o.name} must not be empty`);
  else if (value.text.length > o.max)
    fail(r, `${pointer}/text`, `${o.name} must be at most ${o.max} characters (got ${value.text.length})`);
}

function array(r: Report, value: unknown, pointer: string, name: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) {
    fail(r, pointer, `${name} must be an array`);
    return [];
  }
  if (value.length < min)
    fail(r, pointer, `${name} must have at least ${min} item${min === 1 ? '' : 's'} (got ${value.length})`);
  if (value.length > max) fail(r, pointer, `${name} must have at most ${max} items (got ${value.length})`);
  return value;
}

function confirm(r: Report, value: unknown, pointer: string): void {
  if (value === undefined) return;
  if (!isObj(value)) return fail(r, pointer, 'confirm must be an object');
  text(r, value.title, `${pointer}/title`, {
    name: 'confirm title',
    max: LIMITS.confirmTitle,
    plain: true,
    required: true,
  });
  text(r, value.text, `${pointer}/text`, { name: 'confirm text', max: LIMITS.confirmText, required: true });
  text(r, value.confirm, `${pointer}/confirm`, {
    name: 'confirm button text',
    max: LIMITS.confirmButton,
    plain: true,
    required: true,
  });
  text(r, value.deny, `${pointer}/deny`, {
    name: 'deny button text',
    max: LIMITS.confirmButton,
    plain: true,
    required: true,
  });
}

function option(r: Report, value: unknown, pointer: string, plain: boolean): void {
  if (!isObj(value)) return fail(r, pointer, 'option must be an object');
  text(r, value.text, `${pointer}/text`, { name: 'option text', max: LIMITS.optionText, plain, required: true });
  string(r, value.value, `${pointer}/value`, 'option value', LIMITS.optionValue);
  text(r, value.description, `${pointer}/description`, { name: 'option description', max: LIMITS.optionText, plain });
  string(r, value.url, `${pointer}/url`, 'option url', LIMITS.url);
}

function options(r: Report, list: unknown, pointer: string, min: number, max: number, plain = true): void {
  array(r, list, pointer, 'options', min, max).forEach((o, i) => option(r, o, `${pointer}/${i}`, plain));
}

function element(r: Report, value: unknown, pointer: string, actionIds: Set<string>): void {
  if (!isObj(value) || typeof value.type !== 'string') return fail(r, pointer, 'element must be an object with a type');
  const type = value.type;
  if (!ELEMENT_TYPES.has(type)) return fail(r, `${pointer}/type`, `unknown element type "${type}"`);
  string(r, value.action_id, `${pointer}/action_id`, 'action_id', LIMITS.id, false, 1);
  if (typeof value.action_id === 'string') {
    if (actionIds.has(value.action_id))
      fail(r, `${pointer}/action_id`, `duplicate action_id "${value.action_id}" in the block`);
    actionIds.add(value.action_id);
  }
  confirm(r, value.confirm, `${pointer}/confirm`);
  if (type === 'button') {
    text(r, value.text, `${pointer}/text`, {
      name: 'button text',
      max: LIMITS.buttonText,
      plain: true,
      required: true,
    });
    string(r, value.value, `${pointer}/value`, 'button value', LIMITS.buttonValue);
    string(r, value.url, `${pointer}/url`, 'button url', LIMITS.url);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger')
      fail(r, `${pointer}/style`, 'style must be primary or danger');
  } else if (type === 'static_select' || type === 'multi_static_select') {
    if (value.options === undefined && value.option_groups === undefined)
      fail(r, pointer, 'options or option_groups is required');
    if (value.options !== undefined) options(r, value.options, `${pointer}/options`, 1, LIMITS.selectOptions);
    if (value.option_groups !== undefined)
      array(r, value.option_groups, `${pointer}/option_groups`, 'option_groups', 1, LIMITS.selectOptions);
  } else if (type === 'overflow') {
    options(r, value.options, `${pointer}/options`, LIMITS.overflowOptions.min, LIMITS.overflowOptions.max);
  } else if (type === 'checkboxes' || type === 'radio_buttons') {
    options(r, value.options, `${pointer}/options`, 1, LIMITS.choiceOptions, false);
  }
  if (type.endsWith('select') || type.endsWith('_input') || type.endsWith('picker')) {
    text(r, value.placeholder, `${pointer}/placeholder`, { name: 'placeholder', max: LIMITS.placeholder, plain: true });
  }
}

function block(r: Report, b: Obj, pointer: string, blockIds: Set<string>): void {
  const type = b.type as string;
  string(r, b.block_id, `${pointer}/block_id`, 'block_id', LIMITS.id, false, 1);
  if (typeof b.block_id === 'string') {
    if (blockIds.has(b.block_id)) fail(r, `${pointer}/block_id`, `duplicate block_id "${b.block_id}"`);
    blockIds.add(b.block_id);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) fail(r, pointer, 'section needs text or fields');
      text(r, b.text, `${pointer}/text`, { name: 'section text', max: LIMITS.sectionText });
      if (b.fields !== undefined) {
        array(r, b.fields, `${pointer}/fields`, 'fields', 1, LIMITS.sectionFields).forEach((f, i) =>
          text(r, f, `${pointer}/fields/${i}`, { name: 'field text', max: LIMITS.sectionField, required: true }),
        );
      }
      if (b.accessory !== undefined) element(r, b.accessory, `${pointer}/accessory`, actionIds);
      break;
    case 'header':
      text(r, b.text, `${pointer}/text`, { name: 'header text', max: LIMITS.header, plain: true, required: true });
      break;
    case 'actions':
      array(r, b.elements, `${pointer}/elements`, 'elements', 1, LIMITS.actionsElements).forEach((e, i) =>
        element(r, e, `${pointer}/elements/${i}`, actionIds),
      );
      break;
    case 'context':
      array(r, b.elements, `${pointer}/elements`, 'elements', 1, LIMITS.contextElements).forEach((e, i) => {
        if (isObj(e) && e.type === 'image')
          string(r, e.alt_text, `${pointer}/elements/${i}/alt_text`, 'alt_text', LIMITS.label, true);
        else
          text(r, e, `${pointer}/elements/${i}`, { name: 'context element', max: LIMITS.sectionText, required: true });
      });
      break;
    case 'image':
      if (b.slack_file === undefined) string(r, b.image_url, `${pointer}/image_url`, 'image_url', LIMITS.url, true);
      string(r, b.alt_text, `${pointer}/alt_text`, 'alt_text', LIMITS.label, true);
      text(r, b.title, `${pointer}/title`, { name: 'image title', max: LIMITS.label, plain: true });
      break;
    case 'input':
      text(r, b.label, `${pointer}/label`, { name: 'label', max: LIMITS.label, plain: true, required: true });
      text(r, b.hint, `${pointer}/hint`, { name: 'hint', max: LIMITS.label, plain: true });
      if (b.element === undefined) fail(r, `${pointer}/element`, 'element is required');
      else element(r, b.element, `${pointer}/element`, actionIds);
      break;
    case 'markdown':
      string(r, b.text, `${pointer}/text`, 'text', LIMITS.markdown, true);
      break;
    case 'rich_text':
      if (!Array.isArray(b.elements)) fail(r, `${pointer}/elements`, 'elements must be an array');
      break;
    default:
      break;
  }
}

/** Problems with a message's (surface 'message') or a modal's (surface 'modal') blocks. */
export function validateBlocks(blocks: unknown, surface: Surface): string[] {
  const base = surface === 'modal' ? '/view/blocks' : '/blocks';
  const prefix = surface === 'modal' ? 'view.blocks' : 'blocks';
  const r: Report = { errors: [], where: prefix };
  const list = array(r, blocks, base, prefix, 0, LIMITS.blocks[surface]);
  const blockIds = new Set<string>();
  list.forEach((value, i) => {
    const pointer = `${base}/${i}`;
    r.where = `${prefix}[${i}]`;
    if (!isObj(value) || typeof value.type !== 'string') return fail(r, pointer, 'block must be an object with a type');
    r.where = `${prefix}[${i}] (${value.type})`;
    if (!BLOCK_TYPES.has(value.type)) return fail(r, `${pointer}/type`, `unknown block type "${value.type}"`);
    block(r, value, pointer, blockIds);
  });
  return r.errors;
}

/** Problems with a view object given to views.open / views.update / views.push. */
export function validateView(view: unknown): string[] {
  const r: Report = { errors: [], where: 'view' };
  if (!isObj(view)) {
    fail(r, '/view', 'view must be an object');
    return r.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') fail(r, '/view/type', 'type must be modal or home');
  const modal = view.type === 'modal';
  text(r, view.title, '/view/title', { name: 'title', max: LIMITS.modalText, plain: true, required: modal });
  text(r, view.submit, '/view/submit', { name: 'submit', max: LIMITS.modalText, plain: true });
  text(r, view.close, '/view/close', { name: 'close', max: LIMITS.modalText, plain: true });
  string(r, view.private_metadata, '/view/private_metadata', 'private_metadata', LIMITS.privateMetadata);
  string(r, view.callback_id, '/view/callback_id', 'callback_id', LIMITS.id);
  string(r, view.external_id, '/view/external_id', 'external_id', LIMITS.id);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
  if (modal && hasInput && view.submit === undefined)
    fail(r, '/view/submit', 'submit is required when the modal has input blocks');
  return [...r.errors, ...validateBlocks(view.blocks, 'modal')];
}
