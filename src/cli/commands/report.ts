import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { causalChain, MetricsCollector, stoppedEarly } from "../../checks/index.js";
import { SeriesRecorder } from "../../checks/series.js";
import { LaneRecorder } from "../../checks/worker-lanes.js";
import { bothStoppedAlike } from "../../explore/compare.js";
import type { ExpectationResult } from "../../explore/expectations.js";
import {
  isoOf,
  isStopReason,
  LEADING_FIELDS,
  RingBufferSink,
  STOP_REASONS,
  type StopReason,
  stopDetail,
  type TraceEvent,
  TraceHasher,
  type TraceSink,
} from "../../kernel/index.js";
import { type CommandWord, commandLine, untilWord } from "../../report/command-line.js";
import { runName, type StoppedFirst } from "../../report/html/model.js";
import { HTML_SIGNATURE, type HtmlDivergence, type HtmlRun, renderHtmlReport } from "../../report/html.js";
import { renderMarkdown } from "../../report/markdown.js";
import {
  PERFETTO_SIGNATURE,
  type PerfettoSummary,
  PerfettoTraceBuilder,
  TraceEventDocument,
} from "../../report/perfetto.js";
import type { RunReport } from "../../report/run-report.js";
import { isRecord } from "../../scenario/golden-shape.js";
import type { Scenario } from "../../scenario/index.js";
import { parseJson } from "../../scenario/json-syntax.js";
import { textPosition } from "../../scenario/source-map.js";
import { closest } from "../../scenario/suggest.js";
import { namedVariant } from "../../scenario/variants.js";
import { FiredFaults } from "../../world/chaos.js";
import { EVENT_TYPES, eventFieldProblem, isEventType } from "../../world/events.js";
import { bundledScenarioNamed } from "../bundled-scenarios.js";
import type { CliContext } from "../context.js";
import {
  CliError,
  EXIT,
  emptyArgumentError,
  errorAt,
  fileError,
  optionError,
  type ProblemPlace,
  signalExitCode,
} from "../errors.js";
import { AtomicFile, AwaitedFile, TEXT_BYTES_MAX, writeFileAtomic } from "../io.js";
import { commandLineModuleName, loadScenario, pathArgument, projectFolder } from "../load.js";
import {
  type CheckedOutputs,
  checkOutputs,
  type DeferredFailure,
  type OutputRequest,
  SUMMARY_SIGNATURE,
  sayLeftBehind,
  writtenKindOf,
} from "../outputs.js";
import {
  boundedLines,
  openSavedInput,
  releaseStdin,
  type SavedInput,
  STDIN_NAME,
  savedText,
} from "../saved-input.js";
import { HTML_SEAL, MARKDOWN_SEAL } from "../seal.js";
import { TRACE_SIGNATURE } from "../sinks.js";
import { type CliCommand, STDOUT_PATH } from "../spec.js";
import { sayWritten, shownPath } from "../standard-streams.js";
import { CLEAR_LINE, drawStatus } from "../status-line.js";
import { exitNow } from "../stray-writer.js";
import { checkRunStarted, describeFound, isTimeMs, parseSavedReport, TIME_MS_MAX } from "./report-schema.js";
import { reportSpec } from "./specs.js";

export interface ReportFileOptions {
  readonly html?: string;
  readonly perfetto?: string;
  readonly markdown?: string;
  readonly force?: boolean;
}

/** Trace events kept to explain the first crash: enough for any run whose first panic comes early. */
const CHAIN_EVENTS_MAX = 300_000;
const DELETIONS_MAX = 1000;

/**
 * The causal chain of a run's first crash (the first panic death if there is one, else the first
 * kill), computed as the trace streams by. Until that panic it keeps the last `CHAIN_EVENTS_MAX`
 * events and every account deletion, then lets them go: memory is bounded whatever the run.
 */
export class FirstCrashChain implements TraceSink {
  private ring: RingBufferSink | null;
  private readonly deletions: TraceEvent[] = [];
  private panicChain: TraceEvent[] | null = null;
  private killChain: TraceEvent[] | null = null;

  constructor(capacity = CHAIN_EVENTS_MAX) {
    this.ring = new RingBufferSink(capacity);
  }

  onEvent(e: TraceEvent): void {
    if (this.ring === null) return;
    this.ring.onEvent(e);
    if (e.type === "account.deleted" && this.deletions.length < DELETIONS_MAX) this.deletions.push(e);
    if (e.type !== "worker.crashed") return;
    if (e.reason === "panic") {
      this.panicChain = causalChain(this.known(), e.seq);
      this.ring = null;
    } else if (this.killChain === null) this.killChain = causalChain(this.known(), e.seq);
  }

  /** The chain, root first, or null when nothing crashed. */
  get chain(): TraceEvent[] | null {
    return this.panicChain ?? this.killChain;
  }

  private known(): TraceEvent[] {
    const kept = this.ring!.events();
    const from = kept.length > 0 ? kept[0].seq : Number.POSITIVE_INFINITY;
    return [...this.deletions.filter((d) => d.seq < from), ...kept];
  }
}

interface CapturedRun {
  readonly chain: TraceEvent[] | null;
  readonly perfetto: PerfettoSummary | null;
}

interface CaptureSlot {
  readonly chain: FirstCrashChain | null;
  readonly perfetto: PerfettoTraceBuilder | null;
  readonly chunks: string[];
}

/**
 * Splits the trace sinks see into runs (from `run.started` to `run.finished`): `compare` streams
 * every variant through the same sinks, and also replays part of a run to find the divergence.
 * A run that never finishes (that replay) is dropped; each finished run's trace events go to the
 * document in one piece, so a file never holds half a run.
 */
class RunCapture implements TraceSink {
  readonly runs: CapturedRun[] = [];
  private slot: CaptureSlot | null = null;

  constructor(
    private readonly wantChain: boolean,
    private readonly document: TraceEventDocument | null,
    private readonly labels: readonly string[],
  ) {}

  onEvent(e: TraceEvent): void {
    if (e.type === "run.started") this.slot = this.open();
    const slot = this.slot;
    if (slot === null) return;
    slot.chain?.onEvent(e);
    slot.perfetto?.onEvent(e);
    if (e.type !== "run.finished") return;
    if (this.document !== null) for (const chunk of slot.chunks) this.document.add(chunk);
    this.runs.push({ chain: slot.chain?.chain ?? null, perfetto: slot.perfetto?.summary() ?? null });
    this.slot = null;
  }

  private open(): CaptureSlot {
    const run = this.runs.length;
    const chunks: string[] = [];
    const perfetto =
      this.document === null
        ? null
        : new PerfettoTraceBuilder((json) => chunks.push(json), {
            run,
            label: this.labels.length > 1 ? (this.labels[run] ?? `run ${run + 1}`) : "",
          });
    return { chain: this.wantChain ? new FirstCrashChain() : null, perfetto, chunks };
  }
}

/** What the report files say about the runs besides the reports. */
export interface ReportExtras {
  readonly expectations?: readonly (readonly ExpectationResult[])[];
  /** Per run, the variant whose expectations judge it when that is not its own (a module's run). */
  readonly expectationsOf?: readonly (string | undefined)[];
  readonly divergence?: HtmlDivergence | null;
  readonly divergences?: readonly HtmlDivergence[] | null;
  readonly stops?: readonly StoppedFirst[] | null;
  readonly reproduce?: string;
}

/** Facts the trace-event file's header gives. */
export interface ReportFilesInfo {
  readonly scenario: string;
  readonly seed: number;
  readonly startMs: number;
  /** The variant of each run, in run order. */
  readonly labels: readonly string[];
}

/**
 * The `--html`, `--perfetto` and `--markdown` files of a `run` or `compare`: checked before the
 * run (`reportFileRequests`), fed by trace sinks
 * during it, written whole after it (or not at all).
 */
export class ReportFiles {
  readonly sinks: readonly TraceSink[];
  private readonly capture: RunCapture;
  private readonly perfettoFile: AtomicFile | null;
  private readonly document: TraceEventDocument | null;
  /** The files written once the runs are over, named by a signal that comes first. */
  private readonly awaited: AwaitedFile[];

  private constructor(
    private readonly o: ReportFileOptions,
    info: ReportFilesInfo,
  ) {
    this.perfettoFile = o.perfetto ? new AtomicFile(o.perfetto) : null;
    this.awaited = [o.html, o.markdown].flatMap((path) => (path ? [new AwaitedFile(path)] : []));
    const file = this.perfettoFile;
    this.document =
      file === null
        ? null
        : new TraceEventDocument((text) => writeOrGiveUp(file, text), {
            scenario: info.scenario,
            seed: info.seed,
            start: isoOf(info.startMs),
            variants: info.labels,
            generator: generatorName(),
          });
    this.capture = new RunCapture(Boolean(o.html || o.markdown), this.document, info.labels);
    this.sinks = [this.capture];
  }

  /**
   * The files the options ask for, or null when none is. `checked` is what `checkOutputs` said
   * of `reportFileRequests(o)`: a file it did not check is the program's mistake.
   */
  static open(o: ReportFileOptions, info: ReportFilesInfo, checked: CheckedOutputs): ReportFiles | null {
    if (!o.html && !o.perfetto && !o.markdown) return null;
    for (const path of [o.html, o.perfetto, o.markdown]) {
      if (path !== undefined && !checked.paths.has(path))
        throw new Error(`ReportFiles.open: ${path} was not checked by checkOutputs`);
    }
    return new ReportFiles(o, info);
  }

  /**
   * Writes every file asked for, each in its own attempt of `writes` (one that fails does not
   * stop the others), and says each one written with `announce`.
   */
  write(
    reports: readonly RunReport[],
    extras: ReportExtras,
    writes: DeferredFailure,
    announce: (file: string, detail: string) => void,
  ): void {
    const captured = this.capture.runs;
    const runs: HtmlRun[] = reports.map((report, i) => ({
      report,
      chain: captured[i]?.chain ?? null,
      expectations: extras.expectations?.[i] ?? [],
      ...(extras.expectationsOf?.[i] === undefined ? {} : { expectationsOf: extras.expectationsOf[i] }),
    }));
    const { html, markdown } = this.o;
    // Written now, or failed: not awaited any more, either way.
    for (const file of this.awaited) file.done();
    if (html) {
      writes.attempt(() => {
        const text = HTML_SEAL.seal(
          renderHtmlReport({
            runs,
            divergence: extras.divergence,
            divergences: extras.divergences,
            stops: extras.stops,
            assets: loadChartAssets(),
            reproduce: extras.reproduce,
            generator: generatorName(),
          }),
        );
        writeFileAtomic(html, text);
        announce(html, `HTML report, ${kilobytes(text)}`);
      });
    }
    if (markdown) {
      writes.attempt(() => {
        writeFileAtomic(
          markdown,
          MARKDOWN_SEAL.seal(
            renderMarkdown(runs, {
              divergence: extras.divergence,
              divergences: extras.divergences,
              stops: extras.stops,
              reproduce: extras.reproduce,
            }),
          ),
        );
        announce(markdown, "Markdown summary");
      });
    }
    const file = this.perfettoFile;
    const document = this.document;
    if (file && document) {
      writes.attempt(() => {
        document.end();
        file.commit();
        const dropped = captured.reduce((n, r) => n + (r.perfetto?.dropped ?? 0), 0);
        announce(
          file.path,
          `trace events for Perfetto: ${document.events}${dropped > 0 ? `, ${dropped} dropped past the cap` : ""}`,
        );
      });
    }
  }

  /** Leaves every target as it was; returns the temporary files it could not remove (`AtomicFile.abort`). */
  abort(): string[] {
    for (const file of this.awaited) file.done();
    const left = this.perfettoFile?.abort() ?? null;
    return left === null ? [] : [left];
  }
}

/**
 * Writes into the trace-event file while the runs go. A write that fails gives the file up (its
 * commit says why, after the command's report) without stopping the runs: unlike `--trace`, the
 * file is a view of the runs, and the other report files are still written.
 */
function writeOrGiveUp(file: AtomicFile, text: string): void {
  try {
    file.write(text);
  } catch {
    // Kept by the file, and thrown again by its commit.
  }
}

/** The report files the options ask for, to check before the run with `checkOutputs`. */
export function reportFileRequests(o: ReportFileOptions): OutputRequest[] {
  return [
    { flag: "--html", path: o.html, signature: HTML_SIGNATURE, seal: HTML_SEAL },
    { flag: "--perfetto", path: o.perfetto, signature: PERFETTO_SIGNATURE },
    { flag: "--markdown", path: o.markdown, signature: SUMMARY_SIGNATURE, seal: MARKDOWN_SEAL },
  ];
}

function kilobytes(text: string): string {
  return `${Math.round(Buffer.byteLength(text, "utf8") / 1024)} kB`;
}

/** uPlot's browser build and stylesheet, read from the installed package, to inline into the page. */
export function loadChartAssets(): { chartJs: string; chartCss: string } {
  try {
    const require = createRequire(import.meta.url);
    const js = require.resolve("uplot/dist/uPlot.iife.min.js");
    return {
      chartJs: readFileSync(js, "utf8"),
      chartCss: readFileSync(resolve(dirname(js), "uPlot.min.css"), "utf8"),
    };
  } catch (error) {
    throw new CliError(
      `cannot read the charting library uPlot (${(error as Error).message}); reinstall aftershock's dependencies`,
      EXIT.internal,
    );
  }
}

let generator: string | null = null;

/** `aftershock 0.1.0`, from the nearest package.json named aftershock. */
export function generatorName(): string {
  if (generator !== null) return generator;
  generator = "aftershock";
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(resolve(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "aftershock") {
        generator = `aftershock ${pkg.version ?? ""}`.trim();
        break;
      }
    } catch {
      // not here: look one folder up
    }
    dir = dirname(dir);
  }
  return generator;
}

// ------------------------------------------------------------------ the `report` command

export type ReportFormat = "html" | "markdown" | "perfetto";

export interface ReportCommandOptions {
  readonly output?: string;
  readonly format?: string;
  readonly force?: boolean;
}

/** What a report file holds once read: the runs, and for a trace, the first crash's chain. */
interface LoadedRuns {
  readonly runs: HtmlRun[];
  readonly divergence?: HtmlDivergence | null;
  readonly divergences?: readonly HtmlDivergence[] | null;
  readonly stops?: readonly StoppedFirst[] | null;
  readonly kind: "run report" | "comparison" | "trace";
  /** Where the run was to end (a trace's `run.started` says), when the saved output tells. */
  readonly horizonMs?: number;
  /** Perfetto slices dropped past the cap, when a trace was converted for Perfetto. */
  readonly perfettoDropped?: number;
  /** What the command warns of on stderr (`aftershock: FILE:LINE: warning: …`). */
  readonly warnings?: readonly string[];
}

/**
 * Whether a trace line's fields begin as aftershock writes them. The trace hash is of the fields
 * in the order the line gives them, as the run hashed them in the order it built them: a file
 * whose fields a tool reordered (`jq -S`) gives another hash.
 */
function inWrittenOrder(value: object): boolean {
  const keys = Object.keys(value);
  return LEADING_FIELDS.every((k, i) => keys[i] === k);
}

/** `aftershock report <run.json|compare.json|trace.jsonl> -o FILE`: a report file from saved output. */
export async function reportCommand(
  ctx: CliContext,
  input: string,
  o: ReportCommandOptions,
): Promise<number> {
  if (input === "") throw emptyArgumentError("a saved --json output or --trace file");
  if (!o.output) throw new CliError("report: give the output file with -o FILE (.html, .md or .json)");
  const format = reportFormat(o.output, o.format);
  const signature = { html: HTML_SIGNATURE, markdown: SUMMARY_SIGNATURE, perfetto: PERFETTO_SIGNATURE }[
    format
  ];
  const seal = { html: HTML_SEAL, markdown: MARKDOWN_SEAL, perfetto: undefined }[format];
  checkOutputs([{ flag: "-o", path: o.output, signature, seal }], o.force === true, [input]);
  if (format === "perfetto") return writePerfetto(ctx, input, o.output);
  // Written once the input is read: a signal that comes first says it is not written, as run's.
  const awaited = new AwaitedFile(o.output);
  try {
    return await writeReport(ctx, input, o.output, format);
  } finally {
    awaited.done();
  }
}

/** The HTML or Markdown report of saved output, read whole first. */
async function writeReport(
  ctx: CliContext,
  input: string,
  output: string,
  format: "html" | "markdown",
): Promise<number> {
  const saved = await openInput(input);
  const head = saved.head;
  const reading = traceReading(ctx, input);
  let loaded: LoadedRuns;
  try {
    loaded = looksLikeTrace(head)
      ? await readTrace(input, saved, null, reading.progress)
      : readReportJson(input, notScenario(input, await savedText(saved, input), format, output));
  } finally {
    reading.done();
  }
  for (const warning of loaded.warnings ?? []) ctx.err(`${warning}\n`);
  const reproduce = reproduceOfSaved(loaded.runs, loaded.horizonMs);
  if (format === "html") {
    const html = HTML_SEAL.seal(
      renderHtmlReport({
        runs: loaded.runs,
        divergence: loaded.divergence,
        divergences: loaded.divergences,
        stops: loaded.stops,
        assets: loadChartAssets(),
        reproduce,
        generator: generatorName(),
      }),
    );
    writeFileAtomic(output, html);
    sayWritten(ctx.err, output, `HTML report of the ${loaded.kind} ${input}, ${kilobytes(html)}`);
  } else {
    writeFileAtomic(
      output,
      MARKDOWN_SEAL.seal(
        renderMarkdown(loaded.runs, {
          divergence: loaded.divergence,
          divergences: loaded.divergences,
          stops: loaded.stops,
          reproduce,
        }),
      ),
    );
    sayWritten(ctx.err, output, `Markdown summary of the ${loaded.kind} ${input}`);
  }
  return EXIT.ok;
}

/**
 * Opens the input, once, start to end: a pipe cannot be read again. Refuses an empty one (its
 * first line, `head`, tells a trace from a JSON report).
 */
async function openInput(input: string): Promise<SavedInput> {
  const saved = await openSavedInput(input);
  if (saved.empty) throw fileError(input, `empty; expected the output of --json or a --trace file`);
  return saved;
}

/**
 * The Perfetto file of a trace, written as the trace is read. Its temporary file is made before
 * the input is opened, and removed (or named, if it cannot be) when the input turns out bad.
 */
async function writePerfetto(ctx: CliContext, input: string, output: string): Promise<number> {
  let file: AtomicFile | null = null;
  // The trace is read a chunk at a time: Ctrl-C (or SIGTERM) is handled between two, and takes
  // the temporary file away rather than leave it behind. The handlers come first: a signal that
  // found the temporary file there before them would end the process and leave the file.
  const onSignal = (signal: NodeJS.Signals) => {
    sayLeftBehind(ctx.err, [file?.abort()]);
    ctx.err(`aftershock: stopped by ${signal}: not written: ${shownPath(output)}\n`);
    exitNow(signalExitCode(signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("SIGHUP", onSignal);
  try {
    const opened = new AtomicFile(output);
    file = opened;
    const saved = await openInput(input);
    if (!looksLikeTrace(saved.head)) {
      const text = notScenario(input, await savedText(saved, input), "perfetto", output);
      throw fileError(input, `${noTraceText(text)}`);
    }
    const reading = traceReading(ctx, input);
    let loaded: LoadedRuns;
    try {
      loaded = await readTrace(input, saved, (text) => opened.write(text), reading.progress);
    } finally {
      reading.done();
    }
    opened.commit();
    // As run --perfetto says it: the slices the cap dropped, which the file does not count.
    const dropped = loaded.perfettoDropped ?? 0;
    sayWritten(
      ctx.err,
      output,
      `trace events for Perfetto, from ${loaded.runs[0].report.events} trace events${dropped > 0 ? `, ${dropped} dropped past the cap` : ""}`,
    );
  } catch (error) {
    // Bad input found part-way: a temporary file that cannot be removed is said, as after a failed write.
    sayLeftBehind(ctx.err, [file?.abort()]);
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
  }
  return EXIT.ok;
}

/**
 * Why saved output that is no trace gives no Perfetto file, and where one comes from: `run
 * --trace` for a run; for a comparison, whose runs' traces compare never writes, `compare
 * --perfetto`.
 */
function noTraceText(text: string): string {
  const json = parseJson(text);
  const comparison = json.ok && isRecord(json.value) && "variants" in json.value;
  return comparison
    ? "a Perfetto trace needs the runs' traces, and a comparison holds none (compare writes no trace); write the Perfetto file with compare --perfetto FILE.json"
    : "a Perfetto trace needs the run's trace (write one with run --trace FILE.jsonl)";
}

/**
 * The command that reruns saved runs, as run and compare write it. Saved output names its
 * scenario but not the file it was read from: a bundled scenario is named as such, any other
 * stands as a placeholder for its file, and so does a scheduler module (its name is its path
 * from that file's folder). A run that was to end before its scenario does gets `--until`. A
 * comparison's run of a `--scheduler` module is given back as `--scheduler` and `--fix`.
 */
function reproduceOfSaved(runs: readonly HtmlRun[], horizonMs: number | undefined): string {
  const reports = runs.map((r) => r.report);
  const { scenario, seed } = reports[0];
  const named = bundledScenarioNamed(scenario);
  const bundledScenario = named === undefined ? undefined : loadScenario(named.path).scenario;
  // A copy of a bundled scenario, edited but keeping its name, is not the bundled one: named so
  // only when the saved run's world is the bundled scenario's (its start, SLO and fleet).
  const same = bundledScenario !== undefined && sameWorld(reports[0], bundledScenario);
  const bundled = same ? named : undefined;
  const argument = bundled ? scenario : { placeholder: `<file of the scenario ${scenario}>` };
  if (reports.length > 1) {
    // A run no variant names is compare's `--scheduler` module's, after the variants.
    const variants = reports.flatMap((r) => r.variant.name ?? []).join(",");
    const own = reports
      .filter((r) => !r.variant.name)
      .flatMap((r) => schedulerWords(r, scenario, bundled?.path));
    return commandLine(["aftershock", "compare", argument, "--seed", seed, "--variants", variants, ...own]);
  }
  const report = reports[0];
  const ownEndMs = same ? bundledScenario.endMs : null;
  return commandLine([
    "aftershock",
    "run",
    argument,
    "--seed",
    seed,
    ...schedulerWords(report, scenario, bundled?.path),
    ...untilWords(report, horizonMs, ownEndMs),
  ]);
}

/** Whether a saved run's world could be `scenario`'s: the same start, SLO and fleet size. */
function sameWorld(report: RunReport, scenario: Scenario): boolean {
  return (
    Date.parse(report.run.start) === scenario.startMs &&
    report.run.sloMs === scenario.sloMs &&
    report.run.workers === scenario.fleet.workers
  );
}

/**
 * `--variant NAME`, or `--scheduler` with its `--fix` list when no variant is that choice. A module
 * (`module:../x.mjs`) is named by its path from the scenario's folder, or for a bundled scenario
 * from its project's (`projectFolder`): taken from the working folder's project when the scenario
 * is bundled and the file is there under that name, else a placeholder that says so.
 */
function schedulerWords(report: RunReport, scenario: string, bundledPath: string | undefined): CommandWord[] {
  const { name, scheduler, fixes } = report.variant;
  if (name) return ["--variant", name];
  const fix = fixes.length > 0 ? ["--fix", fixes.join(",")] : [];
  if (!scheduler.startsWith("module:")) return ["--scheduler", scheduler, ...fix];
  const path = scheduler.slice("module:".length);
  const cwd = process.cwd();
  const file = resolve(projectFolder(cwd, cwd), path);
  const word: CommandWord =
    bundledPath === undefined
      ? { placeholder: `<module ${path}, from the folder of the scenario ${scenario}>` }
      : existsSync(file) && commandLineModuleName(file, bundledPath, cwd) === scheduler
        ? pathArgument(file, cwd)
        : { placeholder: `<module ${path}, from the folder of its project>` };
  return ["--scheduler", word, ...fix];
}

/**
 * `--until` when the run was to end before its scenario's own end: a trace says where it was to
 * end; a RunReport only says where it ended, which is that when it reached its horizon. When the
 * scenario's own end is not known (not a bundled one), `--until` is written whenever the run's end
 * is known: it then reruns the same run either way.
 */
function untilWords(report: RunReport, horizonMs: number | undefined, ownEndMs: number | null): string[] {
  const endMs = horizonMs ?? (report.run.stopReason === "horizon" ? Date.parse(report.run.end) : undefined);
  if (endMs === undefined || (ownEndMs !== null && endMs >= ownEndMs)) return [];
  return ["--until", untilWord(endMs, Date.parse(report.run.start))];
}

/** The formats the output's extension names, in any case; any other names none. */
const EXTENSION_FORMATS: Readonly<Record<string, ReportFormat>> = {
  ".html": "html",
  ".htm": "html",
  ".md": "markdown",
  ".markdown": "markdown",
  ".json": "perfetto",
};

/** The extension a file of each format is named by, in messages. */
const FORMAT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  html: ".html",
  markdown: ".md",
  perfetto: ".json",
};

/**
 * The format the output's extension names, or `--format`'s where it names none (stdout, a file
 * with no extension or another one); `--format` naming another format than the extension is
 * refused, as the file would hold what its name says it does not.
 */
export function reportFormat(output: string, format: string | undefined): ReportFormat {
  const ext = extname(output).toLowerCase();
  const named = Object.hasOwn(EXTENSION_FORMATS, ext) ? EXTENSION_FORMATS[ext] : undefined;
  if (format !== undefined) {
    if (format !== "html" && format !== "markdown" && format !== "perfetto")
      throw optionError("--format", `expected html, markdown or perfetto, found "${format}"`);
    if (named !== undefined && named !== format)
      throw new CliError(
        `-o ${output}: --format ${format} contradicts the extension "${extname(output)}" (${named}); name the file ${FORMAT_EXTENSIONS[format]} or leave --format out`,
      );
    return format;
  }
  if (named !== undefined) return named;
  const add = "add --format html|markdown|perfetto";
  if (output === STDOUT_PATH) throw new CliError(`-o: stdout has no extension to tell the format by; ${add}`);
  const name = "name it .html, .md or .json, or";
  throw new CliError(
    ext === ""
      ? `-o ${output}: no extension to tell the format by; ${name} ${add}`
      : `-o ${output}: cannot tell the format from the extension "${ext}"; ${name} ${add}`,
  );
}

/**
 * The file report reads for `input`: stdin (`STDIN_NAME`) for `-`, unless stdin is a terminal,
 * where reading it would wait for typing that never comes. A file that is called `<stdin>` is
 * named from its folder, so that it is read as the file it is.
 */
export function inputFile(input: string, stdinIsTty: boolean): string {
  if (input === STDIN_NAME) return `./${input}`;
  if (input !== "-") return input;
  if (stdinIsTty)
    throw new CliError(
      "report -: stdin is a terminal; pipe saved output in (aftershock run … --json | aftershock report - -o FILE)",
    );
  return STDIN_NAME;
}

function looksLikeTrace(firstLine: string): boolean {
  try {
    const value = JSON.parse(firstLine) as Record<string, unknown>;
    return (
      typeof value === "object" &&
      value !== null &&
      typeof value.seq === "number" &&
      typeof value.type === "string"
    );
  } catch {
    return false;
  }
}

/**
 * What file of aftershock's other than saved output `text` is, by the signature it starts with,
 * or null: someone who passes the report a run wrote (or the gate's summary, a saved training
 * session), rather than the output it was written from, is told so. A trace is saved output:
 * one whose first line is broken is said to be as it is.
 */
function reportKindOf(text: string): string | null {
  return TRACE_SIGNATURE.test(text) ? null : writtenKindOf(text);
}

/** The flag of run that writes each format of report. */
const RUN_FLAGS: Readonly<Record<ReportFormat, string>> = {
  html: "--html",
  markdown: "--markdown",
  perfetto: "--perfetto",
};

/**
 * `text`, unless it is a scenario (`report may8.yaml -o may8.html`): that is refused, naming the
 * run that writes the report asked for, rather than as text that is not JSON (YAML) or a RunReport
 * lacking its fields (JSON). A scenario is a mapping with `start` and `duration`, which saved
 * output has not at its top; one of aftershock's own files (a reproducer) is said as that, later.
 */
function notScenario(input: string, text: string, format: ReportFormat, output: string): string {
  if (reportKindOf(text) !== null || text.length > TEXT_BYTES_MAX) return text;
  const json = parseJson(text);
  let value: unknown = json.ok ? json.value : undefined;
  if (!json.ok) {
    try {
      value = YAML.parse(text, { logLevel: "silent", uniqueKeys: false });
    } catch {
      return text;
    }
  }
  if (!isRecord(value) || !("start" in value && "duration" in value) || "scenario" in value) return text;
  const scenario = input === STDIN_NAME ? "-" : input;
  const run = commandLine(["aftershock", "run", scenario, RUN_FLAGS[format], output]);
  throw new CliError(
    `${input}: a scenario, not saved output; report takes the output of run --json or compare --json, or a --trace file; to report on a scenario, run it: ${run}`,
  );
}

/** A RunReport (`run --json`) or a comparison (`compare --json`), checked whole against its schema. */
export function readReportJson(file: string, text: string): LoadedRuns {
  const written = reportKindOf(text);
  if (written !== null)
    throw new CliError(
      `${file}: ${written} written by aftershock, not saved output; report takes the output of run --json or compare --json, or a --trace file`,
    );
  const json = parseJson(text);
  if (!json.ok) {
    const { line, column, message } = json.error;
    throw new CliError(
      `${file}:${line}:${column}: not JSON (${message}); expected the output of --json or a --trace file`,
    );
  }
  const value = json.value;
  const parsed = parseSavedReport(value, file, text);
  if (!parsed.ok) throw new CliError(parsed.message, EXIT.usage, parsed.problems);
  // The expectations the output holds are shown; a run saved before they were given says they are not known.
  const runs = parsed.runs.map(({ report, expectations }) => ({
    report,
    ...(expectations === undefined ? {} : { expectations }),
    ...judgedAsOf(report, expectations),
  }));
  if (parsed.comparison !== null)
    return {
      runs,
      divergence: parsed.comparison.divergence as HtmlDivergence | null,
      divergences: (parsed.comparison.divergences ?? null) as HtmlDivergence[] | null,
      stops: parsed.comparison.stops ?? savedStops(parsed.comparison.divergence, runs),
      kind: "comparison",
    };
  return { runs, kind: "run report" };
}

/**
 * The stops of a comparison saved before compare gave them (`stops` absent): the first two runs
 * stopped alike when they did not diverge and both stopped early, at the same event; else none.
 */
function savedStops(
  divergence: unknown,
  runs: readonly { readonly report: RunReport }[],
): StoppedFirst[] | null {
  const [a, b] = runs;
  if (divergence !== null || a === undefined || b === undefined) return null;
  // Their traces differ only where a variant's name is (never behaviour): the same length and stop.
  if (a.report.events !== b.report.events || b.report.run.stopReason !== a.report.run.stopReason) return null;
  const alike = bothStoppedAlike([runName(a.report), runName(b.report)], a.report);
  return alike === null ? null : [alike];
}

/**
 * The variant whose expectations judged a run of a module (its report names no variant), as
 * `run --html` says it: the variant its saved expectations are of.
 */
function judgedAsOf(
  report: RunReport,
  expectations: readonly ExpectationResult[] | undefined,
): { expectationsOf?: string } {
  const of = expectations?.[0]?.expectation.variant;
  return of === undefined || report.variant.name !== null ? {} : { expectationsOf: of };
}

/**
 * Rebuilds a RunReport from a trace file (`--trace`), streaming it line by line: the metrics and
 * verdicts are recomputed from the trace alone, as DESIGN.md promises they can be. With `perfetto`,
 * the trace events for Perfetto are streamed to it as well.
 */
/**
 * The `operator.action`s that arm a fault (`faults/verbs.ts`), and the fault each arms: an injected
 * panic or hang waits for its task, an HTTP fault for a send to fail in its window.
 */
const ARMED_KINDS: ReadonlyMap<unknown, string> = new Map([
  ["arm-panic", "inject-panic"],
  ["arm-hang", "hang"],
  ["arm-http-errors", "http-errors"],
  ["arm-http-timeouts", "http-timeouts"],
]);

/** How many trace events `report` reads between two redraws of its status line. */
const TRACE_PROGRESS_EVERY = 50_000;

/**
 * The status line of a trace being read, on a terminal's stderr, and what clears it; none on
 * another stderr (a CI log gets the `wrote` line), nor while an output is written through it.
 */
function traceReading(
  ctx: CliContext,
  input: string,
): { progress: ((n: number) => void) | null; done: () => void } {
  // Nor on a terminal whose stderr an output is written through (`-o /dev/stderr`).
  if (!ctx.errIsTty || ctx.stderrTaken?.() === true) return { progress: null, done: () => {} };
  let drawn = false;
  return {
    progress: (n) => {
      drawn = true;
      drawStatus(ctx, `aftershock report: reading ${input}: ${n} trace events…`, `${n} trace events…`);
    },
    done: () => {
      if (drawn) ctx.err(CLEAR_LINE);
    },
  };
}

async function readTrace(
  file: string,
  saved: SavedInput,
  perfetto: ((text: string) => void) | null,
  /** Told the events read so far every `TRACE_PROGRESS_EVERY` (a status line on a terminal). */
  progress: ((events: number) => void) | null = null,
): Promise<LoadedRuns> {
  const collector = new MetricsCollector();
  const lanes = new LaneRecorder();
  const series = new SeriesRecorder();
  const hasher = new TraceHasher();
  const chain = new FirstCrashChain();
  let document: TraceEventDocument | null = null;
  let builder: PerfettoTraceBuilder | null = null;
  const fired = new FiredFaults();
  const probes = new Map<string, number>();
  const skipped = new Map<string, number>();
  // The faults armed (by the seq of their arming action) that have neither fired (a `fault.injected`
  // naming it in `armed`) nor been skipped (an HTTP window that failed nothing ends in a
  // `fault.skipped` its arming caused): those left at the end are armed, not fired by the end.
  const armedBySeq = new Map<number, string>();
  let started: TraceEvent | null = null;
  let finished: TraceEvent | null = null;
  let count = 0;
  let lastT = 0;
  let lastSeq = -1;
  let lineNo = 0;
  /** The first line whose fields are not in the order aftershock writes them, if any. */
  let reorderedAt: number | null = null;
  const end = new InputEnd();
  const lines = createInterface({
    input: Readable.from(end.track(boundedLines(saved.chunks(), file)), { objectMode: false }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  // A line that is no JSON where the input ends without a newline, held to see whether it is the last.
  let broken: BrokenLine | null = null;
  for await (const line of lines) {
    lineNo++;
    if (broken !== null) throw notJsonLine(broken, file, false);
    if (line.trim() === "") continue;
    const json = parseJsonLine(line, lineNo);
    if (!json.ok) {
      // Unended, the input may go on (a pipe): only a line read after its end can be its last.
      if (end.ended && !end.newlineLast && json.column > line.trimEnd().length) {
        broken = json;
        continue;
      }
      throw notJsonLine(json, file, false);
    }
    const e = parseTraceLine(json.value, { file, lineNo, text: line });
    if (reorderedAt === null && !inWrittenOrder(e)) reorderedAt = lineNo;
    checkOrder(
      e,
      { started, finished, lastSeq: count === 0 ? -1 : lastSeq, lastT },
      { file, lineNo, text: line },
    );
    lastSeq = e.seq;
    if (e.type === "run.started") {
      started = e;
      if (perfetto !== null) {
        document = new TraceEventDocument(perfetto, {
          scenario: String(e.scenario ?? basename(file)),
          seed: Number(e.seed),
          start: isoOf(e.t),
          // As run --perfetto names it: the variant, or the scheduler when it is none of them.
          variants: [
            namedVariant(String(e.scheduler), (e.fixes as string[]).map(String)) ?? String(e.scheduler),
          ],
          generator: generatorName(),
        });
        const doc = document;
        builder = new PerfettoTraceBuilder((json) => doc.add(json));
      }
    }
    if (e.type === "run.finished") finished = e;
    if (e.type === "fault.injected" && typeof e.fault === "string") {
      fired.add(e.fault, typeof e.armed === "number" ? e.armed : undefined);
      if (typeof e.armed === "number") armedBySeq.delete(e.armed);
      // By fault point, as a run counts them; the trace has a point's count at each strike alone,
      // so the reaches after a point's last strike are not in it.
      const point = faultPointOf(e);
      if (point !== null && typeof e.probe === "number")
        probes.set(point, Math.max(probes.get(point) ?? 0, e.probe));
    }
    const armedKind =
      e.type === "operator.action" && e.applied !== false ? ARMED_KINDS.get(e.action) : undefined;
    if (armedKind !== undefined) armedBySeq.set(e.seq, armedKind);
    if (e.type === "fault.skipped" && typeof e.fault === "string") {
      skipped.set(e.fault, (skipped.get(e.fault) ?? 0) + 1);
      if (typeof e.cause === "number") armedBySeq.delete(e.cause);
    }
    count++;
    if (progress !== null && count % TRACE_PROGRESS_EVERY === 0) progress(count);
    lastT = e.t;
    hasher.onEvent(e);
    collector.onEvent(e);
    lanes.onEvent(e);
    series.onEvent(e);
    chain.onEvent(e);
    builder?.onEvent(e);
  }
  if (broken !== null) throw notJsonLine(broken, file, true);
  if (started === null) throw fileError(file, `empty; expected a trace (--trace FILE.jsonl)`);
  if (finished === null)
    throw fileError(file, `the trace ends at seq ${lastSeq} without run.finished (cut short?)`);
  builder?.close(lastT);
  document?.end();
  const checked = collector.finish();
  const horizon = Number(started.horizon);
  const fixes = (started.fixes as string[]).map(String);
  const workerLanes = lanes.finish(horizon);
  const armed = new Map<string, number>();
  for (const kind of armedBySeq.values()) armed.set(kind, (armed.get(kind) ?? 0) + 1);
  const report: RunReport = {
    scenario: String(started.scenario),
    seed: Number(started.seed),
    variant: {
      name: namedVariant(String(started.scheduler), fixes),
      scheduler: String(started.scheduler),
      fixes,
    },
    traceHash: hasher.digest(),
    events: count,
    metrics: checked.metrics,
    verdicts: checked.verdicts,
    timeline: checked.timeline,
    run: {
      start: isoOf(started.t),
      end: isoOf(finished.t),
      stopReason: String(finished.reason),
      detail: finishedDetail(finished, started),
      kernelEvents: Number(finished.events),
      sloMs: Number(started.sloMs),
      workers: Number(started.workers),
      judged: !stoppedEarly(String(finished.reason)),
    },
    lanes: workerLanes,
    faults: {
      fired: sortedRecord(fired.acts),
      firedFaults: sortedRecord(fired.faults),
      probes: sortedRecord(probes),
      skipped: sortedRecord(skipped),
      ...(armed.size === 0 ? {} : { armed: sortedRecord(armed) }),
    },
    description: `Rebuilt from the trace ${basename(file)}: the scenario's description, sources and assumptions are not part of a trace.`,
    sources: [],
    assumptions: [],
    series: series.finish(),
  };
  return {
    runs: [{ report, chain: chain.chain, fromTrace: basename(file) }],
    kind: "trace",
    horizonMs: horizon,
    perfettoDropped: builder?.summary().dropped ?? 0,
    warnings:
      reorderedAt === null
        ? []
        : [
            `aftershock: ${file}:${reorderedAt}: warning: the event's fields are not in the order aftershock writes them (${LEADING_FIELDS.join(", ")} first), as after a tool that sorts keys (jq -S): the trace hash is of this file's order, not the run's`,
          ],
  };
}

/**
 * Why the run ended, in the words the run said it in (`stopDetail`), from what `run.finished`
 * carries: a run stopped by its event limit executed exactly that many events. The wall budget
 * and the error that halted a run are not in the trace, so their words go without them.
 */
function finishedDetail(finished: TraceEvent, started: TraceEvent): string {
  // Checked by `checkFinishedReason` as the line was read.
  const reason = finished.reason as StopReason;
  return stopDetail(reason, { maxEvents: Number(finished.events), seed: String(started.seed) });
}

/**
 * Whether the input read through `track` has ended, and with a newline: a last line that breaks
 * off where the input does is a trace cut short (a copy that stopped, a run still writing it).
 */
class InputEnd {
  ended = false;
  newlineLast = true;

  async *track(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of chunks) {
      if (chunk.length > 0) this.newlineLast = chunk[chunk.length - 1] === 0x0a;
      yield chunk;
    }
    this.ended = true;
  }
}

/** A trace line that is no JSON: where it breaks, 1-based, and V8's words for it. */
interface BrokenLine {
  readonly lineNo: number;
  readonly column: number;
  readonly message: string;
}

/** A trace line read as JSON, or where it breaks. */
function parseJsonLine(
  line: string,
  lineNo: number,
): { readonly ok: true; readonly value: unknown } | ({ readonly ok: false } & BrokenLine) {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch (error) {
    // Placed as a JSON file's syntax errors are (a byte-order mark, which it allows, is no JSON here).
    const placed = parseJson(line);
    return placed.ok
      ? { ok: false, lineNo, column: 1, message: (error as Error).message }
      : { ok: false, lineNo, column: placed.error.column, message: placed.error.message };
  }
}

function notJsonLine(broken: BrokenLine, file: string, lastCutShort: boolean): CliError {
  const cut = lastCutShort ? ": the file ends inside this line, without a newline: it looks cut short" : "";
  return errorAt(
    { file, line: broken.lineNo, column: broken.column },
    `not a JSON line (${broken.message})${cut}`,
  );
}

function parseTraceLine(value: unknown, line: TraceLine): TraceEvent {
  if (!isRecord(value)) throw errorAt(placeOf(line, null), "not a trace event (expected a JSON object)");
  const bad = TRACE_EVENT_FIELDS.find(([field, ok]) => !ok(value[field]));
  if (bad !== undefined)
    throw errorAt(
      placeOf(line, value[bad[0]] === undefined ? null : bad[0]),
      `not a trace event: \`${bad[0]}\` is ${value[bad[0]] === undefined ? "missing" : `not ${bad[2]}`} (each line needs t, seq, type and cause)`,
    );
  return value as unknown as TraceEvent;
}

/** The fields every trace line has (DESIGN.md): name, test, and what it must be, in words. */
const TRACE_EVENT_FIELDS: readonly (readonly [string, (v: unknown) => boolean, string])[] = [
  ["t", isTimeMs, `a time in whole ms from 0 to ${TIME_MS_MAX}`],
  ["seq", (v) => Number.isSafeInteger(v) && (v as number) >= 0, "a seq (an integer from 0)"],
  ["type", (v) => typeof v === "string", "an event type"],
  ["cause", (v) => v === null || (Number.isInteger(v) && (v as number) >= 0), "a seq or null"],
];

/** A line of a trace, where it is: for the problems said at a field's line and column. */
interface TraceLine {
  readonly file: string;
  readonly lineNo: number;
  readonly text: string;
}

/** Where the value of `field` is on `line` (null, or a field it lacks: the line's first character): its file, line and column. */
function placeOf(line: TraceLine, field: string | null): ProblemPlace {
  const column = field === null ? 1 : textPosition(line.text, [field]).column;
  return { file: line.file, line: line.lineNo, column };
}

interface TraceSoFar {
  readonly started: TraceEvent | null;
  readonly finished: TraceEvent | null;
  readonly lastSeq: number;
  readonly lastT: number;
}

/**
 * A trace of one run is whole: `run.started` (with its fields) at seq 0, every seq after the one
 * before, time never going back, and nothing after `run.finished`. A trace cut at either end or
 * with lines left out would give metrics that look right and are not.
 */
function checkOrder(e: TraceEvent, so: TraceSoFar, line: TraceLine): void {
  if (so.started === null) {
    if (e.type !== "run.started" || e.seq !== 0)
      throw errorAt(
        placeOf(line, e.type !== "run.started" ? "type" : "seq"),
        `the trace starts with ${e.type} at seq ${e.seq}, not run.started at seq 0 (cut at the front?)`,
      );
    const problem = checkRunStarted(e, line.file, line.lineNo, line.text);
    if (problem !== null) throw new CliError(problem);
    if ((e.horizon as number) < e.t)
      throw errorAt(
        placeOf(line, "horizon"),
        `run.started.horizon: expected a time at or after the run's start (t ${e.t}), found ${e.horizon as number}`,
      );
    return;
  }
  if (e.type === "run.started")
    throw errorAt(placeOf(line, "type"), "a second run starts here; give a trace of one run");
  if (so.finished !== null)
    throw errorAt(
      placeOf(line, "type"),
      `${e.type} at seq ${e.seq} comes after run.finished (seq ${so.finished.seq})`,
    );
  if (e.seq !== so.lastSeq + 1)
    throw errorAt(
      placeOf(line, "seq"),
      e.seq > so.lastSeq
        ? `seq ${e.seq} follows seq ${so.lastSeq}: ${e.seq - so.lastSeq - 1} event(s) missing`
        : `seq ${e.seq} follows seq ${so.lastSeq}: seqs go back (lines out of order?)`,
    );
  if (e.t < so.lastT) throw errorAt(placeOf(line, "t"), `time goes back (t ${e.t} after ${so.lastT})`);
  checkFinishedReason(e, line);
  checkWithinHorizon(e, so.started, line);
  checkFields(e, line);
}

/**
 * An event is of a type the world writes and has the fields that type declares
 * (`world/events.ts`), and its cause is an event before it: the checks read those fields as
 * declared, and skip a type they do not know, so a misspelt `schedule.created` or a missing
 * worker would give numbers that look right and are not, and a cause pointing nowhere would make
 * up a cascade, rather than refuse the trace.
 */
function checkFields(e: TraceEvent, line: TraceLine): void {
  if (!isEventType(e.type)) {
    const near = closest(e.type, EVENT_TYPES);
    throw errorAt(
      placeOf(line, "type"),
      `type: expected an event type of aftershock's trace (one of the ${EVENT_TYPES.length} that src/world/events.ts declares), found ${describeFound(e.type)}${near === undefined ? "" : ` — did you mean ${near}?`}`,
    );
  }
  const problem = eventFieldProblem(e);
  if (problem !== null)
    throw errorAt(
      placeOf(line, e[problem.field] === undefined ? null : problem.field),
      `${e.type}.${problem.field}: expected ${problem.expected}, found ${describeFound(e[problem.field])}`,
    );
  if (e.cause !== null && e.cause >= e.seq)
    throw errorAt(
      placeOf(line, "cause"),
      `cause: expected null or the seq of an earlier event (0 to ${e.seq - 1}), found ${e.cause} (${e.type} at seq ${e.seq})`,
    );
}

/**
 * A run finishes for a reason the kernel stops for: the report reads it to tell a run that
 * reached its horizon from one a limit stopped, which is not judged.
 */
function checkFinishedReason(e: TraceEvent, line: TraceLine): void {
  if (e.type !== "run.finished" || isStopReason(e.reason)) return;
  throw errorAt(
    placeOf(line, "reason"),
    `run.finished.reason: expected one of ${STOP_REASONS.map((r) => JSON.stringify(r)).join(", ")}, found ${describeFound(e.reason)}`,
  );
}

/**
 * Nothing happens after a run's horizon, and a run that reached it finished at it: a horizon far
 * from the run's end would have the checks settle dues over time the run never simulated.
 */
function checkWithinHorizon(e: TraceEvent, started: TraceEvent, line: TraceLine): void {
  const horizon = started.horizon as number;
  if (e.t > horizon)
    throw errorAt(
      placeOf(line, "t"),
      `t: expected a time at or before the run's horizon (${horizon}, run.started at line 1), found ${e.t} (${e.type})`,
    );
  if (e.type === "run.finished" && e.reason === "horizon" && e.t !== horizon)
    throw errorAt(
      placeOf(line, "t"),
      `t: a run that reached its horizon finishes at it (${horizon}, run.started at line 1), found ${e.t}`,
    );
}

/**
 * The named variant a trace's scheduler and fixes are (`buggy` is v2 without fixes), or null.
 * A trace does not say whether a variant was asked for by name or is the scenario's own
 * scheduler; the same scheduler and fixes are the same variant either way.
 */
function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key)!;
  return out;
}

export const report: CliCommand = {
  spec: reportSpec,
  run: async (ctx, args, options) => {
    const input = inputFile(args[0], process.stdin.isTTY === true);
    try {
      return await reportCommand(ctx, input, options as ReportCommandOptions);
    } finally {
      if (input === STDIN_NAME) releaseStdin();
    }
  },
};

/**
 * The fault point an injected panic or hang struck at, whose reach count its `probe` is: a hang
 * strikes before delivery, a panic where its detail says (`panic injected at before-commit in
 * task …`). Null for any other fault, whose `probe` counts its kind's acts.
 */
function faultPointOf(e: TraceEvent): string | null {
  if (e.fault === "hang") return "before-delivery";
  if (e.fault !== "inject-panic") return null;
  return /^panic injected at (\S+) /.exec(String(e.detail ?? ""))?.[1] ?? null;
}
