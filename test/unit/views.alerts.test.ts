import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../../src/playground/emulator/blockKit.js';
import { threadMessage } from '../../src/slack/views/thread.js';

const startsAt = new Date('2026-11-30T03:00:00Z');

describe('alert posts in the thread', () => {
  it('shows the labels, the annotations and a link to the source, escaped', () => {
    const { text, blocks } = threadMessage({
      kind: 'alert-firing',
      alertname: 'RedisDown',
      startsAt,
      generatorUrl: 'http://prometheus.invalid/graph?g0.expr=up',
      labels: { alertname: 'RedisDown', instance: 'cache-1' },
      annotations: { summary: 'Redis <!channel> is down `now`' },
    });
    const shown = JSON.stringify(blocks);
    expect(text).toBe('Alert RedisDown firing');
    expect(shown).toContain('`alertname=RedisDown`');
    expect(shown).toContain('Redis &lt;!channel&gt; is down');
    expect(shown).toContain('<http://prometheus.invalid/graph?g0.expr=up|Source>');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('never turns a source that is not a plain http(s) URL into a link', () => {
    for (const generatorUrl of ['javascript:alert(1)', 'http://x.invalid/|<!channel>', 'http://x.invalid/ <@U1>']) {
      const shown = JSON.stringify(
        threadMessage({ kind: 'alert-firing', alertname: 'A', startsAt, labels: {}, annotations: {}, generatorUrl })
          .blocks,
      );
      expect(shown).not.toContain('Source>');
      expect(shown).not.toContain('<!channel>');
    }
  });

  it('stays within Block Kit limits for an alert with many long labels and annotations', () => {
    const long = 'x'.repeat(5_000);
    const labels = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`label_${i}`, long]));
    const annotations = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`note_${i}`, long]));
    const { blocks } = threadMessage({ kind: 'alert-firing', alertname: long, startsAt, labels, annotations });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('says a resolution, and whether the incident stays open', () => {
    const open = threadMessage({ kind: 'alert-resolved', alertname: 'RedisDown', incidentOpen: true });
    const closed = threadMessage({ kind: 'alert-resolved', alertname: 'RedisDown', incidentOpen: false });
    expect(open.text).toBe('Alert RedisDown resolved');
    expect(JSON.stringify(open.blocks)).toContain('stays open until someone resolves it');
    expect(JSON.stringify(closed.blocks)).not.toContain('stays open');
  });
});
