import type { ExpectationResult } from "../../explore/expectations.js";
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
  const judged = expectations.filter((e) => !e.skipped);
  if (judged.length > 0) return judged.every((e) => e.ok) ? EXIT.ok : EXIT.failed;
  return report.verdicts.every((v) => v.ok) ? EXIT.ok : EXIT.failed;
}

/** The expectations, one a line; those of a run that stopped early (`judged` false) are marked `(not judged)`. */
export function renderExpectations(
  results: readonly ExpectationResult[],
  paint: Paint,
  judged = true,
): string {
  const lines = [paint.bold("Expectations")];
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
    const said = r.ok && !r.skipped ? `measured ${r.actual}` : r.message;
    lines.push(`  ${mark} ${r.name.padEnd(34)}${note} ${paint.dim(said)}`);
  }
  return lines.join("\n");
}
