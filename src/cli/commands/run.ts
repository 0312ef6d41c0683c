import {
  expectationsOfRun,
  judgeExpectations,
  notJudgedBefore,
  stoppedBeforeEndWhy,
} from "../../explore/expectations.js";
import { expectedVariants } from "../../explore/gate.js";
import { judgedVariant } from "../../explore/gate-scheduler.js";
import { type RunResult, runWorldInTurns } from "../../explore/run.js";
import { commandLine, untilWord } from "../../report/command-line.js";
import { clockOfRuns } from "../../report/judged.js";
import type { RunReport } from "../../report/run-report.js";
import { renderRun, variantLabel } from "../../report/terminal.js";
import { type CompiledScenario, withEnd } from "../../scenario/compile.js";
import type { Scenario } from "../../scenario/index.js";
import type { SchedulerChoice, WorldConfig } from "../../world/config.js";
import { parseSeed, parseUntil } from "../args.js";
import type { CliContext } from "../context.js";
import { EXIT, haltedRunText } from "../errors.js";
import { forTerminal } from "../fit-output.js";
import {
  atSeed,
  inputFiles,
  type LoadedScenario,
  loadScenario,
  sayWarnings,
  schedulerRegistry,
} from "../load.js";
import { checkOutputs, DeferredFailure, jsonRequest, sayLeftBehind } from "../outputs.js";
import { outputsDuringRun, RunWatch } from "../run-watch.js";
import { TRACE_SIGNATURE, TraceFile } from "../sinks.js";
import type { CliCommand } from "../spec.js";
import { sayWritten } from "../standard-streams.js";
import { readStdinScenario, STDIN_ARG } from "../stdin-scenario.js";
import {
  chooseVariant,
  schedulerModulesFromOptions,
  type VariantOptions,
  warnOwnModuleReplaced,
  withLoadedModule,
} from "../variant.js";
import { ReportFiles, reportFileRequests } from "./report.js";
import { runSpec } from "./specs.js";
import { limitStopMessage, limitStopText } from "./stopped.js";
import { expectationsPhrase, otherVariantsHint, renderExpectations, runExitCode } from "./verdict.js";

export interface RunCommandOptions extends VariantOptions {
  readonly seed?: string;
  readonly until?: string;
  readonly json?: boolean;
  readonly trace?: string;
  readonly quiet?: boolean;
  readonly force?: boolean;
  readonly html?: string;
  readonly perfetto?: string;
  readonly markdown?: string;
}

/** `aftershock run <scenario>`: one run, narrated; `--json` prints the RunReport alone. */
export async function runCommand(
  ctx: CliContext,
  scenarioArg: string,
  o: RunCommandOptions,
): Promise<number> {
  const seed = parseSeed(o.seed);
  const loaded = loadScenario(scenarioArg, seed);
  sayWarnings(loaded, ctx.err);
  let compiled = chooseVariant(loaded.compiled, o, loaded.path);
  warnOwnModuleReplaced(loaded, o, ctx.err);
  compiled = atSeed(compiled, seed);
  const until = parseUntil(o.until, loaded.scenario.startMs, loaded.scenario.endMs);
  if (until !== undefined) compiled = withEnd(compiled, until);
  const schedulers = await schedulerRegistry(loaded, schedulerModulesFromOptions(o));
  compiled = withLoadedModule(compiled, o, schedulers, loaded.scenario, ctx.err);
  const checked = checkOutputs(
    [
      jsonRequest(o.json),
      { flag: "--trace", path: o.trace, signature: TRACE_SIGNATURE },
      ...reportFileRequests(o),
    ],
    o.force === true,
    await inputFiles(loaded, schedulerModulesFromOptions(o)),
  );
  const files = ReportFiles.open(
    o,
    {
      scenario: compiled.config.name,
      seed: compiled.config.seed,
      startMs: compiled.config.startMs,
      labels: [compiled.variantName ?? compiled.config.scheduler.name],
    },
    checked,
  );
  const trace = o.trace ? new TraceFile(o.trace) : null;
  let result: RunResult;
  const watch = RunWatch.on(ctx, "run", compiled.config, schedulers, [], outputsDuringRun(trace !== null, o));
  try {
    const sinks = [...(trace ? [trace.sink] : []), ...(files?.sinks ?? [])];
    result = await runWorldInTurns(compiled, { schedulers, sinks, ...watch.options, wallClock: ctx.now });
  } catch (error) {
    watch.done();
    sayLeftBehind(ctx.err, [trace?.abort(), ...(files?.abort() ?? [])]);
    throw error;
  }
  watch.done();
  const { report } = result;
  const judgedAs = judgedVariant(compiled, schedulers);
  const judged =
    judgedAs === null
      ? []
      : judgeExpectations(loaded.scenario.expect, judgedAs, report.metrics, report.verdicts);
  const expectations =
    until !== undefined && until < loaded.scenario.endMs
      ? notJudgedBefore(judged, cutShortWhy(until, loaded.scenario.startMs, loaded.scenario.endMs))
      : judged;
  const reproduce = reproduceCommand(["run", loaded.argument], report.seed, compiled, o, until);
  // A run a limit stopped says so and which to raise: its trace is a part, not the replay's.
  const replayed =
    limitStopText(report) === null
      ? replayOfReproducer(loaded, compiled.config, until, report.traceHash)
      : null;
  // Said whatever the output: a reproducer that no longer replays its failure is not one.
  if (replayed !== null && !replayed.exact)
    ctx.err(`aftershock: ${loaded.name}: warning: ${replayed.text}\n`);
  // Expectations written for other variants only are said, not ignored in silence.
  const expectedOf = expectedVariants(loaded.scenario);
  const elsewhere = judged.length === 0 && expectedOf.length > 0 ? expectedOf : [];
  const hintCommand =
    elsewhere.length === 0 || compiled.variantName === null
      ? null
      : commandLine([
          "aftershock",
          "run",
          loaded.argument,
          "--variant",
          elsewhere[0],
          ...(o.seed === undefined ? [] : ["--seed", report.seed]),
        ]);
  const hint = (command: string | null) =>
    elsewhere.length === 0 ? null : otherVariantsHint(elsewhere, judgedAs, command);
  // A file that cannot be written now is said after the run's report, not instead of it.
  const writes = new DeferredFailure();
  const announce = (file: string, detail: string) => sayWritten(ctx.err, file, detail);
  if (trace !== null)
    writes.attempt(() => {
      trace.commit();
      announce(trace.path, trace.written);
    });
  // Said beside the run's name, as the terminal says it under its heading.
  const expectationsOf = judgedAs === compiled.variantName || judgedAs === null ? undefined : judgedAs;
  files?.write(
    [report],
    { expectations: [expectations], expectationsOf: [expectationsOf], reproduce },
    writes,
    announce,
  );
  if (writes.failed) sayLeftBehind(ctx.err, [trace?.abort(), ...(files?.abort() ?? [])]);
  if (o.json) {
    // The RunReport, and the scenario's expectations of the run as they decide its exit code.
    const judgedJson = expectationsOfRun(expectations, report.run);
    // As runScenario returns them, and nothing more: the hint of other variants' expectations is for people.
    ctx.out(`${JSON.stringify({ ...report, expectations: judgedJson }, null, 2)}\n`);
  } else if (o.quiet) {
    const failed = report.verdicts.filter((v) => !v.ok).map((v) => v.property);
    const verdict = failed.length === 0 ? "all properties held" : `failed: ${failed.join(", ")}`;
    const stopped = limitStopText(report);
    // A run stopped early is not judged (exit 2), so its expectations decide nothing.
    const decided = stopped === null ? expectationsPhrase(expectations) : null;
    const outcome = stopped === null ? verdict : `${stopped}; ${verdict} up to then`;
    // Its line says expectations only when they decided: the others are said on stderr.
    const said = hint(hintCommand);
    if (said !== null) ctx.err(`aftershock: ${loaded.argument}: ${said}\n`);
    ctx.out(
      `${report.scenario} [${variantLabel(report)}] seed ${report.seed}: trace ${report.traceHash}, cascade depth ${report.metrics.cascadeDepth}, ${decided === null ? outcome : `${outcome}; ${decided}`}\n`,
    );
  } else {
    // On a terminal, fitted to its width; the reproduce line stays whole, to be copied.
    const columns = ctx.outColumns?.();
    ctx.out(`${forTerminal(ctx, renderRun(report, ctx.paint, { columns }), columns)}\n`);
    if (expectations.length > 0)
      ctx.out(
        `\n${forTerminal(
          ctx,
          renderExpectations(
            expectations,
            ctx.paint,
            report.run.judged,
            clockOfRuns([report]),
            expectationsOf,
          ),
          columns,
        )}\n`,
      );
    const said = hint(hintCommand);
    if (said !== null)
      ctx.out(
        `\n${forTerminal(ctx, `${ctx.paint.bold("Expectations")}\n  ${ctx.paint.yellow(said)}`, columns)}\n`,
      );
    ctx.out(`\n${ctx.paint.dim(`Reproduce: ${reproduce}`)}\n`);
    if (replayed?.exact) ctx.out(`${ctx.paint.dim(replayed.text)}\n`);
  }
  return writes.exitCode(runOutcome(ctx, report, loaded.scenario, expectations, reproduce), ctx.err);
}

/**
 * What a run of an explore reproducer says of its replay: whether it gave the trace its header
 * records (`# trace hash …`). Null when the file is no reproducer, or the run is not its replay:
 * another seed or scheduler (a `--variant` or `--scheduler` naming its own, with its fixes, is its
 * replay), or cut short by `--until` (the caller leaves out a run a limit stopped).
 */
function replayOfReproducer(
  loaded: LoadedScenario,
  ran: WorldConfig,
  until: number | undefined,
  traceHash: string,
): { readonly exact: boolean; readonly text: string } | null {
  const recorded = loaded.replayHash;
  const own = loaded.compiled.config;
  if (recorded === null || until !== undefined || ran.seed !== own.seed) return null;
  if (!sameScheduler(ran.scheduler, own.scheduler)) return null;
  if (traceHash === recorded)
    return { exact: true, text: `Replays the reproducer exactly: trace ${traceHash}, as its header records` };
  return {
    exact: false,
    text: `the reproducer's header records trace ${recorded}, and this run gave ${traceHash}: it does not replay the failure exactly (aftershock, the scheduler module or the file changed since explore wrote it, or the scheduler is not deterministic)`,
  };
}

/** Whether two runs run one scheduler: the same one, with the same fixes and options. */
function sameScheduler(a: SchedulerChoice, b: SchedulerChoice): boolean {
  const fixes = (c: SchedulerChoice) => JSON.stringify([...c.fixes].sort());
  return (
    a.name === b.name && fixes(a) === fixes(b) && JSON.stringify(a.options) === JSON.stringify(b.options)
  );
}

/**
 * The command that replays this run (`command`: `run` and its scenario, or `why`, its scenario
 * and target): the named variant, or the scheduler (a module, with the fixes it ran with) when no
 * variant is that choice, and the seed and `--until` it ran with.
 */
export function reproduceCommand(
  command: readonly string[],
  seed: number,
  compiled: CompiledScenario,
  o: VariantOptions,
  untilMs: number | undefined,
): string {
  const fixes = compiled.config.scheduler.fixes;
  const scheduler =
    compiled.variantName !== null
      ? ["--variant", compiled.variantName]
      : o.scheduler !== undefined
        ? ["--scheduler", o.scheduler, ...(fixes.length > 0 ? ["--fix", fixes.join(",")] : [])]
        : [];
  // The instant it stopped at, in one form (`report` rebuilds the same line from saved output).
  const until = untilMs !== undefined ? ["--until", untilWord(untilMs, compiled.config.startMs)] : [];
  return commandLine(["aftershock", ...command, "--seed", seed, ...scheduler, ...until]);
}

/** Why `--until` leaves the expectations unjudged: the run ends before the scenario's end. */
function cutShortWhy(untilMs: number, startMs: number, endMs: number): string {
  return stoppedBeforeEndWhy(`--until ${untilWord(untilMs, startMs)}`, untilWord(endMs, startMs));
}

/** The exit code of a finished run, with what the user must know about a halt or a limit. */
function runOutcome(
  ctx: CliContext,
  report: RunReport,
  scenario: Scenario,
  expectations: Parameters<typeof runExitCode>[1],
  reproduce: string,
): number {
  if (report.run.stopReason === "halted") {
    ctx.err(haltedRunText(report.run.detail, reproduce));
    return EXIT.internal;
  }
  const limited = limitStopMessage(report, scenario, variantLabel(report));
  if (limited !== null) {
    ctx.err(`aftershock: ${limited}\n`);
    return EXIT.usage;
  }
  return runExitCode(report, expectations);
}

export const run: CliCommand = {
  spec: runSpec,
  run: async (ctx, args, options) => {
    if (args[0] === STDIN_ARG) await readStdinScenario("run", process.stdin.isTTY === true);
    return runCommand(ctx, args[0], options as RunCommandOptions);
  },
};
