import type { ExpectationResult } from "../../explore/expectations.js";
import type { Paint } from "../../report/paint.js";
import type { RunReport } from "../../report/run-report.js";
import { EXIT } from "../errors.js";

/**
 * Exit code of one run: with expectations for its variant, 1 if any fails; without, 1 if any
 * property failed. A buggy run whose scenario expects the cascade exits 0 when it cascades.
 */
export function runExitCode(report: RunReport, expectations: readonly ExpectationResult[]): number {
  if (expectations.length > 0) return expectations.every((e) => e.ok) ? EXIT.ok : EXIT.failed;
  return report.verdicts.every((v) => v.ok) ? EXIT.ok : EXIT.failed;
}

export function renderExpectations(results: readonly ExpectationResult[], paint: Paint): string {
  const lines = [paint.bold("Expectations")];
  for (const r of results) {
    lines.push(
      `  ${r.ok ? paint.green("✓") : paint.red("✗")} ${r.name.padEnd(34)} ${paint.dim(r.ok ? `measured ${r.actual}` : r.message)}`,
    );
  }
  return lines.join("\n");
}
