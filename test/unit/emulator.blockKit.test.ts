import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../src/playground/emulator/blockKit.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const section = (text = 'hello', extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: mrkdwn(text),
  ...extra,
});
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (text: string, value = 'v') => ({ text: plain(text), value });
const confirm = (o: Partial<Record<'title' | 'text' | 'confirm' | 'deny', string>> = {}) => ({
  title: plain(o.title ?? 'Sure?'),
  text: mrkdwn(o.text ?? 'This rolls back production.'),
  confirm: plain(o.confirm ?? 'Roll back'),
  deny: plain(o.deny ?? 'Cancel'),
});

/** The one problem a block list has, asserting there is exactly one. */
function only(blocks: unknown[], surface: 'message' | 'modal' = 'message'): string {
  const errors = validateBlocks(blocks, surface);
  expect(errors).toHaveLength(1);
  return errors[0] as string;
}

describe('validateBlocks', () => {
  it('accepts an ordinary incident message', () => {
    const blocks = [
      { type: 'header', text: plain('INC-7 · Authentication errors') },
      section('*Status:* open', { block_id: 'status', fields: [mrkdwn('*Severity*'), mrkdwn('SEV2')] }),
      { type: 'divider' },
      section('Step 1', { accessory: button('step.done.1', { value: '1', style: 'primary' }) }),
      actions(button('incident.ack'), button('incident.rollback', { style: 'danger', confirm: confirm() })),
      {
        type: 'context',
        elements: [
          mrkdwn('Opened by <@U0ONCALL01>'),
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'logo' },
        ],
      },
    ];
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('allows 50 blocks in a message and 100 in a modal, no more', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks(50), 'message')).toEqual([]);
    expect(only(blocks(51))).toMatch(/at most 50 items.*json-pointer:\/blocks\]/);
    expect(validateBlocks(blocks(100), 'modal')).toEqual([]);
    expect(only(blocks(101), 'modal')).toMatch(/at most 100 items.*json-pointer:\/view\/blocks\]/);
  });

  it('rejects a block type Slack does not know, naming the block index', () => {
    expect(only([{ type: 'divider' }, { type: 'sectoin' }])).toBe(
      'blocks[1] (sectoin): unknown block type "sectoin" [json-pointer:/blocks/1/type]',
    );
  });

  it('limits section text to 3000 characters, fields to 10 and each field to 2000', () => {
    expect(validateBlocks([section(x(3000))], 'message')).toEqual([]);
    expect(only([section(x(3001))])).toMatch(
      /^blocks\[0\] \(section\): section text must be at most 3000 characters \(got 3001\).*\/blocks\/0\/text\/text/,
    );
    const fields = (n: number, len = 5) => Array.from({ length: n }, () => mrkdwn(x(len)));
    expect(validateBlocks([{ type: 'section', fields: fields(10) }], 'message')).toEqual([]);
    expect(only([{ type: 'section', fields: fields(11) }])).toMatch(/fields must have at most 10 items/);
    expect(only([{ type: 'section', fields: [mrkdwn(x(2001))] }])).toMatch(
      /field text must be at most 2000.*\/blocks\/0\/fields\/0\/text/,
    );
  });

  it('wants a header to be plain_text of at most 150 characters', () => {
    expect(only([{ type: 'header', text: mrkdwn('*bold*') }])).toMatch(
      /header text must be plain_text.*\/blocks\/0\/text\/type/,
    );
    expect(only([{ type: 'header', text: plain(x(151)) }])).toMatch(/header text must be at most 150/);
  });

  it('allows at most 25 elements in an actions block and 10 in a context block', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => button(`b${i}`));
    expect(validateBlocks([actions(...buttons(25))], 'message')).toEqual([]);
    expect(only([actions(...buttons(26))])).toMatch(/elements must have at most 25 items/);
    const texts = (n: number) => Array.from({ length: n }, () => mrkdwn('a'));
    expect(validateBlocks([{ type: 'context', elements: texts(10) }], 'message')).toEqual([]);
    expect(only([{ type: 'context', elements: texts(11) }])).toMatch(/elements must have at most 10 items/);
  });

  it('limits button text to 75, value to 2000 and url to 3000 characters', () => {
    expect(only([actions(button('a', { text: plain(x(76)) }))])).toMatch(/button text must be at most 75/);
    expect(only([actions(button('a', { value: x(2001) }))])).toMatch(/button value must be at most 2000/);
    expect(only([actions(button('a', { url: `https://e.com/${x(3000)}` }))])).toMatch(
      /button url must be at most 3000/,
    );
    expect(validateBlocks([actions(button('a', { text: plain(x(75)), value: x(2000) }))], 'message')).toEqual([]);
  });

  it('limits action_id and block_id to 255 characters', () => {
    expect(only([actions(button(x(256)))])).toMatch(
      /action_id must be at most 255.*\/blocks\/0\/elements\/0\/action_id/,
    );
    expect(only([section('a', { block_id: x(256) })])).toMatch(/block_id must be at most 255/);
    expect(validateBlocks([section('a', { block_id: x(255), accessory: button(x(255)) })], 'message')).toEqual([]);
  });

  it('refuses the same block_id twice in one message', () => {
    expect(only([section('a', { block_id: 'step' }), section('b', { block_id: 'step' })])).toBe(
      'blocks[1] (section): duplicate block_id "step" [json-pointer:/blocks/1/block_id]',
    );
  });

  it('refuses the same action_id twice in one block (Slack scopes action_id uniqueness to the block)', () => {
    expect(only([actions(button('go'), button('go'))])).toMatch(
      /duplicate action_id "go" in the block.*\/blocks\/0\/elements\/1\/action_id/,
    );
    expect(validateBlocks([actions(button('go')), actions(button('go'))], 'message')).toEqual([]);
  });

  it('limits a confirm dialog: title 100, text 300, confirm and deny 30', () => {
    expect(validateBlocks([actions(button('a', { confirm: confirm() }))], 'message')).toEqual([]);
    expect(only([actions(button('a', { confirm: confirm({ title: x(101) }) }))])).toMatch(
      /confirm title must be at most 100/,
    );
    expect(only([actions(button('a', { confirm: confirm({ text: x(301) }) }))])).toMatch(
      /confirm text must be at most 300/,
    );
    expect(only([actions(button('a', { confirm: confirm({ confirm: x(31) }) }))])).toMatch(
      /confirm button text must be at most 30/,
    );
    expect(only([actions(button('a', { confirm: confirm({ deny: x(31) }) }))])).toMatch(
      /deny button text must be at most 30/,
    );
  });

  it('refuses text objects with empty text', () => {
    expect(only([section('')])).toMatch(/section text must not be empty.*\/blocks\/0\/text\/text/);
    expect(only([actions(button('a', { text: plain('') }))])).toMatch(/button text must not be empty/);
  });

  it('limits static_select to 100 options of at most 75 characters', () => {
    const select = (options: unknown[]) =>
      actions({ type: 'static_select', action_id: 's', placeholder: plain('Pick'), options });
    const many = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));
    expect(validateBlocks([select(many(100))], 'message')).toEqual([]);
    expect(only([select(many(101))])).toMatch(/options must have at most 100 items/);
    expect(only([select([option(x(76))])])).toMatch(/option text must be at most 75.*\/options\/0\/text\/text/);
  });

  it('wants an overflow menu to have 2 to 5 options', () => {
    const overflow = (n: number) =>
      actions({
        type: 'overflow',
        action_id: 'o',
        options: Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`)),
      });
    expect(only([overflow(1)])).toMatch(/options must have at least 2 items/);
    expect(validateBlocks([overflow(2)], 'message')).toEqual([]);
    expect(validateBlocks([overflow(5)], 'message')).toEqual([]);
    expect(only([overflow(6)])).toMatch(/options must have at most 5 items/);
  });

  it('reports every problem, not just the first', () => {
    const errors = validateBlocks(
      [{ type: 'nope' }, section(x(3001)), { type: 'header', text: plain(x(151)) }],
      'message',
    );
    expect(errors.map((e) => /\/blocks\/(\d+)/.exec(e)?.[1])).toEqual(['0', '1', '2']);
  });

  it('refuses something that is not a list of blocks', () => {
    expect(validateBlocks('[]', 'message')).toEqual(['blocks: blocks must be an array [json-pointer:/blocks]']);
    expect(only([42])).toMatch(/block must be an object with a type/);
  });
});

describe('validateView', () => {
  const modal = (extra: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: plain('Resolve INC-7'),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    blocks: [],
    ...extra,
  });

  it('accepts an ordinary modal', () => {
    const blocks = [
      {
        type: 'input',
        block_id: 'summary',
        label: plain('Summary'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true },
      },
    ];
    expect(validateView(modal({ blocks, private_metadata: '{"incident":7}', callback_id: 'resolve' }))).toEqual([]);
  });

  it('limits title, submit and close to 24 characters', () => {
    expect(validateView(modal({ title: plain(x(25)) }))).toEqual([
      'view: title must be at most 24 characters (got 25) [json-pointer:/view/title/text]',
    ]);
    expect(validateView(modal({ submit: plain(x(25)) }))[0]).toMatch(/submit must be at most 24/);
    expect(validateView(modal({ close: plain(x(25)) }))[0]).toMatch(/close must be at most 24/);
    expect(validateView(modal({ title: plain(x(24)), submit: plain(x(24)), close: plain(x(24)) }))).toEqual([]);
  });

  it('limits private_metadata to 3000 characters', () => {
    expect(validateView(modal({ private_metadata: x(3000) }))).toEqual([]);
    expect(validateView(modal({ private_metadata: x(3001) }))[0]).toMatch(/private_metadata must be at most 3000/);
  });

  it('needs a title, and a submit button when the modal has inputs', () => {
    const input = { type: 'input', label: plain('Why'), element: { type: 'plain_text_input', action_id: 'why' } };
    expect(validateView({ type: 'modal', blocks: [] })[0]).toMatch(/title is required/);
    expect(validateView(modal({ submit: undefined, blocks: [input] }))[0]).toMatch(/submit is required/);
  });

  it('checks the blocks under /view/blocks with the modal limit', () => {
    expect(validateView(modal({ blocks: [section(x(3001))] }))).toEqual([
      expect.stringMatching(/^view\.blocks\[0\] \(section\).*\/view\/blocks\/0\/text\/text/),
    ]);
  });
});
