// Shows a run in stretches with the event loop turning between them (`runWorldInTurns`, the CLI's `run`, `compare` and `why`) is the same run as one uninterrupted run: the same trace hash and a byte-identical report, for the May 8 scenario's buggy run (its fixed run in run-in-turns.long.test.ts), held to one wall-clock budget, and with a step watch told of every step.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWorld, runWorldInTurns } from "../../src/explore/run.js";
import type { StepWatch } from "../../src/kernel/index.js";
import { compiled, expectSameRunInTurns, fastClock, may8 } from "./in-turns-case.js";

/** The May 8 mechanics on three workers: a cascade in a few thousand steps. */
const TINY = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");

describe("a run in turns of the event loop", () => {
  it("buggy: the same trace hash and a byte-identical report as one uninterrupted run", async () => {
    await expectSameRunInTurns("buggy");
  }, 60_000);

  it("holds the whole run to its wall-clock budget, not each stretch", async () => {
    const input = may8("fixed");
    // 1 s: ten readings of the clock, in the fourth stretch; far from the run's end.
    const limited = {
      ...input,
      config: { ...input.config, limits: { ...input.config.limits, wallBudgetMs: 1000 } },
    };
    const r = await runWorldInTurns(limited, { wallClock: fastClock() });
    expect(r.outcome.reason).toBe("wall-budget");
    expect(r.outcome.detail).toBe("hit the wall-clock budget (1000 ms)");
    expect(r.report.run.judged).toBe(false);
  });

  it("tells a step watch of every goroutine step, begun and ended, and changes nothing", async () => {
    const input = compiled(TINY, "buggy");
    const whole = runWorld(input, { wallClock: fastClock() });
    let began = 0;
    let ended = 0;
    let open = false;
    const labels = new Set<string>();
    const stepWatch: StepWatch = {
      began(serial, label, processName) {
        expect(open).toBe(false);
        expect(serial).toBeGreaterThanOrEqual(0);
        open = true;
        began++;
        labels.add(`${label} on ${processName.replace(/#\d+$/, "")}`);
      },
      ended() {
        expect(open).toBe(true);
        open = false;
        ended++;
      },
    };
    const watched = await runWorldInTurns(input, { wallClock: fastClock(), stepWatch });
    expect(JSON.stringify(watched.report)).toBe(JSON.stringify(whole.report));
    expect(began).toBeGreaterThan(1000);
    expect(ended).toBe(began);
    expect(labels).toContain("scheduler on w1");
  }, 60_000);
});
