import {
  ChainEvents,
  type CrashTarget,
  causalChain,
  crashCounts,
  crashCountText,
  crashRangeText,
  crashTarget,
  crashTargetProblem,
  findCrash,
  fleetText,
} from "../../checks/index.js";
import { type RunResult, runWorldInTurns } from "../../explore/run.js";
import { type RunClock, runClock, type TraceEvent, type TraceSink } from "../../kernel/index.js";
import { renderCausalChain } from "../../report/causal-chain.js";
import { clockOfRuns } from "../../report/judged.js";
import type { Paint } from "../../report/paint.js";
import { variantLabel } from "../../report/terminal.js";
import { withEnd } from "../../scenario/compile.js";
import { parseSeed, parseUntil } from "../args.js";
import { chainLegend } from "../chain-legend.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT, haltedRunText } from "../errors.js";
import { forTerminal } from "../fit-output.js";
import { atSeed, loadScenario, sayWarnings, schedulerRegistry } from "../load.js";
import { RunWatch } from "../run-watch.js";
import type { CliCommand } from "../spec.js";
import { readStdinScenario, STDIN_ARG } from "../stdin-scenario.js";
import {
  chooseVariant,
  schedulerModulesFromOptions,
  type VariantOptions,
  warnOwnModuleReplaced,
  withLoadedModule,
} from "../variant.js";
import { reproduceCommand } from "./run.js";
import { whySpec } from "./specs.js";
import { whyLimitStopMessage } from "./stopped.js";

export interface WhyCommandOptions extends VariantOptions {
  readonly seed?: string;
  readonly until?: string;
  readonly json?: boolean;
}

/** `aftershock why <scenario> [run options] <worker|seq>`: the causal chain from the root event to a crash. */
export async function whyCommand(
  ctx: CliContext,
  scenarioArg: string,
  target: string,
  o: WhyCommandOptions,
): Promise<number> {
  // A target no run could have is refused before the run, which may take a while.
  const problem = crashTargetProblem(target);
  if (problem !== null)
    throw new CliError(problem, EXIT.usage, [
      { place: null, severity: "error", message: problem, option: WHY_TARGET },
    ]);
  const seed = parseSeed(o.seed);
  const loaded = loadScenario(scenarioArg, seed);
  sayWarnings(loaded, ctx.err);
  let compiled = chooseVariant(loaded.compiled, o, loaded.path);
  warnOwnModuleReplaced(loaded, o, ctx.err);
  compiled = atSeed(compiled, seed);
  const until = parseUntil(o.until, loaded.scenario.startMs, loaded.scenario.endMs);
  if (until !== undefined) compiled = withEnd(compiled, until);
  // The events a chain may read, not every event: a long run's would not fit in memory.
  const collect = new ChainEvents();
  const reached = new TargetWatch(target);
  const schedulers = await schedulerRegistry(loaded, schedulerModulesFromOptions(o));
  compiled = withLoadedModule(compiled, o, schedulers, loaded.scenario, ctx.err);
  const watch = RunWatch.on(ctx, "why", compiled.config, schedulers);
  let ran: RunResult;
  try {
    ran = await runWorldInTurns(compiled, {
      schedulers,
      sinks: [collect, reached],
      ...watch.options,
      wallClock: ctx.now,
    });
  } catch (error) {
    if (!(error instanceof TargetReached)) throw error;
    // The chain ends at the target: nothing after it is needed, nor kept (a long run's trace
    // would not fit in memory). Its times are written by the clock of the whole run, as before.
    const events = collect.events;
    const crash = findCrash(events, target)!;
    const clock = runClock(compiled.config.startMs, compiled.config.startMs + compiled.config.durationMs);
    const chain = causalChain(events, crash.seq, { leaseTtlMs: compiled.config.fleet.leaseTtlMs });
    if (o.json) ctx.out(`${JSON.stringify(whyJson(target, crash, chain), null, 2)}\n`);
    else ctx.out(`${forTerminal(ctx, renderChain(chain, ctx.paint, clock), ctx.outColumns?.())}\n`);
    return EXIT.ok;
  } finally {
    watch.done();
  }
  const { report } = ran;
  if (report.run.stopReason === "halted") {
    const reproduce = reproduceCommand(["why", loaded.argument, target], report.seed, compiled, o, until);
    ctx.err(haltedRunText(report.run.detail, reproduce));
    return EXIT.internal;
  }
  // A run a limit stopped has a trace cut short: said whether or not the target is in it, with
  // run's exit code for a limit stop.
  const stopped = whyLimitStopMessage(report, loaded.scenario, variantLabel(report));
  const events = collect.events;
  const clock = clockOfRuns([report]);
  const crash = findCrash(events, target);
  if (!crash) {
    const variant = compiled.variantName ?? compiled.config.scheduler.name;
    const stoppedAt = stopped === null ? undefined : clock.clock(Date.parse(report.run.end));
    const untilAt = until === undefined ? undefined : clock.clock(until);
    const missing = noSuchTarget(target, events, variant, stoppedAt, untilAt, collect.lastSeq);
    throw new CliError(stopped === null ? missing : `${missing}\n${stopped}`);
  }
  const chain = causalChain(events, crash.seq, { leaseTtlMs: compiled.config.fleet.leaseTtlMs });
  if (o.json) ctx.out(`${JSON.stringify(whyJson(target, crash, chain), null, 2)}\n`);
  else ctx.out(`${forTerminal(ctx, renderChain(chain, ctx.paint, clock), ctx.outColumns?.())}\n`);
  if (stopped === null) return EXIT.ok;
  ctx.err(`aftershock: ${stopped}\n`);
  return EXIT.usage;
}

/** The target argument, as `why --help`'s usage line names it, and `--json` a problem with it. */
const WHY_TARGET = whySpec.args.split(" ").at(-1) ?? "<target>";

/** Thrown by `TargetWatch` once the run has traced its target: the run stops there. */
class TargetReached extends Error {}

/**
 * Stops a run at the event `why` is asked about, once it is sure to be the one: a seq, or the nth
 * panic death of a worker (`w3`, `w3#2`). A worker's crashes are numbered by its panic deaths when
 * it has any, so until its nth panic death the target is not known (its plain crashes count only
 * if it never panics): such a run goes on to its end, as does one whose target never comes.
 */
class TargetWatch implements TraceSink {
  private readonly target: CrashTarget | null;
  private panics = 0;

  constructor(target: string) {
    this.target = crashTarget(target);
  }

  onEvent(e: TraceEvent): void {
    const target = this.target;
    if (target === null) return;
    if (target.seq !== null) {
      if (e.seq === target.seq) throw new TargetReached();
      return;
    }
    if (e.type !== "worker.crashed" || e.worker !== target.worker || e.reason !== "panic") return;
    if (++this.panics === target.nth) throw new TargetReached();
  }
}

/**
 * What `why --json` prints: the target as typed, the event it names (`seq`, `type`: a seq may name
 * any event), `crash` (that seq when the event is a crash, else null), and the chain, each element
 * with its `link` and, for context, its `context` (see `ChainLink`).
 */
export function whyJson(target: string, event: TraceEvent, chain: readonly TraceEvent[]): object {
  const crash = event.type === "worker.crashed" ? event.seq : null;
  return { target, seq: event.seq, type: event.type, crash, chain };
}

/** One line per link, from the root to the crash. */
export function renderChain(chain: readonly TraceEvent[], paint: Paint, clock?: RunClock): string {
  // The marks' legend under the chain: an arrow and a dot say different things.
  return `${renderCausalChain(chain, paint, undefined, clock)}\n${paint.dim(`  ${chainLegend()}`)}`;
}

export const why: CliCommand = {
  spec: whySpec,
  run: async (ctx, args, options) => {
    if (args[0] === STDIN_ARG) await readStdinScenario("why", process.stdin.isTTY === true);
    return whyCommand(ctx, args[0], args[1], options as WhyCommandOptions);
  },
};

/**
 * Why `target` names nothing in this run, and what it could name: a seq inside the trace, a
 * worker that crashed, or a crash of it that happened (with how many there were). `stoppedAt`
 * (`09:35:38`) is where a run a limit stopped ended: what did not happen by then may yet.
 */
export function noSuchTarget(
  target: string,
  events: readonly TraceEvent[],
  variant: string,
  stoppedAt?: string,
  untilAt?: string,
  /** The seq of the run's last event, when `events` are not all of them (`ChainEvents`). */
  lastSeq = events.length - 1,
): string {
  const last = lastSeq;
  const ref = target.trim();
  if (/^\d+$/.test(ref)) return `${target}: no event with that seq; this run's trace has seqs 0 to ${last}`;
  const crashes = crashCounts(events);
  const list = [...crashes].map(([w, n]) => `${w} (${crashCountText(n)})`).join(", ");
  const before =
    stoppedAt !== undefined
      ? ` before it stopped early at ${stoppedAt}`
      : untilAt !== undefined
        ? ` up to ${untilAt}, where --until ended it`
        : "";
  const worker = /^(.+?)(?:#\d+)?$/.exec(ref)?.[1];
  const fleet = workersStarted(events);
  // `W3` for `w3`: worker ids are written in lower case.
  const lower = worker?.toLowerCase();
  if (worker !== undefined && lower !== worker && fleet.includes(lower!)) {
    // Suggested only when it names a crash of this run: else what the lower-case target lacks.
    const meant = ref.replace(worker, lower!);
    const ids = `worker ids are lower case: ${fleetText(fleet)}`;
    if (findCrash(events, meant) !== undefined)
      return `${target}: there is no worker ${worker} in this run; did you mean ${meant}? (${ids})`;
    const lacks = noSuchTarget(meant, events, variant, stoppedAt, untilAt, lastSeq);
    return `${target}: there is no worker ${worker} in this run (${ids}); and ${lacks}`;
  }
  if (worker !== undefined && /^w\d+$/i.test(worker) && fleet.length > 0 && !fleet.includes(worker)) {
    const crashed =
      crashes.size === 0 ? `none crashed; give a trace seq (0 to ${last})` : `workers that crashed: ${list}`;
    const lowerCase = worker === lower ? "" : " (worker ids are lower case)";
    return `${target}: there is no worker ${worker} in this run (variant ${variant})${before}: its workers are ${fleetText(fleet)}${lowerCase}; ${crashed}`;
  }
  if (worker !== undefined && !crashes.has(worker) && events.some((e) => e.worker === worker)) {
    const others =
      crashes.size === 0 ? `no worker did; give a trace seq (0 to ${last})` : `workers that crashed: ${list}`;
    // A kill of it while frozen (a deploy, restart or scale-down) is no crash, but may be what was meant.
    const kills = events.filter(
      (e) => e.type === "worker.stopped" && e.worker === worker && e.graceful === false,
    );
    const killed =
      kills.length === 0
        ? ""
        : `; it was killed while frozen at ${kills.map((e) => `#${e.seq}`).join(", ")} (give that seq)`;
    return `${target}: ${worker} never crashed in this run (variant ${variant})${before}${killed}; ${others}`;
  }
  if (crashes.size === 0)
    return `${target}: no worker crashed in this run (variant ${variant})${before}; give a trace seq (0 to ${last})`;
  const range = crashRangeText(target, events);
  if (range !== null) return range;
  return `${target}: no such crash; expected a worker (w3), its nth panic death (w3#2; its nth crash if it never panicked) or a trace seq (0 to ${last}). Workers that crashed: ${list}`;
}

/** The workers a run started, by number: `w1`..`wN` and those a scale added. */
function workersStarted(events: readonly TraceEvent[]): string[] {
  const workers = new Set<string>();
  for (const e of events)
    if (e.type === "worker.started" && typeof e.worker === "string") workers.add(e.worker);
  return [...workers].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}
