import { type Block, elementsOf } from './state.js';

/** A choice made in a static select or an overflow menu of a stored message. */
export interface FoundChoice {
  block_id: string;
  element: Record<string, unknown>;
  /** The option object as the element lists it (text and value). */
  option: Record<string, unknown>;
}

const CHOOSERS = new Set(['static_select', 'overflow']);

function optionsOf(element: Record<string, unknown>): Record<string, unknown>[] {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
  const grouped = list(element.option_groups).flatMap((g) => list((g as { options?: unknown }).options));
  return [...list(element.options), ...grouped].filter(
    (o): o is Record<string, unknown> => typeof o === 'object' && o !== null,
  );
}

/** Finds the select or overflow `actionId` and its option `value`; throws, as a click on a missing button does. */
export function findChoice(blocks: Block[], actionId: string, value: string, blockId?: string): FoundChoice {
  const found: FoundChoice[] = [];
  for (const block of blocks) {
    if (blockId !== undefined && block.block_id !== blockId) continue;
    for (const element of elementsOf(block)) {
      if (!CHOOSERS.has(String(element.type)) || element.action_id !== actionId) continue;
      const option = optionsOf(element).find((o) => o.value === value);
      if (!option) throw new Error(`click: ${String(element.type)} "${actionId}" has no option with value "${value}"`);
      found.push({ block_id: String(block.block_id), element, option });
    }
  }
  if (found.length === 0)
    throw new Error(`click: no static_select or overflow "${actionId}"${blockId ? ` in block ${blockId}` : ''}`);
  if (found.length > 1) throw new Error(`click: ${found.length} elements "${actionId}"; pass blockId`);
  return found[0]!;
}

/** The `actions[0]` and `state.values` Slack sends for that choice. */
export function choicePayload(
  choice: FoundChoice,
  actionTs: string,
): { action: Record<string, unknown>; values: Record<string, unknown> } {
  const type = String(choice.element.type);
  const action = {
    type,
    action_id: choice.element.action_id,
    block_id: choice.block_id,
    selected_option: choice.option,
    ...(type === 'static_select' && choice.element.placeholder ? { placeholder: choice.element.placeholder } : {}),
    action_ts: actionTs,
  };
  const values =
    type === 'static_select'
      ? { [choice.block_id]: { [String(choice.element.action_id)]: { type, selected_option: choice.option } } }
      : {};
  return { action, values };
}
