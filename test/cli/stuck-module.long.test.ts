// Shows that why and gate --jobs 1 also end at the scenario's wall-clock budget on a scheduler module looping in one goroutine step, as stuck-module.test.ts shows for run, compare, explore and train.
import { describe, expect, it } from "vitest";
import { tmp } from "../explore/cli-helpers.js";
import { budgetScenarioIn, ENDS_WITHIN_MS, STOPPED, spinIn, timed } from "./spin-module.js";

describe("a scheduler module looping in one goroutine step (for (;;) {})", () => {
  it("why: says the run stopped there and why, exit 2", async () => {
    const dir = tmp();
    const r = await timed("why", budgetScenarioIn(dir, "why"), "--scheduler", spinIn(dir, "why"), "w1");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(STOPPED);
    expect(r.wallMs).toBeLessThan(ENDS_WITHIN_MS);
  }, 30_000);

  it("gate --jobs 1: the runs count as stopped by their budget, errors with exit 2", async () => {
    const dir = tmp();
    const r = await timed(
      "gate",
      budgetScenarioIn(dir, "gate"),
      "--scheduler",
      spinIn(dir, "gate"),
      "--jobs",
      "1",
    );
    expect(r.code).toBe(2);
    expect(r.out).toMatch(STOPPED);
    expect(r.out).toMatch(/gate: 0 passed, 0 failed, \d+ errors?/);
    expect(r.wallMs).toBeLessThan(2 * ENDS_WITHIN_MS);
  }, 60_000);
});
