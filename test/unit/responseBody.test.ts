import { describe, expect, it } from 'vitest';
import { readCapped } from '../../src/responseBody.js';

/** A body that arrives in chunks and counts how many were pulled. */
function chunked(chunks: string[]) {
  const pulled = { count: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled.count++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
  return { response: new Response(body), pulled };
}

describe('reading a capped body', () => {
  it('reads a body within the limit whole', async () => {
    expect(await readCapped(new Response('hello'), 10)).toEqual({ text: 'hello', cut: false });
    expect(await readCapped(new Response('hello'), 5)).toEqual({ text: 'hello', cut: false });
  });

  it('cuts at the limit and stops reading the rest', async () => {
    const { response, pulled } = chunked(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']);
    expect(await readCapped(response, 6)).toEqual({ text: 'aaaabb', cut: true });
    expect(pulled.count).toBeLessThan(5);
  });

  it('reads an empty answer as empty text', async () => {
    expect(await readCapped(new Response(null), 10)).toEqual({ text: '', cut: false });
  });
});
