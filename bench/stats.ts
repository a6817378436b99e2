// Small numeric helpers for reporting.

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A number rounded to `digits` decimals (for a readable JSON document). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `a / b`, rounded to two decimals. */
export function ratio(a: number, b: number): number {
  return round(a / b, 2);
}

/** The run of median wall time, with every run's wall time beside it. */
export function medianRun<T extends { wallMs: number }>(runs: T[]): T & { wallMsSamples: number[] } {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], wallMsSamples: runs.map((run) => run.wallMs) };
}
