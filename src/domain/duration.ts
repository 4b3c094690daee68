/** Formats milliseconds the way people say them: `90s` → `1m 30s`. */
export function formatDuration(ms: number): string {
  // Compared after rounding, so 999.7 ms reads as 1s, never as 1000 ms.
  if (Math.round(ms) < 1_000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.round(ms / 1_000);
  const h = Math.floor(totalSeconds / 3_600);
  const m = Math.floor((totalSeconds % 3_600) / 60);
  const s = totalSeconds % 60;
  const parts = [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.join(' ') || '0s';
}
