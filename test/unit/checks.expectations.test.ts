import { describe, expect, it } from 'vitest';
import { checkJsonBody, evaluateJson, joinFailures, selectPath } from '../../src/checks/expectations.js';

const health = {
  status: 'healthy',
  timestamp: '2025-10-11T01:53:24.747Z',
  services: { database: 'healthy', rag_service: 'healthy', memory_usage: 'healthy' },
  pools: [
    { name: 'a', free: 4 },
    { name: 'b', free: 0 },
  ],
  latency_ms: 12,
};

describe('selectPath', () => {
  it('follows dotted keys and array indexes', () => {
    expect(selectPath(health, 'services.database')).toEqual([
      { path: 'services.database', value: 'healthy', found: true },
    ]);
    expect(selectPath(health, 'pools.1.free')).toEqual([{ path: 'pools.1.free', value: 0, found: true }]);
  });

  it('expands * over every key of an object and every element of an array', () => {
    expect(selectPath(health, 'services.*').map((m) => m.path)).toEqual([
      'services.database',
      'services.rag_service',
      'services.memory_usage',
    ]);
    expect(selectPath(health, 'pools.*.free')).toEqual([
      { path: 'pools.0.free', value: 4, found: true },
      { path: 'pools.1.free', value: 0, found: true },
    ]);
  });

  it('reports a path that leads nowhere in full, as written', () => {
    expect(selectPath(health, 'services.cache')).toEqual([{ path: 'services.cache', value: undefined, found: false }]);
    expect(selectPath(health, 'queue.depth.now')).toEqual([
      { path: 'queue.depth.now', value: undefined, found: false },
    ]);
    expect(selectPath(health, 'status.*')).toEqual([{ path: 'status.*', value: undefined, found: false }]);
    expect(selectPath({ a: [] }, 'a.*')).toEqual([]);
  });

  it('does not walk into inherited properties', () => {
    expect(selectPath({}, 'constructor')[0]!.found).toBe(false);
  });
});

describe('evaluateJson', () => {
  it('passes an exact value and says so briefly', () => {
    expect(evaluateJson(health, { path: 'status', equals: 'healthy' })).toEqual({
      ok: true,
      detail: '✓ status is "healthy"',
      failures: [],
    });
  });

  it('requires every value under * to match', () => {
    expect(evaluateJson(health, { path: 'services.*', equals: 'healthy' }).detail).toBe(
      '✓ services.* all "healthy" (3)',
    );
    const down = { services: { database: 'down', rag_service: 'healthy', memory_usage: 'degraded' } };
    const outcome = evaluateJson(down, { path: 'services.*', equals: 'healthy' });
    expect(outcome.ok).toBe(false);
    expect(outcome.failures).toEqual([
      'services.database is "down", expected "healthy"',
      'services.memory_usage is "degraded", expected "healthy"',
    ]);
  });

  it('fails a * that matches nothing: an expectation that checks nothing is not a pass', () => {
    expect(evaluateJson({ services: {} }, { path: 'services.*', equals: 'healthy' }).failures).toEqual([
      'services.* matched nothing, expected "healthy"',
    ]);
  });

  it('compares numbers with op and value', () => {
    expect(evaluateJson(health, { path: 'latency_ms', op: '<', value: 200 }).detail).toBe('✓ latency_ms is 12 (< 200)');
    expect(evaluateJson(health, { path: 'pools.*.free', op: '>', value: 0 }).failures).toEqual([
      'pools.1.free is 0, expected > 0',
    ]);
    expect(evaluateJson(health, { path: 'status', op: '>', value: 0 }).failures).toEqual([
      'status is "healthy", expected a number > 0',
    ]);
  });

  it('treats equals strictly: no coercion between types', () => {
    expect(evaluateJson({ up: 'true' }, { path: 'up', equals: true }).failures).toEqual([
      'up is "true", expected true',
    ]);
    expect(evaluateJson({ n: null }, { path: 'n', equals: null }).ok).toBe(true);
    expect(evaluateJson({}, { path: 'n', equals: null }).failures).toEqual(['n is missing, expected null']);
  });
});

describe('checkJsonBody', () => {
  it('says when the body is not JSON', () => {
    expect(checkJsonBody('<html>', [{ path: 'status', equals: 'healthy' }]).failures).toEqual([
      'the body is not JSON, expected status',
    ]);
  });

  it('never parses the body without expectations', () => {
    expect(checkJsonBody('<html>', [])).toEqual({ details: [], failures: [] });
  });
});

describe('joinFailures', () => {
  it('keeps a failure to one readable line', () => {
    expect(joinFailures(['a', 'b'])).toBe('a; b');
    expect(joinFailures(['a', 'b', 'c', 'd', 'e'])).toBe('a; b; c; and 2 more');
  });
});
