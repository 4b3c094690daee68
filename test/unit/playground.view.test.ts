import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../../src/playground/emulator/seed.js';
import type { EphemeralMessage, Message, Workspace } from '../../src/playground/emulator/state.js';
import { contextOf, paneItems, sidebarHtml } from '../../src/playground/web/view.js';

/** What the channel and thread panes show, and to whom. */

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';
const C = 'C0INCIDENTS';

function workspace(): Workspace {
  const w = createWorkspace();
  const message = (ts: string, extra: Partial<Message> = {}): Message => ({
    ts,
    channel: C,
    user: 'U0BOT00001',
    bot_id: 'B0BOT00001',
    text: `m${ts}`,
    ...extra,
  });
  w.messages[C] = [
    message('1000000001.000000', { thread_ts: '1000000001.000000', reply_count: 2 }),
    message('1000000002.000000', { thread_ts: '1000000001.000000' }),
    message('1000000004.000000', { thread_ts: '1000000001.000000', subtype: 'thread_broadcast' }),
    message('999999999.000000'),
  ];
  const ephemeral = (ts: string, user: string, extra: Partial<EphemeralMessage> = {}): EphemeralMessage => ({
    ts,
    channel: C,
    user,
    text: `e${ts}`,
    source: 'response_url',
    at: '',
    ...extra,
  });
  w.ephemerals = [
    ephemeral('1000000003.000000', ADA),
    ephemeral('1000000005.000000', GRACE),
    ephemeral('1000000006.000000', ADA, { thread_ts: '1000000001.000000' }),
    ephemeral('0999999998.000000', ADA),
  ];
  return w;
}

const keys = (items: Array<{ key: string }>) => items.map((i) => i.key);

describe('the panes', () => {
  const w = workspace();
  const ctx = contextOf(w, new Date(0));

  it("show top-level messages, broadcasts and the acting user's ephemerals in ts order (ts compared as numbers)", () => {
    const items = paneItems(w, { user: ADA, channel: C, dismissed: new Set(), ctx });
    expect(keys(items.channel)).toEqual([
      '0999999998.000000',
      '999999999.000000',
      '1000000001.000000',
      '1000000003.000000',
      '1000000004.000000',
    ]);
    expect(items.thread).toEqual([]);
  });

  it("never show someone else's ephemerals, dismissed ones, or those from before the page loaded", () => {
    const grace = paneItems(w, { user: GRACE, channel: C, dismissed: new Set(), ctx });
    expect(keys(grace.channel)).toContain('1000000005.000000');
    expect(keys(grace.channel)).not.toContain('1000000003.000000');
    const dismissed = paneItems(w, {
      user: ADA,
      channel: C,
      dismissed: new Set(['1000000003.000000']),
      since: '1000000000.000000',
      ctx,
    });
    expect(keys(dismissed.channel)).toEqual(['999999999.000000', '1000000001.000000', '1000000004.000000']);
  });

  it('show a thread as its parent, then replies and ephemerals in it', () => {
    const items = paneItems(w, { user: ADA, channel: C, threadTs: '1000000001.000000', dismissed: new Set(), ctx });
    expect(items.parent?.ts).toBe('1000000001.000000');
    expect(keys(items.thread)).toEqual([
      '1000000001.000000',
      '1000000002.000000',
      '1000000004.000000',
      '1000000006.000000',
    ]);
  });

  it("list the shared channels and only the acting user's DM with the bot", () => {
    w.channels.push({
      id: 'D0ADA0001',
      name: 'D0ADA0001',
      kind: 'im',
      created: 0,
      creator: 'U0BOT00001',
      members: [ADA],
      topic: '',
      purpose: '',
      is_archived: false,
      pins: [],
      im_user: ADA,
    });
    expect(sidebarHtml(w, ADA, C)).toContain('data-channel="D0ADA0001"');
    expect(sidebarHtml(w, GRACE, C)).not.toContain('D0ADA0001');
    expect(sidebarHtml(w, ADA, C)).toContain('data-channel="C0INCIDENTS" aria-current="page"');
  });
});
