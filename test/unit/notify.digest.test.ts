import { describe, expect, it } from 'vitest';
import { stakeholderDigest } from '../../src/notify/messages.js';

const update = (text: string) => ({ text, blocks: [] });

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
    expect(digest.blocks).toHaveLength(3);
    expect(JSON.stringify(digest.blocks[2])).toContain('• INC-3 Login down');
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
