/** One measured figure and its goal, as the table and results.json show it. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The goal in words (`≤ 25 ms`); `none` for a figure that is only reported. */
  goal: string;
  /** null when there is no goal to hold. */
  holds: boolean | null;
}

export interface ScenarioOutcome {
  figures: Figure[];
  /** Lines shown under the table: the numbers behind each figure. */
  details: string[];
}

export const atMost = (name: string, value: number, unit: string, limit: number): Figure => ({
  name,
  value,
  unit,
  goal: `≤ ${limit}${unit === '×' ? '×' : ` ${unit}`}`,
  holds: value <= limit,
});
export const below = (name: string, value: number, unit: string, limit: number): Figure => ({
  name,
  value,
  unit,
  goal: `< ${limit}${unit === '%' ? ' %' : ` ${unit}`}`,
  holds: value < limit,
});
export const atLeast = (name: string, value: number, unit: string, limit: number): Figure => ({
  name,
  value,
  unit,
  goal: `≥ ${limit.toLocaleString('en')}${unit === '×' ? '×' : ` ${unit}`}`,
  holds: value >= limit,
});
export const exactly = (name: string, value: number, unit: string, wanted: number): Figure => ({
  name,
  value,
  unit,
  goal: `= ${wanted}`,
  holds: value === wanted,
});
export const reported = (name: string, value: number, unit: string): Figure => ({
  name,
  value,
  unit,
  goal: 'none',
  holds: null,
});

/** Rounds for display and JSON: ratios to 2 decimals, the rest to 3 significant digits at most. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function table(figures: readonly Figure[]): string {
  const rows = [
    ['figure', 'value', 'goal', ''],
    ...figures.map((f) => [
      f.name,
      `${f.value.toLocaleString('en')} ${f.unit}`,
      f.goal,
      f.holds === null ? '—' : f.holds ? 'holds' : 'short',
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, col) => (col === 1 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export const ms = (value: number) => `${value.toLocaleString('en', { maximumFractionDigits: 2 })} ms`;
