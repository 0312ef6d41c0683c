/** Simulated time: integer milliseconds since the Unix epoch. */
export type TimeMs = number;

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * ISO-8601 text of a simulated time (`2026-05-08T09:46:00.000Z`), computed arithmetically so
 * that the kernel never constructs a Date (days-from-civil, after Howard Hinnant).
 */
export function isoOf(t: TimeMs): string {
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  const hh = Math.floor(rest / HOUR_MS);
  rest -= hh * HOUR_MS;
  const mm = Math.floor(rest / MINUTE_MS);
  rest -= mm * MINUTE_MS;
  const ss = Math.floor(rest / SECOND_MS);
  const ms = rest - ss * SECOND_MS;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(ms, 3)}Z`;
}

/** `HH:MM:SS` of a simulated time, UTC: for narration. */
export function clockOf(t: TimeMs): string {
  return isoOf(t).slice(11, 19);
}

/** A short human duration: `850ms`, `12s`, `2m28s`, `1h05m`. */
export function formatDuration(ms: number): string {
  // Compared after rounding, so 999.6 ms is `1s`, never `1000ms`.
  if (Math.round(ms) < SECOND_MS) return `${Math.round(ms)}ms`;
  if (ms < MINUTE_MS) {
    const tenths = Math.round(ms / 100);
    if (tenths < 600) return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}s`;
  }
  // Round to whole seconds (or minutes) first, then split, so 119.6 s is 2m, never 1m60s.
  if (ms < HOUR_MS - 500) {
    const total = Math.round(ms / SECOND_MS);
    const m = Math.floor(total / 60);
    const s = total - m * 60;
    return s === 0 ? `${m}m` : `${m}m${pad(s, 2)}s`;
  }
  const totalMinutes = Math.round(ms / MINUTE_MS);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes - h * 60;
  return m === 0 ? `${h}h` : `${h}h${pad(m, 2)}m`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
