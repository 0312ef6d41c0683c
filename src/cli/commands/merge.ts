import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize } from "node:path";
import {
  describeFailureStops,
  describeMissing,
  describeShardStop,
  type ExploreReport,
  mergeExploreReports,
  shardStopsOf,
  shardsStoppedEarly,
} from "../../explore/explore-report.js";
import type { Scenario } from "../../scenario/index.js";
import { parseScenario } from "../../scenario/index.js";
import { parseJson } from "../../scenario/json-syntax.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT, emptyArgumentError, fileError } from "../errors.js";
import { forTerminal } from "../fit-output.js";
import { readText } from "../io.js";
import { scenarioArgument } from "../load.js";
import { EXPLORE_REPORT_EXTENSIONS, missingPath, nearbyText } from "../missing-path.js";
import { isFilePath } from "../output.js";
import { reproducerTraceHash } from "../reproducer-header.js";
import type { CliCommand } from "../spec.js";
import { STDIN_ARG } from "../stdin-scenario.js";
import { exploreExitCode, renderExplore, replayCommand } from "./explore.js";
import { readExploreReport } from "./explore-report-schema.js";
import { mergeSpec } from "./specs.js";
import { exploreNotJudgedText } from "./stopped.js";

export interface MergeCommandOptions {
  readonly json?: boolean;
  readonly allowMissing?: boolean;
}

/** `aftershock merge <reports...>`: joins the `--json` reports of explore shards into one. */
export function mergeCommand(ctx: CliContext, files: readonly string[], o: MergeCommandOptions): number {
  if (files.length === 0)
    throw new CliError("name the shard reports to merge (explore --shard i/n --json > file)");
  // Not taken for a file called `-` that is not there, as a shard that wrote no report.
  if (files.includes(STDIN_ARG))
    throw new CliError(
      "merge -: merge reads no report from stdin: it joins the reports of several shards, each read from its own file; name them (explore --shard i/n --json > FILE writes one; ./- names a file called -)",
    );
  // `explore --json > shard.json` in a job stopped before it printed leaves the file empty, and
  // one stopped before it uploaded leaves none: that shard is missing, not malformed, and
  // --allow-missing merges the others.
  const texts = files.map((file) => {
    // `merge "$SHARD_1" …` with a variable unset: no shard's name, not a shard that wrote nothing.
    if (file === "") throw emptyArgumentError("a shard's --json report");
    // The reports named are merged already: `s-11.json` missing is shard 11's, not `s-1.json`.
    const missing = missingPath(file, EXPLORE_REPORT_EXTENSIONS, files);
    // A loop of links, or a link to nothing, is no shard that stopped early: said as it is. Nor
    // is a name one slip from a file that is there (`Shard-2.json`, `explor-2.json` for
    // `explore-2.json`): the shard wrote its report, and leaving it out even with
    // --allow-missing would lose its runs.
    if (missing !== null && !missing.absent) throw fileError(file, `${missing.message}`);
    const near = missing === null ? "" : nearbyText(missing);
    if (near !== "") throw fileError(file, `no such file${near}`);
    return { file, text: missing === null ? readText(file, "a shard report") : null };
  });
  const empty = texts.flatMap(({ file, text }) =>
    text === null
      ? [{ file, said: noReport("no such file") }]
      : text.trim() === ""
        ? [{ file, said: noReport("empty") }]
        : [],
  );
  const given = texts.flatMap(({ file, text }) =>
    text !== null && text.trim() !== "" ? [{ file, text }] : [],
  );
  if (given.length === 0)
    throw new CliError(
      `${empty.map(({ file, said }) => `${file}: ${said}`).join("; ")}: nothing to merge`,
      EXIT.usage,
      empty.map(({ file, said }) => ({
        place: null,
        file,
        severity: "error",
        message: `${said}: nothing to merge`,
      })),
    );
  const reports: ExploreReport[] = given.map(({ file, text }) => {
    const json = parseJson(text);
    if (!json.ok) {
      const { line, column, message } = json.error;
      const problem = `not JSON (${message}); write explore reports with aftershock explore --json > FILE`;
      throw new CliError(`${file}:${line}:${column}: ${problem}`, EXIT.usage, [
        { place: { file, line, column }, severity: "error", message: problem },
      ]);
    }
    const read = readExploreReport(json.value, file, text);
    if (!read.ok) throw new CliError(read.message, EXIT.usage, read.problems);
    return read.report;
  });
  const found = reports.map((report, i) => reproducersFromHere(report, given[i].file));
  const merged = mergeExploreReports(
    found.map((f) => f.report),
    given.map(({ file }) => file),
  );
  if (!merged.ok) throw new CliError(merged.problem);
  const report = merged.report;
  for (const line of found.flatMap((f) => f.missing)) ctx.err(`aftershock: ${line}\n`);
  for (const f of report.failures) {
    const stale = staleReproducer(f);
    if (stale !== null) ctx.err(`aftershock: ${stale}\n`);
  }
  const count = report.shards.count;
  // An interrupted shard explored part of its runs only: as incomplete as a missing one (and
  // listed in `missing`), said with its report file and how far it got.
  const interrupted = shardStopsOf(report).filter((s) => s.stoppedBy === "interrupted");
  const absent = report.shards.missing.filter((s) => !interrupted.some((stop) => stop.shard === s));
  const incomplete = [
    ...(absent.length > 0
      ? [
          `${absent.length === 1 ? "shard" : "shards"} ${absent.map((s) => `${s}/${count}`).join(", ")} ${absent.length === 1 ? "is" : "are"} missing`,
        ]
      : []),
    ...interrupted.map((s) => describeShardStop(s, count)),
  ];
  // A file not there or empty is refused even when the others cover every shard: a misspelt
  // name is not a shard that stopped, and without --allow-missing nothing named is left out.
  const emptyText = empty.map(({ file, said }) => `${file}: ${said}`);
  if ((incomplete.length > 0 || empty.length > 0) && !o.allowMissing) {
    const advice = "pass --allow-missing to merge what there is";
    throw new CliError(`${[...emptyText, ...incomplete].join("; ")} (${advice})`, EXIT.usage, [
      ...empty.map(({ file, said }) => ({
        place: null,
        file,
        severity: "error" as const,
        message: `${said} (${advice})`,
      })),
      ...incomplete.map((message) => ({
        place: null,
        severity: "error" as const,
        message: `${message} (${advice})`,
      })),
    ]);
  }
  for (const line of emptyText) ctx.err(`aftershock: ${line}: left out\n`);
  // The human report says it too; with --json, stderr is the only place a person reads.
  if (o.json) {
    const missing = describeMissing(report);
    if (missing !== null) ctx.err(`aftershock: ${missing}\n`);
    for (const s of shardsStoppedEarly(report)) ctx.err(`aftershock: ${describeShardStop(s, count)}\n`);
    const partial = describeFailureStops(report);
    if (partial !== null) ctx.err(`aftershock: ${partial}\n`);
  }
  if (o.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.out(`${forTerminal(ctx, renderExplore(report, ctx.paint), ctx.outColumns?.())}\n`);
  // Exit 2 (or 4) for runs a limit stopped says why on stderr, as explore does.
  const notJudged = notJudgedText(report);
  if (notJudged !== null) ctx.err(`aftershock: ${notJudged}\n`);
  return exploreExitCode(report);
}

/**
 * The shard report from `file` with each reproducer named from the working folder, where merge
 * runs, and a line for each reproducer not found from here. A shard names its reproducers from the
 * folder explore ran in; merge run elsewhere (`merge job/explore-1.json`, or the reports and the
 * shards' `--out` folder downloaded into another job) would print paths that lead nowhere. Looked
 * for: the path as written beside the report (`job/repro/x.yaml`) and from here, then its trailing
 * parts, longest first, beside the report and from here (`repro/x.yaml` for `../repro/x.yaml`, or
 * for an absolute path on the shard's runner). The first whose header records the trace hash the
 * report gives is named, its replay command too: a folder of other shards' or an earlier
 * exploration's reproducers of the same names may be where merge runs. When none records it, the
 * file at the path as written (beside the report, then from here) is named (and said to be written
 * over); when there is none, the path stays as the shard wrote it, and is said.
 */
function reproducersFromHere(
  report: ExploreReport,
  file: string,
): { readonly report: ExploreReport; readonly missing: readonly string[] } {
  const folder = dirname(file);
  const cwd = process.cwd();
  const missing: string[] = [];
  const failures = report.failures.map((f) => {
    const written = f.reproducer;
    if (written === null) return f;
    const hash = f.reproducerTraceHash ?? f.traceHash;
    const asWritten = besideAndHere(folder, written).filter(isFilePath);
    const found =
      [...asWritten, ...trailingParts(written).flatMap((tail) => besideAndHere(folder, tail))].find(
        (path) => isFilePath(path) && recordedTraceHash(path) === hash,
      ) ?? asWritten[0];
    if (found === undefined) {
      missing.push(
        `${file}: run ${f.run}: its reproducer ${written} is not there, nor beside the report: put the shard's --out folder beside its report to replay it`,
      );
      return f;
    }
    const reproducer = found === written ? written : scenarioArgument(found, cwd);
    // The replay as explore made it for the path it wrote (anything else is left alone), made
    // again for the file found: one explore wrote outside its folder it named by an absolute path.
    const replay = replaysPath(f.replay, written) ? replayCommand(scenarioArgument(found, cwd)) : f.replay;
    return { ...f, reproducer, replay };
  });
  return { report: { ...report, failures }, missing };
}

/** `path` beside the report (in `folder`) and from the working folder, without repeats. */
function besideAndHere(folder: string, path: string): string[] {
  if (isAbsolute(path) || folder === ".") return [path];
  return [join(folder, path), path];
}

/** The relative paths `path` ends with, longest first: `a/repro/x.yaml`, `repro/x.yaml`, `x.yaml`. */
function trailingParts(path: string): string[] {
  const parts = pathParts(path);
  return parts.map((_, i) => parts.slice(i).join("/"));
}

/** The names in `path` after its root and any leading `.` and `..`. */
function pathParts(path: string): string[] {
  const parts = normalize(path)
    .split(/[\\/]/)
    .filter((p) => p !== "");
  const first = parts.findIndex((p) => p !== "." && p !== "..");
  return first === -1 ? [] : parts.slice(first);
}

/**
 * Whether `replay` is explore's replay command for a reproducer it wrote at `written`: the file
 * by that path, or by the one explore named it with (absolute when outside its folder, relative
 * when inside), which ends with the other's trailing parts.
 */
function replaysPath(replay: string | null, written: string): boolean {
  if (replay === null) return false;
  if (replay === replayCommand(written)) return true;
  const word = replayWord(replay);
  if (word === null) return false;
  const [a, b] = [pathParts(word), pathParts(written)];
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return short.length > 0 && long.slice(long.length - short.length).join("/") === short.join("/");
}

/** The path in `aftershock run <path>` as a shell reads it back, or null when it is not such a command. */
function replayWord(replay: string): string | null {
  const run = "aftershock run ";
  if (!replay.startsWith(run)) return null;
  const rest = replay.slice(run.length);
  const quoted = rest.startsWith("'") && rest.endsWith("'");
  const word = quoted ? rest.slice(1, -1).replaceAll("'\\''", "'") : rest;
  return word !== "" && replayCommand(word) === replay ? word : null;
}

/** The trace hash a reproducer's header records (`# trace hash …`), or null when unreadable or none. */
function recordedTraceHash(path: string): string | null {
  try {
    return reproducerTraceHash(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/**
 * What to say of a failure whose reproducer, where the merged report names it, records another
 * trace hash than the report gives (overwritten since by another exploration, or edited), or
 * null: its replay would not give the trace the report says.
 */
function staleReproducer(f: ExploreReport["failures"][number]): string | null {
  if (f.reproducer === null || !isFilePath(f.reproducer)) return null;
  const recorded = recordedTraceHash(f.reproducer);
  const hash = f.reproducerTraceHash ?? f.traceHash;
  if (recorded === hash) return null;
  const says = recorded === null ? "records no trace hash" : `records trace hash ${recorded}`;
  return `run ${f.run}: ${f.reproducer} ${says}, not the report's ${hash}: written over or edited since its shard wrote it, it may not replay this failure`;
}

/**
 * What explore says of runs a limit stopped, or null: the limit to raise at its line in the
 * scenario file when that file is here to read (merge may run where only the reports are), else
 * in which file.
 */
function notJudgedText(report: ExploreReport): string | null {
  const { source, scenario, mode } = report.target;
  if (mode === "generated") return exploreNotJudgedText(report, null);
  // A scenario explored from stdin has no file: named as its report names it.
  const written = source === null ? null : scenarioAt(source);
  return exploreNotJudgedText(report, written ?? source ?? scenario);
}

/** The scenario in `file` for where its limits are written, or null when it cannot be read or parsed. */
function scenarioAt(file: string): Scenario | null {
  try {
    const parsed = parseScenario(readText(file), file);
    return parsed.ok ? parsed.scenario : null;
  } catch {
    return null;
  }
}

/** What a report file that is empty or not there means, said after its name. */
function noReport(what: string): string {
  return `${what}, so its shard wrote no report (stopped before it could?)`;
}

export const merge: CliCommand = {
  spec: mergeSpec,
  run: (ctx, args, options) => mergeCommand(ctx, args, options as MergeCommandOptions),
};
