const BARS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline of `values` scaled to [0, max]: one bar per value, the lowest bar for zero, so a
 * flat dashboard still shows as a line. Values above `max` show as the highest bar.
 */
export function sparkline(values: readonly number[], max: number): string {
  let out = "";
  for (const v of values) {
    const ratio = max > 0 ? Math.max(0, Math.min(v, max)) / max : 0;
    out += BARS[Math.round(ratio * (BARS.length - 1))];
  }
  return out;
}
