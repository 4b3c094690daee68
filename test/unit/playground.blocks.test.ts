import { describe, expect, it } from 'vitest';
import { renderBlock, renderBlocks } from '../../src/playground/web/blocks.js';
import type { RenderContext } from '../../src/playground/web/html.js';
import { renderEphemeral, renderMessage } from '../../src/playground/web/messages.js';
import { renderView, stateValue } from '../../src/playground/web/modal.js';
import { parseSlashCommand } from '../../src/playground/web/interact.js';

const ctx: RenderContext = {
  users: { U0ONCALL01: 'Ada Lovelace', U0BOT00001: 'incident-bot' },
  channels: { C0INCIDENTS: 'incidents' },
  usergroups: {},
  now: new Date('2026-03-14T16:00:00Z'),
  timeZone: 'UTC',
};
const plain = (text: string) => ({ type: 'plain_text', text });
const render = (block: Record<string, unknown>) => renderBlock(block, ctx);

describe('Block Kit blocks', () => {
  it('header: a heading with its plain text escaped', () => {
    expect(render({ type: 'header', block_id: 'h', text: plain('INC-1 · <Auth> :rotating_light:') })).toContain(
      '<h3 class="bk-header">INC-1 · &lt;Auth&gt; 🚨</h3>',
    );
  });

  it('section: mrkdwn text, fields and an accessory', () => {
    const html = render({
      type: 'section',
      block_id: 'fields',
      text: { type: 'mrkdwn', text: '*Status* <@U0ONCALL01>' },
      fields: [
        { type: 'mrkdwn', text: '*Severity*\nSEV2' },
        { type: 'plain_text', text: '*not bold*' },
      ],
      accessory: { type: 'button', action_id: 'incident.ack', text: plain('Acknowledge'), value: '1' },
    });
    expect(html).toContain('<strong>Status</strong> <span class="mention mention-user">@Ada Lovelace</span>');
    expect(html).toContain('<div class="bk-field"><strong>Severity</strong><br>SEV2</div>');
    expect(html).toContain('<div class="bk-field">*not bold*</div>');
    const ids = 'data-block-id="fields" data-action-id="incident.ack"';
    expect(html).toContain(
      `<div class="bk-accessory"><button type="button" class="bk-button" data-kind="button" ${ids}>Acknowledge</button></div>`,
    );
  });

  it('context: text and images side by side', () => {
    const html = render({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Playbook `auth-401`' },
        { type: 'image', image_url: 'https://example.com/i.png', alt_text: 'logo' },
      ],
    });
    expect(html).toContain('Playbook <code class="mk-code">auth-401</code>');
    expect(html).toContain('<img class="bk-context-image" src="https://example.com/i.png" alt="logo" loading="lazy">');
  });

  it('divider and image', () => {
    expect(render({ type: 'divider' })).toContain('<hr class="bk-divider">');
    const image = render({
      type: 'image',
      image_url: 'https://example.com/graph.png',
      alt_text: 'p95 latency',
      title: plain('Latency'),
    });
    expect(image).toContain(
      '<figcaption>Latency</figcaption><img class="bk-image-img" src="https://example.com/graph.png" alt="p95 latency" loading="lazy">',
    );
    expect(render({ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' })).toContain('bk-unknown');
  });

  it('actions: buttons with their style, static selects and overflow menus', () => {
    const html = render({
      type: 'actions',
      block_id: 'incident.bar',
      elements: [
        { type: 'button', action_id: 'incident.ack', text: plain('Acknowledge'), style: 'primary', value: '1' },
        {
          type: 'button',
          action_id: 'incident.resolve',
          text: plain('Resolve'),
          style: 'danger',
          value: '1',
          confirm: { title: plain('Sure?'), text: plain('Really'), confirm: plain('Yes'), deny: plain('No') },
        },
        {
          type: 'static_select',
          action_id: 'sev',
          placeholder: plain('Severity'),
          options: [
            { text: plain('SEV1'), value: 'sev1' },
            { text: plain('SEV2'), value: 'sev2' },
          ],
          initial_option: { text: plain('SEV2'), value: 'sev2' },
        },
        {
          type: 'overflow',
          action_id: 'more',
          options: [
            { text: plain('Timeline'), value: 'timeline' },
            { text: plain('Report'), value: 'report' },
          ],
        },
      ],
    });
    const bar = 'data-block-id="incident.bar"';
    expect(html).toContain(
      `<button type="button" class="bk-button bk-primary" data-kind="button" ${bar} data-action-id="incident.ack">Acknowledge</button>`,
    );
    expect(html).toContain('class="bk-button bk-danger"');
    expect(html).toContain(
      `<select class="bk-select" aria-label="Severity" data-kind="select" data-type="static_select" ${bar} data-action-id="sev">`,
    );
    expect(html).toContain('<option value="sev2" selected>SEV2</option>');
    expect(html).toContain('aria-label="More actions"');
    expect(html).toContain(
      `<button type="button" role="menuitem" data-kind="overflow" ${bar} data-action-id="more" data-value="report">Report</button>`,
    );
  });

  it('static select option groups become optgroups', () => {
    const html = render({
      type: 'actions',
      elements: [
        {
          type: 'static_select',
          action_id: 's',
          placeholder: plain('Pick'),
          option_groups: [{ label: plain('Group <1>'), options: [{ text: plain('A'), value: 'a' }] }],
        },
      ],
    });
    expect(html).toContain('<optgroup label="Group &lt;1&gt;"><option value="a">A</option></optgroup>');
  });

  it('an unknown block or element shows a visible placeholder, never nothing', () => {
    expect(render({ type: 'video', title: plain('x') })).toContain(
      '<span class="bk-unknown" role="note">Unsupported block: <code>video</code></span>',
    );
    expect(render({ type: 'actions', elements: [{ type: 'workflow_button' }] })).toContain(
      'Unsupported element: <code>workflow_button</code>',
    );
    expect(renderBlocks([null], ctx)).toContain('bk-unknown');
  });

  it('escapes attribute values and text from the blocks', () => {
    const html = render({
      type: 'actions',
      block_id: '"><script>',
      elements: [{ type: 'button', action_id: 'a"b', text: plain('<img src=x onerror=alert(1)>') }],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('data-block-id="&quot;&gt;&lt;script&gt;"');
  });

  it('renders rich_text sections, lists and styles', () => {
    const html = render({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'hi ', style: { bold: true } },
            { type: 'user', user_id: 'U0ONCALL01' },
          ],
        },
        {
          type: 'rich_text_list',
          style: 'bullet',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
        },
      ],
    });
    expect(html).toContain('<strong>hi </strong><span class="mention mention-user">@Ada Lovelace</span>');
    expect(html).toContain('<ul><li>one</li></ul>');
  });

  it('draws blocks shaped like the live incident message without a placeholder (the browser test checks the real one)', () => {
    const blocks = [
      { type: 'header', text: plain('INC-1 · Authentication errors') },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Status*\n:red_circle: Open' }] },
      { type: 'divider' },
      {
        type: 'section',
        block_id: 'step.1',
        text: { type: 'mrkdwn', text: '*1. Check token status*\n:white_large_square: Pending' },
      },
      {
        type: 'actions',
        block_id: 'step.1.actions',
        elements: [{ type: 'button', action_id: 'step.done.1', text: plain('Done'), value: '1:1', style: 'primary' }],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Live' }] },
    ];
    const html = renderBlocks(blocks, ctx);
    expect(html).not.toContain('bk-unknown');
    expect(html).toContain('🔴 Open');
  });
});

describe('messages', () => {
  const message = {
    ts: '1773500966.000100',
    channel: 'C0INCIDENTS',
    user: 'U0BOT00001',
    bot_id: 'B1',
    text: 'fallback',
    reply_count: 2,
    thread_ts: '1773500966.000100',
    edited: { user: 'U0BOT00001', ts: '1773500999.000000' },
    files: [
      {
        id: 'F1',
        name: 'INC-1.md',
        title: 'INC-1 report',
        mimetype: 'text/markdown',
        filetype: 'markdown',
        size: 2048,
      },
    ],
  };

  it('is an article with its author, blocks or text, files and replies', () => {
    const html = renderMessage(message, ctx);
    expect(html).toMatch(/^<article class="msg" data-ts="1773500966.000100" data-channel="C0INCIDENTS">/);
    expect(html).toContain('<span class="msg-author">incident-bot</span> <span class="msg-badge">APP</span>');
    expect(html).toContain('(edited)');
    expect(html).toContain('<div class="msg-text">fallback</div>');
    expect(html).toContain('href="/emulator/files/F1/INC-1.md" download="INC-1.md"');
    expect(html).toContain('data-kind="open-thread" data-ts="1773500966.000100">2 replies</button>');
    expect(renderMessage(message, ctx, { inThread: true })).not.toContain('open-thread');
  });

  it('marks an ephemeral "Only visible to you"', () => {
    const html = renderEphemeral(
      {
        ts: '1773500967.000000',
        channel: 'C0INCIDENTS',
        user: 'U0ONCALL01',
        text: 'Timeline of INC-1',
        source: 'response_url',
        at: '',
      },
      'U0BOT00001',
      ctx,
    );
    expect(html).toContain('Only visible to you');
    expect(html).toContain('data-ephemeral="true"');
  });
});

describe('modals', () => {
  const view = {
    id: 'V1',
    type: 'modal',
    hash: 'h',
    title: plain('Resolve INC-1'),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*INC-1*' } },
      {
        type: 'input',
        block_id: 'summary',
        optional: true,
        label: plain('What fixed it?'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'sev',
        label: plain('Severity'),
        element: { type: 'static_select', action_id: 'pick', options: [{ text: plain('SEV1'), value: 'sev1' }] },
      },
      { type: 'input', block_id: 'odd', label: plain('Odd'), element: { type: 'rich_text_input', action_id: 'x' } },
    ],
  };

  it("renders a labelled form with its inputs, the bot's errors and the submit and close buttons", () => {
    const html = renderView({ id: 'V1', view, errors: { sev: 'Pick one' } }, ctx);
    expect(html).toContain('role="dialog" aria-modal="true"');
    expect(html).toContain(
      [
        '<label for="in-V1-summary">What fixed it? <span class="bk-optional">(optional)</span></label>',
        '<textarea id="in-V1-summary" rows="3" maxlength="500" data-action-id="text" data-type="plain_text_input"></textarea>',
      ].join(''),
    );
    expect(html).toContain('<p class="bk-error" role="alert">Pick one</p>');
    expect(html).toContain('Unsupported input element: <code>rich_text_input</code>');
    expect(html).toContain('<button type="submit" class="bk-button bk-primary">Resolve</button>');
    expect(html).toContain('data-kind="view-close">Cancel</button>');
  });

  it('builds view.state.values entries as Slack does', () => {
    expect(stateValue({ type: 'plain_text_input' }, 'rebooted')).toEqual({
      type: 'plain_text_input',
      value: 'rebooted',
    });
    expect(stateValue({ type: 'plain_text_input' }, '')).toEqual({ type: 'plain_text_input', value: null });
    expect(stateValue(view.blocks[2]!.element as Record<string, unknown>, 'sev1')).toEqual({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: 'SEV1', emoji: true }, value: 'sev1' },
    });
    expect(stateValue({ type: 'checkboxes', options: [{ text: plain('A'), value: 'a' }] }, ['a'])).toEqual({
      type: 'checkboxes',
      selected_options: [{ text: { type: 'plain_text', text: 'A', emoji: true }, value: 'a' }],
    });
    expect(stateValue({ type: 'users_select' }, 'U0ONCALL01')).toEqual({
      type: 'users_select',
      selected_user: 'U0ONCALL01',
    });
  });

  it('renders multi-selects as multiple selects with their initial choices, and reads every choice back', () => {
    const element = {
      type: 'multi_static_select',
      action_id: 'teams',
      options: [
        { text: plain('Support'), value: 'support' },
        { text: plain('Leadership'), value: 'leadership' },
      ],
      initial_options: [{ text: plain('Leadership'), value: 'leadership' }],
    };
    const html = renderView(
      {
        id: 'V2',
        view: {
          ...view,
          blocks: [
            { type: 'input', block_id: 'teams', label: plain('Tell'), element },
            {
              type: 'input',
              block_id: 'people',
              label: plain('Page'),
              element: { type: 'multi_users_select', action_id: 'who', initial_users: ['U0ONCALL01'] },
            },
          ],
        },
      },
      ctx,
    );
    expect(html).toContain(
      [
        '<select id="in-V2-teams" multiple size="4" data-action-id="teams" data-type="multi_static_select">',
        '<option value="support">Support</option>',
        '<option value="leadership" selected>Leadership</option>',
        '</select>',
      ].join(''),
    );
    expect(html).toMatch(/<select id="in-V2-people" multiple[^>]*>.*<option value="U0ONCALL01" selected>Ada Lovelace</);
    expect(stateValue(element, ['support', 'leadership'])).toEqual({
      type: 'multi_static_select',
      selected_options: [
        { text: { type: 'plain_text', text: 'Support', emoji: true }, value: 'support' },
        { text: { type: 'plain_text', text: 'Leadership', emoji: true }, value: 'leadership' },
      ],
    });
    expect(stateValue({ type: 'multi_users_select' }, ['U0ONCALL01', 'U0SECOND02'])).toEqual({
      type: 'multi_users_select',
      selected_users: ['U0ONCALL01', 'U0SECOND02'],
    });
    expect(stateValue({ type: 'multi_channels_select' }, [])).toEqual({
      type: 'multi_channels_select',
      selected_channels: [],
    });
  });
});

describe('the composer', () => {
  it('splits a slash command from its text', () => {
    expect(parseSlashCommand('/incident auth-401 login failing')).toEqual({
      command: '/incident',
      text: 'auth-401 login failing',
    });
    expect(parseSlashCommand('  /incident  ')).toEqual({ command: '/incident', text: '' });
    expect(parseSlashCommand('hello /incident')).toBeUndefined();
  });
});
