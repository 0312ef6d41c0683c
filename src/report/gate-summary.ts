/**
 * The gate's human and CI faces, as pure text: the terminal report, the Markdown summary (for
 * `$GITHUB_STEP_SUMMARY` or a merge-request note) and GitHub Actions annotations that point at
 * the scenario file and the line of each failed expectation.
 */

import type { InputProblem } from "../cli/errors.js";
import type { GateCase, GateReport } from "../explore/gate.js";
import { plural } from "../kernel/time.js";
import { type CommandText, commandTextString } from "./command-line.js";
import { escapeMarkdown, markdownCode, visibleText } from "./markdown-text.js";
import type { Paint } from "./paint.js";

const MARK: Record<GateCase["status"], string> = { passed: "✓", failed: "✗", error: "!", skipped: "○" };

/**
 * One line that CI log readers recognise: `gate: N passed, N failed, N skipped`, with
 * `, N errors` after the failures when cases could not be judged (as JUnit tells them apart).
 */
export function gateCountsLine(report: GateReport): string {
  const c = report.counts;
  const errors = c.errors > 0 ? `, ${plural(c.errors, "error")}` : "";
  return `gate: ${c.passed} passed, ${c.failed} failed${errors}, ${c.skipped} skipped`;
}

/** The terminal report: per scenario, one line per case; failures with their details. */
export function renderGateTerminal(report: GateReport, paint: Paint, verbose = false): string {
  const lines: string[] = [];
  for (const suite of report.suites) {
    const bad = suite.cases.filter((k) => k.status === "failed" || k.status === "error").length;
    const head = `${bad === 0 ? paint.green("✓") : paint.red("✗")} ${paint.bold(suite.name)} ${paint.dim(`${suite.file}${suite.seed === null ? "" : ` · seed ${suite.seed}`}${suite.scheduler ? ` · scheduler ${suite.scheduler}` : ""}${suite.deploys?.length ? ` · deploys ${suite.deploys.join(", ")}` : ""}`)}`;
    lines.push(head);
    let hidden = 0;
    for (const k of suite.cases) {
      const label = k.name.startsWith(suite.name) ? k.name.slice(suite.name.length + 1) : k.name;
      const mark =
        k.status === "passed"
          ? paint.green(MARK.passed)
          : k.status === "skipped"
            ? paint.yellow(MARK.skipped)
            : paint.red(MARK[k.status]);
      if (k.status === "passed") {
        if (verbose || k.kind !== "explore")
          lines.push(`  ${mark} ${label.padEnd(40)} ${paint.dim(k.shown ?? k.message)}`);
        else hidden++;
        continue;
      }
      if (k.status === "skipped") {
        lines.push(`  ${mark} ${label.padEnd(40)} ${paint.dim(`skipped: ${k.message}`)}`);
        continue;
      }
      lines.push(`  ${mark} ${label.padEnd(40)} ${paint.red(k.shown ?? k.message)}`);
      if (k.details !== "") for (const d of k.details.split("\n")) lines.push(`      ${paint.dim(d)}`);
    }
    // Counted in the counts line: said, so that the cases listed do not read as all there are.
    if (hidden > 0)
      lines.push(
        `  ${paint.dim(`${plural(hidden, "explored seed")} passed, not listed (--verbose lists them)`)}`,
      );
  }
  return lines.join("\n");
}

/**
 * The Markdown summary: a verdict line and one table row per case (failures first). Text from a
 * scenario, a path or a run renders as it is written; a command a message names is inline code,
 * fenced as the run and compare reports fence theirs, so it survives a backtick in a path.
 */
export function renderGateMarkdown(
  report: GateReport,
  warnings: readonly string[] = [],
  /** Reports the gate could not write before this one (exit 2 whatever the checks say). */
  unwritten: readonly { readonly flag: string; readonly path: string }[] = [],
): string {
  const c = report.counts;
  const bad = c.failed + c.errors;
  const verdict =
    report.exitCode === 0
      ? `✅ passed: ${c.passed} checks${c.skipped ? `, ${c.skipped} skipped` : ""}`
      : `❌ failed: ${bad} of ${c.tests} checks${c.errors > 0 ? ` (${c.failed} failed, ${c.errors} not judged)` : ""} (exit ${report.exitCode}${report.exitCode === 3 ? ", nondeterminism" : report.exitCode === 4 ? ", internal error" : ""})`;
  // A report not written makes the gate exit 2 whatever its checks: said first, not a pass.
  const notWritten = unwritten.map(
    (u) =>
      `❌ exit 2: the ${u.flag} report ${cell([{ command: visibleText(u.path, true) }])} was not written`,
  );
  const lines = [
    "## aftershock gate",
    "",
    ...notWritten.flatMap((line) => [line, ""]),
    verdict,
    "",
    refusedBeforeAnyRun(report)
      ? `Refused before any run, nothing judged: ${report.suites.map((s) => (s.file === "" ? `${markdownCode(s.name)} (its command line)` : markdownCode(s.name))).join(", ")}`
      : `${plural(report.suites.length, "scenario")}: ${report.suites.map((s) => markdownCode(s.name)).join(", ")}`,
    "",
    "| | scenario | variant | check | result |",
    "|---|---|---|---|---|",
  ];
  const rank = { failed: 0, error: 0, skipped: 1, passed: 2 } as const;
  const rows = report.suites.flatMap((suite) => suite.cases.map((k, order) => ({ suite, k, order })));
  rows.sort((a, b) => rank[a.k.status] - rank[b.k.status]);
  for (const { suite, k } of rows) {
    const label = k.name.replace(`${suite.name} `, "").replace(/^\[[^\]]+\] /, "");
    const icon = k.status === "passed" ? "✅" : k.status === "skipped" ? "⏭️" : "❌";
    // The place as code, so that GFM links no `www.` in it, and every character of it seen: a
    // newline or a tab as `\u000a`, never a space a folder's name could hold.
    const where =
      k.line !== null ? [" (", { command: visibleText(`${suite.file}:${k.line}`, true) }, ")"] : [];
    lines.push(
      `| ${icon} | ${cell([suite.name])} | ${cell([k.variant ?? ""])} | ${cell([label, ...where])} | ${cell(messageOf(k))} |`,
    );
  }
  lines.push(...replayList(report));
  if (warnings.length > 0) {
    lines.push("", `${warnings.length === 1 ? "Warning" : "Warnings"}:`, "");
    for (const w of warnings) lines.push(`- ${escapeMarkdown(w)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** What each case of a report of input the gate refused says in its details (`refusalReport`). */
export const REFUSED_BEFORE_ANY_RUN = "the gate refused its input before any run: nothing was judged";

/** Whether a report is of input the gate refused before any run: its suites are files, not scenarios. */
function refusedBeforeAnyRun(report: GateReport): boolean {
  return (
    report.suites.length > 0 &&
    report.suites.every((s) => s.cases.every((k) => k.details === REFUSED_BEFORE_ANY_RUN))
  );
}

/**
 * The command that replays each failed or unjudged run, once for all its cases: the table's cells
 * are cut to one line, and a reviewer reading the summary should not need the log to rerun one.
 */
function replayList(report: GateReport): string[] {
  const cases = new Map<string, string[]>();
  for (const suite of report.suites) {
    for (const k of suite.cases) {
      if ((k.status !== "failed" && k.status !== "error") || k.reproduce === undefined) continue;
      const names = cases.get(k.reproduce) ?? [];
      if (names.length === 0) cases.set(k.reproduce, names);
      names.push(k.name);
    }
  }
  if (cases.size === 0) return [];
  const items = [...cases].map(
    ([command, names]) => `- ${markdownCode(command)} (${escapeMarkdown(names.join(", "))})`,
  );
  return ["", "To replay a failed run:", "", ...items];
}

/** The path an annotation names for a file as the gate names it (see `workspacePath`). */
export type FileAt = (file: string) => string;

/**
 * GitHub Actions workflow commands: an `::error` per failed case at the scenario file (and the
 * expectation's line), a `::warning` per scenario without expectations, per golden hash not
 * compared (none recorded, the golden file deleted, a run stopped early) and per expectation met
 * on a property its run never exercised: those pass the gate, and a pull request that adds a
 * scenario, deletes its golden file or writes an expectation that checks nothing should show it.
 */
export function renderGithubAnnotations(report: GateReport, fileAt: FileAt = (file) => file): string {
  const lines: string[] = [];
  for (const suite of report.suites) {
    for (const k of suite.cases) {
      const bad = k.status === "failed" || k.status === "error";
      const warn =
        (k.status === "skipped" && (k.kind === "scenario" || k.kind === "golden")) ||
        (k.status === "passed" && k.notExercised === true);
      if (!bad && !warn) continue;
      const props = [`file=${property(fileAt(suite.file))}`];
      if (k.line !== null) props.push(`line=${k.line}`);
      if (k.column !== null) props.push(`col=${k.column}`);
      props.push(`title=${property(k.name)}`);
      lines.push(`::${bad ? "error" : "warning"} ${props.join(",")}::${data(k.message)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * An annotation per problem of input the gate refused (exit 2 before any run): at the file, line
 * and column where it has one, so a bad scenario shows where it is wrong in the pull request, as a
 * failed expectation does; `::warning` for a warning said with the errors. A problem without a
 * place (a missing folder) is annotated on the run. Built from the problems as data, never from
 * their text: a path may hold `:12:3: `, and a message may span lines. The gate also annotates
 * so, under another `titleText`, the warnings of scenarios it runs.
 */
export function renderInputAnnotations(
  problems: readonly InputProblem[],
  titleText = "aftershock gate refused its input",
  fileAt: FileAt = (file) => file,
): string {
  const title = `title=${property(titleText)}`;
  const lines = problems
    .filter((p) => p.message.trim() !== "")
    .map(({ place, severity, message, file }) => {
      // A whole file's problem is annotated on the file, at no line of it.
      if (place === null)
        return file === undefined
          ? `::${severity} ${title}::${data(message)}`
          : `::${severity} file=${property(fileAt(file))},${title}::${data(`${file}: ${message}`)}`;
      const at = `file=${property(fileAt(place.file))},line=${place.line},col=${place.column}`;
      return `::${severity} ${at},${title}::${data(message)}`;
    });
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Escapes a workflow command's message (GitHub's `escapeData`). */
function data(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow command's property value (GitHub's `escapeProperty`). */
function property(s: string): string {
  return data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * A cell's prose at most, in characters read. A longer message is cut in its prose, never inside
 * a command, and keeps its commands whole: a scenario's path in CI (a runner's checkout) can be
 * long, and the command to update a golden is the cell's point.
 */
const CELL_CHARS_MAX = 300;

/**
 * A case's message as people read it (`shown`, as the terminal writes it), with its commands
 * apart. Parts that do not spell the message (a case whose message was rewritten after it was
 * judged) are not used: the message is then all text.
 */
function messageOf(k: GateCase): CommandText {
  const parts = k.messageParts;
  return parts !== undefined && commandTextString(parts) === k.message ? parts : [k.shown ?? k.message];
}

/**
 * One table cell on one line: text escaped, commands as code, a pipe in either escaped (GFM).
 * Prose past CELL_CHARS_MAX is cut with "..." and the prose after it dropped; the commands after
 * the cut still follow, each after a space.
 */
function cell(parts: CommandText): string {
  const prose = parts.reduce((n, p) => (typeof p === "string" ? n + oneLine(p).length : n), 0);
  let room = prose > CELL_CHARS_MAX ? CELL_CHARS_MAX - 3 : prose;
  let cut = false;
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p !== "string") {
      out.push(`${cut ? " " : ""}${markdownCode(p.command).replace(/\|/g, "\\|")}`);
      continue;
    }
    if (cut) continue;
    const text = oneLine(p);
    const kept = text.slice(0, room);
    room -= kept.length;
    out.push(escapeMarkdown(kept));
    if (kept.length < text.length) {
      out.push("...");
      cut = true;
    }
  }
  return out.join("");
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ");
}
