import type { Verdict } from "../checks/types.js";
import type { LaneState, LaneStatesByRank, WorkerLane } from "../checks/worker-lanes.js";
import { DAY_CLOCK, formatDuration, MINUTE_MS, plural, type RunClock, runClock } from "../kernel/time.js";
import {
  CASCADE_NOT_JUDGED,
  cascadeNotJudged,
  clockOfRuns,
  detailBesideNote,
  NOT_JUDGED,
  stoppedEarlyText,
  windowOfRuns,
} from "./judged.js";
import { flapsText, keyEventsExcerpt, moreText } from "./key-events.js";
import type { Paint } from "./paint.js";
import type { RunReport } from "./run-report.js";

/** Options for the terminal rendering of one run. */
export interface TerminalConstraints {
  /** Columns for the worker lanes. */
  readonly laneWidth?: number;
  /** Key events shown at most. */
  readonly timelineMax?: number;
  /**
   * The terminal's width in columns, when known (a terminal, not a pipe): the lanes take fewer
   * cells to fit it (`laneWidthFor`), unless `laneWidth` says how many, and their legend breaks.
   */
  readonly columns?: number;
}

/** Cells a lane takes where the terminal's width is not known (piped), and at most where it is. */
export const LANE_WIDTH = 60;
/** What `deliveries.unowed` counts, in the deliveries line: fires delivered that `due` leaves out. */
const UNOWED_WORDS = "owed to nobody (due while their account was deleted or their schedule stopped)";
/** The fewest cells a lane shows on a narrow terminal. */
const LANE_WIDTH_MIN = 12;
/** What a lane's row takes besides its cells and crash count: indent, worker id, spaces. */
const LANE_ROW_FIXED = 2 + 4 + 1 + 1;
/** The crash count a lane's row makes room for at the least (`56 crashes`). */
const CRASHES_MIN = "56 crashes".length;
/** Where a lane's cells start: its indent, the worker's id, a space (`renderLanes`). */
const LANE_CELLS_AT = 2 + 4 + 1;

/**
 * The cells a lane takes on a terminal `columns` wide (undefined: not known, `LANE_WIDTH`), room
 * left for the widest crash count of `lanes` (`128 crashes`), so no row wraps its count.
 */
export function laneWidthFor(columns: number | undefined, lanes: readonly WorkerLane[] = []): number {
  const counts = Math.max(CRASHES_MIN, ...lanes.map((l) => crashCount(l).length));
  return columns === undefined
    ? LANE_WIDTH
    : Math.max(LANE_WIDTH_MIN, Math.min(LANE_WIDTH, columns - LANE_ROW_FIXED - counts));
}

/** A lane's crash count as its row ends (`3 crashes`; empty for none). */
function crashCount(lane: WorkerLane): string {
  // Every crash, not only those marked (a long crash loop has more than the marks' cap).
  const crashes = lane.crashes ?? lane.marks.length;
  return crashes > 0 ? plural(crashes, "crash", "crashes") : "";
}

/** The run as a person reads it in a terminal: header, key events, worker lanes, metrics, verdicts. */
export function renderRun(report: RunReport, paint: Paint, c: TerminalConstraints = {}): string {
  return [
    renderHeader(report, paint),
    renderTimeline(report, paint, c.timelineMax ?? 40),
    renderLanes(
      report.lanes,
      startOf(report),
      endOf(report),
      paint,
      c.laneWidth ?? laneWidthFor(c.columns, report.lanes),
      c.columns,
    ),
    renderMetrics(report, paint),
    renderVerdicts(report.verdicts, paint, report.run.judged),
  ].join("\n\n");
}

export function variantLabel(report: RunReport): string {
  const v = report.variant;
  const fixes = v.fixes.length === 0 ? "no fixes" : v.fixes.join(" + ");
  return v.name ? `${v.name} (${v.scheduler}, ${fixes})` : `${v.scheduler}, ${fixes}`;
}

export function renderHeader(report: RunReport, paint: Paint): string {
  return header([report], `variant ${paint.bold(variantLabel(report))}`, paint);
}

/**
 * The header of variants run on one world: the window they cover (to the latest end: a variant
 * that stopped early ends before the others), and a `stopped early` line for each variant that
 * did, named, whichever it is.
 */
export function renderComparisonHeader(reports: readonly RunReport[], paint: Paint): string {
  return header(reports, `${reports.length} variants, same world`, paint);
}

/**
 * The world (the first report's), the window of all the reports, and each one's trace and early
 * stop: one variant's on the window's line, several variants' on a line each, by name.
 */
function header(reports: readonly RunReport[], what: string, paint: Paint): string {
  const report = reports[0];
  const trace = (r: RunReport) => `${r.events} trace events · trace ${r.traceHash}`;
  const workers = plural(report.run.workers, "worker");
  const window = `  ${windowOfRuns(reports)} UTC · ${workers} · SLO ${formatDuration(report.run.sloMs)}`;
  const lines = [`${paint.bold(`aftershock · ${report.scenario}`)} · seed ${report.seed} · ${what}`];
  if (reports.length === 1) {
    lines.push(paint.dim(`${window} · ${trace(report)}`));
    const stopped = stoppedEarlyText(report);
    if (stopped !== null) lines.push(paint.yellow(`  ${stopped}`));
  } else {
    lines.push(paint.dim(window));
    const names = reports.map((r) => r.variant.name ?? variantLabel(r));
    const width = Math.max(...names.map((n) => n.length));
    reports.forEach((r, i) => {
      lines.push(paint.dim(`  ${`${names[i]}:`.padEnd(width + 1)} ${trace(r)}`));
      const stopped = stoppedEarlyText(r);
      if (stopped !== null) lines.push(paint.yellow(`  ${names[i]}: ${stopped}`));
    });
  }
  if (report.assumptions.length > 0) {
    lines.push(`  ${paint.yellow("Assumptions (ours, not public facts):")}`);
    for (const a of report.assumptions) lines.push(paint.dim(`    - ${a}`));
  }
  return lines.join("\n");
}

const TYPE_COLOUR: Record<string, keyof Paint> = {
  "worker.crashed": "red",
  // A key event only when a frozen worker was killed: a death, as a crash is.
  "worker.stopped": "red",
  "account.deleted": "magenta",
  "alert.fired": "yellow",
  "alert.resolved": "green",
  "deploy.started": "cyan",
  "deploy.finished": "cyan",
  "lease.acquired": "blue",
  "task.quarantined": "green",
  "panic.recovered": "green",
  recovered: "green",
};

/** The key events, at most `max`; times written by `clock` (the run's own by default). */
export function renderTimeline(
  report: RunReport,
  paint: Paint,
  max: number,
  clock: RunClock = clockOfRuns([report]),
): string {
  const lines = [paint.bold("Key events")];
  const entries = report.timeline;
  for (const line of keyEventsExcerpt(entries, max, Math.min(5, Math.max(0, max - 1)))) {
    if ("more" in line) {
      lines.push(paint.dim(`  … ${moreText(line)}`));
      continue;
    }
    if ("flaps" in line) {
      const f = line.flaps;
      const colour = paint[TYPE_COLOUR[f.last.type] ?? "dim"] as (s: string) => string;
      lines.push(`  ${paint.dim(clock.clock(Date.parse(f.first.t)))}  ${colour(flapsText(f, clock))}`);
      continue;
    }
    const e = line.entry;
    const colour = paint[TYPE_COLOUR[e.type] ?? "dim"] as (s: string) => string;
    lines.push(`  ${paint.dim(clock.clock(Date.parse(e.t)))}  ${colour(e.text)}`);
  }
  if (entries.length === 0) lines.push(paint.dim("  (nothing notable)"));
  return lines.join("\n");
}

const LANE_GLYPH: Record<LaneState, string> = {
  serving: "█",
  starting: "▒",
  backoff: "░",
  paused: "▓",
  stopped: " ",
};

/**
 * One row per worker: what it was doing over the run, crashes marked with ×. The heading has a
 * line of its own (a caller may replace it: compare names the variant there), the time axis the
 * next, its start over the first cell. Given the width of the terminal (`columns`), the legend
 * breaks onto as many lines as it needs to fit in it.
 */
export function renderLanes(
  lanes: readonly WorkerLane[],
  startMs: number,
  endMs: number,
  paint: Paint,
  width: number,
  columns?: number,
): string {
  const span = Math.max(1, endMs - startMs);
  const colour: Record<LaneState, (s: string) => string> = {
    serving: paint.green,
    starting: paint.yellow,
    backoff: paint.red,
    paused: paint.blue,
    stopped: paint.dim,
  };
  const name = (id: string) => id.padEnd(4);
  const axis = runClock(startMs, endMs);
  // To the second for a span under a minute, as the window is: `09:30 … 09:30` would say nothing.
  const axisTime = endMs - startMs < MINUTE_MS ? axis.clock : axis.minute;
  const axisStart = axisTime(startMs);
  const axisEnd = axisTime(endMs);
  // "Workers" is as wide as the cells' indent: the axis under it, over the cells.
  const lines = [
    paint.bold("Workers"),
    `${" ".repeat(LANE_CELLS_AT)}${paint.dim(`${axisStart}${" ".repeat(Math.max(1, width - axisStart.length - axisEnd.length))}${axisEnd}`)}`,
  ];
  for (const lane of lanes) {
    const cells: LaneState[] = new Array(width).fill("stopped");
    for (const seg of lane.segments) {
      const from = Math.max(0, Math.floor(((seg.from - startMs) / span) * width));
      const to = Math.min(width, Math.ceil(((seg.to - startMs) / span) * width));
      for (let i = from; i < to; i++) {
        // A cell shows the worst state that touched it, so short crashes stay visible.
        if (rank(seg.state) >= rank(cells[i]) || cells[i] === "stopped") cells[i] = seg.state;
      }
    }
    const crashAt = new Set(
      lane.marks.map((m) => Math.min(width - 1, Math.floor(((m.t - startMs) / span) * width))),
    );
    let row = "";
    for (let i = 0; i < width; i++)
      row += crashAt.has(i) ? paint.red("×") : colour[cells[i]](LANE_GLYPH[cells[i]]);
    const crashes = crashCount(lane);
    // No count, no space after the row: a line never ends in a blank.
    lines.push(`  ${name(lane.worker)} ${row}${crashes !== "" ? ` ${paint.red(crashes)}` : ""}`);
  }
  const legend: [string, string][] = [
    [paint.green("█"), "serving"],
    [paint.yellow("▒"), "starting"],
    [paint.red("░"), "back-off"],
    [paint.blue("▓"), "paused"],
    [paint.red("×"), "crash"],
  ];
  // Glyphs take one column each: an item's width is its label's and two.
  const indent = " ".repeat(LANE_CELLS_AT);
  const rows: string[] = [];
  let row = "";
  let used = 0;
  for (const [glyph, label] of legend) {
    const item = `${glyph} ${label}`;
    const itemWidth = label.length + 2;
    if (row !== "" && columns !== undefined && used + 2 + itemWidth > columns) {
      rows.push(row);
      row = "";
    }
    if (row === "") {
      row = `${indent}${item}`;
      used = indent.length + itemWidth;
    } else {
      row = `${row}  ${item}`;
      used += 2 + itemWidth;
    }
  }
  rows.push(row);
  for (const r of rows) lines.push(paint.dim(r));
  return lines.join("\n");
}

/**
 * The lane states from the least to the most to see, as the lane recorder ranks them: a renderer
 * imports only types, so this is a copy its type holds to the recorder's order.
 */
const LANE_STATES_RANKED: LaneStatesByRank = ["stopped", "serving", "paused", "starting", "backoff"];

/** How bad a state is to see. */
function rank(state: LaneState): number {
  return LANE_STATES_RANKED.indexOf(state);
}

export function renderMetrics(report: RunReport, paint: Paint): string {
  const m = report.metrics;
  const d = m.deliveries;
  const clock = clockOfRuns([report]);
  const t = (iso: string | null) => (iso === null ? paint.dim("never") : clock.clock(Date.parse(iso)));
  const rows: [string, string][] = [
    [
      "cascade",
      m.cascade
        ? paint.red(`yes, depth ${m.cascadeDepth} (${m.cascadeWorkers.join(" → ")})`)
        : cascadeNotJudged(report)
          ? paint.yellow(CASCADE_NOT_JUDGED)
          : paint.green("no"),
    ],
    ["panic deaths / crashes", `${m.panicDeaths} / ${m.crashes}`],
    ["panics recovered / quarantined", `${m.panicsRecovered} / ${m.tasksQuarantined}`],
    [
      "deliveries",
      `${d.due} due: ${paint.green(`${d.onTime} on time`)}${(d.early ?? 0) > 0 ? ` (${paint.yellow(`${d.early} early`)}: delivered before they were due)` : ""}, ${d.late > 0 ? paint.yellow(`${d.late} late`) : "0 late"}, ${d.missed > 0 ? paint.red(`${d.missed} missed`) : "0 missed"}${(d.deadLettered ?? 0) > 0 ? ` (${d.deadLettered} dead-lettered: every attempt failed at the destination, answered with an error or not in time)` : ""}, ${d.duplicate} duplicate${(d.unowed ?? 0) > 0 ? `, ${d.unowed} ${UNOWED_WORDS}` : ""}, ${d.afterDeletion} after deletion`,
    ],
    ["affected accounts", String(m.affectedAccounts)],
    ["first alert", t(m.alertAt)],
    ["recovered", recoveredText(m, paint, clock)],
    ["workers min up / full outage", `${m.workersMinUp} / ${formatDuration(m.fullOutageMs)}`],
    ["deleted schedules left", String(m.deletedSchedulesLeft)],
    ["worst p99 lag", formatDuration(m.lagP99MsMax)],
  ];
  const faults = faultsRow(report.faults, paint);
  if (faults !== null) rows.push(["faults", faults]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return [paint.bold("Metrics"), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n");
}

/**
 * "5 planned: 4 fired, 1 skipped": a fault that found nothing to act on (a kill of a worker in
 * back-off) is not left for the reader to notice missing, nor one that never fired by the end
 * (due after it, as with `--until`, or an armed panic or hang whose task never came):
 * "1 planned: 0 fired, 0 skipped, 1 not fired by the end". Null for a run without faults. From a
 * trace, which does not say what was planned: "1 fired, 0 skipped (how many were planned ...)",
 * with the faults armed that neither fired nor were skipped by the end (panics and hangs whose task
 * never came, HTTP faults whose window was still open), which it does say ("2 armed, not fired by the end").
 * Without `noted`, a skip's parenthesis is left to the caller (a table cell too narrow for it).
 */
export function faultsRow(faults: RunReport["faults"], paint: Paint, noted = true): string | null {
  const tally = faultTally(faults);
  if (tally === null) return null;
  const { planned, fired, skipped, unfired } = tally;
  const skippedText = skipped > 0 ? paint.yellow(`${skipped} skipped`) : "0 skipped";
  const note = skipped > 0 && noted ? " (nothing to act on: see key events)" : "";
  // A report read back from a trace: what fired and what was skipped is in it, what was planned
  // is in the scenario, not the trace.
  if (planned === null) {
    // The trace says which faults were armed: those still armed at the end are known.
    const armedText = unfired > 0 ? `, ${paint.yellow(`${unfired} armed, not fired by the end`)}` : "";
    return `${fired} fired, ${skippedText}${armedText}${note} (how many were planned is not in the trace)`;
  }
  const unfiredText = unfired > 0 ? `, ${paint.yellow(`${unfired} not fired by the end`)}` : "";
  return `${planned} planned: ${fired} fired, ${skippedText}${unfiredText}${note}`;
}

/** What a run's faults did, as `faultsRow` says it. */
export interface FaultTally {
  /** Faults planned, or null when not known (a report read back from a trace). */
  readonly planned: number | null;
  readonly fired: number;
  readonly skipped: number;
  /**
   * Planned faults neither fired nor skipped by the end; when what was planned is not known (a
   * report rebuilt from a trace), the armed faults (panics, hangs, HTTP faults) still armed at the end.
   */
  readonly unfired: number;
}

/** The counts behind `faultsRow`; null for a run without faults. */
export function faultTally(faults: RunReport["faults"]): FaultTally | null {
  const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, n) => a + n, 0);
  const skipped = sum(faults.skipped);
  const planned = faults.planned;
  // The faults that acted, each once (`fired` counts acts: an armed panic may throw many). A
  // report saved before `firedFaults` was kept has the acts alone.
  const acted = faults.firedFaults ?? faults.fired;
  if (planned === undefined) {
    const fired = sum(acted);
    const unfired = sum(faults.armed ?? {});
    return fired === 0 && skipped === 0 && unfired === 0 ? null : { planned: null, fired, skipped, unfired };
  }
  const total = sum(planned);
  if (total === 0) return null;
  // A kind's planned faults that fired are at most those not skipped.
  const fired = Object.entries(planned).reduce(
    (n, [kind, count]) => n + Math.min(acted[kind] ?? 0, Math.max(0, count - (faults.skipped[kind] ?? 0))),
    0,
  );
  return { planned: total, fired, skipped, unfired: total - fired - skipped };
}

/**
 * The verdicts, one a line. Those of a run that stopped early (`judged` false) are marked
 * `(not judged)`: they say what held up to the stop, not whether the scenario holds.
 */
export function renderVerdicts(verdicts: readonly Verdict[], paint: Paint, judged = true): string {
  const lines = [
    judged
      ? paint.bold("Properties")
      : `${paint.bold("Properties")} ${paint.yellow(`${NOT_JUDGED}: the run stopped early, these cover only the time it ran`)}`,
  ];
  for (const v of verdicts) {
    const glyph = v.ok ? "✓" : "✗";
    const mark = !judged ? paint.yellow(glyph) : v.ok ? paint.green(glyph) : paint.red(glyph);
    const unexercised = judged && v.exercised === false;
    const note = !judged
      ? paint.yellow(` (${NOT_JUDGED})`)
      : unexercised
        ? paint.dim(" (not exercised)")
        : "";
    const detail = detailBesideNote(v, unexercised);
    lines.push(`  ${mark} ${v.property.padEnd(31)}${note} ${paint.dim(detail)}`);
  }
  return lines.join("\n");
}

function startOf(report: RunReport): number {
  return Date.parse(report.run.start);
}

function endOf(report: RunReport): number {
  return Date.parse(report.run.end);
}

/**
 * When the run recovered: the time, `never` when a fix deploy came and the lag did not come back
 * for good, or `no deploy brought a fix` when none came (a fleet with the fixes from the start has
 * nothing to recover from, and its deploy of them finishes all the same: so not `no fix deploy`,
 * read as no deploy at all beside a `deploy … finished`; a report from before `fixDeployAt`
 * existed says `never`).
 */
export function recoveredText(
  m: { readonly recoveredAt: string | null; readonly fixDeployAt?: string | null },
  paint: Paint,
  clock: RunClock = DAY_CLOCK,
): string {
  if (m.recoveredAt !== null) return clock.clock(Date.parse(m.recoveredAt));
  return paint.dim(m.fixDeployAt === null ? "no deploy brought a fix" : "never");
}
