import { type CheckConstraints, MetricsCollector, stoppedEarly } from "../checks/index.js";
import { SeriesRecorder } from "../checks/series.js";
import { LaneRecorder } from "../checks/worker-lanes.js";
import { scheduleFaults, type TimedFault } from "../faults/index.js";
import { isoOf, type RunOutcome, type StepWatch, type TraceSink, type WallGuard } from "../kernel/index.js";
import type { RunReport } from "../report/run-report.js";
import { checkCompiledScenario } from "../scenario/compiled.js";
import { bundledSchedulers, holdsOwnModule } from "../schedulers/index.js";
import { longRun, type SchedulerChoice, type WorldConfig } from "../world/config.js";
import { type SchedulerRegistry, World } from "../world/world.js";
import { breathe } from "./breathe.js";
import { moduleStandsForV2 } from "./gate-scheduler.js";
import { interruptibleWallGuard, wallGuard as threadWallGuard } from "./wall-guard.js";

/** What one run simulates: a world, its faults, and words about it for the report. */
export interface RunInput {
  readonly config: WorldConfig;
  readonly faults?: readonly TimedFault[];
  readonly description?: string;
  readonly sources?: readonly string[];
  readonly assumptions?: readonly string[];
  /** The named variant that set `config.scheduler`, if any. */
  readonly variantName?: string | null;
  readonly checks?: CheckConstraints;
}

export interface RunOptions {
  /** Scheduler implementations (default: the bundled v1 and v2). */
  readonly schedulers?: SchedulerRegistry;
  /**
   * Extra trace sinks: a JSONL writer, a collector for `why`. Given to the library (`runScenario`,
   * `runWorld`, …), each is handed every event frozen, lists and objects in it too: events are
   * read-only, a write throws a TypeError (in strict code), and an error a sink throws comes back
   * as a `SinkError` saying which sink threw, with its own as the `cause`.
   */
  readonly sinks?: readonly TraceSink[];
  /**
   * Sinks that only watch the run on this thread (a progress line): unlike `sinks`, they do not
   * keep `compare` from running its other variants on threads.
   */
  readonly watchers?: readonly TraceSink[];
  /** The real clock for the wall-clock budget (only the CLI has one). */
  readonly wallClock?: () => number;
  /**
   * With `wallClock`: stops a run stuck past its budget wherever it is. Every run given a
   * `wallClock` gets this thread's `vm` guard (`wall-guard.ts`) unless another is given here.
   */
  readonly wallGuard?: WallGuard;
  /** Told of each goroutine step on this thread, for a watcher that says when one runs long. */
  readonly stepWatch?: StepWatch;
  /**
   * Measure only what judges the run (metrics, verdicts, timeline): no worker lanes and no
   * series, the report's `lanes` empty and its `series` absent. For a caller that keeps the
   * verdicts alone (an exploration's runs): two sinks fewer on every trace event.
   */
  readonly judgeOnly?: boolean;
}

/**
 * The guard a run of `config` with these options is held by: none without a wall clock; for a
 * long run, one that Ctrl-C stops too (`interruptibleWallGuard`); for a short one, this thread's,
 * when a user's scheduler module runs. A short run of the bundled schedulers alone has none:
 * every step of theirs yields, so the budget checked between events stops it, and arming the
 * guard (a timer thread per call) cost 3% of an exploration's generated runs.
 */
export function guardOf(options: RunOptions, config: WorldConfig): WallGuard | undefined {
  if (options.wallClock === undefined) return undefined;
  if (options.wallGuard !== undefined) return options.wallGuard;
  if (longRun(config)) return interruptibleWallGuard;
  return holdsOwnModule(options.schedulers ?? bundledSchedulers()) ? threadWallGuard : undefined;
}

export interface RunResult {
  readonly report: RunReport;
  readonly world: World;
  readonly outcome: RunOutcome;
}

/**
 * `config` with every scheduler's fixes in the order that scheduler declares them, so that the
 * same fixes give the same run (and trace hash) however they were written. A scenario's fixes
 * for a user module are known in the module's order only once it is loaded (the bundled ones
 * are put in order as the scenario is read, `--fix` as the command line is read).
 */
export function inDeclaredFixOrder(config: WorldConfig, schedulers: SchedulerRegistry): WorldConfig {
  const ordered = (choice: SchedulerChoice): SchedulerChoice => {
    const declared = schedulers.get(choice.name)?.fixes;
    if (declared === undefined) return choice;
    const known = declared.filter((fix) => choice.fixes.includes(fix));
    // A fix the scheduler does not declare was refused before the run; keep any at the end.
    const rest = choice.fixes.filter((fix) => !declared.includes(fix));
    return { name: choice.name, fixes: [...known, ...rest] };
  };
  return {
    ...config,
    scheduler: ordered(config.scheduler),
    timeline: config.timeline.map((a) =>
      a.action === "deploy" ? { ...a, fixes: ordered({ name: a.scheduler, fixes: a.fixes }).fixes } : a,
    ),
  };
}

/** The configuration a world is built from: a module standing for v2, every fix list in order. */
export function worldConfigOf(config: WorldConfig, schedulers: SchedulerRegistry): WorldConfig {
  return inDeclaredFixOrder(moduleStandsForV2(config, schedulers), schedulers);
}

/** The world a run input describes, with its faults scheduled and sinks attached, not yet started. */
export function buildWorld(input: RunInput, options: RunOptions = {}): World {
  checkRunInput(input);
  const schedulers = options.schedulers ?? bundledSchedulers();
  const world = new World(worldConfigOf(input.config, schedulers), {
    schedulers,
    wallClock: options.wallClock,
    wallGuard: guardOf(options, input.config),
    stepWatch: options.stepWatch,
  });
  for (const sink of options.sinks ?? []) world.sim.trace.addSink(sink);
  for (const sink of options.watchers ?? []) world.sim.trace.addSink(sink);
  scheduleFaults(world, input.faults ?? []);
  return world;
}

/** Throws a TypeError unless `input` is a compiled scenario (see `checkCompiledScenario`). */
function checkRunInput(input: unknown): asserts input is RunInput {
  checkCompiledScenario(input, "input");
}

/** Runs one world to its horizon and measures it from its trace. */
export function runWorld(given: RunInput, options: RunOptions = {}): RunResult {
  const measured = measuredWorld(given, options);
  return measured.result(measured.world.run());
}

/**
 * Real time a run in turns (`runWorldInTurns`) runs between two turns of the event loop: short
 * enough that a signal is answered well within a second, long enough that the turns cost little.
 * The guard armed for each stretch costs a fraction of a millisecond; what costs more is V8's
 * own work that waits for a turn: at each, a pending incremental-marking task runs and starts or
 * finishes a full collection sooner than the run alone would (a 20,000-schedule half hour: 30
 * full collections at 50 ms, 22 at 250 ms, 17 in one stretch; about 7% more CPU at 50 ms,
 * 2 to 3% at 250 ms, within the machine's noise in wall time).
 */
export const STRETCH_MS = 250;

/**
 * `runWorld` for a caller whose process must stay responsive while a long run goes on this
 * thread (the CLI's `run`, `compare` and `why`): the run goes in stretches of `STRETCH_MS` with
 * the event loop turning between them, so that a SIGTERM or SIGHUP (a CI job cancelled, a
 * terminal closed) reaches its handlers within a stretch, not once the whole run is over (Ctrl-C
 * is also answered mid-stretch, by the guard). Stretches give way between two events and leave
 * the world as it was, so the run is the same, event for event, as `runWorld`'s: same trace,
 * hash and report. Without a wall clock it runs as `runWorld` does.
 */
export async function runWorldInTurns(given: RunInput, options: RunOptions = {}): Promise<RunResult> {
  const measured = measuredWorld(given, options);
  for (;;) {
    const outcome = measured.world.runStretch(STRETCH_MS);
    // The last stretch too gives way before the result: a signal held back by a goroutine step
    // that never yielded, until the wall budget stopped it, ends the process before any output.
    await breathe();
    if (outcome !== null) return measured.result(outcome);
  }
}

/** A world built to be run, with the sinks that measure it, and how its result is made. */
function measuredWorld(
  given: RunInput,
  options: RunOptions,
): { readonly world: World; readonly result: (outcome: RunOutcome) => RunResult } {
  checkRunInput(given);
  const input = {
    ...given,
    config: worldConfigOf(given.config, options.schedulers ?? bundledSchedulers()),
  };
  const world = buildWorld(input, options);
  const collector = new MetricsCollector(input.checks);
  world.sim.trace.addSink(collector);
  const lanes = options.judgeOnly === true ? null : new LaneRecorder();
  const series = options.judgeOnly === true ? undefined : new SeriesRecorder();
  if (lanes !== null) world.sim.trace.addSink(lanes);
  if (series !== undefined) world.sim.trace.addSink(series);
  return {
    world,
    result: (outcome) => ({
      report: makeReport(input, world, outcome, collector, lanes, series),
      world,
      outcome,
    }),
  };
}

/** Assembles the RunReport of a finished world (without lanes when none were recorded: `judgeOnly`). */
export function makeReport(
  input: RunInput,
  world: World,
  outcome: RunOutcome,
  collector: MetricsCollector,
  lanes: LaneRecorder | null,
  series?: SeriesRecorder,
): RunReport {
  const c = input.config;
  const checked = collector.finish();
  return {
    scenario: c.name,
    seed: c.seed,
    variant: { name: input.variantName ?? null, scheduler: c.scheduler.name, fixes: [...c.scheduler.fixes] },
    traceHash: world.sim.trace.hash,
    events: world.sim.trace.length,
    metrics: checked.metrics,
    verdicts: checked.verdicts,
    timeline: checked.timeline,
    run: {
      start: isoOf(c.startMs),
      end: isoOf(world.sim.now),
      stopReason: outcome.reason,
      detail: outcome.detail,
      kernelEvents: outcome.events,
      sloMs: c.sloMs,
      workers: c.fleet.workers,
      judged: !stoppedEarly(outcome.reason),
    },
    lanes: lanes === null ? [] : lanes.finish(world.horizonMs),
    faults: {
      fired: sortedRecord(world.chaos.fired.acts),
      firedFaults: sortedRecord(world.chaos.fired.faults),
      probes: sortedRecord(world.chaos.probes),
      skipped: sortedRecord(world.chaos.skipped),
      planned: sortedRecord(plannedFaults(input.faults ?? [])),
    },
    description: input.description ?? "",
    sources: [...(input.sources ?? [])],
    assumptions: [...(input.assumptions ?? [])],
    ...(series ? { series: series.finish() } : {}),
  };
}

/** The same input with another scheduler for the world to start with. */
export function withScheduler(
  input: RunInput,
  choice: SchedulerChoice,
  variantName: string | null,
): RunInput {
  return { ...input, config: { ...input.config, scheduler: choice }, variantName };
}

/** The same input with another seed. */
export function withSeed(input: RunInput, seed: number): RunInput {
  return { ...input, config: { ...input.config, seed } };
}

/** The scenario's faults counted by kind. */
function plannedFaults(faults: readonly TimedFault[]): Map<string, number> {
  const planned = new Map<string, number>();
  for (const f of faults) planned.set(f.fault, (planned.get(f.fault) ?? 0) + 1);
  return planned;
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key)!;
  return out;
}
