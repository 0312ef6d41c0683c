import { type Dirent, existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { availableParallelism, hostname } from "node:os";
import { basename, dirname, extname, isAbsolute, join, resolve, sep } from "node:path";
import { breathe } from "../../explore/breathe.js";
import { leftOutText } from "../../explore/expectations.js";
import {
  exploreLeftOut,
  type GateConstraints,
  type GatePlan,
  type GateReport,
  type GateRunResult,
  type GateScenario,
  goldenNotWritten,
  judgeGate,
  planGate,
  refusalReport,
  updateGoldenCommand,
} from "../../explore/gate.js";
import {
  type GoldenFile,
  type GoldenParse,
  goldenPosition,
  parseGolden,
  renderGolden,
  staleVariants,
} from "../../explore/gate-golden.js";
import type { SchedulerSubstitution } from "../../explore/gate-scheduler.js";
import { SEED_MAX, sweepBaseMax } from "../../explore/seeds.js";
import { plural, RunInterrupted, thrownMessage } from "../../kernel/index.js";
import { escapeControls } from "../../kernel/time.js";
import {
  gateCountsLine,
  renderGateMarkdown,
  renderGateTerminal,
  renderGithubAnnotations,
  renderInputAnnotations,
} from "../../report/gate-summary.js";
import { renderJUnit } from "../../report/junit.js";
import {
  checkIdRefsAtSeed,
  type IssueCode,
  type PathKey,
  parseScenario,
  type ScenarioIssue,
} from "../../scenario/index.js";
import { TRACE_FORMAT } from "../../world/events.js";
import { parseCount } from "../args.js";
import { bundledPathShown, bundledScenarioDir, bundledScenarios } from "../bundled-scenarios.js";
import type { CliContext } from "../context.js";
import {
  CliError,
  EXIT,
  errorAt,
  type InputProblem,
  problemsAsData,
  saidText,
  signalExitCode,
} from "../errors.js";
import {
  type GateRunnerInit,
  InputProblems,
  locateHere,
  prepareRunnables,
  type RunnableScenario,
  type Runnables,
  runHere,
  runInPool,
  ThreadRuns,
  threadBatches,
  variantRunKey,
  workerEntry,
} from "../gate-runner.js";
import { terminalText } from "../glyphs.js";
import { outputTarget, readText, writeFileAtomic } from "../io.js";
import { issueProblem } from "../issue-error.js";
import {
  insidePath,
  isScenarioModule,
  scenarioArgument,
  scenarioModulePaths,
  warningLines,
} from "../load.js";
import { moduleFiles } from "../module-imports.js";
import {
  checkOutputs,
  DeferredFailure,
  JUNIT_SIGNATURE,
  jsonRequest,
  type OutputRequest,
  SUMMARY_SIGNATURE,
  type UnwrittenOutput,
} from "../outputs.js";
import { MARKDOWN_SEAL } from "../seal.js";
import type { CliCommand } from "../spec.js";
import { sayWritten, shownPath } from "../standard-streams.js";
import { CLEAR_LINE, drawStatus, LOG_EVERY_MS } from "../status-line.js";
import { STDIN_ARG } from "../stdin-scenario.js";
import { sayOnStrayEnd } from "../stray-errors.js";
import { exitNow } from "../stray-writer.js";
import {
  droppedDeployFixes,
  droppedDeployFixProblems,
  emptySchedulerError,
  moduleReplacedWarning,
} from "../variant.js";
import { checkOutDir, makeOutDir } from "./explore-out.js";
import { gateSpec } from "./specs.js";
import { SCENARIO_FILE, scenarioFiles, unsearchedSubfolders, unsearchedText } from "./validate.js";

export interface GateCommandOptions {
  readonly junit?: string;
  readonly markdown?: string;
  readonly json?: boolean;
  readonly jobs?: string;
  readonly explore?: string;
  readonly scheduler?: string;
  readonly updateGolden?: boolean;
  readonly requireGolden?: boolean;
  readonly force?: boolean;
  readonly verbose?: boolean;
}

/** The golden hashes of a scenario file: `golden/<file name>.json` beside it. */
export function goldenPathOf(scenarioFile: string): string {
  return join(dirname(scenarioFile), "golden", `${basename(scenarioFile, extname(scenarioFile))}.json`);
}

/** `aftershock gate [paths...]`: every expectation of every scenario, run twice, as CI test results. */
export async function gateCommand(
  ctx: CliContext,
  paths: readonly string[],
  o: GateCommandOptions,
  refusal: RefusalReports = { reports: [], startedAt: "" },
): Promise<number> {
  const startedAt = new Date().toISOString();
  // Every problem of every path, file and option is said at once, before anything runs.
  const problems = new InputProblems();
  const jobsAsked = problems.check(() => parseCount(o.jobs, "--jobs"));
  const explore =
    o.explore === undefined ? 0 : (problems.check(() => parseCount(o.explore, "--explore")) ?? 0);
  // Not read as the working folder's path, which is no module.
  if (o.scheduler === "") problems.keep(emptySchedulerError(true));
  if (o.updateGolden && o.scheduler !== undefined) {
    problems.add(
      "--update-golden pins the traces of the schedulers the scenarios name: it does not go with --scheduler",
    );
  }
  const files = gateFiles(paths, problems);
  const reports: OutputRequest[] = [
    jsonRequest(o.json),
    { flag: "--junit", path: o.junit, signature: JUNIT_SIGNATURE },
    { flag: "--markdown", path: o.markdown, signature: SUMMARY_SIGNATURE, seal: MARKDOWN_SEAL },
  ];
  const texts = files.map((file) => ({ file, text: problems.check(() => readText(file)) }));
  // The scheduler modules the gate loads (--scheduler, and those the scenarios name), and the
  // local files they import, are inputs as the scenarios are.
  const modules = [
    ...(o.scheduler === undefined || o.scheduler === "" ? [] : [o.scheduler]),
    ...scenarioModules(texts),
  ];
  const moduleInputFiles = modules.length === 0 ? [] : await moduleFiles(modules);
  problems.check(() =>
    checkOutputs(reports, o.force === true, [...files, ...files.map(goldenPathOf), ...moduleInputFiles]),
  );
  checkNotGolden(reports, files, problems);
  // From here until the gate writes its reports, a module that ends the process (`process.exit`,
  // an error outside a run, as it loads too) leaves an earlier gate's report there: said so.
  sayOnStrayEnd(() => earlierReports(o));
  refusal.startedAt = startedAt;
  refusal.reports = reportsFitFor(reports, o.force === true, files, [
    ...files,
    ...files.map(goldenPathOf),
    ...moduleInputFiles,
  ]);
  const cwd = process.cwd();
  const init: GateRunnerInit = {
    scenarios: texts.flatMap(({ file, text }) => (text === undefined ? [] : [{ file, text }])),
    schedulerModule: o.scheduler || null,
    cwd,
  };
  checkGoldenPaths(files, problems);
  if (o.updateGolden === true) checkGoldenFolders(files, problems);
  const prepared = await problems.checkAsync(() => prepareRunnables(init));
  // What validate warns of in each scenario, at its own seed and at the seeds explored.
  let scenarioWarnings: ScenarioIssue[][] = [];
  if (prepared !== undefined) {
    checkScenarioNames(prepared, problems);
    checkExploreSeeds(prepared, explore, problems);
    scenarioWarnings = prepared.scenarios.map(({ warnings }) => [...warnings]);
    if (explore > 0) checkExploredIds(prepared, explore, problems, scenarioWarnings);
  }
  const nameOf = new Map(prepared?.scenarios.map(({ gs }) => [gs.file, gs.scenario.name]));
  // With --update-golden, a golden file that cannot be used is rewritten, not refused.
  const unreadable = new Map<string, string>();
  // The golden files of earlier names of renamed scenario files, by scenario file.
  const goldenFrom = new Map<string, string>();
  const goldens = files.map((file) => {
    const goldenFile = goldenPathOf(file);
    const read = problems.check(() => readGolden(goldenFile));
    if (read === undefined) return null;
    const name = nameOf.get(file);
    if (read.ok && read.golden === null && name !== undefined) {
      const left = leftGolden(file, name);
      if (left !== null) goldenFrom.set(file, left.path);
      return left?.golden ?? null;
    }
    const wrong: { text: string; line: number; column: number } | null = !read.ok
      ? { ...read, text: `not a golden hash file: ${read.message}` }
      : read.golden !== null && name !== undefined && read.golden.scenario !== name
        ? {
            text: `recorded for scenario "${read.golden.scenario}", not for "${name}" of ${file}`,
            ...goldenPosition(readText(goldenFile, "a golden file"), ["scenario"]),
          }
        : null;
    if (wrong === null) return read.ok ? read.golden : null;
    if (o.updateGolden === true) {
      unreadable.set(goldenFile, `${wrong.text}, at line ${wrong.line}, column ${wrong.column}`);
    } else {
      // At its line and column, so that the annotation of a pull request shows it in the file.
      const place = { file: goldenFile, line: wrong.line, column: wrong.column };
      problems.keep(errorAt(place, `${wrong.text} (rewrite it with ${updateGoldenCommand(file)})`));
    }
    return null;
  });
  problems.throwIfAny();
  const runnables = prepared!; // prepared unless a problem was kept, and then this is not reached
  const scenarios: GateScenario[] = runnables.scenarios.map(({ gs, substitution, standIn }, i) => ({
    ...gs,
    ...(standIn === null ? {} : { substitutionName: standIn.name }),
    argument: scenarioArgument(gs.file, cwd),
    goldenFile: goldenPathOf(gs.file),
    golden: goldens[i],
    ...(goldenFrom.has(gs.file) ? { goldenFrom: goldenFrom.get(gs.file) } : {}),
    substitution,
  }));
  const entry = workerEntry();
  const constraints: GateConstraints = {
    exploreSeeds: explore,
    substitution: runnables.substitution,
    updateGolden: o.updateGolden === true,
    requireGolden: o.requireGolden === true,
    // A run on a thread that loads a scheduler module anew wants the built worker.
    freshImports: entry !== null,
  };
  const plan = planGate(scenarios, constraints);
  if (plan.runs.length === 0) throw new CliError(nothingToGate(files, scenarios, plan));
  // Said on stderr as they come, and kept for the JSON and Markdown reports.
  const warnings: string[] = [];
  const warn: Warn = (line) => {
    ctx.err(`${line}\n`);
    warnings.push(line.replace(/^aftershock: /, ""));
  };
  // Annotated too (GitHub Actions), as refused input is: at their place where they have one.
  const annotatedWarnings: InputProblem[] = [];
  annotatedWarnings.push(...warnSubfolders(warn, paths.length === 0 ? ["scenarios"] : paths));
  // Not annotated here: its skipped "no expectations" case is, at the file.
  for (const s of scenarios) {
    if (s.scenario.expect.length === 0)
      warn(`aftershock: ${s.file}: no \`expect\` list, nothing to gate there`);
  }
  if (!o.updateGolden && runnables.substitution === null)
    annotatedWarnings.push(...warnStaleGolden(warn, scenarios, plan));
  if (runnables.substitution === null) annotatedWarnings.push(...warnLeftGolden(warn, scenarios));
  annotatedWarnings.push(...warnOwnModuleReplaced(warn, scenarios, runnables.substitution, cwd));
  annotatedWarnings.push(...warnDroppedDeployFixes(warn, scenarios, plan));
  annotatedWarnings.push(...warnScenarioIssues(warn, scenarioWarnings, plan));
  annotatedWarnings.push(...warnExploreLeftOut(warn, scenarios, plan));

  // No more threads than batches of runs that must share one (a variant's two runs do).
  const batches = threadBatches(plan.runs).length;
  const jobs = Math.min(jobsAsked ?? (entry ? availableParallelism() : 1), Math.max(1, batches));
  if (jobs > 1 && entry === null && jobsAsked !== undefined) {
    warn("aftershock: --jobs: running from source without the built worker; runs stay in one thread");
  }
  // A scheduler module's runs (the plan then has `fresh` ones) go to a worker thread even with one
  // job: a step of the module that never returns would hold this thread, and with it the SIGTERM
  // handler by which CI cancels a job, until the run's wall-clock budget; a thread's watchdog stops
  // it as surely, and the handler answers at once.
  const moduleRuns = plan.runs.some((r) => r.role === "fresh");
  const parallel = entry !== null && (jobs > 1 || moduleRuns);
  const showProgress = gateProgress(ctx, plan.runs.length);
  let done = 0;
  const progress = (n: number) => {
    done = Math.max(done, n);
    showProgress(n);
  };
  // Ctrl-C, SIGTERM (how CI systems cancel a job) or SIGHUP (the terminal closed): nothing is
  // judged or written from part of the runs, but say so rather than vanish; exit 130, 143 or 129
  // as a shell would report the signal.
  const onSignal = (signal: NodeJS.Signals) => {
    if (ctx.errIsTty) showProgress(-1);
    const by = signal === "SIGINT" ? "" : ` by ${signal}`;
    const earlier = earlierReports(o);
    const left = earlier === null ? "" : ` (${earlier})`;
    ctx.err(
      `aftershock: interrupted${by} after ${done} of ${plan.runs.length} runs; nothing judged or written${left}\n`,
    );
    exitNow(signalExitCode(signal));
  };

  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("SIGHUP", onSignal);
  // Runs that take minutes each end seldom: the count is also said between two ends (in a log,
  // at most every `LOG_EVERY_MS`; a terminal's line is redrawn the same).
  const ticks = setInterval(() => showProgress(done), LOG_EVERY_MS);
  ticks.unref();
  const started = ctx.now();
  let results: GateRunResult[];
  try {
    // Said once the handlers are in place: from the first line on, a Ctrl-C is answered.
    if (!o.json) {
      ctx.out(
        `${ctx.paint.bold("aftershock gate")}: ${plural(scenarios.length, "scenario")}, ${plan.runs.length} runs (each variant twice${moduleRuns ? ", a scheduler module's once more on a new thread" : ""}${exploredSeedsText(explore, scenarios.length, new Set(plan.runs.filter((r) => r.role === "explore").map((r) => r.scenario)).size)}), ${threadsText(parallel, jobs, moduleRuns)}${runnables.substitution ? `, scheduler ${runnables.substitution.path} in place of v2` : ""}\n`,
      );
    }
    const wallBudgetsMs = plan.runs.map(
      (run) => runnables.scenarios[run.scenario].gs.compiled.config.limits.wallBudgetMs,
    );
    if (parallel) {
      results = await runInPool(entry!, init, plan.runs, jobs, progress, { wallBudgetsMs, now: ctx.now });
    } else {
      results = new Array(plan.runs.length);
      const here = new ThreadRuns((run) => runHere(runnables, run, ctx.now));
      // Left for the end: each wants a thread that has not loaded the scheduler module, not this one.
      const fresh: number[] = [];
      let made = 0;
      for (const [id, run] of plan.runs.entries()) {
        if (run.role === "fresh") {
          fresh.push(id);
          continue;
        }
        // Let a Ctrl-C handler run between two runs.
        await breathe();
        try {
          results[id] = { ...here.run(run), endedAtMs: ctx.now() };
        } catch (error) {
          // Ctrl-C cut the run short; the handler, told already, ends the process (or does now).
          if (error instanceof RunInterrupted) onSignal("SIGINT");
          throw error;
        }
        progress(++made);
      }
      if (fresh.length > 0) {
        const runs = fresh.map((id) => plan.runs[id]);
        // Their first runs, made here: one the wall clock stopped leaves its fresh run unmade.
        const firsts = new Map(
          plan.runs.flatMap((r, id) =>
            r.role === "first" ? [[variantRunKey(r), results[id]] as const] : [],
          ),
        );
        const budgets = { wallBudgetsMs: fresh.map((id) => wallBudgetsMs[id]), now: ctx.now, firsts };
        const freshResults = await runInPool(entry!, init, runs, 1, (n) => progress(made + n), budgets);
        fresh.forEach((id, k) => {
          results[id] = freshResults[k];
        });
      }
    }
  } finally {
    clearInterval(ticks);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
  }
  progress(-1);
  const judged = judgeGate(scenarios, plan, results, constraints, (scenario, variant) =>
    locateHere(runnables, scenario, variant, ctx.now),
  );
  const wallMs = ctx.now() - started;

  // Golden files first: a case says a hash was recorded only once its file is written.
  const report = o.updateGolden ? writeGolden(ctx, scenarios, judged, unreadable) : judged;
  // A file that cannot be written now is said after the gate's report, not instead of it.
  const writes = new DeferredFailure();
  sayOnStrayEnd(null);
  if (o.junit) {
    const junit = o.junit;
    writes.attempt(
      () => {
        writeFileAtomic(junit, renderJUnit(report, { timestamp: startedAt, hostname: hostname(), wallMs }));
        sayWritten(ctx.err, junit, "");
      },
      { flag: "--junit", path: junit },
    );
  }
  if (o.markdown) {
    const markdown = o.markdown;
    writes.attempt(
      () => {
        writeFileAtomic(markdown, MARKDOWN_SEAL.seal(renderGateMarkdown(report, warnings, writes.unwritten)));
        sayWritten(ctx.err, markdown, "");
      },
      { flag: "--markdown", path: markdown },
    );
  }
  // The code the process exits with, a report not written included, is the one the gate says.
  const exitCode = writes.codeAfter(report.exitCode);
  const unwritten = writes.unwritten;
  const annotations = isGithubActions(ctx.env)
    ? renderGithubAnnotations(report, workspacePath(ctx.env)) +
      renderInputAnnotations(annotatedWarnings.map(inert), "aftershock gate warning", workspacePath(ctx.env))
    : "";
  if (o.json) {
    ctx.out(`${JSON.stringify(gateJson({ ...report, exitCode }, warnings, unwritten), null, 2)}\n`);
    if (annotations) ctx.err(annotations);
  } else {
    ctx.out(`${terminalText(ctx, renderGateTerminal(report, ctx.paint, o.verbose === true))}\n`);
    if (annotations) ctx.out(annotations);
    const why =
      unwritten.length === 0 ? "" : ` (${unwritten.map((u) => `${u.flag} not written`).join(", ")})`;
    ctx.out(
      terminalText(
        ctx,
        `${ctx.paint.dim(`${runsMade(results, plan.runs.length)} in ${(wallMs / 1000).toFixed(1)} s · exit ${exitCode}${why}`)}\n`,
      ),
    );
    ctx.out(`${gateCountsLine(report)}\n`);
  }
  return writes.exitCode(report.exitCode, ctx.err, exitCode);
}

/**
 * Why a gate with no run to make is refused: no scenario has expectations, or every expectation
 * is of a variant that does not apply to the module in v2's place. Zero runs judge nothing, and a
 * gate that judged nothing must not read as passed.
 */
function nothingToGate(files: readonly string[], scenarios: readonly GateScenario[], plan: GatePlan): string {
  const advice = "pass --explore N to explore seeds";
  if (scenarios.every((s) => s.scenario.expect.length === 0)) {
    return `nothing to gate: ${files.length === 1 ? `${files[0]} has no` : `none of the ${files.length} scenarios has an`} \`expect\` list (add expectations, or ${advice})`;
  }
  const reasons = [...new Set(plan.scenarios.flatMap((p) => [...p.skipped.values()]))];
  const whose = files.length === 1 ? files[0] : `the ${files.length} scenarios`;
  return `nothing to gate: every expectation of ${whose} is skipped, so no run would be made (${reasons.join("; ")}): add an expectation of a variant the module runs as, or ${advice}`;
}

/**
 * `22 runs`, or `20 of 22 runs` when some were not made (the second run of a variant whose first
 * the wall-clock budget stopped: `ThreadRuns`).
 */
function runsMade(results: readonly GateRunResult[], planned: number): string {
  const made = results.filter((r) => r.notRun !== true).length;
  return made === planned ? `${planned} runs` : `${made} of ${planned} runs`;
}

/** Why the gate reads no scenario from stdin, and what to do instead. */
const STDIN_REFUSED =
  "gate -: the gate checks each scenario file against the golden trace hashes beside it (golden/NAME.json), which a scenario read from stdin has no place for; save it to a file and gate that (run - and compare - judge its expectations without golden hashes)";

/**
 * An absolute scenario path as the gate shows it: by its path from the working directory when it
 * is inside it, however the path reaches it (through a link: a shell's `$PWD` is the path typed,
 * the process's working directory the real one, as `/tmp` is `/private/tmp` on macOS); else as it is.
 */
function shownFromHere(file: string): string {
  const cwd = process.cwd();
  const typed = process.env.PWD;
  const bases =
    typed !== undefined && isAbsolute(typed) && realFile(typed) === realFile(cwd) ? [cwd, typed] : [cwd];
  for (const base of bases) {
    const inside = insidePath(file, base);
    if (inside !== null) return inside;
  }
  // The file's folder by its real path, against the working directory's: the file's own name
  // stays as given (a link to a scenario elsewhere is shown as the link).
  return insidePath(join(realFile(dirname(file)), basename(file)), realFile(cwd)) ?? file;
}

/**
 * Scenario files named by the arguments (default `scenarios/`), shown relative to the working
 * folder. A path that names none is kept in `problems`.
 */
function gateFiles(paths: readonly string[], problems: InputProblems): string[] {
  if (paths.length === 0 && !existsSync("scenarios")) {
    throw new CliError(
      `no paths given and there is no scenarios/ folder here: name scenario files or folders${bundledFolderHint()}`,
    );
  }
  const given = paths.length === 0 ? ["scenarios/"] : paths;
  // A golden file is found by its scenario file's place, which stdin has not: `-` is refused,
  // with the other problems, rather than looked for as a file.
  if (given.includes(STDIN_ARG)) problems.add(STDIN_REFUSED);
  const files = given.flatMap((p) =>
    p === STDIN_ARG
      ? []
      : (problems.check(() => scenarioFiles([p === "" ? p : p.replace(/\/+$/, "") || "/"])) ?? []),
  );
  const shown = files.map((f) => (isAbsolute(f) ? shownFromHere(f) : f));
  // One file named twice (`a.yaml ./a.yaml`, a link to it) is gated once, shown as first named.
  const seen = new Set<string>();
  return shown.filter((f) => {
    const real = realFile(f);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/**
 * Where the bundled scenarios are, for a gate run with no paths where there is no `scenarios/`
 * (a user's project): the gate takes paths, not names, so it names their folder.
 */
function bundledFolderHint(): string {
  if (bundledScenarios().length === 0) return "";
  const folder = bundledPathShown(bundledScenarioDir().replace(/\/+$/, ""));
  return `; the bundled scenarios are gated by their folder, ${folder}, or a file in it (aftershock list names them)`;
}

/**
 * The scheduler modules the scenarios name (their own, their deploys), as absolute paths. One
 * that cannot be read or parsed names none here: its problems are said when it is prepared.
 */
function scenarioModules(texts: readonly { file: string; text: string | undefined }[]): string[] {
  return texts.flatMap(({ file, text }) => {
    if (text === undefined) return [];
    const parsed = parseScenario(text, file);
    return parsed.ok ? scenarioModulePaths(parsed.scenario, file) : [];
  });
}

/**
 * A folder is gated without its subfolders (its `golden/` holds JSON that is not a scenario):
 * name, in one line, the subfolders of the folders given that hold scenario files, so they are
 * not believed gated.
 */
function warnSubfolders(warn: Warn, paths: readonly string[]): InputProblem[] {
  const skipped = unsearchedSubfolders(paths);
  if (skipped.length === 0) return [];
  const message = unsearchedText(skipped, "gated", "gate");
  warn(`aftershock: ${message}`);
  // No place: a folder is no file a pull request can show a line of; the run shows it.
  return [{ place: null, severity: "warning", message }];
}

/** A folder's entries; none when it is not a folder or cannot be read (said elsewhere, if at all). */
function listFolder(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch {
    return [];
  }
}

/** `file` with its links resolved, or resolved as named when it is not there. */
function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/**
 * With --explore, each scenario runs at many seeds: ids only some seeds generate are refused, and
 * whose each generated schedule is is drawn at each seed explored. Warnings at those seeds are
 * added to the scenario's `warnings`.
 */
function checkExploredIds(
  runnables: Runnables,
  explore: number,
  problems: InputProblems,
  warnings: ScenarioIssue[][],
): void {
  runnables.scenarios.forEach(({ gs }, i) => {
    // The seeds after the scenario's own, as `exploreSeedsOf` plans them.
    const issues = checkIdRefsAtSeed(gs.scenario, { first: gs.compiled.config.seed + 1, count: explore });
    const errors = issues.filter((issue) => issue.severity !== "warning");
    if (errors.length > 0) problems.addIssues(errors);
    warnings[i].push(...issues.filter((issue) => issue.severity === "warning"));
  });
}

/**
 * Two files whose scenarios share a `name` would give two JUnit suites of that name with the
 * same case names, which CI test reports merge or overwrite: each name must be unique.
 */
function checkScenarioNames(runnables: Runnables, problems: InputProblems): void {
  const firstFileOf = new Map<string, string>();
  for (const { gs } of runnables.scenarios) {
    const name = gs.scenario.name;
    const first = firstFileOf.get(name);
    if (first === undefined) {
      firstFileOf.set(name, gs.file);
      continue;
    }
    problems.addIssues([
      placedIssue(
        gs,
        ["name"],
        "conflict",
        `scenario name "${name}" is also the name of ${first}: the gate names its test suites and cases by scenario, so two scenarios gated together need different names (change \`name:\` in one of them)`,
      ),
    ]);
  }
}

/**
 * A golden file is named after its scenario file without the extension: `x.yaml` and `x.json`
 * in one folder would share `golden/x.json`, each run overwriting the other's hashes, so the
 * gate could never pass. Such files cannot be gated together.
 */
function checkGoldenPaths(files: readonly string[], problems: InputProblems): void {
  const firstFileOf = new Map<string, string>();
  for (const file of files) {
    const golden = goldenPathOf(file);
    const key = join(realFile(dirname(file)), "golden", basename(golden));
    const first = firstFileOf.get(key);
    if (first === undefined) {
      firstFileOf.set(key, file);
      continue;
    }
    problems.add(
      `${file}: its golden hashes would go to ${golden}, which holds those of ${first}: a golden file is named after its scenario file without the extension, so two scenarios gated together need different file names (rename one of them)`,
    );
  }
}

/**
 * A scenario's golden path belongs to the gate whether its file exists yet or not: it is read
 * there, and --update-golden writes it. A report written to it would be taken for golden hashes
 * by the next gate (or, written after them, replace them), so it is refused like an output onto
 * an input. One that exists is an input `checkOutputs` compares as a file (through hard links
 * too); this compares the paths of those not written yet.
 */
function checkNotGolden(
  reports: readonly OutputRequest[],
  files: readonly string[],
  problems: InputProblems,
): void {
  const goldenOf = new Map<string, string>();
  for (const file of files) {
    const target = problems.check(() => outputTarget(goldenPathOf(file)));
    if (target?.kind === "file" && target.stat === null && !goldenOf.has(target.real))
      goldenOf.set(target.real, file);
  }
  for (const { flag, path } of reports) {
    if (path === undefined || path === "") continue;
    // A path refused as an output is said once, by the check of the outputs (`checkOutputs`).
    let target: ReturnType<typeof outputTarget> | null = null;
    try {
      target = outputTarget(path, `${flag} ${path}`);
    } catch {
      continue;
    }
    const file = target.kind === "file" ? goldenOf.get(target.real) : undefined;
    if (file === undefined) continue;
    problems.add(
      `${flag} ${path}: the golden hash file of ${file}, which --update-golden writes; write the report elsewhere`,
    );
  }
}

/**
 * What the header says of `--explore n` over `scenarios` scenarios, of which `explored` run their
 * explored seeds: a scenario that expects both explored properties not to hold for `fixed` (a bad
 * deploy's) has none left to judge, and its seeds are skipped cases, not runs.
 */
export function exploredSeedsText(n: number, scenarios: number, explored: number): string {
  if (n === 0) return "";
  const seeds = `${plural(n, "explored seed")} each`;
  if (explored === scenarios) return `, ${seeds}`;
  if (explored === 0) return `; the explored seeds are skipped: no property is left to judge at them`;
  return `, ${seeds} for ${explored} of ${plural(scenarios, "scenario")}`;
}

/** Refuses a scenario whose explored seeds (`seed + 1` ... `seed + n`) would pass the largest seed. */
function checkExploreSeeds(runnables: Runnables, explore: number, problems: InputProblems): void {
  if (explore === 0) return;
  const baseMax = sweepBaseMax(explore + 1);
  for (const { gs } of runnables.scenarios) {
    const seed = gs.compiled.config.seed;
    if (seed <= baseMax) continue;
    problems.addIssues([
      placedIssue(
        gs,
        ["seed"],
        "out-of-range",
        `seed ${seed} with --explore ${explore}: the explored seeds (${seed} + 1 to + ${explore}) would pass ${SEED_MAX}, the largest seed; the largest usable seed with --explore ${explore} is ${baseMax}`,
      ),
    ]);
  }
}

/** An issue the gate finds in a scenario it parsed, at the place of `path` in its file (else its top). */
function placedIssue(
  gs: RunnableScenario["gs"],
  path: readonly PathKey[],
  code: IssueCode,
  message: string,
): ScenarioIssue {
  const at = gs.scenario.source.locate(path) ?? { line: 1, column: 1 };
  return { file: gs.file, line: at.line, column: at.column, path, code, message };
}

/** A scenario's golden hashes: none yet (`golden: null`), or why the file cannot be read. */
function readGolden(file: string): GoldenParse | { readonly ok: true; readonly golden: null } {
  if (!existsSync(file)) {
    // Not missing but out of reach: a file in the golden folder's place (`existsSync` is false
    // through it). Taken as missing, the gate would skip its hash cases and pass.
    const folder = dirname(file);
    if (existsSync(folder) && !statSync(folder).isDirectory())
      throw new CliError(
        `${folder}: is a file, not the folder of golden hashes that ${basename(file)} is read from (move it away; --update-golden then records the hashes there)`,
      );
    return { ok: true, golden: null };
  }
  if (statSync(file).isDirectory()) throw new CliError(`${file}: is a folder, expected golden hashes`);
  return parseGolden(readText(file, "a golden file"));
}

/**
 * The golden file a renamed scenario file left behind, when its own is missing: the one file of
 * its golden folder recorded for a scenario of its `name` and named after no scenario file
 * beside it. Its hashes are the scenario's, so they are compared: a rename would otherwise turn
 * the scenario's golden cases into skipped ones, and a change made with it would pass unseen.
 */
function leftGolden(file: string, name: string): { path: string; golden: GoldenFile } | null {
  const own = goldenPathOf(file);
  const folder = dirname(file);
  const stems = new Set(
    listFolder(folder)
      .filter((e) => SCENARIO_FILE.test(e.name))
      .map((e) => basename(e.name, extname(e.name))),
  );
  const found: { path: string; golden: GoldenFile }[] = [];
  for (const entry of listFolder(dirname(own))) {
    if (!entry.isFile() || !/\.json$/.test(entry.name)) continue;
    const path = join(dirname(own), entry.name);
    if (path === own || stems.has(basename(entry.name, ".json"))) continue;
    let text: string;
    try {
      text = readText(path);
    } catch {
      continue; // not one to read: not this scenario's to compare with
    }
    const parsed = parseGolden(text);
    if (parsed.ok && parsed.golden.scenario === name) found.push({ path, golden: parsed.golden });
  }
  return found.length === 1 ? found[0] : null;
}

/**
 * Says which scenarios are compared with the golden file of their file's earlier name, and how to
 * move it. Returns them as problems at the `scenario` line of that file, for the annotations.
 */
function warnLeftGolden(warn: Warn, scenarios: readonly GateScenario[]): InputProblem[] {
  const placed: InputProblem[] = [];
  for (const s of scenarios) {
    const file = s.goldenFrom;
    if (file === undefined) continue;
    const message = `holds the golden hashes of scenario ${s.scenario.name}, but no scenario file of its name is beside it: compared with the runs of ${s.file}, renamed from it? (git mv ${file} ${s.goldenFile})`;
    warn(`aftershock: ${file} ${message}`);
    placed.push({
      place: { file, ...goldenPosition(readText(file, "a golden file"), ["scenario"]) },
      severity: "warning",
      message,
    });
  }
  return placed;
}

/**
 * Refuses, before anything runs, a golden folder that --update-golden could not make or write
 * in (a file in its place, a folder without write permission): each folder once.
 */
function checkGoldenFolders(files: readonly string[], problems: InputProblems): void {
  const seen = new Set<string>();
  for (const file of files) {
    const dir = dirname(goldenPathOf(file));
    if (seen.has(dir)) continue;
    seen.add(dir);
    problems.check(() => checkOutDir(dir, `--update-golden: the golden folder ${dir}`));
  }
}

/**
 * A golden hash of a variant the scenario no longer gates is never compared: say so, since the
 * file claims more than the gate checks (`--update-golden` drops it).
 */
function warnStaleGolden(warn: Warn, scenarios: readonly GateScenario[], plan: GatePlan): InputProblem[] {
  const placed: InputProblem[] = [];
  scenarios.forEach((s, i) => {
    if (s.golden === null) return;
    const stale = staleVariants(s.golden, plan.scenarios[i].gated);
    if (stale.length === 0) return;
    const file = s.goldenFrom ?? s.goldenFile;
    const message = `holds hashes of ${stale.map((v) => `[${v}]`).join(", ")}, which ${s.file} does not gate (no expectation names ${stale.length === 1 ? "it" : "them"}): not compared; ${s.goldenFrom === undefined ? "" : `git mv ${s.goldenFrom} ${s.goldenFile}, then `}${updateGoldenCommand(s.file)} drops ${stale.length === 1 ? "it" : "them"}`;
    warn(`aftershock: ${file}: ${message}`);
    // At the file's first line: the claim is the whole file's, not one hash's line.
    placed.push({ place: { file, line: 1, column: 1 }, severity: "warning", message });
  });
  return placed;
}

/**
 * With a module in place of v2 (--scheduler's, or a scenario's own): a deploy of v2 asking for
 * fixes the module does not list deploys it without them, in every run of its scenario. Say so
 * once per deploy, before the runs, in the words of `run --scheduler` (whose `reproduce:` lines
 * replay these runs), for each scenario the gate runs.
 */
function warnDroppedDeployFixes(
  warn: Warn,
  scenarios: readonly GateScenario[],
  plan: GatePlan,
): InputProblem[] {
  const placed: InputProblem[] = [];
  scenarios.forEach((gs, i) => {
    const sub = gs.substitution;
    if (sub === null || !plan.runs.some((r) => r.scenario === i)) return;
    const endMs = gs.compiled.config.startMs + gs.compiled.config.durationMs;
    for (const line of droppedDeployFixes(gs.scenario, endMs, sub.path, sub.fixes)) warn(line);
    placed.push(...droppedDeployFixProblems(gs.scenario, endMs, sub.path, sub.fixes));
  });
  return placed;
}

/**
 * With --explore, a scenario that expects a property the explored seeds judge not to hold for the
 * explored variant (a bad deploy's, whose fixed variant cascades): its explored seeds leave it
 * out. Said once per scenario and property, at the expectation's line.
 */
function warnExploreLeftOut(warn: Warn, scenarios: readonly GateScenario[], plan: GatePlan): InputProblem[] {
  const placed: InputProblem[] = [];
  scenarios.forEach((gs, i) => {
    if (plan.scenarios[i].exploreSeeds.length === 0) return;
    for (const p of exploreLeftOut(gs.scenario)) {
      const at = gs.scenario.source.locate(["expect", p.index]) ?? { line: 1, column: 1 };
      const message = `${leftOutText(p)}: its explored seeds (--explore) leave it out`;
      warn(`aftershock: ${gs.file}:${at.line}:${at.column}: warning: ${message}`);
      placed.push({
        place: { file: gs.file, line: at.line, column: at.column },
        severity: "warning",
        message,
      });
    }
  });
  return placed;
}

/**
 * What validate warns of in each scenario the gate runs (a step that may not apply), once per
 * place in its file: at its own seed, else at the first seed explored that warns of it. Returns
 * them as problems at their places, for the annotations.
 */
function warnScenarioIssues(
  warn: Warn,
  warnings: readonly ScenarioIssue[][],
  plan: GatePlan,
): InputProblem[] {
  const placed: InputProblem[] = [];
  warnings.forEach((issues, i) => {
    if (!plan.runs.some((r) => r.scenario === i)) return;
    const seen = new Set<string>();
    const once = issues.filter((w) => {
      const key = `${w.line}:${w.column}:${w.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (const line of warningLines(once)) warn(line);
    placed.push(...once.map(issueProblem));
  });
  return placed;
}

/**
 * With --scheduler, a scenario that names a scheduler module of its own is gated with the
 * `--scheduler` module in its place: said, as compare and explore say what replaces it. Returns
 * them as problems at the scenario's `scheduler` line, for the annotations.
 */
function warnOwnModuleReplaced(
  warn: Warn,
  scenarios: readonly GateScenario[],
  sub: SchedulerSubstitution | null,
  cwd: string,
): InputProblem[] {
  const placed: InputProblem[] = [];
  if (sub === null) return placed;
  for (const gs of scenarios) {
    const own = gs.scenario.scheduler;
    if (own.kind !== "module") continue;
    if (isScenarioModule(sub.path, own.module, gs.file, cwd)) continue;
    const line = `${moduleReplacedWarning(gs.file, own.module, `gating ${sub.path}`)}, as --scheduler asks`;
    warn(line);
    const at = gs.scenario.source.locate(["scheduler"]) ?? { line: 1, column: 1 };
    const place = { file: gs.file, line: at.line, column: at.column };
    placed.push({ place, severity: "warning", message: line.replace(/^aftershock: /, "") });
  }
  return placed;
}

/**
 * Writes the golden files the report holds. One that cannot be written is said on stderr, and
 * the report given back says so in its golden cases, rather than that its hashes were recorded.
 */
function writeGolden(
  ctx: CliContext,
  scenarios: readonly GateScenario[],
  judged: GateReport,
  unreadable: ReadonlyMap<string, string>,
): GateReport {
  let report = judged;
  scenarios.forEach((s, i) => {
    try {
      writeGoldenFile(ctx, s, report.golden[i], unreadable.get(s.goldenFile));
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      ctx.err(saidText(escapeControls(error.message, true)));
      report = goldenNotWritten(report, i, error.message);
    }
  });
  return report;
}

function writeGoldenFile(
  ctx: CliContext,
  s: GateScenario,
  golden: GoldenFile | null,
  broken: string | undefined,
): void {
  if (golden === null) {
    if (s.scenario.expect.length > 0)
      ctx.err(
        `aftershock: ${s.goldenFile}: not written (the runs of ${s.scenario.name} disagree or stopped early)${broken === undefined ? "" : `; it is still ${broken}`}\n`,
      );
    return;
  }
  const pinnedFormat = s.golden?.traceFormat ?? 1;
  if (pinnedFormat > TRACE_FORMAT)
    // A newer aftershock pinned it: rewriting it here would pin older-format hashes over it.
    throw new CliError(
      `${s.goldenFile}: not rewritten: pinned under trace format ${pinnedFormat}, newer than the format ${TRACE_FORMAT} this aftershock writes (update the golden with that aftershock or a later one, or delete the file to pin it with this one)`,
    );
  const text = renderGolden(golden);
  const old = existsSync(s.goldenFile) ? readText(s.goldenFile, "a golden file") : null;
  if (old === text) return;
  mkdirFor(s.goldenFile);
  writeFileAtomic(s.goldenFile, text);
  const did = broken !== undefined ? "replaced" : old === null ? "wrote" : "updated";
  ctx.err(`aftershock: ${did} ${s.goldenFile}${broken === undefined ? "" : ` (it was ${broken})`}\n`);
}

function mkdirFor(file: string): void {
  const dir = dirname(file);
  try {
    // One level at a time: Node's recursive mkdir spins forever under /proc.
    makeOutDir(dir);
  } catch (error) {
    throw new CliError(`${dir}: cannot create (${(error as Error).message})`);
  }
}

/**
 * A problem with the text it quotes made inert, as stderr says it: its line breaks stay, for the
 * annotation to encode; the file is left as it is named, for the annotation to point at it.
 */
function inert(problem: InputProblem): InputProblem {
  return { ...problem, message: escapeControls(problem.message, true) };
}

/**
 * Where an annotation points for a file as the gate names it: GitHub places an annotation by its
 * path from the repository's root (`$GITHUB_WORKSPACE`), so a gate run from a subfolder, or
 * given absolute paths, names each file from there. A file outside the workspace, or any file
 * when no workspace is set, keeps the path it was named by.
 */
export function workspacePath(env: NodeJS.ProcessEnv): (file: string) => string {
  const given = env.GITHUB_WORKSPACE;
  if (given === undefined || given === "") return (file) => file;
  return (file) => {
    // As named first (a scenarios/ folder linked from elsewhere stays in the workspace), then
    // with links resolved (a workspace given as a link to where the files are).
    const inside = insidePath(resolve(file), resolve(given)) ?? insidePath(realFile(file), realFile(given));
    return inside === null ? file : inside.split(sep).join("/");
  };
}

function isGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** A warning line as stderr shows it (`aftershock: ...`, no newline). */
type Warn = (line: string) => void;

/**
 * `--json`: the report without timings (byte-identical for the same inputs), and the warnings
 * said on stderr before the runs (without the `aftershock: ` they start with there).
 */
export function gateJson(
  report: GateReport,
  warnings: readonly string[] = [],
  unwritten: readonly UnwrittenOutput[] = [],
) {
  return {
    exitCode: report.exitCode,
    counts: report.counts,
    suites: report.suites.map((s) => ({
      name: s.name,
      file: s.file,
      seed: s.seed,
      scheduler: s.scheduler,
      // Added after `scheduler`: the modules the timeline deploys, `[]` for none.
      deploys: s.deploys ?? [],
      cases: s.cases.map((k) => ({
        name: k.name,
        classname: k.classname,
        kind: k.kind,
        variant: k.variant,
        status: k.status,
        message: k.message,
        details: k.details,
        line: k.line,
        column: k.column,
        exitCode: k.exitCode,
        // Added after the fields above, each where it applies: what the message and details say, as data.
        ...(k.measured === undefined ? {} : { measured: k.measured }),
        ...(k.traceHash === undefined ? {} : { traceHash: k.traceHash }),
        ...(k.golden === undefined ? {} : { golden: k.golden }),
        ...(k.reproduce === undefined ? {} : { reproduce: k.reproduce }),
      })),
    })),
    warnings: [...warnings],
    // The reports that could not be written, which make `exitCode` 2 whatever the cases say.
    unwritten: unwritten.map(({ flag, path, message }) => ({ flag, path, message })),
  };
}

/**
 * `--json` for input the gate refused before any run (exit 2): no suites, and each problem as
 * data (its file, line and column, or null where it has no place).
 */
function refusedJson(error: CliError) {
  const counts = { tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0 };
  // The report's own shape (`gateJson`), with no suite in it, and the problems beside.
  const none: GateReport = { suites: [], counts, exitCode: error.exitCode, golden: [] };
  return {
    ...gateJson(none),
    problems: problemsAsData(error.problems),
  };
}

/**
 * Progress on a terminal's stderr (`gate: 12/40 runs`), cut to its width; `-1` clears it. Where
 * no line can be redrawn (a file, a CI log), a line of the log (`aftershock gate: 12 of 40 runs
 * done`) when `LOG_EVERY_MS` has gone by since the start or the last one, and none otherwise: a
 * gate of large worlds shows it is alive, and a short one adds nothing to the log.
 */
export function gateProgress(ctx: CliContext, total: number): (done: number) => void {
  if (!ctx.errIsTty) {
    let last = ctx.now();
    return (done) => {
      const now = ctx.now();
      if (done < 0 || now - last < LOG_EVERY_MS) return;
      last = now;
      ctx.err(`aftershock gate: ${done} of ${total} runs done\n`);
    };
  }
  return (done) => {
    if (done < 0) ctx.err(CLEAR_LINE);
    else drawStatus(ctx, `gate: ${done}/${total} runs`);
  };
}

/**
 * The `--junit` and `--markdown` reports a gate that refuses its input still writes, as a report
 * of that refusal: in a reused CI workspace, a report left from an earlier gate would otherwise
 * show its pass beside this job's failure. Only reports whose paths passed their own checks.
 */
interface RefusalReports {
  reports: readonly OutputRequest[];
  startedAt: string;
}

/** The file reports of `reports` that pass their checks each on its own, so may be written on refusal. */
function reportsFitFor(
  reports: readonly OutputRequest[],
  force: boolean,
  files: readonly string[],
  inputs: readonly string[],
): OutputRequest[] {
  const targetOf = (path: string) => {
    try {
      return outputTarget(path);
    } catch {
      return null;
    }
  };
  const given = reports.filter((r) => r.path !== undefined && r.path !== "");
  const paths = given.map((r) => r.path);
  // Reports bound for stdout (--json's object among them): a refusal report is written there only
  // when it is the one, or it would mix with another (`--markdown - >> "$GITHUB_STEP_SUMMARY"`).
  const toStdout = (path: string) => {
    const target = targetOf(path);
    return target?.kind === "stream" && target.standard === 1;
  };
  const onStdout = given.filter((r) => toStdout(r.path!)).length;
  return given.filter((r) => {
    if (r.flag === "--json") return false;
    const target = targetOf(r.path!);
    if (target === null || target.kind === "folder") return false;
    // stderr carries the refusal's own words, and another stream (a FIFO, /dev/null) no report.
    if (target.kind === "stream" && !toStdout(r.path!)) return false;
    if (target.kind === "stream" && onStdout > 1) return false;
    // Two reports onto one path are refused together: neither is written then.
    if (paths.filter((p) => p === r.path).length > 1) return false;
    const own = new InputProblems();
    own.check(() => checkOutputs([r], force, inputs));
    checkNotGolden([r], files, own);
    return !own.found;
  });
}

/**
 * The words for `--junit` and `--markdown` files already there (an earlier gate's, in a reused CI
 * workspace) when this gate ends without writing them: they are not its outcome. Null for none.
 */
function earlierReports(o: { readonly junit?: string; readonly markdown?: string }): string | null {
  const earlier = [o.junit, o.markdown].filter(
    (f): f is string => f !== undefined && f !== "-" && existsSync(f),
  );
  return earlier.length === 0
    ? null
    : `${earlier.join(" and ")}, there before this gate, ${earlier.length === 1 ? "is" : "are"} left as ${earlier.length === 1 ? "it was" : "they were"}: not this gate's outcome`;
}

/** Writes the refusal's reports (`RefusalReports`); one that cannot be written is said, not thrown. */
function writeRefusalReports(ctx: CliContext, refusal: RefusalReports, error: CliError): void {
  sayOnStrayEnd(null);
  // An output path refused is the gate's own problem, not a scenario's: under `aftershock gate`.
  const problems = problemsAsData(error.problems).flatMap(({ severity, ...problem }, i) =>
    severity === "error" ? [error.problems[i].output === true ? { ...problem, file: null } : problem] : [],
  );
  const report = refusalReport(problems, error.exitCode);
  for (const r of refusal.reports) {
    const path = r.path!;
    try {
      const text =
        r.flag === "--junit"
          ? renderJUnit(report, { timestamp: refusal.startedAt, hostname: hostname(), wallMs: 0 })
          : MARKDOWN_SEAL.seal(renderGateMarkdown(report));
      writeFileAtomic(path, text);
      sayWritten(ctx.err, path, "the refusal of the gate's input");
    } catch (writeError) {
      ctx.err(`aftershock: ${r.flag} ${shownPath(path)}: not written: ${thrownMessage(writeError)}\n`);
    }
  }
}

export const gate: CliCommand = {
  spec: gateSpec,
  run: async (ctx, args, options) => {
    const o = options as GateCommandOptions;
    const refusal: RefusalReports = { reports: [], startedAt: "" };
    try {
      return await gateCommand(ctx, args, o, refusal);
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT.usage && refusal.reports.length > 0)
        writeRefusalReports(ctx, refusal, error);
      // Refused input fails the job before there is any case to annotate: annotate each problem.
      if (error instanceof CliError && error.exitCode === EXIT.usage && isGithubActions(ctx.env)) {
        const refused = renderInputAnnotations(error.problems.map(inert), undefined, workspacePath(ctx.env));
        (o.json ? ctx.err : ctx.out)(refused);
      }
      // `--json` is one object on stdout whatever happens: a script reading it learns of the
      // refusal there too (and stderr says it, as without --json).
      if (error instanceof CliError && error.exitCode === EXIT.usage && o.json === true)
        ctx.out(`${JSON.stringify(refusedJson(error), null, 2)}\n`);
      throw error;
    }
  },
};

/** Where the gate's runs go, for its first line. */
function threadsText(parallel: boolean, jobs: number, modules: boolean): string {
  // Not parallel, the gate has no built worker, and so no run of a module loaded anew.
  if (!parallel) return "one thread";
  if (jobs > 1 || !modules) return `${jobs} worker threads`;
  return "one worker thread (and a new one for each run of a module loaded anew)";
}
