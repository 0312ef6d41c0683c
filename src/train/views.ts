import type { RunClock } from "../kernel/index.js";
import type { Paint } from "../report/paint.js";
import {
  fitLine,
  fixesCounted,
  formatDuration,
  HANG,
  plural,
  schedulerText,
  table,
  visible,
  wrap,
} from "./format.js";
import type { LiveWorld } from "./live.js";
import { type DashboardSample, goPanicText, type LogLine } from "./observer.js";
import { leasesByWorker, poisonSchedules } from "./reveal.js";
import { sparkline } from "./sparkline.js";

/**
 * The on-call views: what an engineer paged at that moment would have on their screens. Pure
 * functions of a live world's observer and supervisor state; nothing here reads ground truth
 * unless the caller asks for the revealed version.
 */

/** Samples a dashboard row shows at most (one bar each). */
export const DASHBOARD_WIDTH = 36;

export interface ViewContext {
  readonly live: LiveWorld;
  readonly paint: Paint;
  readonly sloMs: number;
  readonly sampleIntervalMs: number;
  readonly revealed: boolean;
  /** How moments are written: dated in a run that spans more than one day. */
  readonly clock: RunClock;
  /**
   * The terminal's width when known: views then fit in it (fewer dashboard bars, log lines cut,
   * long lines and table rows broken); without one they keep their own widths.
   */
  readonly columns?: number;
}

/** Dashboard bars shown at the least when the terminal is narrow: fewer would say nothing. */
const DASHBOARD_BARS_MIN = 6;
/** What a dashboard row takes besides its bars: indent, label column and the gaps of `table`. */
const DASHBOARD_ROW_FIXED = 2 + "delivery errors".length + 2 + 2;
/**
 * The widest lag a dashboard row makes room for: `formatDuration` never writes more than six
 * characters below 100 hours (`59m59s`, `23h59m`, `99h59m`).
 */
const DASHBOARD_LAG_WIDEST = "59m59s";

/** Dashboards as sparklines over the last few minutes, with the value now. */
export function renderDashboard(v: ViewContext): string {
  const { paint } = v;
  const all = v.live.observer.samples;
  if (all.length === 0)
    return fitLine(
      paint.dim(
        `  (no dashboard sample yet: the sampler reports every ${formatDuration(v.sampleIntervalMs)})`,
      ),
      v.columns,
    );
  const fleet = v.live.world.activeSlots().length;
  const last = all[all.length - 1];
  const slo = ` (SLO ${formatDuration(v.sloMs)})`;
  const lagText = `${formatDuration(last.lagP99Ms)}${slo}`;
  // On a narrow terminal, fewer bars (the latest samples) so that a row fits beside its value.
  // The room left for the value is the widest the lag can take, not what the values take now:
  // the number of bars, and so the column the values start in, then depends on the width alone
  // and stays put from one screen to the next while the lag and backlog change. A wider value
  // than that (a backlog of more than 15 digits) goes under its row, as `table` breaks it.
  const valueWidth = visible(`${DASHBOARD_LAG_WIDEST}${slo}`);
  const bars =
    v.columns === undefined
      ? DASHBOARD_WIDTH
      : Math.max(DASHBOARD_BARS_MIN, Math.min(DASHBOARD_WIDTH, v.columns - DASHBOARD_ROW_FIXED - valueWidth));
  const samples = all.slice(-bars);
  const series = (pick: (s: DashboardSample) => number) => samples.map(pick);
  const spark = (values: number[], max: number) => sparkline(values, max, bars);
  const up = series((s) => s.workersUp);
  const looping = series((s) => s.workersCrashLooping);
  const crashes = series((s) => s.crashesLastMinute);
  const backlog = series((s) => s.dueBacklog);
  const lag = series((s) => s.lagP99Ms);
  const errors = series((s) => s.deliveryErrors);
  const rows = [
    [
      "workers up",
      spark(up, Math.max(fleet, ...up)),
      warnIf(last.workersUp < fleet, `${last.workersUp} of ${fleet}`, paint),
    ],
    [
      "crash-looping",
      spark(looping, Math.max(fleet, ...looping)),
      warnIf(last.workersCrashLooping > 0, String(last.workersCrashLooping), paint),
    ],
    [
      "crashes / min",
      spark(crashes, Math.max(1, ...crashes)),
      warnIf(last.crashesLastMinute > 0, String(last.crashesLastMinute), paint),
    ],
    ["due backlog", spark(backlog, Math.max(1, ...backlog)), String(last.dueBacklog)],
    ["lag p99", spark(lag, Math.max(v.sloMs, ...lag)), warnIf(last.lagP99Ms > v.sloMs, lagText, paint)],
    [
      "delivery errors",
      spark(errors, Math.max(1, ...errors)),
      warnIf(
        last.deliveryErrors > 0,
        `${last.deliveryErrors} / ${formatDuration(v.sampleIntervalMs)}`,
        paint,
      ),
    ],
  ];
  const span = samples.length > 1 ? last.t - samples[0].t : 0;
  return [
    fitLine(
      paint.bold(
        `Dashboards at ${v.clock.precise(v.live.now)} ${paint.dim(`(last ${formatDuration(span)}, a bar per ${formatDuration(v.sampleIntervalMs)})`)}`,
      ),
      v.columns,
    ),
    table(rows, "  ", "  ", v.columns),
  ].join("\n");
}

/**
 * `restarts 2`, or, where a deploy (or an operator's restart) set a crashed worker's count back
 * to 0, since when it counts: `restarts 0 since the deploy replaced it at 10:07:30`, so that no one reads a
 * worker that died eight times as one that never did.
 */
export function restartsText(v: ViewContext, worker: string, restarts: number): string {
  const reset = v.live.observer.countReset.get(worker);
  if (reset === undefined) return `restarts ${restarts}`;
  const at = v.clock.clock(reset.at);
  return `restarts ${restarts} since ${reset.by === "deploy" ? `the deploy replaced it at ${at}` : `its restart at ${at}`}`;
}

/** The alerts firing now, one line each. */
export function renderFiring(v: ViewContext, title = "Alerts"): string {
  const firing = [...v.live.observer.firing.values()];
  if (firing.length === 0) return `${v.paint.bold(title)}  ${v.paint.green("none firing")}`;
  return [
    v.paint.bold(title),
    ...firing.map((a) =>
      fitLine(
        `  ${v.paint.red("FIRING")} ${a.rule} since ${v.clock.clock(a.t)}: ${a.metric} = ${a.value}${a.threshold === null ? "" : ` (threshold ${a.threshold})`}`,
        v.columns,
      ),
    ),
  ].join("\n");
}

/** Every alert fired or resolved so far. */
export function renderAlertHistory(v: ViewContext): string {
  const alerts = v.live.observer.alerts;
  if (alerts.length === 0) return `${v.paint.bold("Alerts")}  ${v.paint.dim("nothing has paged yet")}`;
  const rows = alerts.map((a) => [
    v.clock.clock(a.t),
    a.kind === "fired" ? v.paint.red("FIRED") : v.paint.green("RESOLVED"),
    a.rule,
    `${a.metric} = ${a.value}${a.threshold === null ? "" : ` (threshold ${a.threshold})`}`,
  ]);
  // A page is an alert firing; its resolution is a row of the history, not another page.
  const pages = alerts.filter((a) => a.kind === "fired").length;
  const resolved = alerts.length - pages;
  const title = `Alerts (${plural(pages, "page")}${resolved > 0 ? `, ${resolved} resolved` : ""})`;
  // What is firing now, under the history, titled apart from it.
  return [
    fitLine(v.paint.bold(title), v.columns),
    table(rows, "  ", "  ", v.columns),
    renderFiring(v, "Now"),
  ].join("\n");
}

/** One line summing up the on-call view (after a `run`). */
export function renderGlance(v: ViewContext): string {
  const obs = v.live.observer;
  const last = obs.samples[obs.samples.length - 1];
  const fleet = v.live.world.activeSlots().length;
  const parts = [`${v.clock.precise(v.live.now)}`];
  if (last === undefined) parts.push("no dashboard sample yet");
  else {
    parts.push(`workers up ${last.workersUp}/${fleet}`);
    parts.push(`crash-looping ${last.workersCrashLooping}`);
    parts.push(`lag p99 ${formatDuration(last.lagP99Ms)}`);
  }
  const firing = [...obs.firing.keys()];
  parts.push(firing.length === 0 ? "no alert firing" : `FIRING ${firing.join(", ")}`);
  return fitLine(`  ${parts.join(" · ")}`, v.columns);
}

/** Each worker as the supervisor reports it; revealed, with its partition leases. */
export function renderWorkers(v: ViewContext): string {
  const { live, paint } = v;
  const now = live.now;
  const leases = v.revealed ? leasesByWorker(live) : null;
  const poisonPartitions = new Set(
    v.revealed
      ? poisonSchedules(live)
          .filter((p) => !p.quarantined && !p.removed)
          .map((p) => p.partition)
      : [],
  );
  const rows: string[][] = [];
  for (const slot of live.world.slots) {
    const exit = live.observer.lastExit.get(slot.id);
    const backoff = live.observer.backoff.get(slot.id);
    let state: string;
    let since: string;
    if (slot.state === "serving" && slot.paused) {
      state = paint.blue("paused");
      since = "not responding";
    } else if (slot.state === "serving") {
      state = paint.green("serving");
      since = `up ${formatDuration(now - (slot.readyAt ?? slot.startedAt))}`;
    } else if (slot.state === "starting") {
      state = paint.yellow("starting");
      since = `since ${v.clock.clock(slot.startedAt)}`;
    } else if (slot.state === "backoff") {
      state = paint.red("back-off");
      since = backoff
        ? `restart in ${formatDuration(Math.max(0, backoff.t + backoff.delayMs - now))}`
        : "waiting";
    } else {
      state = paint.dim(slot.state);
      since = "";
    }
    const exitText =
      exit === undefined
        ? ""
        : `last exit ${v.clock.clock(exit.t)}: ${exit.reason === "panic" ? paint.red(`panic (${exit.error === null ? "?" : goPanicText(exit.error)})`) : "killed"}`;
    // The version this worker's process runs, fixes included: a rollout shows in this column.
    const version = (v.revealed ? schedulerText : fixesCounted)(slot.scheduler.name, slot.scheduler.fixes);
    const row = [slot.id, state, since, restartsText(v, slot.id, slot.restarts), version, exitText];
    if (leases !== null) {
      const held = leases.get(slot.id)?.held ?? [];
      const text = held.map((p) => (poisonPartitions.has(p) ? paint.red(`${p}☠`) : String(p))).join(" ");
      row.splice(5, 0, `leases ${held.length}${held.length > 0 ? `: ${text}` : ""}`);
    }
    rows.push(row);
  }
  const title = v.revealed
    ? `Workers at ${v.clock.precise(now)} (supervisor view, with the lease table revealed)`
    : `Workers at ${v.clock.precise(now)} (what the supervisor reports)`;
  return [fitLine(paint.bold(title), v.columns), table(rows, "  ", "  ", v.columns)].join("\n");
}

/** Sources a `logs` filter may name besides worker ids. */
export const LOG_SOURCES = ["supervisor", "deploy", "ops"] as const;

/** The last `count` log lines, of one source (a worker's own lines and lines about it) or all. */
export function renderLogs(v: ViewContext, source: string | null, count: number): string {
  const all = v.live.observer.logs;
  const mentions = source === null ? null : new RegExp(`\\b${escapeRegExp(source)}\\b`);
  const picked: LogLine[] = [];
  for (let i = all.length - 1; i >= 0 && picked.length < count; i--) {
    const line = all[i];
    if (mentions === null || line.source === source || mentions.test(line.text)) picked.push(line);
  }
  picked.reverse();
  const title = `Logs${source === null ? "" : ` of ${source}`} (last ${plural(picked.length, "line")})`;
  if (picked.length === 0) return `${v.paint.bold(title)}\n  ${v.paint.dim("(nothing logged)")}`;
  return [fitLine(v.paint.bold(title), v.columns), ...picked.map((l) => renderLogLine(l, v))].join("\n");
}

/**
 * One log line. With no width known, or when it fits, one line: time, source, level and text.
 * Too long for the terminal, its time, source and level on a line and its text on its own
 * indented lines under them, wrapped to the width between words: never cut, because the words a
 * cut would hide (a panic's goroutine) are the clues the trainees look for.
 */
export function renderLogLine(
  l: LogLine,
  v: Pick<ViewContext, "paint" | "revealed" | "columns" | "clock">,
): string {
  const { paint } = v;
  const levelPaint = l.level === "error" ? paint.red : l.level === "warn" ? paint.yellow : paint.dim;
  const level = (width: number) => levelPaint(l.level.toUpperCase().padEnd(width));
  const time = `  ${paint.dim(v.clock.clockMs(l.t))}  ${l.source.padEnd(10)}`;
  const revealed = v.revealed && l.schedule !== undefined;
  const hidden = revealed ? paint.magenta(`  [schedule ${l.schedule}]`) : "";
  const text = v.revealed ? l.text : (l.onCallText ?? l.text);
  const line = `${time} ${level(5)} ${text}${hidden}`;
  if (v.columns === undefined || visible(line) <= v.columns) return line;
  const indent = `  ${HANG}`;
  const lines = [fitLine(`${time} ${level(0)}`, v.columns), wrap(text, v.columns, indent)];
  if (revealed) {
    const schedule = wrap(`[schedule ${l.schedule}]`, v.columns, indent).split("\n");
    lines.push(...schedule.map((part) => indent + paint.magenta(part.slice(indent.length))));
  }
  return lines.join("\n");
}

function warnIf(bad: boolean, text: string, paint: Paint): string {
  return bad ? paint.red(text) : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
