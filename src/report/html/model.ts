/**
 * What the HTML report shows, computed from the reports before any markup: the runs with their
 * colours, the time window they share, the moments marked on every chart, and the poison tasks'
 * paths across the worker lanes. Pure data in, data out.
 */
import type { RunClock } from "../../kernel/time.js";
import type { TraceEvent } from "../../kernel/trace.js";
import type { RunReport } from "../run-report.js";

/** One expectation of the scenario judged against a run (the CLI's ExpectationResult, as shown). */
export interface HtmlExpectation {
  readonly name: string;
  readonly ok: boolean;
  /** Not judged by this run (`deterministic` takes the gate's two runs); `ok` is true. */
  readonly skipped?: boolean;
  readonly actual: string;
  readonly message: string;
}

/** One run to show, with what the report alone does not hold. */
export interface HtmlRun {
  readonly report: RunReport;
  /** The causal chain of the run's first crash, root first (`causalChain`), if known. */
  readonly chain?: readonly TraceEvent[] | null;
  readonly expectations?: readonly HtmlExpectation[];
  /**
   * For a run of a scheduler module judged by another variant's expectations: that variant (the
   * one the gate judges the module's run as, with the fixes it was given).
   */
  readonly expectationsOf?: string;
  /** The trace file the report was rebuilt from, if it was: a trace does not carry the scenario's texts. */
  readonly fromTrace?: string;
}

/** The name an expectation's row gives its run: with the variant it was judged as, if another. */
export function expectationRunName(run: HtmlRun, name: string): string {
  return run.expectationsOf === undefined ? name : `${name}, judged as ${run.expectationsOf}`;
}

/** What a report says where a run lists no assumptions (or sources): none, or not in a trace. */
export function notListedText(run: HtmlRun | undefined, what: "assumptions" | "sources"): string {
  if (run?.fromTrace !== undefined)
    return `Not known: the ${what} are in the scenario file, not in a trace (${run.fromTrace}); run the scenario with --html or --markdown to show them.`;
  return what === "assumptions"
    ? "No assumptions listed by the scenario."
    : "No sources given by the scenario.";
}

/**
 * What a report made from saved output says where it cannot show the causal chain (a RunReport
 * does not hold the trace's events) or the scenario's expectations (judged against the scenario
 * file, which neither a trace nor a RunReport saved before `--json` gave them holds), and how to get them. `flag` is the report's
 * own option (`--html`, `--markdown`), `code` the format's markup for a command-line word.
 */
export function notInSavedOutputText(
  what: "chain" | "expectations",
  flag: "--html" | "--markdown",
  code: (word: string) => string,
): string {
  const rerun = `write this report with ${code(flag)} on ${code("run")} or ${code("compare")}`;
  return what === "chain"
    ? `The causal chain needs the trace: ${rerun}, or from a ${code("--trace")} file.`
    : `Not known: the expectations are judged against the scenario file, which this saved output does not hold (a trace, or ${code("--json")} output of a version before it gave them); ${rerun} to show them.`;
}

/** Where two runs of a comparison part (the shape of explore's Divergence). */
export interface HtmlDivergence {
  /** The first run's variant, then the other's (absent in a comparison saved before they were named). */
  readonly variants?: readonly [string, string];
  readonly index: number;
  readonly t: number;
  readonly a: TraceEvent | null;
  readonly b: TraceEvent | null;
}

/**
 * Two runs that had not parted when one of them stopped early (a limit, or a halt): no
 * divergence, since the stop is no behaviour of the scheduler (where a wall-clock budget stops a
 * run depends on the machine), but which run stopped first, why, and where.
 */
export interface StoppedFirst {
  /** The first run's variant, then the other's, as a divergence names them. */
  readonly variants: readonly [string, string];
  /** The one of the two that stopped there (the first run's, when both did). */
  readonly stopped: string;
  /** Its `run.finished` reason: `wall-budget`, `max-events` or `halted`. */
  readonly reason: string;
  /** Position in the trace of its `run.finished`: the runs behaved alike before it. */
  readonly index: number;
  /** When it stopped (ms since the epoch). */
  readonly t: number;
  /**
   * Whether both runs stopped early there (the same limit at the same point, or each at its own
   * `run.finished`): neither stopped first, and they behaved alike up to where both stopped.
   * Absent in a comparison saved before it was given.
   */
  readonly both?: boolean;
}

/** Everything the HTML report is made from. */
export interface HtmlReportInput {
  /** One run, or the variants of a comparison (same world, same seed). */
  readonly runs: readonly HtmlRun[];
  /** Where the first two runs part. */
  readonly divergence?: HtmlDivergence | null;
  /** Where each run after the first parts from the first (a run not listed never does). */
  readonly divergences?: readonly HtmlDivergence[] | null;
  /** Pairs of runs one of which stopped early before they parted (then no divergence is listed for them). */
  readonly stops?: readonly StoppedFirst[] | null;
  /** The charting library, inlined into the page: uPlot's IIFE build and stylesheet. */
  readonly assets: { readonly chartJs: string; readonly chartCss: string };
  /** The command that reproduces the runs. */
  readonly reproduce?: string;
  /** `aftershock 0.1.0`. */
  readonly generator?: string;
}

export type MarkerKind = "deletion" | "panic" | "alert" | "deploy" | "deployed" | "recovered";

/** A moment marked on the charts and lanes. */
export interface Marker {
  readonly t: number;
  readonly kind: MarkerKind;
  readonly label: string;
}

/** A poison schedule's path from worker to worker: its panic deaths in time order. */
export interface PoisonPath {
  readonly run: number;
  readonly schedule: string;
  readonly colour: string;
  readonly stops: readonly { readonly worker: string; readonly t: number; readonly seq: number }[];
}

export const MARKER_COLOURS: Record<MarkerKind, string> = {
  deletion: "#8e44ad",
  panic: "#c0392b",
  alert: "#d68910",
  deploy: "#1f77b4",
  deployed: "#1f77b4",
  recovered: "#1e8449",
};

/** Variant colours: the first run (usually buggy) warm, the fixed one cool. */
const RUN_COLOURS = ["#d9480f", "#0b7285", "#7048e8", "#2b8a3e", "#c2255c", "#5c940d"];
const PATH_COLOURS = ["#e8590c", "#9c36b5", "#1971c2", "#c92a2a", "#2f9e44", "#f08c00", "#495057"];

export function runColour(index: number): string {
  return RUN_COLOURS[index % RUN_COLOURS.length];
}

/** A run's short name: its variant, else its scheduler and fixes. */
export function runName(report: RunReport): string {
  if (report.variant.name) return report.variant.name;
  const fixes = report.variant.fixes;
  return fixes.length === 0 ? report.variant.scheduler : `${report.variant.scheduler} + ${fixes.join(", ")}`;
}

/** The variant with its scheduler and fixes: `buggy (v2, no fixes)`. */
export function runLabel(report: RunReport): string {
  const v = report.variant;
  const fixes = v.fixes.length === 0 ? "no fixes" : v.fixes.join(" + ");
  return v.name ? `${v.name} (${v.scheduler}, ${fixes})` : `${v.scheduler}, ${fixes}`;
}

/** The window every chart and lane shares: the earliest start to the latest end. */
export function timeWindow(reports: readonly RunReport[]): { startMs: number; endMs: number } {
  const starts = reports.map((r) => Date.parse(r.run.start)).filter((t) => !Number.isNaN(t));
  const ends = reports.map((r) => Date.parse(r.run.end)).filter((t) => !Number.isNaN(t));
  const startMs = starts.length > 0 ? Math.min(...starts) : 0;
  const endMs = ends.length > 0 ? Math.max(...ends) : startMs + 1;
  return { startMs, endMs: Math.max(endMs, startMs + 1) };
}

/**
 * The moments of the story for each run: the deletion, the first panic, the first alert, the
 * deploys and the recovery. A moment every run shares is marked once; one that only some runs
 * have says whose it is when there are several runs.
 */
export function markersOf(reports: readonly RunReport[]): Marker[] {
  const perRun = reports.map(runMarkers);
  const key = (m: Marker) => `${m.kind}@${m.t}`;
  const out: Marker[] = [];
  const seen = new Set<string>();
  perRun.forEach((markers, i) => {
    for (const m of markers) {
      if (seen.has(key(m))) continue;
      seen.add(key(m));
      const everywhere = perRun.every((other) => other.some((o) => key(o) === key(m)));
      out.push(
        everywhere || reports.length === 1 ? m : { ...m, label: `${m.label} (${runName(reports[i])})` },
      );
    }
  });
  // By code unit, not `localeCompare`: the machine's locale must not reorder a report.
  return out.sort((a, b) => a.t - b.t || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** The moments of one run's story, in time order. */
export function runMarkers(report: RunReport): Marker[] {
  const m = report.metrics;
  const out: Marker[] = [];
  const at = (iso: string | null, kind: MarkerKind, label: string) => {
    if (iso === null) return;
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) out.push({ t, kind, label });
  };
  at(m.deletionAt, "deletion", "account deleted");
  at(m.firstPanicAt, "panic", "first panic");
  at(m.alertAt, "alert", "alert");
  for (const e of report.timeline) {
    if (e.type === "deploy.started") at(e.t, "deploy", "deploy starts");
    else if (e.type === "deploy.finished") at(e.t, "deployed", "deploy done");
  }
  at(m.recoveredAt, "recovered", "recovered");
  return out.sort((a, b) => a.t - b.t);
}

/** The poison schedules' paths across the lanes of each run, from the crash marks. */
export function poisonPaths(reports: readonly RunReport[]): PoisonPath[] {
  const paths: PoisonPath[] = [];
  reports.forEach((report, run) => {
    const bySchedule = new Map<string, { worker: string; t: number; seq: number }[]>();
    for (const lane of report.lanes) {
      for (const mark of lane.marks) {
        if (mark.kind !== "panic" || mark.schedule === undefined) continue;
        const stops = bySchedule.get(mark.schedule) ?? [];
        stops.push({ worker: lane.worker, t: mark.t, seq: mark.seq });
        bySchedule.set(mark.schedule, stops);
      }
    }
    const order = [...report.metrics.poisonSchedules];
    for (const s of [...bySchedule.keys()].sort()) if (!order.includes(s)) order.push(s);
    order.forEach((schedule, i) => {
      const stops = bySchedule.get(schedule);
      if (!stops) return;
      stops.sort((a, b) => a.t - b.t || a.seq - b.seq);
      paths.push({ run, schedule, colour: PATH_COLOURS[i % PATH_COLOURS.length], stops });
    });
  });
  return paths;
}

/** `HH:MM:SS` (dated in a run of more than one day, see `RunClock`) of an ISO string, or `never`. */
export function clockIso(iso: string | null, clock: RunClock): string {
  if (iso === null) return "never";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "?" : clock.clock(t);
}

/**
 * `1m`, `90s`, `400ms`: a duration the scenario set (the SLO), written exactly, in the largest
 * unit that divides it. `duration` rounds, which suits a measured time but would turn an SLO of
 * 400 ms into `0 s`.
 */
export function settingDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `12,162`. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
