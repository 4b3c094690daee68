import { describe, expect, it } from 'vitest';
import { pageDigest, stakeholderDigest } from '../../src/notify/messages.js';

const update = (text: string) => ({ text, blocks: [] });
const sectionText = (block: unknown) => (block as { text: { text: string } }).text.text;

describe('a stakeholder digest', () => {
  it('counts the incidents and carries each update’s line, oldest first', () => {
    const digest = stakeholderDigest(
      [update('INC-2 Checkout down: An incident was opened'), update('INC-3 Login down: Resolved after 4m')],
      2,
    );
    expect(digest.text).toBe(
      '2 incidents changed: INC-2 Checkout down: An incident was opened · INC-3 Login down: Resolved after 4m',
    );
    expect(JSON.stringify(digest.blocks[0])).toContain('*2 incidents changed*');
    expect(digest.blocks).toHaveLength(2);
    const lines = sectionText(digest.blocks[1]).split('\n');
    expect(lines).toEqual(['• INC-2 Checkout down: An incident was opened', '• INC-3 Login down: Resolved after 4m']);
  });

  it('packs 100 updates into sections Slack accepts: each at most 3,000 characters, every line kept in order', () => {
    const updates = Array.from({ length: 100 }, (_, i) => update(`INC-${i} ${'x'.repeat(i % 7 === 0 ? 900 : 120)}`));
    const digest = stakeholderDigest(updates, 100);
    const sections = digest.blocks.slice(1).map(sectionText);
    expect(digest.blocks.length).toBeLessThanOrEqual(50);
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3_000);
    const lines = sections.flatMap((text) => text.split('\n'));
    expect(lines.map((line) => /^• (INC-\d+)/.exec(line)?.[1])).toEqual(updates.map((_, i) => `INC-${i}`));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(282);
  });

  it('says how many updates when one incident has more than one', () => {
    const digest = stakeholderDigest([update('INC-2 a'), update('INC-2 b'), update('INC-4 c')], 2);
    expect(JSON.stringify(digest.blocks[0])).toContain('*2 incidents changed* (3 updates)');
  });

  it('keeps its notification text within what Slack shows', () => {
    const digest = stakeholderDigest(
      Array.from({ length: 20 }, (_, i) => update(`INC-${i} ${'x'.repeat(300)}`)),
      20,
    );
    expect(digest.text.length).toBeLessThanOrEqual(3_000);
  });
});

describe('a page digest', () => {
  it('says how many incidents page the person and gives each its own line, in order', () => {
    const digest = pageDigest([
      { message: update('You are paged for INC-2: level 1, Auth'), line: '*INC-2* · Login (level 1, Auth) in <#C2>' },
      { message: update('You are paged for INC-3: level 2, Perf') },
    ]);
    expect(digest.text).toBe(
      'You are paged for 2 incidents: You are paged for INC-2: level 1, Auth · You are paged for INC-3: level 2, Perf',
    );
    expect(sectionText(digest.blocks[0])).toContain('*You are paged for 2 incidents*');
    expect(sectionText(digest.blocks[1]).split('\n')).toEqual([
      '• *INC-2* · Login (level 1, Auth) in <#C2>',
      '• You are paged for INC-3: level 2, Perf',
    ]);
  });
});
