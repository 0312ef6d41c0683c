// Shows docs/ci.md's sample of the Faults summary is a line the exploration writes: its words as faultKindText puts them, and counts that add up. (The counts themselves come from `explore --generated --runs 1000`, two minutes of runs: refresh them when generation changes.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { faultKindText } from "../../src/explore/fault-tally.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("docs/ci.md's Faults sample", () => {
  it("is written as the summary writes it, and its counts add up", () => {
    const doc = readFileSync(join(ROOT, "docs", "ci.md"), "utf8");
    const m =
      /`inject-panic {2}(planned (\d+) · fired (\d+) \((\d+) acts\) · not fired (\d+) · acted in (\d+) runs)` in `explore --generated --runs (\d+)`/.exec(
        doc,
      );
    expect(m, "the sample and the command it is from").not.toBeNull();
    const [planned, fired, acts, notFired, runs, explored] = m!.slice(2).map(Number);
    expect(faultKindText({ planned, fired, acts, skipped: 0, notFired, runs })).toBe(m![1]);
    expect(fired + notFired).toBe(planned);
    expect(runs).toBeLessThanOrEqual(Math.min(fired, explored));
    expect(acts).toBeGreaterThanOrEqual(fired);
  });
});
