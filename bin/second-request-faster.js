#!/usr/bin/env node
// Document 003's cache verification, as a command check: "Make 2 identical API calls, second should be
// faster". GETs CACHE_PROBE_URL twice, one after the other, and exits 0 only when both answer 2xx and the
// second answers faster (the first fills the cache, the second is served from it). The URL comes from the
// environment, never from a shell.
const url = process.env.CACHE_PROBE_URL || 'http://127.0.0.1:8000/api/conversations';

async function timed() {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { signal: AbortSignal.timeout(25_000) });
  await response.arrayBuffer();
  return { status: response.status, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

try {
  const first = await timed();
  const second = await timed();
  const ok = (r) => r.status >= 200 && r.status < 300;
  console.log(`first: ${first.status} in ${first.ms.toFixed(1)} ms; second: ${second.status} in ${second.ms.toFixed(1)} ms`);
  if (!ok(first) || !ok(second)) {
    console.log('not both answered 2xx');
    process.exitCode = 1;
  } else if (second.ms >= first.ms) {
    console.log('the second request was not faster: the cache did not answer it');
    process.exitCode = 1;
  } else {
    console.log('the second request was faster: the cache is working');
  }
} catch (error) {
  console.log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
