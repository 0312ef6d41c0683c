import type { ExpectationResult } from "../../explore/expectations.js";
import { DAY_CLOCK, type RunClock } from "../../kernel/time.js";
import { expectationOutcome, runTimesIn } from "../../report/expectation-words.js";
import { NOT_JUDGED } from "../../report/judged.js";
import type { Paint } from "../../report/paint.js";
import type { RunReport } from "../../report/run-report.js";
import { EXIT } from "../errors.js";

/**
 * Exit code of one run: with expectations for its variant that one run can judge, 1 if any
 * fails; without, 1 if any property failed. A buggy run whose scenario expects the cascade exits
 * 0 when it cascades. An expectation only `gate` judges (`deterministic`) counts as none.
 */
export function runExitCode(report: RunReport, expectations: readonly ExpectationResult[]): number {
  const judged = judgedByRun(expectations);
  if (judged.length > 0) return judged.every((e) => e.ok) ? EXIT.ok : EXIT.failed;
  return report.verdicts.every((v) => v.ok) ? EXIT.ok : EXIT.failed;
}

/** The expectations one run judges: all but those only `gate` can (`deterministic`). */
function judgedByRun(expectations: readonly ExpectationResult[]): readonly ExpectationResult[] {
  return expectations.filter((e) => !e.skipped);
}

/**
 * What decided `runExitCode` when expectations did, for a one-line summary such as `run --quiet`'s
 * (whose properties may fail as expected, exit 0, or all hold beside a failed expectation, exit
 * 1): `expectations: all 6 met` or `expectations failed: cascadeDepth <= 1 (1 of 2)`; why none was
 * judged when `--until` cut the run short (`expectations not judged: ...`); else null when the run
 * judged none. When none was judged, the properties decided.
 */
export function expectationsPhrase(expectations: readonly ExpectationResult[]): string | null {
  const judged = judgedByRun(expectations);
  const why = expectations.find((e) => e.notJudged !== undefined)?.notJudged;
  if (judged.length === 0) return why === undefined ? null : `expectations not judged: ${why}`;
  const failed = judged.filter((e) => !e.ok).map((e) => e.name);
  return failed.length === 0
    ? `expectations: all ${judged.length} met`
    : `expectations failed: ${failed.join(", ")} (${failed.length} of ${judged.length})`;
}

/**
 * The expectations, one a line; those of a run that stopped early (`judged` false) are marked
 * `(not judged)`. A measured time is written by `clock`, the run's (see `RunClock`).
 */
export function renderExpectations(
  results: readonly ExpectationResult[],
  paint: Paint,
  judged = true,
  clock: RunClock = DAY_CLOCK,
  /** For a run of a scheduler module: the variant whose expectations these are (`judgedVariant`). */
  moduleJudgedAs?: string,
): string {
  // One reason for all (a run `--until` cut short) is said once, above what each measured.
  const why =
    results.length > 0 && results.every((r) => r.notJudged === results[0].notJudged)
      ? results[0].notJudged
      : undefined;
  const of =
    moduleJudgedAs === undefined
      ? ""
      : ` ${paint.dim(`(of ${moduleJudgedAs}: the variant the gate judges this run of the module as)`)}`;
  const lines = [
    why === undefined
      ? `${paint.bold("Expectations")}${of}`
      : `${paint.bold("Expectations")}${of} ${paint.dim(`(not judged: ${why})`)}`,
  ];
  for (const r of results) {
    const glyph = r.skipped ? "○" : r.ok ? "✓" : "✗";
    const mark = r.skipped
      ? paint.dim(glyph)
      : !judged
        ? paint.yellow(glyph)
        : r.ok
          ? paint.green(glyph)
          : paint.red(glyph);
    const note = !judged && !r.skipped ? paint.yellow(` (${NOT_JUDGED})`) : "";
    const outcome = expectationOutcome(r, clock);
    // Not judged for a reason said above: what the run measured is still worth reading.
    const said = outcome.met
      ? `measured ${outcome.text}`
      : why !== undefined
        ? `measured ${runTimesIn(r.actual, clock)}`
        : outcome.text;
    lines.push(`  ${mark} ${r.name.padEnd(34)}${note} ${paint.dim(said)}`);
  }
  return lines.join("\n");
}

/**
 * What a run with no expectation of its own says when its scenario has some for other variants
 * (`variants`, in the order `expect` names them), so that they are not ignored in silence: the
 * variant it was judged as (null: none, a module with a fix of its own), and the command that
 * runs the first of them (null for a run of a module, which `--variant` would replace).
 */
export function otherVariantsHint(
  variants: readonly string[],
  judgedAs: string | null,
  command: string | null,
): string {
  const these = `this scenario's expectations are for ${variants.join(", ")}`;
  const none = `no expectation for ${judgedAs ?? "this run"} (its properties decide the exit code)`;
  return `${none}: ${these}${command === null ? "" : `: ${command}`}`;
}
