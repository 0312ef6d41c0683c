import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import YAML from "yaml";
import { plural } from "../../checks/format.js";
import { PROPERTY_NAMES, type PropertyName } from "../../checks/types.js";
import { leftOutText, propertiesExpectedToFail } from "../../explore/expectations.js";
import {
  defaultJobs,
  type ExploreFailure,
  type ExploreProgress,
  explore,
  exploreJobs,
  SHRINK_FAILURES_MAX_DEFAULT,
} from "../../explore/explore.js";
import {
  describeFailureStops,
  describeMissing,
  describeNotJudged,
  describeShardStop,
  describeTarget,
  type ExploredModule,
  type ExploreReport,
  type ExploreTarget,
  exploreReport,
  type ReportedFailure,
  shardsStoppedEarly,
  shrinkCutWords,
  shrinkFurtherNote,
  type WrittenReproducer,
} from "../../explore/explore-report.js";
import { faultKindText } from "../../explore/fault-tally.js";
import { judgedVariant, moduleFixesOf, variantSkipReason } from "../../explore/gate-scheduler.js";
import type { ScenarioDocument } from "../../explore/generate/document.js";
import { PROPERTY_SIZED, sized } from "../../explore/generate/profiles.js";
import { defaultWorkerFile, longPlan } from "../../explore/pool.js";
import {
  reproducerDocument,
  reproducerText,
  verifyReproducer,
  verifyReproducerFresh,
} from "../../explore/reproducer.js";
import {
  DEFAULT_PROPERTIES,
  type ExploredVariant,
  exploredVariantOf,
  type FailureKind,
  type GeneratedModule,
  hasModules,
  type RunPlan,
} from "../../explore/run-one.js";
import { parseShard, SEED_MAX, type Shard, shardRunCount, sweepBaseMax } from "../../explore/seeds.js";
import { RunInterrupted, unlessInterrupted, unlessInterruptedAsync } from "../../kernel/index.js";
import { commandLine } from "../../report/command-line.js";
import type { Paint } from "../../report/paint.js";
import { moduleSchedulerName } from "../../scenario/compile.js";
import { parseDuration } from "../../scenario/duration.js";
import type { Scenario } from "../../scenario/index.js";
import { builtinFixes } from "../../scenario/scheduler-fixes.js";
import { closest } from "../../scenario/suggest.js";
import type { VariantName } from "../../scenario/variants.js";
import { bundledSchedulers } from "../../schedulers/index.js";
import type { SchedulerFactory } from "../../world/runtime.js";
import { parseCount, parseSeed } from "../args.js";
import { bundledScenarioNamed } from "../bundled-scenarios.js";
import type { CliContext } from "../context.js";
import {
  CliError,
  commandLineOf,
  EXIT,
  optionError,
  permissionRefusal,
  reportWithText,
  STOP_SIGNALS,
  type StopSignal,
  signalExitCode,
  withSeedArg,
} from "../errors.js";
import { forTerminal } from "../fit-output.js";
import { errText } from "../glyphs.js";
import { fittedName, NAME_BYTES_MAX, readText, writeFileAtomic } from "../io.js";
import {
  inputFiles,
  loadScenario,
  loadSchedulerModule,
  modulePathFrom,
  pathArgument,
  sayWarnings,
  scenarioArgument,
  schedulerModuleRef,
  schedulerRegistry,
  threadModuleRefs,
} from "../load.js";
import { missingPath } from "../missing-path.js";
import { moduleFiles } from "../module-imports.js";
import type { CliCommand } from "../spec.js";
import { LOG_EVERY_MS, StatusLine } from "../status-line.js";
import { STDIN_ARG, stdinScenarioRefused } from "../stdin-scenario.js";
import { exitNow } from "../stray-writer.js";
import {
  checkModuleArgument,
  checkVariant,
  moduleReplacedWarning,
  warnOwnModuleDeploys,
} from "../variant.js";
import { packageVersion } from "../version.js";
import { progressBar } from "./explore-bar.js";
import { type ExploreDigest, exploreDigest, moduleDigest } from "./explore-digest.js";
import {
  checkOutDir,
  keptReproducer,
  makeOutDir,
  modulesFromOut,
  type ReproducerOwner,
  reproducerPlace,
  sealReproducer,
} from "./explore-out.js";
import { moduleStem } from "./module-stem.js";
import { EXPLORE_OUT_DEFAULT, exploreSpec } from "./specs.js";
import { exploreNotJudgedText, moduleStopsGenerated } from "./stopped.js";

export interface ExploreCommandOptions {
  readonly generated?: boolean;
  readonly variant?: string;
  readonly runs?: string;
  readonly seed?: string;
  readonly jobs?: string;
  readonly shard?: string;
  readonly properties?: string;
  readonly timeBudget?: string;
  readonly out?: string;
  readonly keepGoing?: boolean;
  readonly shrinkRuns?: string;
  readonly shrinkTime?: string;
  readonly shrinkMax?: string;
  readonly json?: boolean;
  readonly force?: boolean;
  readonly scheduler?: string;
}

const JOBS_MAX = 64;

/** Why a reproducer is written unchecked: Ctrl-C cut its replay short. */
/** Why a reproducer was not vouched for: the signal that interrupted the exploration came before its replay ended. */
export function notReplayed(signal: InterruptSignal): string {
  const by = signal === "SIGINT" ? " (Ctrl-C)" : ` by ${signal}`;
  return `${NOT_REPLAYED_INTERRUPTED}${by} before its replay ended`;
}

/** How `notReplayed` begins, whatever the signal. */
const NOT_REPLAYED_INTERRUPTED = "not replayed: the exploration was interrupted";

/**
 * The signals that interrupt an exploration: Ctrl-C, the cancel of CI systems (GitLab, Jenkins),
 * and the terminal closed under it (an ssh session dropped, with the report going to a file).
 */
export type InterruptSignal = StopSignal;

/** Registers a handler for SIGINT, SIGTERM and SIGHUP (SIGINT when it says none); returns its removal. Injectable for tests. */
export type OnInterrupt = (handler: (signal?: InterruptSignal) => void) => () => void;

/**
 * The process's signals, given to `handler`, but a repeat of the first signal within
 * `REPEATED_SIGNAL_MS`: the same cancel delivered twice (a supervisor that signals the process
 * and its group), not a second one.
 */
function processInterrupt(handler: (signal?: InterruptSignal) => void): () => void {
  let first: { readonly signal: InterruptSignal; readonly at: number } | null = null;
  const repeated = (signal: InterruptSignal) =>
    first !== null && signal === first.signal && performance.now() - first.at < REPEATED_SIGNAL_MS;
  const on = (signal: InterruptSignal) => () => {
    if (repeated(signal)) return;
    first ??= { signal, at: performance.now() };
    handler(signal);
  };
  const listeners = STOP_SIGNALS.map((signal) => [signal, on(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    if (first === null) return;
    // The process is ending with the interrupt's code, its report still being written out: a
    // repeat of that cancel must not end it first, with the default action; another signal
    // still quits at once.
    for (const signal of STOP_SIGNALS) {
      process.on(signal, () => {
        if (!repeated(signal)) exitNow(signalExitCode(signal));
      });
    }
  };
}

/** The command that replays a reproducer named `word` (its path as a command names it). */
export function replayCommand(word: string): string {
  return commandLine(["aftershock", "run", word]);
}

/**
 * How soon after the signal that stopped the search the same signal is the same cancel again,
 * not a second one: a supervisor that signals the process and its group delivers it twice, at
 * once; two presses of Ctrl-C are further apart.
 */
export const REPEATED_SIGNAL_MS = 100;

/**
 * `aftershock explore <scenario|--generated>`: chaos search, shrinking, reproducers. Each
 * reproducer is written as soon as its failure is shrunk. Ctrl-C (or SIGTERM, as CI systems
 * cancel a job) stops the search and the shrinking, writes what was found, prints the report and
 * exits 130 (143 for SIGTERM); a second signal quits at once (`processInterrupt` drops the
 * same cancel delivered twice).
 */
export async function exploreCommand(
  ctx: CliContext,
  scenarioArg: string | undefined,
  o: ExploreCommandOptions,
  onInterrupt: OnInterrupt = processInterrupt,
): Promise<number> {
  if (o.generated && scenarioArg !== undefined) {
    // Most often a flag's value split by a space (`--time-budget 5 minutes`): the second word
    // came in as the scenario. Said when it names no file, looks like no path and is no bundled
    // scenario's name.
    const stray =
      !/[/\\]|\.(?:ya?ml|json)$/i.test(scenarioArg) &&
      missingPath(scenarioArg)?.absent === true &&
      bundledScenarioNamed(scenarioArg) === undefined
        ? ` ("${scenarioArg}" was read as a scenario; a flag's value is one word, as in --time-budget 5m, or quoted)`
        : "";
    throw new CliError(`give a scenario or --generated, not both${stray}`);
  }
  if (!o.generated && scenarioArg === undefined)
    throw new CliError(
      "name a scenario to sweep the seeds of, or pass --generated to explore generated worlds",
    );
  if (o.scheduler !== undefined && !o.generated)
    throw new CliError(
      `--scheduler goes with --generated: a scenario explored runs the module it names; to explore ${scenarioArg} with ${o.scheduler}, copy the scenario, set scheduler: { module: ${o.scheduler} } in the copy (the path from the copy's folder) and explore the copy`,
    );
  const named = o.variant === undefined ? undefined : (checkVariant(o.variant) as VariantName);
  const properties = parseProperties(o.properties);
  const shard: Shard = o.shard === undefined ? { index: 1, count: 1 } : shardOf(o.shard);
  const jobsGiven = parseCount(o.jobs, "--jobs");
  if (jobsGiven !== undefined && jobsGiven > JOBS_MAX) throw optionError("--jobs", `at most ${JOBS_MAX}`);
  const timeBudgetMs = o.timeBudget === undefined ? undefined : durationOf(o.timeBudget, "--time-budget");
  const shrinkRunsMax = o.shrinkRuns === undefined ? 300 : parseNonNegative(o.shrinkRuns, "--shrink-runs");
  const shrinkTimeMsMax = durationOf(o.shrinkTime ?? "2m", "--shrink-time");
  const shrinkFailuresMax =
    o.shrinkMax === undefined ? SHRINK_FAILURES_MAX_DEFAULT : parseNonNegative(o.shrinkMax, "--shrink-max");
  const out = o.out ?? EXPLORE_OUT_DEFAULT;
  // Every other output option reads `-` as stdout; a folder named `-` would be a surprise.
  if (out === "-")
    throw new CliError(
      "--out -: reproducers are files, one per failure, and cannot go to stdout: name a folder (--out repro); the report is on stdout already (--json for JSON)",
    );
  checkOutDir(out);
  const setup = o.generated
    ? await generatedSetup(
        named ?? "fixed",
        properties,
        parseSeed(o.seed) ?? 1,
        parseCount(o.runs, "--runs") ?? 100,
        o.scheduler === undefined ? null : await generatedModule(o.scheduler, named ?? "fixed", out),
      )
    : await scenarioSetup(ctx, scenarioArg!, named, properties, o, out);
  const jobs =
    jobsGiven ?? defaultJobs(setup.plan, { runs: setup.target.runs, shard }, availableParallelism());
  // The time budget runs from the search's start, as explore counts it (the bar starts with it).
  let budgetEndsMs: number | undefined;
  const budgetLeftMs = () => (budgetEndsMs === undefined ? undefined : budgetEndsMs - ctx.now());
  const bar = ctx.errIsTty
    ? progressBar(process.stderr, () => ctx.errColumns?.(), budgetLeftMs, ctx.asciiErr === true)
    : null;
  const log = bar === null ? new ProgressLog(ctx) : null;
  // After the search, with a bar: what is under way (each shrink, then the replay of the
  // failures) on one line redrawn in place, as the bar was, cleared at the end.
  const status = bar === null ? null : new StatusLine(ctx);
  const sayUnderWay = (text: string) => {
    bar?.stop();
    status?.draw(ctx.paintErr.dim(`${text}…`));
  };
  log?.started(
    `${describeTarget(setup.target)}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ""}, ${jobsWords(setup.target.runs, jobs, shard)}`,
  );
  const interrupt = new AbortController();
  const modules = hasModules(setup.plan);
  const long = longPlan(setup.plan);
  let inThisThread = jobs <= 1 && !modules;
  const underWay = (signal: InterruptSignal): string =>
    underWayWords(signal, { inThisThread, jobs, modules, long });
  let interruptedBy: InterruptSignal = "SIGINT";
  /** The search is over: its failures are being shrunk and written. */
  let searched = false;
  /** A failure's reproducer is being replayed before it is written (its shrink is over). */
  let replaying = false;
  const stopping = (signal: InterruptSignal) =>
    !searched
      ? `stopping the search (${underWay(signal)})`
      : shrinkRunsMax > 0 && !replaying
        ? "the search was over: cutting short the shrinking of its failures, keeping the smallest found so far,"
        : replaying
          ? "the search was over: cutting short the replay of its failures' reproducers, which are written unchecked,"
          : "the search was over: its failures' reproducers are not replayed,";
  const writer = reproducerWriter(
    setup,
    out,
    o.force === true,
    interrupt.signal,
    () => !inThisThread,
    () => interruptedBy,
  );
  const removeHandler = onInterrupt((signal = "SIGINT") => {
    if (interrupt.signal.aborted) exitNow(signalExitCode(signal));
    interruptedBy = signal;
    interrupt.abort();
    bar?.stop();
    status?.clear();
    ctx.err(
      signal === "SIGINT"
        ? `aftershock: interrupted: ${stopping(signal)} and writing what was found (Ctrl-C again to quit at once)\n`
        : `aftershock: interrupted by ${signal}: ${stopping(signal)} and writing what was found (a second signal quits at once)\n`,
    );
  });
  let outcome: Awaited<ReturnType<typeof explore>>;
  let failuresFound = 0;
  // Runs on worker threads leave this thread free: a run longer than the log's period still gets
  // a line every period, so a CI job that ends silent jobs does not end a slow world's.
  const heartbeat = log === null ? null : setInterval(() => log.tick(), LOG_EVERY_MS);
  heartbeat?.unref();
  try {
    const startBar = () => bar?.start(shardRunCount(setup.target.runs, shard), 0, { failures: 0 });
    if (timeBudgetMs !== undefined) budgetEndsMs = ctx.now() + timeBudgetMs;
    startBar();
    outcome = await explore({
      plan: setup.plan,
      runs: setup.target.runs,
      jobs,
      shard,
      keepGoing: o.keepGoing === true,
      timeBudgetMs,
      wallClock: ctx.now,
      schedulers: setup.schedulers,
      shrinkRunsMax,
      shrinkTimeMsMax,
      shrinkFailuresMax,
      document: setup.document,
      signal: interrupt.signal,
      reproducerName: (failure) => placedStem(setup, out, o.force === true, failure),
      onPool: (pool) => {
        inThisThread = pool.kind === "in-process";
        if (pool.note === null) return;
        // Said now, not only in the report: a module's run here holds every signal till it ends.
        bar?.stop();
        const waits = modules ? " (a signal waits for the run under way to end)" : "";
        ctx.err(`aftershock explore: note: ${pool.note}${waits}\n`);
        startBar();
      },
      onProgress: (p: ExploreProgress) => {
        failuresFound = p.failures;
        bar?.setTotal(p.planned);
        bar?.update(p.done, { failures: p.failures });
        log?.progress(p);
      },
      onSearched: () => {
        searched = true;
        log?.searched();
        // No failure, nothing to replay: the report follows at once.
        if (failuresFound > 0) sayUnderWay(AFTER_SEARCH);
      },
      onShrink: (f) => {
        replaying = false;
        log?.shrinking(f);
        sayUnderWay(shrinkingText(f));
      },
      onFailure: async (failure) => {
        log?.described();
        sayUnderWay(AFTER_SEARCH);
        replaying = true;
        try {
          return await writer.write(failure);
        } finally {
          replaying = false;
        }
      },
    });
  } catch (error) {
    removeHandler();
    if (error instanceof RunInterrupted) throw error;
    throw (
      permissionRefusal(error) ??
      new CliError(
        `internal error while exploring ${describeTarget(setup.target)}: ${(error as Error).message}`,
        EXIT.internal,
        undefined,
        reproduceExploration(ctx, setup.target.seed) ?? undefined,
      )
    );
  } finally {
    bar?.stop();
    status?.clear();
    if (heartbeat !== null) clearInterval(heartbeat);
  }
  // Kept until the report is out: a signal with no handler would end the process before it.
  const ended = (code: number) => {
    removeHandler();
    return code;
  };
  const { written, notWritten, mismatches, notes, internal } = writer;
  const report = exploreReport(setup.target, shard, outcome, written, notWritten, mismatches);
  if (o.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  else
    ctx.out(
      `${forTerminal(ctx, renderExplore(report, ctx.paint, outcome.laterFailures, outcome.laterRuns), ctx.outColumns?.())}\n`,
    );
  // The progress lines may have named them: the log says why the JSON report does not.
  if (o.json && outcome.laterFailures > 0) log?.leftOut(outcome.laterFailures);
  for (const n of notes) ctx.err(`aftershock: ${n}\n`);
  // The scenario's limits are the user's input (exit 2); a generated world's are the generator's.
  const notJudged = exploreNotJudgedText(report, setup.scenario ?? null);
  if (notJudged !== null) ctx.err(`aftershock: ${notJudged}\n`);
  for (const [failure, why] of mismatches)
    ctx.err(
      `aftershock: ${written.get(failure)?.file ?? `the reproducer of run ${failure.run}`} is not an exact reproducer: ${why}\n`,
    );
  for (const i of internal) ctx.err(`aftershock: internal error (please report it) ${i}\n`);
  const halted = haltedText(report.failures);
  if (halted !== null) ctx.err(`aftershock: internal error (please report it): ${halted}\n`);
  const generatedTooLarge =
    notJudged !== null && report.notJudged && setup.scenario === undefined && !moduleStopsGenerated(report);
  const reproduce = reproduceExploration(ctx, setup.target.seed);
  // Every exit 4 ends with the command line that reproduces it (see `exploreExitCode`).
  if ((internal.length > 0 || generatedTooLarge || halted !== null) && reproduce !== null)
    ctx.err(reportWithText(reproduce));
  // Interrupted while shrinking, after the search ended: still what the user asked for.
  if (interrupt.signal.aborted) return ended(signalExitCode(interruptedBy));
  if (internal.length > 0) return ended(EXIT.internal);
  const code = exploreExitCode(report);
  // An output that cannot be written is exit 2, as for every command; a worse code (3) stays.
  return ended(notWritten.size > 0 ? Math.max(code, EXIT.usage) : code);
}

/** What the runs the simulator halted in said (a broken invariant: exit 4), or null if none did. */
function haltedText(failures: readonly ReportedFailure[]): string | null {
  const halted = failures.filter((f) => f.kind === "halted");
  if (halted.length === 0) return null;
  const first = halted[0]!;
  const more = halted.length === 1 ? "" : ` (and ${plural(halted.length - 1, "run")} more)`;
  return `the simulator halted in run ${first.run} (seed ${first.seed}): ${first.detail}${more}`;
}

/**
 * The command line that reproduces an exploration, for its internal errors: as typed, naming the
 * seed it explored from; null where no command line was typed (a command run without `main`).
 */
function reproduceExploration(ctx: CliContext, seed: number): string | null {
  return ctx.argv === undefined ? null : commandLineOf(withSeedArg(ctx.argv, seed));
}

interface ReproducerWriter {
  /** Writes the reproducer of a failure (never throws: what goes wrong becomes a note). */
  readonly write: (failure: ExploreFailure) => Promise<void>;
  readonly written: Map<ExploreFailure, WrittenReproducer>;
  /** Why the reproducer of a failure could not be written (said in the report, exit 2). */
  readonly notWritten: Map<ExploreFailure, string>;
  /** What the user should know about the files: replaced, moved aside, not written. */
  readonly notes: string[];
  /** Why the reproducer of a failure does not replay exactly (nondeterminism, exit 3). */
  readonly mismatches: Map<ExploreFailure, string>;
  /** Replays of a reproducer that the simulator itself failed (an internal error, exit 4). */
  readonly internal: string[];
}

/**
 * A reproducer's file name, without `.yaml`, and the name of its world (`name:`): the scenario
 * explored, what ran, what failed, and where in the exploration. The master seed is in it, so an
 * exploration with another seed adds to --out, never replaces; the run makes it one of its own
 * among the exploration's, as the gate wants of scenarios gated together.
 */
function reproducerStem(setup: Setup, failure: { readonly run: number; readonly kind: FailureKind }): string {
  const module = setup.target.scheduler;
  // A module's reproducers name it, and the variant whose world it ran in.
  const ran =
    module === undefined
      ? (exploredVariantOf(setup.plan) ?? "module")
      : `module-${moduleStem(module.module)}-${setup.target.variant}`;
  const rest = `-${ran}-${failure.kind}-seed${setup.target.seed}-run${failure.run}`;
  return `${fittedName(setup.target.scenario, STEM_BYTES_MAX - Buffer.byteLength(rest, "utf8"))}${rest}`;
}

/**
 * The most bytes of a reproducer's stem: the file name with `.yaml` and a `-100` for a name taken
 * (`reproducerPlace`) must fit what most file systems take.
 */
const STEM_BYTES_MAX = NAME_BYTES_MAX - ".yaml".length - "-100".length;

/**
 * The name a failure's reproducer is written under, and so its world's (`name:`): its stem, or
 * `<stem>-2`, ... where that file is kept (`reproducerPlace`), so that each world in `--out` is
 * named as its file and `gate` takes the folder whole (it refuses two scenarios of one name).
 * The world is named before it is run (the name is in the trace), and the writer, which places
 * it again, finds the same file. Where no place can be told, the stem: the writer says why.
 */
function placedStem(
  setup: Setup,
  out: string,
  force: boolean,
  failure: { readonly run: number; readonly kind: FailureKind },
): string {
  try {
    return basename(placeReproducer(setup, out, force, failure).file, ".yaml");
  } catch {
    return reproducerStem(setup, failure);
  }
}

/**
 * Where a failure's reproducer goes in `out` (see `placedStem`): the one call that makes its name,
 * for its world (`placedStem`) and for the file the writer writes.
 */
function placeReproducer(
  setup: Setup,
  out: string,
  force: boolean,
  failure: { readonly run: number; readonly kind: FailureKind },
): ReturnType<typeof reproducerPlace> {
  const name = `${reproducerStem(setup, failure)}.yaml`;
  return reproducerPlace(out, name, force, setup.inputs, setup.owner);
}

function reproducerWriter(
  setup: Setup,
  out: string,
  force: boolean,
  interrupted: AbortSignal,
  /** Whether the search's runs went to worker threads (a module that loads on none ran here). */
  onThreads: () => boolean,
  /** The signal that aborted `interrupted`. */
  interruptedBy: () => InterruptSignal,
): ReproducerWriter {
  const variant = exploredVariantOf(setup.plan);
  const module = setup.target.scheduler;
  const written = new Map<ExploreFailure, WrittenReproducer>();
  const notWritten = new Map<ExploreFailure, string>();
  const mismatches = new Map<ExploreFailure, string>();
  const notes: string[] = [];
  const internal: string[] = [];
  const write = async (failure: ExploreFailure): Promise<void> => {
    // Named as the reproducer's own `scheduler:` names it (its path from --out), as its `# explored:`
    // line does: the file says the same wherever the exploration ran from.
    const scheduler =
      module === undefined
        ? undefined
        : `the module ${setup.owner.module ?? module.module} as variant ${setup.target.variant}`;
    const moduleAs = module === undefined ? undefined : (setup.target.variant ?? undefined);
    const doc = reproducerDocument(failure, {
      variant,
      origin: originOf(setup.target),
      scheduler,
      moduleAs,
      schedulers: setup.schedulers,
    });
    if (doc === null) return;
    // A reproducer that cannot be written is said, and the others and the report still are.
    try {
      const place = placeReproducer(setup, out, force, failure);
      const file = place.file;
      const replay = replayCommand(scenarioArgument(file, process.cwd()));
      // The inputs' digest (none for generated worlds), and aftershock's version: the bundled
      // schedulers, the world and the generators are its code, the same as long as it is.
      const targetDigest = [setup.target.digest, `aftershock@${packageVersion()}`].filter(Boolean).join("+");
      // Its own earlier reproducer, shrunk further, stands for the failure when this one's
      // shrink was cut short: it is not replaced (nor replayed: the same code, the same failure).
      const kept = force || !place.replaces ? null : keptReproducer(file, failure.shrink, targetDigest);
      if (kept !== null) {
        written.set(failure, { file, replay, kept });
        notes.push(`kept ${file}, ${kept.why}: this exploration's reproducer is not written`);
        return;
      }
      const header = { explored: setup.owner.explored, targetDigest };
      let text = sealReproducer(reproducerText(doc, failure, replay, header));
      let check: ReturnType<typeof verifyReproducer>;
      try {
        // Ctrl-C cut the replay short, or came before it and the world is long: the reproducer
        // is written all the same, not vouched for.
        // A module's, on a thread that imports it anew: the runs before the failure's on its
        // thread may have left state in it that a user running the file would not have.
        // Named as the reproducer names them, from where it is written (--out).
        const modulesOf = (scenario: Scenario) => threadModuleRefs({ path: resolve(file), scenario });
        const workerFile = defaultWorkerFile();
        // Not where the module would not load on a thread: the search's runs were here too.
        const replayed =
          hasModules(setup.plan) && existsSync(workerFile) && onThreads()
            ? await unlessInterruptedAsync(
                () => verifyReproducerFresh(text, file, failure, variant, modulesOf, workerFile, interrupted),
                null,
              )
            : unlessInterrupted(
                () => verifyReproducer(text, file, failure, variant, setup.schedulers, interrupted),
                null,
              );
        // The signal that cut it is known once it has: a SIGTERM during the replay is said as one.
        check = replayed ?? { ok: false, problem: notReplayed(interruptedBy()) };
      } catch (error) {
        // Not the file's fault: the simulator failed replaying it. Said with the seed, exit 4.
        internal.push(
          `replaying the reproducer of run ${failure.run} (seed ${setup.target.seed}): ${(error as Error).message}`,
        );
        return;
      }
      if (!check.ok) {
        mismatches.set(failure, check.problem);
        // Whoever opens the file alone learns it too (comments: the scenario is the same).
        text = sealReproducer(reproducerText(doc, failure, replay, { ...header, notExact: check.problem }));
      }
      makeOutDir(out);
      writeFileAtomic(file, text);
      written.set(failure, { file, replay });
      if (place.replaces)
        notes.push(
          place.forced
            ? `replaced ${file}, which ${place.forced} (--force)`
            : `replaced ${file}, a reproducer of an earlier exploration`,
        );
      if (place.taken !== null) notes.push(`${place.taken.file} ${place.taken.why}: wrote ${file} instead`);
    } catch (error) {
      const message = (error as Error).message;
      notWritten.set(failure, message);
      notes.push(`could not write the reproducer of run ${failure.run}: ${message}`);
    }
  };
  return { write, written, notWritten, mismatches, notes, internal };
}

/**
 * 4 if the simulator halted, 3 on nondeterminism, 2 when a limit stopped runs (not judged: the
 * scenario's limits must change, as for `run` and `gate`; 4 for generated worlds, whose limits
 * are the generator's), 1 on any other failure, else 0.
 */
export function exploreExitCode(report: ExploreReport): number {
  if (report.failures.some((f) => f.kind === "halted")) return EXIT.internal;
  // A reproducer that does not replay as its failure ran: the scheduler is not deterministic.
  const mismatch = report.failures.some((f) => f.reproducerMismatch);
  if (mismatch || report.failures.some((f) => f.failed.includes("deterministic"))) return EXIT.nondeterminism;
  if (report.notJudged)
    return report.target.mode === "generated" && !moduleStopsGenerated(report) ? EXIT.internal : EXIT.usage;
  return report.failures.length > 0 ? EXIT.failed : EXIT.ok;
}

interface Setup {
  readonly plan: RunPlan;
  readonly target: ExploreTarget;
  readonly schedulers: ReturnType<typeof bundledSchedulers> | Awaited<ReturnType<typeof schedulerRegistry>>;
  readonly document?: ScenarioDocument;
  /** The files the exploration reads (its scenario, its modules): no reproducer replaces one. */
  readonly inputs: readonly string[];
  /** The scenario explored (none for generated worlds), to say where its limits are. */
  readonly scenario?: Scenario;
  /**
   * What its reproducers record of it (`# explored:`, with paths from `--out`) and the module they
   * start with, so that a rerun tells its own from another's of the same name: the scenario
   * explored (by path: two scenarios may share a name) or generated worlds, the module (by path:
   * two may share a file name), and the variant. Not the code: a rerun of an edited module or
   * scenario replaces its reproducers.
   */
  readonly owner: ReproducerOwner;
}

/** The module a reproducer's world starts with, as written in it (from `--out`), or null. */
function startingModuleOf(doc: ScenarioDocument): string | null {
  const scheduler = doc.scheduler as { module?: unknown } | undefined;
  return typeof scheduler?.module === "string" ? scheduler.module : null;
}

/** A scheduler module generated worlds run in v2's place, loaded and checked as `run --scheduler` loads one. */
interface LoadedModule {
  readonly target: ExploredModule;
  readonly plan: GeneratedModule;
  readonly factory: SchedulerFactory;
  /** Its file, by absolute path. */
  readonly absolute: string;
  readonly digest: ExploreDigest;
  readonly inputs: readonly string[];
}

/**
 * Loads `--scheduler MODULE` for generated worlds of `variant`. Bad input is exit 2: a bundled
 * scheduler's name (its variants are `--variant`'s), a module that is not there or not a
 * scheduler, and a variant the module cannot stand in for, as the gate skips it (v1, or a variant
 * whose fixes the module does not list). The module is named, in the documents and the trace, by
 * its path from `out`, as each reproducer written there names it.
 */
async function generatedModule(modulePath: string, variant: VariantName, out: string): Promise<LoadedModule> {
  if (builtinFixes(modulePath) !== null)
    throw new CliError(
      `--scheduler ${modulePath}: explore --generated runs a bundled scheduler as a --variant (buggy, fixed, early-return, panic-recovery, v1); --scheduler takes a module`,
    );
  checkModuleArgument(modulePath);
  const factory = await loadSchedulerModule(modulePath, process.cwd());
  const shown = pathArgument(modulePath, process.cwd());
  const skip = variantSkipReason({ path: shown, fixes: factory.fixes }, variant);
  if (skip !== null) throw new CliError(`--scheduler ${shown} --variant ${variant}: ${skip}`);
  const path = modulePathFrom(modulePath, join(out, "reproducer.yaml"));
  const fixes = moduleFixesOf(factory, variant);
  return {
    target: { module: shown, name: moduleSchedulerName(path), fixes },
    plan: { path, fixes },
    factory,
    absolute: resolve(modulePath),
    digest: await moduleDigest(modulePath),
    inputs: await moduleFiles([modulePath]),
  };
}

async function generatedSetup(
  variant: VariantName,
  properties: PropertyName[],
  seed: number,
  runs: number,
  module: LoadedModule | null,
): Promise<Setup> {
  const constraints = sized(PROPERTY_SIZED);
  const schedulers = bundledSchedulers();
  if (module !== null) schedulers.set(module.target.name, module.factory);
  const moduleParts =
    module === null
      ? {}
      : {
          module: module.plan,
          schedulerModules: [schedulerModuleRef(module.target.name, module.absolute)],
        };
  return {
    plan: { mode: "generated", variant, properties, constraints, seed, ...moduleParts },
    target: {
      mode: "generated",
      scenario: "generated",
      source: null,
      variant,
      seed,
      runs,
      properties,
      constraints,
      digest: module?.digest.digest ?? null,
      digestFiles: module?.digest.files ?? null,
      ...(module === null ? {} : { scheduler: module.target }),
      aftershock: packageVersion(),
    },
    schedulers,
    inputs: module?.inputs ?? [],
    owner: {
      explored:
        module === null
          ? `generated worlds, variant ${variant}`
          : `generated worlds, module ${module.plan.path} as variant ${variant}`,
      module: module?.plan.path ?? null,
    },
  };
}

async function scenarioSetup(
  ctx: CliContext,
  arg: string,
  named: VariantName | undefined,
  asked: PropertyName[],
  o: ExploreCommandOptions,
  out: string,
): Promise<Setup> {
  // Explore runs many seeds: an id only some of them generate would make some runs act on
  // nothing, so the scenario is checked at every seed as it is read, and whose each generated
  // schedule is (a deleted account's, or not) at each seed it runs.
  const runs = parseCount(o.runs, "--runs") ?? 20;
  let properties = asked;
  const loaded = loadScenario(arg, { first: parseSeed(o.seed), count: runs });
  sayWarnings(loaded, ctx.err);
  // A bundled scheduler is explored as the fixed variant unless --variant says otherwise (the
  // fix is what a sweep means to prove); a scenario's own module is explored as written (null),
  // and a bundled variant stands in for it only when --variant asks, which is said.
  const own = loaded.scenario.scheduler;
  const variant: ExploredVariant = named ?? (own.kind === "module" ? null : "fixed");
  if (own.kind === "module" && named !== undefined)
    ctx.err(
      `${moduleReplacedWarning(loaded.name, own.module, `exploring the bundled variant ${named}`)}, as --variant asks\n`,
    );
  const written = YAML.parse(readText(loaded.path)) as ScenarioDocument;
  const { document, schedulers, threadModules } = modulesFromOut(
    written,
    loaded.path,
    out,
    await schedulerRegistry(loaded),
  );
  // Explored as written, the module stands for v2 in the timeline's deploys, as in run and gate.
  if (variant === null) warnOwnModuleDeploys(loaded.compiled, schedulers, loaded.scenario, ctx.err);
  // A property the scenario expects not to hold for the variant explored (a bad deploy's cascade)
  // is left out of the default list: each seed would "fail" it as the scenario says it does.
  const judgedAs = variant ?? judgedVariant(loaded.compiled, schedulers);
  const leftOut =
    o.properties !== undefined || judgedAs === null
      ? []
      : propertiesExpectedToFail(loaded.scenario.expect, judgedAs, properties);
  for (const p of leftOut) {
    const at = loaded.scenario.source.locate(["expect", p.index]);
    ctx.err(
      `aftershock: ${loaded.name}${at ? `:${at.line}:${at.column}` : ""}: warning: ${leftOutText(p)}: explore leaves it out (--properties names what to judge)\n`,
    );
  }
  properties = properties.filter((p) => !leftOut.some((x) => x.property === p));
  if (properties.length === 0)
    throw new CliError(
      `${loaded.name}: every property explore judges is expected not to hold for the ${judgedAs} variant: name some with --properties`,
    );
  const seed = parseSeed(o.seed) ?? loaded.scenario.seed;
  // Run r explores seed + r: every one must be a seed a scenario (and so a reproducer) takes.
  if (seed > sweepBaseMax(runs)) {
    const at = loaded.scenario.source.locate(["seed"]);
    const why = `${seed} with --runs ${runs}: the last run's seed would pass ${SEED_MAX}, the largest seed; the largest usable seed for ${runs} runs is ${sweepBaseMax(runs)}`;
    if (o.seed !== undefined) throw optionError("--seed", why);
    throw new CliError(`${arg}${at ? `:${at.line}:${at.column}` : ""}: seed ${why}`);
  }
  // Each under the scenario's name, for the search's runs, and under its reproducers' (from --out),
  // for the shrinks' runs, which run on the same threads.
  const asNamed = threadModuleRefs(loaded);
  const schedulerModules = [
    ...asNamed,
    ...threadModules.filter((m) => !asNamed.some((n) => n.name === m.name)),
  ];
  const digest = await exploreDigest(loaded, variant);
  return {
    plan: { mode: "scenario", variant, properties, base: loaded.compiled, baseSeed: seed, schedulerModules },
    target: {
      mode: "scenario",
      scenario: loaded.scenario.name,
      source: arg,
      variant,
      seed,
      runs,
      properties,
      ...(leftOut.length === 0 ? {} : { propertiesLeftOut: leftOut }),
      constraints: null,
      digest: digest.digest,
      digestFiles: digest.files,
      aftershock: packageVersion(),
    },
    schedulers,
    document,
    inputs: await inputFiles(loaded),
    scenario: loaded.scenario,
    owner: {
      explored: `${modulePathFrom(loaded.path, join(out, "reproducer.yaml"))}, ${variant === null ? "its own scheduler" : `variant ${variant}`}`,
      module: variant === null ? startingModuleOf(document) : null,
    },
  };
}

function parseProperties(text: string | undefined): PropertyName[] {
  if (text === undefined) return [...DEFAULT_PROPERTIES];
  const names = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (names.length === 0) throw optionError("--properties", "name at least one property");
  for (const n of names) {
    if (!(PROPERTY_NAMES as readonly string[]).includes(n)) {
      const near = closest(n, PROPERTY_NAMES);
      throw optionError(
        "--properties",
        `unknown property "${n}" (known: ${PROPERTY_NAMES.join(", ")})${near === undefined ? "" : ` — did you mean ${near}?`}`,
      );
    }
  }
  return PROPERTY_NAMES.filter((p) => names.includes(p));
}

function shardOf(text: string): Shard {
  const shard = parseShard(text);
  if (shard === null) throw optionError("--shard", `expected i/n with 1 ≤ i ≤ n, like 2/4, found "${text}"`);
  return shard;
}

function durationOf(text: string, flag: string): number {
  const parsed = parseDuration(text, { positive: true });
  if (!parsed.ok) throw optionError(flag, `${parsed.message} (write a duration like 90s, 10m or 1h)`);
  return parsed.ms;
}

/** A whole number ≥ 0 (`--shrink-max`, `--shrink-runs`), refused past 2^53 - 1 as `--seed` is. */
function parseNonNegative(text: string, flag: string): number {
  return parseSeed(text, flag)!;
}

function originOf(t: ExploreTarget): string {
  return t.mode === "generated" ? `generated worlds (seed ${t.seed})` : `${t.source} (seeds from ${t.seed})`;
}

/** What is under way while a failure is shrunk. */
function shrinkingText(f: { readonly run: number; readonly kind: string }): string {
  return `shrinking the ${f.kind} failure of run ${f.run}`;
}

/** What the log says is under way after the search while no failure is being shrunk. */
const AFTER_SEARCH = "replaying the failures and writing their reproducers";

/**
 * Progress where no bar can be drawn (stderr is a file or a CI log): a line when the exploration
 * starts, one for each of the first failing runs as they end, one when a failure is shrunk, and
 * otherwise a count every 30 s of real time, so a log shows where a long exploration is and that
 * it is alive (CI systems end a job that prints nothing for ten minutes).
 */
export class ProgressLog {
  /** Failing runs named one by one; later ones are counted in the periodic lines. */
  static readonly FAILURES_LISTED = 10;
  private last: number;
  private listed = 0;
  /** The last counts said or not (null before the first run ends), for `tick`. */
  private counts: ExploreProgress | null = null;
  /**
   * What is under way once the search is over (a shrink, or the failures' replay and writing),
   * said by `tick` in place of the counts; null during the search.
   */
  private underWay: string | null = null;

  constructor(private readonly ctx: CliContext) {
    this.last = ctx.now();
  }

  /**
   * A line when a period has gone by with none (runs longer than the period, on worker threads):
   * the counts so far, and that runs are under way.
   */
  tick(): void {
    const now = this.ctx.now();
    if (now - this.last < LOG_EVERY_MS) return;
    const p = this.counts;
    this.say(
      this.underWay !== null
        ? `${this.underWay}: still under way`
        : p === null
          ? "runs under way, none done yet"
          : `${p.done} of ${p.planned} runs done, ${p.failures} failed; runs under way`,
    );
    this.last = now;
  }

  started(what: string): void {
    this.say(`exploring ${what}`);
  }

  progress(p: ExploreProgress): void {
    this.counts = p;
    const now = this.ctx.now();
    const counts = `${p.done} of ${p.planned} runs done, ${p.failures} failed`;
    if (p.failed !== undefined && this.listed < ProgressLog.FAILURES_LISTED) {
      this.listed++;
      const more =
        this.listed === ProgressLog.FAILURES_LISTED ? " (further failing runs are only counted)" : "";
      this.say(
        `run ${p.failed.run} (seed ${p.failed.seed}) failed ${p.failed.kinds.join(", ")} · ${counts}${more}`,
      );
    } else if (now - this.last >= LOG_EVERY_MS) {
      this.say(counts);
    } else {
      return;
    }
    this.last = now;
  }

  /** The search is over: its failures are replayed (each under its reproducer's name) and written. */
  searched(): void {
    this.underWay = AFTER_SEARCH;
  }

  shrinking(f: { readonly run: number; readonly kind: string }): void {
    this.underWay = shrinkingText(f);
    this.say(this.underWay);
    this.last = this.ctx.now();
  }

  /** A failure is described (its shrink, if any, over): its reproducer and the others' are replayed and written. */
  described(): void {
    this.underWay = AFTER_SEARCH;
  }

  /** Failing runs after the first failure, which the report leaves out (some named above). */
  leftOut(laterFailures: number): void {
    this.say(laterFailuresText(laterFailures));
  }

  private say(text: string): void {
    this.ctx.err(errText(this.ctx, `aftershock explore: ${text}\n`));
  }
}

/**
 * What cut a shrink short when the search itself ended otherwise (every run counted, or the
 * first failure): Ctrl-C or the time budget during shrinking (or Ctrl-C as a reproducer is
 * replayed) leaves `stoppedBy` as the search ended, and the first line must still say what
 * stopped the command early (Ctrl-C exits 130).
 */
function shrinkCutNote(r: ExploreReport): string {
  const cuts = new Set(r.failures.map((f) => f.shrink?.cutBy ?? null));
  if (cuts.has("interrupted") && r.stoppedBy !== "interrupted") return " · interrupted while shrinking";
  if (cuts.has("time-budget") && r.stoppedBy !== "time-budget")
    return " · the time budget cut shrinking short";
  // Or later still, as a reproducer was replayed: written all the same, not vouched for.
  const replayCut = r.failures.some(
    (f) => f.reproducerMismatch?.startsWith(NOT_REPLAYED_INTERRUPTED) === true,
  );
  if (replayCut && r.stoppedBy !== "interrupted") return " · interrupted while its reproducers were written";
  return "";
}

/**
 * The jobs the start line names: `4 jobs`; for a shard given no run (more shards than runs), that
 * it has none, since it runs nothing on any job.
 */
function jobsWords(runs: number, jobs: number, shard: Shard): string {
  if (shardRunCount(runs, shard) === 0)
    return `no run in this shard (${plural(runs, "run")} over ${shard.count} shards)`;
  return plural(exploreJobs({ runs, jobs, shard }), "job");
}

/** `1 later failing run not reported (without --keep-going only the first failure counts)` */
function laterFailuresText(n: number): string {
  return `${plural(n, "later failing run")} not reported (without --keep-going only the first failure counts)`;
}

/**
 * The human summary of an explore report; `laterFailures`: failing runs after the first failure
 * that are not reported (they depend on timing, so the report itself does not hold them);
 * `laterRuns`: all the runs after the counted ones that finished, for the rate.
 */
export function renderExplore(r: ExploreReport, paint: Paint, laterFailures = 0, laterRuns = 0): string {
  const lines: string[] = [];
  const shard = r.shards.count > 1 ? ` · shard ${r.shards.present.join(",")}/${r.shards.count}` : "";
  lines.push(paint.bold(`aftershock explore · ${describeTarget(r.target)}${shard}`));
  // A merged report's shards ran side by side (a CI matrix): its runs took as long as the
  // longest shard's search, on all their threads; the sum of the searches is said beside it.
  const seconds = (r.searchMsMax ?? r.searchMs) / 1000;
  const searches = r.shards.present.length;
  const summed =
    searches > 1 ? ` (the longest of ${searches} shards; ${(r.searchMs / 1000).toFixed(1)} s summed)` : "";
  // The runs the search did: those counted, and those beside the first failure that finished too.
  const perSecond = (r.completed + laterRuns) / seconds;
  // Slow worlds (a run a minute) are still said as a rate: 0.035 runs/s, not 0.0.
  // No rate of no runs (a shard given none): its search's few microseconds would make it 0.0.
  const rate =
    seconds > 0 && r.completed + laterRuns > 0
      ? ` · ${perSecond > 0 && perSecond < 0.1 ? perSecond.toPrecision(2) : perSecond.toFixed(1)} runs/s`
      : "";
  // The time after the search: shrinking, and replaying each failure for its reproducer.
  // A shrink cut before its first run did not shrink; no failure, nothing after the search.
  const after = r.failures.some((f) => (f.shrink?.runs ?? 0) > 0)
    ? "shrinking and replaying the failures"
    : "replaying the failures";
  // Shrinking too went on side by side: as long as the longest shard's, the sum beside it.
  const shrinkSeconds = (r.shrinkMsMax ?? r.shrinkMs) / 1000;
  const shrinkSummed =
    searches > 1 ? `, the longest of ${searches} shards; ${(r.shrinkMs / 1000).toFixed(1)} s summed` : "";
  const shrinking =
    r.shrinkMs > 0 && r.failures.length > 0
      ? ` (+ ${shrinkSeconds.toFixed(1)} s ${after}${shrinkSummed})`
      : "";
  // A merged report says why each shard stopped early, below; one shard's says it here.
  // Merge names each report file in its stops, even when it joined one (the others missing).
  const merged = r.shards.present.length > 1 || (r.shardStops ?? []).some((s) => s.report !== null);
  // A failure in the last run stopped nothing: every run was explored, and none is left to go on to.
  const stop = merged
    ? ""
    : r.stoppedBy === "failure"
      ? r.completed < r.planned
        ? " · stopped at the first failure (--keep-going to go on)"
        : ""
      : r.stoppedBy === "time-budget"
        ? " · stopped by the time budget"
        : r.stoppedBy === "interrupted"
          ? ` · interrupted after ${plural(r.completed, "run")}`
          : "";
  const cut = merged ? "" : shrinkCutNote(r);
  lines.push(
    `${r.completed} of ${r.planned} runs in ${seconds.toFixed(1)} s${summed}${rate}${shrinking} · ${r.pool.threads} ${r.pool.kind === "worker-threads" ? "worker thread" : "thread"}${r.pool.threads === 1 ? "" : "s"}${stop}${cut}`,
  );
  const missing = describeMissing(r);
  if (missing !== null) lines.push(paint.yellow(missing));
  if (merged) {
    for (const s of shardsStoppedEarly(r)) lines.push(paint.yellow(describeShardStop(s, r.shards.count)));
    const partial = describeFailureStops(r);
    if (partial !== null) lines.push(paint.yellow(partial));
  }
  if (r.pool.note) lines.push(paint.yellow(`note: ${r.pool.note}`));
  const notJudged = describeNotJudged(r);
  if (notJudged !== null) lines.push(paint.yellow(notJudged));
  lines.push("", paint.bold("Properties"));
  for (const [p, t] of Object.entries(r.properties)) {
    const mark = t.failed > 0 ? paint.red("✗") : t.exercised > 0 ? paint.green("✓") : paint.yellow("?");
    const exercised =
      t.exercised === 0 ? paint.yellow("never exercised: proves nothing") : `exercised in ${t.exercised}`;
    lines.push(`  ${mark} ${p.padEnd(34)} ${t.failed} failed of ${t.checked} · ${exercised}`);
  }
  for (const p of r.target.propertiesLeftOut ?? [])
    lines.push(paint.dim(`  ○ ${p.property.padEnd(34)} left out: ${leftOutText(p)}`));
  const fired = Object.entries(r.faultsFired);
  const byKind = Object.entries(r.faultsByKind ?? {});
  if (r.faultsByKind !== undefined) {
    // Which faults were exercised, not only how often they acted: a hang that never struck is said.
    lines.push("", paint.bold("Faults"));
    const width = Math.max(0, ...byKind.map(([f]) => f.length));
    if (byKind.length === 0) lines.push("  none planned");
    for (const [f, t] of byKind) {
      const text = `  ${f.padEnd(width)}  ${faultKindText(t)}`;
      lines.push(t.notFired > 0 && t.fired === 0 ? paint.yellow(text) : text);
    }
  } else {
    // A report saved before the table was kept: what fired, then what was skipped apart (the
    // table says both).
    lines.push("", paint.bold("Faults fired"));
    lines.push(fired.length === 0 ? "  none" : `  ${fired.map(([f, n]) => `${f} ${n}`).join(" · ")}`);
    const skipped = Object.entries(r.faultsSkipped ?? {});
    if (skipped.length > 0)
      lines.push(
        paint.dim(
          `  skipped, nothing to act on: ${skipped.map(([f, n]) => `${f} ${n}`).join(" · ")} (such as a kill of a worker already down, or an HTTP fault that failed no delivery)`,
        ),
      );
  }
  const unfired = unfiredFaultPointText(r);
  if (unfired !== null) lines.push(paint.yellow(`  ${unfired}`));
  if (r.failures.length > 0) {
    lines.push("", paint.bold(paint.red(`Failures (${r.failures.length})`)));
    for (const f of r.failures) {
      lines.push(`  ${paint.red(f.kind)} in run ${f.run} (seed ${f.seed}): ${f.detail}`);
      if (f.shrink) {
        const line = describeShrink(f.shrink);
        lines.push(f.shrink.cutBy ? paint.yellow(line) : paint.dim(line));
      }
      if (f.reproducer)
        lines.push(`    reproducer ${f.reproducer}`, `    replay:    ${paint.bold(f.replay ?? "")}`);
      if (f.reproducer && f.reproducerKept) lines.push(paint.yellow(`    kept: ${f.reproducerKept}`));
      else if (f.reproducerNotWritten)
        lines.push(paint.red(`    reproducer not written: ${f.reproducerNotWritten}`));
      if (f.reproducerMismatch)
        lines.push(paint.bold(paint.red(`    reproducer not exact: ${f.reproducerMismatch}`)));
    }
    if (laterFailures > 0) lines.push(paint.yellow(`  ${laterFailuresText(laterFailures)}`));
    for (const line of unshrunkLines(r)) lines.push(paint.yellow(`  ${line}`));
  } else {
    const judged = r.completed - (r.notJudged?.runs ?? 0);
    lines.push(
      "",
      r.completed === 0
        ? paint.yellow("Nothing explored: no run ended.")
        : !r.notJudged
          ? paint.green("No failure found.")
          : judged === 0
            ? paint.yellow("Nothing judged: every run stopped early.")
            : paint.yellow(
                `No failure found in the ${plural(judged, "run")} judged: the others stopped early.`,
              ),
    );
  }
  return lines.join("\n");
}

/**
 * Why failures were not shrunk, or not to the end, each with its own count and what would shrink
 * more: those past `--shrink-max` (`failuresUnshrunk`: no time budget shrinks them), and the
 * shrinks the time budget cut short (`cutBy: "time-budget"`, some before their first run).
 */
function unshrunkLines(r: ExploreReport): string[] {
  const lines: string[] = [];
  const unshrunk = r.failuresUnshrunk ?? 0;
  const cut = r.failures.filter((f) => f.shrink?.cutBy === "time-budget");
  if (unshrunk > 0) {
    const each = r.shards.present.length > 1 ? "each shard's" : "the";
    const max = r.shrinkFailuresMax;
    // --shrink-max 0 shrinks none, not "the first 0 failures".
    const first = max === 0 ? "none" : `${each} first ${max === 1 ? "failure" : `${max} failures`}`;
    // More shrinks would need the time the budget did not leave for these.
    const more = max === 0 ? "some" : "more";
    const raise =
      cut.length > 0 ? `raise it, and the time budget, to shrink ${more}` : `raise it to shrink ${more}`;
    lines.push(
      `${plural(unshrunk, "failure")} left unshrunk, in ${unshrunk === 1 ? "its" : "their"} original world: --shrink-max ${max} shrinks ${first} (${raise})`,
    );
  }
  if (cut.length > 0) {
    const unbegun = cut.filter((f) => f.shrink?.runs === 0).length;
    const began = unbegun === 1 ? "it began" : "they began";
    const before =
      unbegun === 0
        ? ""
        : unbegun === cut.length
          ? `, before ${began}`
          : `, ${unbegun} of them before ${began}`;
    lines.push(
      `${cut.length === 1 ? "1 shrink" : `${cut.length} shrinks`} cut short by the time budget${before} (a bigger --time-budget shrinks more)`,
    );
  }
  return lines;
}

/** The faults that fire only where a scheduler calls `rt.faultPoint`, and nowhere else. */
const FAULT_POINT_FAULTS = ["inject-panic", "hang"];

/**
 * Injected panics and hangs that were planned and fired in no run, said rather than left out of
 * the faults line: `inject-panic planned 12 times, fired 0 times: ...`. A scheduler that never
 * calls `rt.faultPoint` escapes them all, and "No failure found" would otherwise read as its
 * surviving them. Null when each fired, none was planned, or the report does not say (an
 * earlier version's).
 */
function unfiredFaultPointText(r: ExploreReport): string | null {
  const planned = r.faultsPlanned;
  if (planned === undefined) return null;
  const unfired = FAULT_POINT_FAULTS.filter((f) => (planned[f] ?? 0) > 0 && (r.faultsFired[f] ?? 0) === 0);
  if (unfired.length === 0) return null;
  const counts = unfired.map((f) => `${f} planned ${plural(planned[f], "time")}, fired 0 times`);
  const why =
    r.faultPointsReached === 0
      ? "the scheduler never reached a fault point (rt.faultPoint), the only place injected panics and hangs fire"
      : "the fault points the scheduler reached were not the ones they were armed at (a hang waits at before-delivery), or not in the tasks they target";
  return `${counts.join(" · ")}: ${why}`;
}

/** `    shrunk in 4 steps over 60 runs`, or why it was cut short, or why it never began. */
function describeShrink(shrink: NonNullable<ExploreReport["failures"][number]["shrink"]>): string {
  // A world the scheduler hung in, found on the way: a finding of its own.
  const stuck = shrink.stuck === undefined ? "" : `\n    shrink: ${shrink.stuck}`;
  const cut = shrinkCutWords(shrink.cutBy ?? null);
  // Its first world, the original one, was the world that did not end.
  if (shrink.runs === 0 && shrink.stuck !== undefined) return `    not shrunk: ${shrink.stuck}`;
  if (cut !== null && shrink.runs === 0) return `    not shrunk: ${cut} before its shrink began${stuck}`;
  const further = shrinkFurtherNote(shrink);
  return `    shrunk in ${shrink.steps} steps over ${shrink.runs} runs${further === null ? "" : ` (${further})`}${stuck}`;
}

export const exploreCli: CliCommand = {
  spec: exploreSpec,
  run: (ctx, args, options) => {
    if (args[0] === STDIN_ARG)
      throw stdinScenarioRefused(
        "explore",
        "its reproducers and shard reports name the scenario file explored, to replay and merge from",
      );
    return exploreCommand(ctx, args[0], options as ExploreCommandOptions);
  },
};

/**
 * What an interruption does to the runs under way, as the interrupt line says it. A run of a large
 * world takes many seconds: it is cut short rather than waited for; so is the one run under way in
 * this thread (--jobs 1) at Ctrl-C, where there is no worker thread to wait for (only SIGINT
 * reaches it: another signal waits for it to end), and a scheduler module's run, whose step may
 * never return: on a thread of its own even with one job (see `openPool`), unless the module would
 * not load on one, when its run in this thread holds every signal till it ends (a large world's
 * run aside, which its guard cuts short at Ctrl-C).
 */
export function underWayWords(
  signal: InterruptSignal,
  runs: {
    readonly inThisThread: boolean;
    readonly jobs: number;
    readonly modules: boolean;
    readonly long: boolean;
  },
): string {
  if (runs.inThisThread)
    return signal === "SIGINT" && (!runs.modules || runs.long)
      ? "the run under way is cut short"
      : "the run under way finishes";
  if (runs.jobs <= 1) return "the run under way is cut short";
  return runs.long || runs.modules
    ? "runs under way are cut short"
    : "runs under way on worker threads finish";
}
