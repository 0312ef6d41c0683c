import type { Comparison } from "../../explore/compare.js";
import { CompareThreads, compareRunsParallel, schedulersUsed } from "../../explore/compare-parallel.js";
import { type ExpectationResult, expectationsOfRun, judgeExpectations } from "../../explore/expectations.js";
import { judgedVariant } from "../../explore/gate-scheduler.js";
import type { RunClock, TraceEvent } from "../../kernel/index.js";
import { formatDuration } from "../../kernel/time.js";
import { commandLine } from "../../report/command-line.js";
import { differencesOf, differencesText, partingsOf, stoppedFirstText } from "../../report/divergence.js";
import { EVENT_ID_FIELDS, eventIdsText } from "../../report/event-words.js";
import type { HtmlDivergence } from "../../report/html.js";
import {
  cascadeNotJudged,
  clockOfRuns,
  latestEnd,
  NOT_JUDGED,
  verdictCellNoted,
} from "../../report/judged.js";
import { type Paint, plainPaint } from "../../report/paint.js";
import type { RunReport } from "../../report/run-report.js";
import {
  faultsRow,
  faultTally,
  laneWidthFor,
  recoveredText,
  renderComparisonHeader,
  renderLanes,
  renderTimeline,
  variantLabel,
} from "../../report/terminal.js";
import { applyVariant, type CompiledScenario } from "../../scenario/compile.js";
import type { Scenario } from "../../scenario/index.js";
import { isVariantName } from "../../scenario/variants.js";
import { parseSeed } from "../args.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT, haltedRunText, optionError } from "../errors.js";
import { forTerminal } from "../fit-output.js";
import {
  atSeed,
  inputFiles,
  loadScenario,
  sayWarnings,
  scenarioModuleName,
  schedulerRegistry,
  threadModuleRefs,
} from "../load.js";
import { checkOutputs, DeferredFailure, jsonRequest, sayLeftBehind } from "../outputs.js";
import { outputsDuringRun, RunWatch } from "../run-watch.js";
import type { CliCommand } from "../spec.js";
import { sayWritten } from "../standard-streams.js";
import { readStdinScenario, STDIN_ARG } from "../stdin-scenario.js";
import {
  checkVariant,
  chooseVariant,
  moduleNote,
  moduleReplacedWarning,
  schedulerModulesFromOptions,
  type VariantOptions,
  warnOwnModuleReplaced,
  withLoadedModule,
} from "../variant.js";
import { ReportFiles, reportFileRequests } from "./report.js";
import { compareSpec } from "./specs.js";
import { limitStopMessage } from "./stopped.js";
import { renderExpectations, runExitCode } from "./verdict.js";

export interface CompareCommandOptions extends Omit<VariantOptions, "variant"> {
  readonly variants?: string;
  readonly seed?: string;
  readonly json?: boolean;
  readonly html?: string;
  readonly perfetto?: string;
  readonly markdown?: string;
  readonly force?: boolean;
}

/** `aftershock compare <scenario>`: variants on the same world side by side, and where they part. */
export async function compareCommand(
  ctx: CliContext,
  scenarioArg: string,
  o: CompareCommandOptions,
): Promise<number> {
  const variants = (o.variants ?? (o.scheduler === undefined ? "buggy,fixed" : "fixed"))
    .split(",")
    .map((v) => checkVariant(v.trim(), "--variants"));
  if (variants.length < 2 && o.scheduler === undefined)
    throw optionError("--variants", "name at least two variants, e.g. buggy,fixed");
  if (new Set(variants).size !== variants.length) throw optionError("--variants", "each variant once");
  if (o.fix !== undefined && o.scheduler === undefined)
    throw new CliError("--fix goes with --scheduler: each of --variants has its own fixes");
  const runs = variants.length + (o.scheduler === undefined ? 0 : 1);
  // The threads (one per run after the first, which runs here) load their modules while
  // this one reads the scenario (report files need every run here, where their sinks live).
  const wantsFiles = o.html !== undefined || o.perfetto !== undefined || o.markdown !== undefined;
  const threads = wantsFiles ? null : CompareThreads.start(runs - 1);
  let names: string[] = variants;
  // The variant whose expectations judge the `--scheduler` column, as `run` judges that run.
  let moduleJudgedAs: string | null = null;
  let comparison: Comparison;
  let loaded: ReturnType<typeof loadScenario>;
  let base: ReturnType<typeof loadScenario>["compiled"];
  let files: ReturnType<typeof ReportFiles.open> | undefined;
  let watch: RunWatch | null = null;
  try {
    const seed = parseSeed(o.seed);
    loaded = loadScenario(scenarioArg, seed);
    sayWarnings(loaded, ctx.err);
    base = atSeed(loaded.compiled, seed);
    // `--scheduler` is read as `run` reads it: the same checks, names and warnings.
    const chosen = o.scheduler === undefined ? null : chooseVariant(base, o, loaded.path);
    // Every variant is a bundled scheduler: a scenario's own module runs only as --scheduler's
    // column, which is said either way.
    const own = loaded.scenario.scheduler;
    if (own.kind === "module") {
      const bundled = `the bundled variant${variants.length === 1 ? "" : "s"} ${variants.join(", ")}`;
      const ownRuns = chosen?.config.scheduler.name === scenarioModuleName(own.module, loaded.path);
      ctx.err(
        ownRuns
          ? `${moduleNote(loaded.name, own.module, `comparing it, as --scheduler asks, beside ${bundled}`)}\n`
          : `${moduleReplacedWarning(loaded.name, own.module, `comparing ${bundled}`)}\n`,
      );
    }
    if (chosen !== null) warnOwnModuleReplaced(loaded, o, ctx.err);
    const modules = schedulerModulesFromOptions(o);
    const schedulers = await schedulerRegistry(loaded, modules);
    const checked = checkOutputs(
      [jsonRequest(o.json), ...reportFileRequests(o)],
      o.force === true,
      await inputFiles(loaded, modules),
    );
    const inputs = variants.map((name) => applyVariant(base, name)!);
    if (chosen !== null) {
      const mine = withLoadedModule(chosen, o, schedulers, loaded.scenario, ctx.err);
      names = [...variants, ownColumn(mine, variants, o)];
      moduleJudgedAs = mine.variantName === null ? judgedVariant(mine, schedulers) : null;
      inputs.push(mine);
    }
    files = ReportFiles.open(
      o,
      {
        scenario: base.config.name,
        seed: base.config.seed,
        startMs: base.config.startMs,
        labels: names,
      },
      checked,
    );
    // One board a run when each has a thread of its own; one for them all, run here in turn.
    // Watched for stuck steps only when a run uses a module (a scenario's own, the bundled
    // variants run in place of, is not run).
    const used = schedulersUsed(inputs);
    const usedSchedulers = new Map([...schedulers].filter(([name]) => used.has(name)));
    watch = RunWatch.on(
      ctx,
      "compare",
      base.config,
      usedSchedulers,
      threads === null ? [] : names,
      outputsDuringRun(false, o),
    );
    // The threads import the modules the runs use (not a scenario's own module the bundled
    // variants run in place of: its top-level code would run there for nothing), and each
    // watches its run's steps.
    const refs = threadModuleRefs(loaded, modules).filter((ref) => used.has(ref.name));
    const thread = { modules: refs, stepBoards: watch.otherBoards };
    comparison = await compareRunsParallel(
      inputs,
      { schedulers, wallClock: ctx.now, sinks: files?.sinks, ...watch.options },
      threads,
      thread,
    );
    watch.done();
  } catch (error) {
    watch?.done();
    threads?.close();
    sayLeftBehind(ctx.err, files?.abort() ?? []);
    throw error;
  }
  const { reports, divergence, divergences, stoppedFirst, stops } = comparison;
  const expectations = reports.map((r, i) =>
    judgeExpectations(
      loaded.scenario.expect,
      i === variants.length ? (moduleJudgedAs ?? names[i]) : names[i],
      r.metrics,
      r.verdicts,
    ),
  );
  const fixes = reports.length > variants.length ? reports[variants.length].variant.fixes : [];
  const reproduce = commandLine([
    "aftershock",
    "compare",
    loaded.argument,
    "--seed",
    base.config.seed,
    "--variants",
    variants.join(","),
    ...(o.scheduler === undefined
      ? []
      : ["--scheduler", o.scheduler, ...(fixes.length > 0 ? ["--fix", fixes.join(",")] : [])]),
  ]);
  // A file that cannot be written now is said after the comparison, not instead of it.
  const writes = new DeferredFailure();
  const expectationsOf = reports.map((_, i) =>
    i === variants.length && moduleJudgedAs !== null ? moduleJudgedAs : undefined,
  );
  files?.write(
    reports,
    { expectations, expectationsOf, divergence, divergences, stops, reproduce },
    writes,
    (file, detail) => sayWritten(ctx.err, file, detail),
  );
  if (writes.failed) sayLeftBehind(ctx.err, files?.abort() ?? []);
  if (o.json) {
    ctx.out(
      `${JSON.stringify({ scenario: loaded.scenario.name, seed: base.config.seed, variants: judgedReports(reports, expectations), divergence, divergences, stoppedFirst, stops }, null, 2)}\n`,
    );
  } else {
    // On a terminal, fitted to its width; the reproduce line stays whole, to be copied.
    const columns = ctx.outColumns?.();
    ctx.out(
      `${forTerminal(ctx, renderComparison(comparison, expectations, ctx.paint, moduleJudgedAs, columns), columns)}\n`,
    );
    ctx.out(`\n${ctx.paint.dim(`Reproduce: ${reproduce}`)}\n`);
  }
  return writes.exitCode(
    compareOutcome(ctx, reports, loaded.scenario, names, expectations, reproduce),
    ctx.err,
  );
}

/** Each run's report with the scenario's expectations of it, as `run --json` gives one. */
function judgedReports(
  reports: readonly RunReport[],
  expectations: readonly (readonly ExpectationResult[])[],
): (RunReport & { readonly expectations: readonly ExpectationResult[] })[] {
  return reports.map((r, i) => ({ ...r, expectations: expectationsOfRun(expectations[i], r.run) }));
}

/**
 * The name of the `--scheduler` run's column, as `run` names that run: the variant it is (`v2`
 * with both fixes is `fixed`), or the scheduler (`module:./mine.mjs`, its path from the
 * scenario's folder) for the RunReport's `variant`. A variant `--variants` already runs is
 * refused: the two columns would be one run under one name.
 */
function ownColumn(mine: CompiledScenario, variants: readonly string[], o: VariantOptions): string {
  const name = mine.variantName ?? mine.config.scheduler.name;
  if (variants.includes(name)) {
    const fix = o.fix === undefined ? "" : ` --fix ${o.fix}`;
    throw new CliError(
      `--scheduler ${o.scheduler}${fix} is the variant ${name}, which --variants runs already`,
    );
  }
  return name;
}

/** The exit code of a finished compare, with what the user must know about a limit. */
function compareOutcome(
  ctx: CliContext,
  reports: readonly RunReport[],
  scenario: Scenario,
  names: readonly string[],
  expectations: readonly (readonly ExpectationResult[])[],
  reproduce: string,
): number {
  const halted = reports.find((r) => r.run.stopReason === "halted");
  if (halted !== undefined) {
    ctx.err(haltedRunText(halted.run.detail, reproduce));
    return EXIT.internal;
  }
  const limited = reports.flatMap((r, i) => limitStopMessage(r, scenario, names[i]) ?? []);
  for (const message of limited) ctx.err(`aftershock: ${message}\n`);
  if (limited.length > 0) return EXIT.usage;
  // A variant's column is judged by the scenario's expectations of it; a module's, as `run
  // --scheduler` judges its run (`runExitCode`: by those of the variant the gate judges it as,
  // else by its properties).
  const failed = reports.some((r, i) =>
    isVariantName(names[i])
      ? expectations[i].some((e) => !e.ok)
      : runExitCode(r, expectations[i]) !== EXIT.ok,
  );
  return failed ? EXIT.failed : EXIT.ok;
}

export function renderComparison(
  comparison: Comparison,
  expectations: readonly (readonly ExpectationResult[])[],
  paint: Paint,
  /** The variant whose expectations judge a module's column (`judgedVariant`), if any. */
  moduleJudgedAs: string | null = null,
  /** The terminal's width, when known: the lanes and the side-by-side table fit in it. */
  columns?: number,
): string {
  const { reports } = comparison;
  const first = reports[0];
  const parts: string[] = [renderComparisonHeader(reports, paint)];
  const start = Date.parse(first.run.start);
  const end = Date.parse(latestEnd(reports));
  // One width for every run's lanes, so that their times line up.
  const laneWidth = laneWidthFor(
    columns,
    reports.flatMap((r) => r.lanes),
  );
  for (const r of reports) {
    parts.push(
      // The variant's name in place of the lanes' heading, over their time axis.
      `${paint.bold(variantLabel(r))}\n${renderLanes(r.lanes, start, end, paint, laneWidth, columns).split("\n").slice(1).join("\n")}`,
    );
  }
  const clock = clockOfRuns(reports);
  parts.push(renderSideBySide(reports, paint, clock, columns));
  parts.push(renderDivergences(reports, comparison, paint, clock));
  const story = reports.find((r) => r.metrics.crashes > 0) ?? first;
  parts.push(
    renderTimeline(story, paint, 24, clock).replace("Key events", `Key events (${variantLabel(story)})`),
  );
  reports.forEach((r, i) => {
    if (expectations[i].length > 0) {
      parts.push(
        renderExpectations(expectations[i], paint, r.run.judged, clock).replace(
          "Expectations",
          r.variant.name === null && moduleJudgedAs !== null
            ? `Expectations (${r.variant.scheduler}, those of ${moduleJudgedAs}: the variant the gate judges its run as)`
            : `Expectations (${r.variant.name})`,
        ),
      );
    }
  });
  return parts.join("\n\n");
}

/** A side-by-side row. */
type SideRow = [string, (r: RunReport) => string, (r: RunReport) => boolean | undefined];

/**
 * A row of a count that only some runs have (of a report of an earlier version, none), as one
 * row or none: shown when a run has any, good at 0.
 */
function rowWhenAny(
  reports: readonly RunReport[],
  label: string,
  count: (r: RunReport) => number | undefined,
): SideRow[] {
  if (!reports.some((r) => (count(r) ?? 0) > 0)) return [];
  return [[label, (r) => String(count(r) ?? 0), (r) => (count(r) ?? 0) === 0]];
}

/**
 * The runs' metrics and verdicts side by side, a column a run; on a terminal too narrow for the
 * columns (`columns`), each row's cells under its label instead.
 */
function renderSideBySide(
  reports: readonly RunReport[],
  paint: Paint,
  clock: RunClock,
  columns?: number,
): string {
  const time = (iso: string | null) => (iso === null ? "never" : clock.clock(Date.parse(iso)));
  const rows: SideRow[] = [
    [
      "cascade",
      (r) =>
        r.metrics.cascade
          ? `yes (depth ${r.metrics.cascadeDepth})`
          : cascadeNotJudged(r)
            ? NOT_JUDGED // the column is narrow: the no-cascade row below says why
            : "no",
      (r) => (cascadeNotJudged(r) ? undefined : !r.metrics.cascade),
    ],
    ["panic deaths", (r) => String(r.metrics.panicDeaths), (r) => r.metrics.panicDeaths === 0],
    ["crashes", (r) => String(r.metrics.crashes), (r) => r.metrics.crashes === 0],
    ["panics recovered", (r) => String(r.metrics.panicsRecovered), () => true],
    ["deliveries due", (r) => String(r.metrics.deliveries.due), () => true],
    ["  on time", (r) => String(r.metrics.deliveries.onTime), () => true],
    // Fired before they were due (a clock ahead): only when a run had any, as run's metrics say it.
    ...rowWhenAny(reports, "    early", (r) => r.metrics.deliveries.early),
    ["  late", (r) => String(r.metrics.deliveries.late), (r) => r.metrics.deliveries.late === 0],
    ["  missed", (r) => String(r.metrics.deliveries.missed), (r) => r.metrics.deliveries.missed === 0],
    // Of missed, dead-lettered: only when a run had any, as run's metrics say it.
    ...rowWhenAny(reports, "    dead-lettered", (r) => r.metrics.deliveries.deadLettered),
    [
      "  duplicate",
      (r) => String(r.metrics.deliveries.duplicate),
      (r) => r.metrics.deliveries.duplicate === 0,
    ],
    // Owed to nobody (due while their account was deleted, say): only when a run had any.
    ...rowWhenAny(reports, "  unowed", (r) => r.metrics.deliveries.unowed),
    [
      "  after deletion",
      (r) => String(r.metrics.deliveries.afterDeletion),
      (r) => r.metrics.deliveries.afterDeletion === 0,
    ],
    ["affected accounts", (r) => String(r.metrics.affectedAccounts), (r) => r.metrics.affectedAccounts === 0],
    // As run's metrics write it; good while within the SLO.
    [
      "worst p99 lag",
      (r) => formatDuration(r.metrics.lagP99MsMax),
      (r) => r.metrics.lagP99MsMax <= r.run.sloMs,
    ],
    ["first alert", (r) => time(r.metrics.alertAt), (r) => r.metrics.alertAt === null],
    ["recovered", (r) => recoveredText(r.metrics, plainPaint, clock), () => true],
    ["workers min up", (r) => String(r.metrics.workersMinUp), (r) => r.metrics.workersMinUp > 0],
    [
      "full outage",
      // As run's summary and the Markdown and HTML tables write it (`8m47s`, `0ms`).
      (r) => formatDuration(r.metrics.fullOutageMs),
      (r) => r.metrics.fullOutageMs === 0,
    ],
    [
      "deleted schedules left",
      (r) => String(r.metrics.deletedSchedulesLeft),
      (r) => r.metrics.deletedSchedulesLeft === 0,
    ],
  ];
  // What each run's faults did, as run's metrics say it (its skips' note under the table): only
  // when a run had faults, as there.
  const faults = new Map(reports.map((r) => [r, faultsRow(r.faults, plainPaint, false)]));
  const tallies = new Map(reports.map((r) => [r, faultTally(r.faults)]));
  const skipped = reports.some((r) => (tallies.get(r)?.skipped ?? 0) > 0);
  if (reports.some((r) => faults.get(r) !== null))
    rows.push([
      "faults",
      (r) => faults.get(r) ?? "none",
      // Yellow when one found nothing to act on or never fired: worth a look, not a failure.
      (r) => {
        const tally = tallies.get(r);
        return tally !== null && tally !== undefined && tally.skipped + tally.unfired > 0 ? undefined : true;
      },
    ]);
  const column = (r: RunReport) => r.variant.name ?? r.variant.scheduler;
  // A module's column is named by its path, often longer than a variant's name; a verdict marked
  // `(not exercised)` is wider than the rest too, and so can a faults cell be.
  const cellWidth = (r: RunReport) =>
    Math.max(
      column(r).length,
      ...r.verdicts.map((v) => verdictCellNoted(v, r).length),
      faults.get(r)?.length ?? 0,
    );
  const col = Math.max(22, ...reports.map((r) => cellWidth(r) + 2));
  const table: SideTableRow[] = rows.map(([label, value, good]) => ({
    label,
    cells: reports.map((r) => ({ text: value(r), colour: sideBySidePaint(paint, good(r)) })),
  }));
  const note = skipped ? `  ${paint.dim("a skipped fault found nothing to act on: see key events")}` : null;
  const properties: SideTableRow[] = first(reports).verdicts.map((v) => ({
    label: v.property,
    cells: reports.map((r) => {
      const verdict = r.verdicts.find((x) => x.property === v.property);
      if (verdict === undefined) return { text: "–", colour: paint.dim };
      const colour = !r.run.judged ? paint.yellow : verdict.ok ? paint.green : paint.red;
      return { text: verdictCellNoted(verdict, r), colour };
    }),
  }));
  const names = reports.map(column);
  // The last column unpadded: no line ends in blanks.
  const wide = (cells: readonly { text: string; colour: (s: string) => string }[]) =>
    cells.map((c, i) => c.colour(i === cells.length - 1 ? c.text : c.text.padEnd(col))).join("");
  const tableWidth =
    34 +
    col * (reports.length - 1) +
    Math.max(
      ...[...table, ...properties].map((row) => row.cells.at(-1)?.text.length ?? 0),
      names.at(-1)?.length ?? 0,
    );
  const lines = [paint.bold("Side by side")];
  if (columns === undefined || tableWidth <= columns) {
    lines.push(
      `${"".padEnd(34)}${names.map((n, i) => paint.bold(i === names.length - 1 ? n : n.padEnd(col))).join("")}`,
    );
    for (const row of table) lines.push(`  ${row.label.padEnd(32)}${wide(row.cells)}`);
    if (note !== null) lines.push(note);
    lines.push(`  ${paint.bold("properties")}`);
    for (const row of properties) lines.push(`  ${row.label.padEnd(32)}${wide(row.cells)}`);
    return lines.join("\n");
  }
  // Too wide for the terminal: each row's cells under its label, one a line, by the run's name.
  const nameWidth = Math.max(...names.map((n) => n.length));
  const stacked = (row: SideTableRow) => {
    // A nested row (`  on time`) keeps its depth, and its cells under it.
    const depth = " ".repeat(row.label.length - row.label.trimStart().length);
    return [
      `  ${row.label}`,
      ...row.cells.map((c, i) => `    ${depth}${names[i].padEnd(nameWidth)}  ${c.colour(c.text)}`),
    ];
  };
  for (const row of table) lines.push(...stacked(row));
  if (note !== null) lines.push(note);
  lines.push(`  ${paint.bold("properties")}`);
  for (const row of properties) lines.push(...stacked(row));
  return lines.join("\n");
}

/** A row of the side-by-side table: its label and each run's cell, painted as it reads. */
interface SideTableRow {
  readonly label: string;
  readonly cells: readonly { readonly text: string; readonly colour: (s: string) => string }[];
}

/** Green for good news, red for bad, yellow for neither (`undefined`: not judged). */
function sideBySidePaint(paint: Paint, good: boolean | undefined): (s: string) => string {
  return good === undefined ? paint.yellow : good ? paint.green : paint.red;
}

function first<T>(items: readonly T[]): T {
  return items[0];
}

/** An event's line: its kind and ids. */
function describeEvent(e: TraceEvent | null): string {
  return e === null ? "(trace ended)" : eventIdsText(e);
}

/**
 * Where each run after the first parts from the first: for two runs, the two events there; for
 * more, a block per other run, or that it behaved as the first did. Each event shows its own
 * run's time, and a line says what differs.
 */
function renderDivergences(
  reports: readonly RunReport[],
  c: Comparison,
  paint: Paint,
  clock: RunClock,
): string {
  const partings = partingsOf(reports, c.divergence, c.divergences, c.stops);
  const width = Math.max(16, ...partings.flatMap((p) => p.names).map((name) => name.length + 3));
  if (partings.length === 1) {
    const { names, divergence: d, stopped } = partings[0];
    if (stopped !== null)
      return `${paint.bold("Divergence")}\n  ${paint.yellow(stoppedFirstText(stopped, reports, clock))}`;
    if (d === null)
      return `${paint.bold("Divergence")}\n  ${paint.green("none: the runs behaved identically")}`;
    return [
      `${paint.bold("First divergence")} at trace event #${d.index}`,
      ...divergenceLines(names, d, "  ", width, paint, clock),
    ].join("\n");
  }
  const lines = [`${paint.bold("First divergences")} from ${partings[0]?.names[0] ?? "the first run"}`];
  for (const { names, divergence: d, stopped } of partings) {
    if (stopped !== null) {
      lines.push(`  ${names[1].padEnd(width)} ${paint.yellow(stoppedFirstText(stopped, reports, clock))}`);
      continue;
    }
    if (d === null) {
      lines.push(`  ${names[1].padEnd(width)} ${paint.green(`none: behaved as ${names[0]} did`)}`);
      continue;
    }
    lines.push(`  ${paint.bold(names[1].padEnd(width))} at trace event #${d.index}`);
    lines.push(...divergenceLines(names, d, "    ", width - 2, paint, clock));
  }
  return lines.join("\n");
}

/** The two events where two runs part, each under its run's name at its own time; then what differs. */
function divergenceLines(
  names: readonly [string, string],
  d: HtmlDivergence,
  indent: string,
  width: number,
  paint: Paint,
  clock: RunClock,
): string[] {
  const at = (e: TraceEvent | null) => (e === null ? "" : Number.isNaN(e.t) ? "?" : clock.clockMs(e.t));
  const line = (name: string, e: TraceEvent | null) =>
    `${indent}${name.padEnd(width)} ${at(e).padEnd(clock.multiDay ? 18 : 12)}  ${describeEvent(e)}`;
  const differences = differencesOf(d.a, d.b);
  return [
    line(names[0], d.a),
    line(names[1], d.b),
    ...(differences.length === 0
      ? []
      : [`${indent}${paint.yellow(`differs: ${differencesText(differences, EVENT_ID_FIELDS)}`)}`]),
  ];
}

export const compare: CliCommand = {
  spec: compareSpec,
  run: async (ctx, args, options) => {
    if (args[0] === STDIN_ARG) await readStdinScenario("compare", process.stdin.isTTY === true);
    return compareCommand(ctx, args[0], options as CompareCommandOptions);
  },
};
