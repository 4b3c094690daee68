/**
 * Reads at most `limit` bytes of a fetch response's body and stops reading
 * there (the rest is never downloaded); says whether it cut. The one reader
 * for bodies the bot did not write: health checks and HTTP actions.
 */
export async function readCapped(response: Response, limit: number): Promise<{ text: string; cut: boolean }> {
  if (!response.body) return { text: '', cut: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks, limit), cut: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { text: decode(chunks, limit), cut: true };
    }
  }
}

const decode = (chunks: Uint8Array[], limit: number) => Buffer.concat(chunks).subarray(0, limit).toString('utf8');
