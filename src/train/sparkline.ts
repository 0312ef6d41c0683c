const BARS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline of `values` scaled to [0, max]: one bar per value, the lowest bar for zero, so a
 * flat dashboard still shows as a line. Values above `max` show as the highest bar. Given a
 * `width`, the bars start at its left and blanks fill the columns no sample has reached yet, so
 * a row's bars begin right after its label however little history there is, and what follows
 * the sparkline stays in its column from one screen to the next.
 */
export function sparkline(values: readonly number[], max: number, width = values.length): string {
  let out = "";
  for (const v of values) {
    const ratio = max > 0 ? Math.max(0, Math.min(v, max)) / max : 0;
    out += BARS[Math.round(ratio * (BARS.length - 1))];
  }
  return out.padEnd(width, " ");
}
