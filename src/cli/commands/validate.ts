import { type Dirent, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { plural } from "../../kernel/time.js";
import type { Paint } from "../../report/paint.js";
import { formatIssue, parseScenario, type ScenarioIssue } from "../../scenario/index.js";
import {
  bundledPathShown,
  bundledScenarioFileNamed,
  bundledScenarioNamed,
  SCENARIO_FILE,
} from "../bundled-scenarios.js";
import type { codeFrame } from "../code-frame.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT, emptyArgumentError, fileError } from "../errors.js";
import { errText } from "../glyphs.js";
import { readText, realPathOrNull } from "../io.js";
import { scenarioModuleIssues, unparsedScenarioIssues } from "../load.js";
import { type MissingPath, missingPath, missingText, nearbyText } from "../missing-path.js";
import type { CliCommand } from "../spec.js";
import { readStdinScenario, STDIN_ARG, STDIN_SCENARIO, stdinTwice } from "../stdin-scenario.js";
import { validateSpec } from "./specs.js";

export { SCENARIO_FILE } from "../bundled-scenarios.js";

/** Scenario files named by paths: files as given, folders searched for .yaml/.yml/.json. */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === "") throw emptyArgumentError("a scenario file or folder");
    const missing = missingPath(p);
    if (missing !== null)
      throw fileError(p, `${missingText(missing, "file or folder")}${bundledHint(p, missing)}`);
    if (statSync(p).isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => SCENARIO_FILE.test(f))
        .sort()
        .map((f) => join(p, f));
      if (found.length === 0) {
        // `scenarios/` whose scenarios are all in team folders: where they are, not only that
        // there are none here.
        const deeper = unsearchedSubfolders([p]);
        const hint =
          deeper.length === 0
            ? ""
            : `; subfolders are not searched, and ${deeper.length === 1 ? "this holds" : "these hold"} some: ${deeper.join(", ")}`;
        throw fileError(p, `no scenario files (.yaml, .yml, .json) in this folder${hint}`);
      }
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  return out;
}

/**
 * A folder is searched without its subfolders (a gate's `golden/` holds JSON that is not a
 * scenario): the subfolders of the folders in `paths`, at any depth and through links, that hold
 * scenario files and are not named themselves, so that they are not believed checked
 * (`scenarios/teams/payments/p.yaml` under a `teams/` that holds no scenario itself too).
 * Hidden folders, `golden/` and `node_modules` are not looked into.
 */
export function unsearchedSubfolders(paths: readonly string[]): string[] {
  const real = (p: string) => realPathOrNull(p) ?? resolve(p);
  const given = new Set(paths.map(real));
  const skipped: string[] = [];
  // Each folder once: a link back up (`sub/up -> ..`) is not followed round, and a folder given
  // is walked from its own path.
  const seen = new Set(given);
  const walk = (folder: string): void => {
    for (const entry of folderEntries(folder)) {
      if (entry.name === "golden" || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const sub = join(folder, entry.name);
      if (!entry.isDirectory() && !(entry.isSymbolicLink() && isFolder(sub))) continue;
      const r = real(sub);
      if (seen.has(r)) continue;
      seen.add(r);
      if (folderEntries(sub).some((f) => !f.isDirectory() && SCENARIO_FILE.test(f.name))) skipped.push(sub);
      walk(sub);
    }
  };
  for (const path of paths) {
    if (path === "") continue;
    walk(path.replace(/\/+$/, "") || "/");
  }
  return skipped;
}

/**
 * What a command says of the subfolders `unsearchedSubfolders` found (`done`: `gated`,
 * `validated`; `verb`: what naming them would do): `not gated: a/sub (subfolders are not
 * searched; name it to gate its scenarios)`.
 */
export function unsearchedText(skipped: readonly string[], done: string, verb: string): string {
  const [them, their] = skipped.length === 1 ? ["it", "its"] : ["them", "their"];
  return `not ${done}: ${skipped.join(", ")} (subfolders are not searched; name ${them} to ${verb} ${their} scenarios)`;
}

/** Whether `path` is a folder, through a link; not when it cannot be read. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder's entries by name; none when it is not a folder or cannot be read (said elsewhere, if at all). */
function folderEntries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch {
    return [];
  }
}

/**
 * For a bundled scenario's name where a path was wanted (`gate qstash-2026-05-08`, as `run`
 * takes it): where that scenario's file is, since these commands take files and folders alone.
 * For a path whose file name is a bundled scenario's (`scenarios/qstash-2026-05-08.yaml`, typed
 * from the docs in a project that has no such folder): that the bundled file is the one to give.
 */
function bundledHint(p: string, missing: MissingPath): string {
  if (!missing.absent || nearbyText(missing) !== "") return "";
  const bundled = bundledScenarioNamed(p);
  if (bundled !== undefined) {
    return ` (this command takes files and folders, not a bundled scenario's name; ${p} is ${bundledPathShown(bundled.path)})`;
  }
  const named = bundledScenarioFileNamed(p);
  if (named === undefined) return "";
  return `; the bundled scenario ${named.name} has that name: give its file, ${bundledPathShown(named.path)}`;
}

/**
 * `aftershock validate <files...>`: every problem in every file, exit 2 if any. A path that is
 * missing or unreadable is one problem among the others: the remaining files are still checked.
 */
export async function validateCommand(ctx: CliContext, paths: readonly string[]): Promise<number> {
  // A usage mistake, not a problem of one file: refused before any file is said to be ok.
  if (paths.filter((p) => p === STDIN_ARG).length > 1) throw stdinTwice("validate");
  const tally: Record<Validated, number> = { ok: 0, errors: 0, warnings: 0 };
  let folder = false;
  const problem = (error: unknown): void => {
    if (!(error instanceof CliError)) throw error;
    tally.errors++;
    ctx.err(`${error.message}\n`);
  };
  for (const path of paths) {
    if (path === STDIN_ARG) {
      try {
        const text = await readStdinScenario("validate", process.stdin.isTTY === true);
        tally[await validateText(ctx, text, STDIN_SCENARIO)]++;
      } catch (error) {
        problem(error);
      }
      continue;
    }
    let files: string[];
    try {
      files = scenarioFiles([path]);
      folder ||= files.length !== 1 || files[0] !== path;
    } catch (error) {
      problem(error);
      continue;
    }
    for (const file of files) {
      try {
        tally[await validateFile(ctx, file)]++;
      } catch (error) {
        problem(error);
      }
    }
  }
  // A scenario in a subfolder is not checked: said, so that it is not believed ok.
  const skipped = unsearchedSubfolders(paths.filter((p) => p !== STDIN_ARG));
  if (skipped.length > 0) ctx.err(`aftershock: ${unsearchedText(skipped, "validated", "validate")}\n`);
  // Over a folder or several files, what they came to, last, where a long listing ends.
  const files = tally.ok + tally.errors + tally.warnings;
  if (folder || files > 1) ctx.out(`${summaryText(tally, ctx.paint)}\n`);
  return tally.errors === 0 ? EXIT.ok : EXIT.usage;
}

/** What checking one file came to: fine, fine with warnings, or refused. */
type Validated = "ok" | "errors" | "warnings";

/** `3 files: 1 ok, 1 with errors, 1 with warnings` (a path that could not be read is a file with errors). */
function summaryText(tally: Readonly<Record<Validated, number>>, paint: Paint): string {
  const files = tally.ok + tally.errors + tally.warnings;
  const parts = [
    `${tally.ok} ok`,
    tally.errors > 0 ? paint.red(`${tally.errors} with errors`) : "0 with errors",
    tally.warnings > 0 ? paint.yellow(`${tally.warnings} with warnings`) : "0 with warnings",
  ];
  return `${plural(files, "file")}: ${parts.join(", ")}`;
}

/**
 * Checks one scenario file and says so: ok on stdout (its warnings, if any, on stderr), its problems on stderr. Its scheduler
 * modules are imported and checked as a run would, so a file that validates runs.
 */
async function validateFile(ctx: CliContext, file: string): Promise<Validated> {
  return validateText(ctx, readText(file), file);
}

/** Checks the scenario `text` of `file` (`stdin` for `-`), and says so, as `validateFile`. */
async function validateText(ctx: CliContext, text: string, file: string): Promise<Validated> {
  const parsed = parseScenario(text, file);
  const issues = parsed.ok
    ? await scenarioModuleIssues(parsed.scenario)
    : unparsedScenarioIssues(file, parsed, text);
  if (!parsed.ok || issues.length > 0) {
    ctx.err(`${framedIssues(issues, text, file, ctx, await codeFrames())}\n`);
    return "errors";
  }
  // Warnings do not fail the file: it runs, and the run shows what they warn of.
  if (parsed.warnings.length > 0)
    ctx.err(`${framedIssues(parsed.warnings, text, file, ctx, await codeFrames())}\n`);
  ctx.out(`${ctx.paint.green("ok")}   ${file} (${parsed.scenario.name})\n`);
  return parsed.warnings.length > 0 ? "warnings" : "ok";
}

/**
 * `codeFrame`, loaded when a file has something to show: it measures text with string-width,
 * whose tables and segmenter take about 40 ms of CPU to load, which a file that is ok never needs.
 */
async function codeFrames(): Promise<typeof codeFrame> {
  return (await import("../code-frame.js")).codeFrame;
}

/**
 * Each issue's line (`file:line:column: error: ...`, its level coloured on a terminal), and under
 * it, for one in `file` itself, the source line with a caret under the column (`frameOf`, `codeFrame`).
 */
function framedIssues(
  issues: readonly ScenarioIssue[],
  text: string,
  file: string,
  ctx: CliContext,
  frameOf: typeof codeFrame,
): string {
  const paint = ctx.paintErr;
  return issues
    .map((issue) => {
      const severity = issue.severity ?? "error";
      const line = formatIssue(issue);
      const level = `: ${severity}: `;
      const at = line.indexOf(level);
      const coloured =
        at === -1
          ? line
          : `${line.slice(0, at)}: ${(severity === "error" ? paint.red : paint.yellow)(severity)}: ${line.slice(at + level.length)}`;
      const frame = issue.file === file ? frameOf(text, issue.line, issue.column, ctx.errColumns?.()) : null;
      // The issue's words in the terminal's glyphs; the source as it is, so the caret lines up.
      const said = errText(ctx, coloured);
      return frame === null ? said : `${said}\n${paint.dim(frame)}`;
    })
    .join("\n");
}

export const validate: CliCommand = {
  spec: validateSpec,
  run: (ctx, args) => validateCommand(ctx, args),
};
