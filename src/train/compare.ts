import { HOUR_MS, type RunClock } from "../kernel/index.js";
import type { Paint } from "../report/paint.js";
import { laneWidthFor, renderLanes } from "../report/terminal.js";
import { asShown, fitLine, formatDuration, signedDuration, table, visible } from "./format.js";
import type { Line } from "./live.js";
import type { Projection } from "./projection.js";
import { termNotes, wrapNote } from "./terms.js";

/** A line with its projection to the horizon. */
export interface ProjectedLine {
  readonly line: Line;
  readonly projection: Projection;
}

/** `deploy fixed at 09:45:05, then scale 8 at 09:50:00`; `the scenario as it happened` for the original. */
export function describeLine(line: Line, clock: RunClock): string {
  if (line.interventions.length === 0) return "the scenario as it happened";
  return line.interventions.map((i) => `${i.text} at ${clock.precise(i.atMs)}`).join(", then ");
}

/** One fork's own step, after its parent: `fork-4, then quarantine s-2 at 09:46:00`. */
export function describeStep(line: Line, clock: RunClock): string {
  const n = line.interventions.length;
  if (n <= 1 || line.parent === null) return describeLine(line, clock);
  const last = line.interventions[n - 1];
  return `${line.parent}, then ${last.text} at ${clock.precise(last.atMs)}`;
}

/**
 * What "all clear" means, said wherever it is shown: it is the session's measure, not the
 * report's `recoveredAt` (which `compare` also shows, as `run --json` gives it).
 */
const ALL_CLEAR_DEFINITION =
  "All clear: the start of the final stretch with p99 lag within the SLO, no crash for a minute and no alert; time to all clear runs from the original's first crash, bad sample or alert, on every line (a line all clear before then, its incident over before the original's began, from its own first sign)";
const ALL_CLEAR_NOTE = `${ALL_CLEAR_DEFINITION} (not the run's recoveredAt, which waits for the last deploy: compare shows both).`;
const RECOVERED_NOTE = `${ALL_CLEAR_DEFINITION}. Recovered: the run's recoveredAt, as \`run --json\` gives it: p99 lag within the SLO for good after the last deploy finished; on a fork the scenario's own deploys still count, so it can come long after all clear.`;

/** Two lines side by side, to the horizon: when the cascade ended, all clear, deliveries, lanes. */
export function renderCompare(
  base: ProjectedLine,
  other: ProjectedLine,
  startMs: number,
  paint: Paint,
  clock: RunClock,
  columns?: number,
  revealed = false,
): string {
  const a = base.projection;
  const b = other.projection;
  const header = fitLine(
    paint.bold(
      `${base.line.name} vs ${other.line.name}, both run to the end (${clock.clock(Math.max(a.endMs, b.endMs))})`,
    ),
    columns,
  );
  const intro = [base, other]
    .filter((p) => p.line.interventions.length > 0)
    .map((p) => fitLine(`  ${p.line.name}: ${describeLine(p.line, clock)}`, columns));
  const rows: string[][] = [
    ["", base.line.name, other.line.name, ""],
    [
      "panic deaths",
      String(a.metrics.panicDeaths),
      String(b.metrics.panicDeaths),
      fewer(a.metrics.panicDeaths, b.metrics.panicDeaths, paint),
    ],
    ["cascade", cascadeText(a), cascadeText(b), ""],
    [
      "cascade ends",
      timeOr(a.lastPanicDeathMs, "no panic", clock),
      timeOr(b.lastPanicDeathMs, "no panic", clock),
      sooner(a.lastPanicDeathMs, b.lastPanicDeathMs, paint, "no panic at all"),
    ],
    ["first alert", isoClock(a.metrics.alertAt, clock), isoClock(b.metrics.alertAt, clock), ""],
    [
      "all clear",
      allClearText(a, clock),
      allClearText(b, clock),
      sooner(a.allClearAtMs, b.allClearAtMs, paint, b.incidentStartMs === null ? "no incident at all" : ""),
    ],
    ["time to all clear", ttacText(a), ttacText(b), ""],
    [
      "recovered",
      timeOr(a.recoveredAtMs, "not by the end", clock),
      timeOr(b.recoveredAtMs, "not by the end", clock),
      "",
    ],
    [
      "late deliveries",
      String(a.metrics.deliveries.late),
      String(b.metrics.deliveries.late),
      fewer(a.metrics.deliveries.late, b.metrics.deliveries.late, paint),
    ],
    [
      "missed deliveries",
      String(a.metrics.deliveries.missed),
      String(b.metrics.deliveries.missed),
      fewer(a.metrics.deliveries.missed, b.metrics.deliveries.missed, paint),
    ],
    [
      "duplicates",
      String(a.metrics.deliveries.duplicate),
      String(b.metrics.deliveries.duplicate),
      fewer(a.metrics.deliveries.duplicate, b.metrics.deliveries.duplicate, paint),
    ],
    [
      "affected accounts",
      String(a.metrics.affectedAccounts),
      String(b.metrics.affectedAccounts),
      fewer(a.metrics.affectedAccounts, b.metrics.affectedAccounts, paint),
    ],
    ["full outage", formatDuration(a.metrics.fullOutageMs), formatDuration(b.metrics.fullOutageMs), ""],
  ];
  // At a known width, fewer cells a lane (a row is the lane and its crash count); the line's
  // name beside the heading, the time axis on a line of its own under it.
  const laneWidth = laneWidthFor(
    columns,
    [base, other].flatMap((p) => p.projection.lanes),
  );
  const lanes = [base, other].map((p) =>
    renderLanes(p.projection.lanes, startMs, p.projection.endMs, paint, laneWidth, columns).replace(
      /^(\S*Workers\S*)/,
      (head) => fitLine(`${head} on ${p.line.name}`, columns),
    ),
  );
  const notes = [a, b]
    .filter((p) => p.stopReason !== "horizon")
    .map((p) => paint.yellow(`  ${p.line} stopped early (${p.stopReason}): its numbers cover less time`));
  return [
    header,
    ...intro,
    table(rows, "  ", "  ", columns),
    ...notes.map((n) => fitLine(n, columns)),
    paint.dim(wrapNote(RECOVERED_NOTE, columns)),
    ...termNotes(
      ["cascade", "cascadeEnds", "duplicates", "affectedAccounts", "fullOutage"],
      paint,
      columns,
      revealed,
    ),
    "",
    ...lanes,
  ].join("\n");
}

/**
 * How to make a first fork from where the session is: at the end of the run a what-if is refused,
 * so the way there goes through `rewind`.
 */
export function noForkYet(runOver: boolean): string {
  return runOver
    ? "the run is over, so rewind <time>, then what-if deploy fixed (or rollback, scale, quarantine ...) forks it there"
    : "what-if deploy fixed (or rollback, scale, quarantine ...) forks the run here";
}

/**
 * Every fork against the original: time to all clear, late and missed deliveries, and the best of
 * them. Missed deliveries count beside late ones: a world that delivers nothing has none late.
 */
export function renderScore(
  original: ProjectedLine,
  forks: readonly ProjectedLine[],
  paint: Paint,
  clock: RunClock,
  columns?: number,
  runOver = false,
): string {
  const o = original.projection;
  const lines = [
    fitLine(
      paint.bold(`Score: your what-ifs against the original, run to the end (${clock.clock(o.endMs)})`),
      columns,
    ),
  ];
  if (forks.length === 0) {
    lines.push(fitLine(paint.dim(`  No what-if yet: ${noForkYet(runOver)}.`), columns));
  }
  const rows: string[][] = [
    [
      "line",
      "what-if",
      "all clear",
      "time to all clear",
      "late deliveries",
      "missed deliveries",
      "duplicates",
      "panic deaths",
    ],
  ];
  const d = (p: Projection) => p.metrics.deliveries;
  rows.push([
    original.line.name,
    "-",
    allClearText(o, clock),
    ttacText(o),
    String(d(o).late),
    String(d(o).missed),
    String(d(o).duplicate),
    String(o.metrics.panicDeaths),
  ]);
  const withDelta = (n: number, base: number) => `${n} (${signed(n - base)})`;
  for (const f of forks) {
    const p = f.projection;
    rows.push([
      f.line.name,
      describeStep(f.line, clock),
      allClearText(p, clock),
      `${ttacText(p)}${deltaMs(o.timeToAllClearMs, p.timeToAllClearMs)}`,
      withDelta(d(p).late, d(o).late),
      withDelta(d(p).missed, d(o).missed),
      withDelta(d(p).duplicate, d(o).duplicate),
      withDelta(p.metrics.panicDeaths, o.metrics.panicDeaths),
    ]);
  }
  const wide = table(rows);
  lines.push(
    columns === undefined || wide.split("\n").every((l) => visible(l) <= columns)
      ? wide
      : scoreRecords(rows, columns),
  );
  const best = bestFork(o, forks);
  if (best !== null) {
    lines.push(
      fitLine(
        `  Best: ${paint.bold(best.line.name)} (${describeStep(best.line, clock)}): ${whyBest(o, best.projection, clock)}.${hindsight(best.line, o, clock)}`,
        columns,
      ),
    );
  } else if (forks.length > 0) {
    lines.push(fitLine(paint.yellow("  None of your what-ifs beat the original timeline."), columns));
  }
  // An hour or more is written to the minute (`formatDuration`): said, so a tie is not taken as exact.
  const rounded = [o, ...forks.map((f) => f.projection)].some(
    (p) => p.incidentStartMs !== null && p.timeToAllClearMs !== null && p.timeToAllClearMs >= HOUR_MS - 500,
  );
  const roundedNote = rounded ? ` ${ROUNDED_NOTE}` : "";
  lines.push(paint.dim(wrapNote(`${ALL_CLEAR_NOTE} ${BEST_NOTE}${roundedNote}`, columns)));
  lines.push(...termNotes(["duplicates"], paint, columns));
  return lines.join("\n");
}

const ROUNDED_NOTE =
  "A time to all clear of an hour or more is rounded to the minute; Best compares the exact times.";

/**
 * The score's rows on a terminal too narrow for its table: a block a line, its name and what-if
 * first, then each figure under the column's title (`all clear: 09:47:30`).
 */
function scoreRecords(rows: readonly (readonly string[])[], columns: number): string {
  const [titles, ...lines] = rows;
  return lines
    .flatMap((row) => [
      fitLine(row[1] === "-" ? `  ${row[0]}` : `  ${row[0]}: ${row[1]}`, columns),
      ...row.slice(2).map((cell, i) => fitLine(`      ${titles[i + 2]}: ${cell}`, columns)),
    ])
    .join("\n");
}

const BEST_NOTE = "Best: the soonest all clear, then the fewest late and missed deliveries together.";

/**
 * What a best what-if made before the original's first sign of trouble (its first crash, bad
 * sample or alert) owes to hindsight: the trainee knew what was coming, the on-call engineer
 * did not. Said, not ranked apart: a facilitator may want exactly that lesson.
 */
function hindsight(line: Line, o: Projection, clock: RunClock): string {
  const sign = o.incidentStartMs;
  // The what-if this line adds is its last: the one its score is for (an earlier one is its
  // parent's, scored on its own line).
  const own = line.interventions[line.interventions.length - 1];
  if (sign === null || own === undefined) return "";
  const madeAt = own.atMs;
  if (madeAt >= sign) return "";
  return ` Made at ${clock.precise(madeAt)}, before the first sign of trouble (${clock.precise(sign)}): hindsight the on-call engineer did not have.`;
}

/** Late and missed: every delivery that did not arrive within the SLO. */
function notOnTime(p: Projection): number {
  return p.metrics.deliveries.late + p.metrics.deliveries.missed;
}

/**
 * Why the best fork beats the original, in the order it was chosen by: what it gained first, then
 * what it cost (`though ...`). It gains something, or it would not be best.
 */
function whyBest(o: Projection, p: Projection, clock: RunClock): string {
  const gains: string[] = [];
  const costs: string[] = [];
  const gained = allClearGain(o, p);
  if (p.incidentStartMs === null) gains.push("no incident at all");
  else if (o.allClearAtMs === null && p.allClearAtMs !== null)
    gains.push(`all clear at ${clock.clock(p.allClearAtMs)} (the original: not by the end)`);
  else if (gained !== null && gained > 0) gains.push(`all clear ${formatDuration(gained)} sooner`);
  const deliveries = notOnTime(o) - notOnTime(p);
  if (deliveries > 0) gains.push(`${deliveries} fewer late or missed deliveries`);
  if (deliveries < 0) costs.push(`${-deliveries} more late or missed deliveries`);
  return `${gains.join(", ")}${costs.length === 0 ? "" : `, though with ${costs.join(" and ")}`}`;
}

/** The fork that is all clear soonest, then with fewest late and missed deliveries; null when none beats the original. */
function bestFork(o: Projection, forks: readonly ProjectedLine[]): ProjectedLine | null {
  let best: ProjectedLine | null = null;
  let bestKey: [number, number] = [rankAllClear(o), notOnTime(o)];
  for (const f of forks) {
    const key: [number, number] = [rankAllClear(f.projection), notOnTime(f.projection)];
    if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = f;
      bestKey = key;
    }
  }
  return best;
}

/**
 * The moment of the all clear, not the time to it: a what-if before the first crash can move the
 * incident's start, and a later start would otherwise pass for a sooner end. No incident ranks
 * best; no all clear ranks worst.
 */
function rankAllClear(p: Projection): number {
  if (p.incidentStartMs === null) return Number.MIN_SAFE_INTEGER;
  return p.allClearAtMs ?? Number.MAX_SAFE_INTEGER;
}

/** How much sooner `p` was all clear than `o` (negative: later); null when either never was. */
function allClearGain(o: Projection, p: Projection): number | null {
  if (o.allClearAtMs === null || o.timeToAllClearMs === null) return null;
  if (p.incidentStartMs === null) return o.timeToAllClearMs;
  return p.allClearAtMs === null ? null : o.allClearAtMs - p.allClearAtMs;
}

function cascadeText(p: Projection): string {
  return p.metrics.cascade ? `depth ${p.metrics.cascadeDepth}` : "none";
}

function allClearText(p: Projection, clock: RunClock): string {
  if (p.incidentStartMs === null) return "no incident";
  return p.allClearAtMs === null ? "not by the end" : clock.clock(p.allClearAtMs);
}

function ttacText(p: Projection): string {
  if (p.incidentStartMs === null) return "no incident";
  return p.timeToAllClearMs === null ? "not by the end" : formatDuration(p.timeToAllClearMs);
}

/** A note under a table: today's width, or the terminal's when narrower. */
function timeOr(t: number | null, none: string, clock: RunClock): string {
  return t === null ? none : clock.clock(t);
}

function isoClock(iso: string | null, clock: RunClock): string {
  return iso === null ? "never" : clock.clock(Date.parse(iso));
}

/** `12m04s earlier` when `b` is before `a`; `whenBNull` when only `b` never happens. */
function sooner(a: number | null, b: number | null, paint: Paint, whenBNull: string): string {
  if (a !== null && b === null) return whenBNull === "" ? "" : paint.green(whenBNull);
  if (a === null || b === null || a === b) return "";
  return b < a
    ? paint.green(`${formatDuration(a - b)} earlier`)
    : paint.red(`${formatDuration(b - a)} later`);
}

function fewer(a: number, b: number, paint: Paint): string {
  if (a === b) return "";
  return b < a ? paint.green(`${a - b} fewer`) : paint.red(`${b - a} more`);
}

/** `b` against `a` as the two read: rounded as each is shown, so `22m30s` and `22m30s` are `±0s`. */
function deltaMs(a: number | null, b: number | null): string {
  return a === null || b === null ? "" : ` (${signedDuration(asShown(b) - asShown(a))})`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n === 0 ? "±0" : String(n);
}
