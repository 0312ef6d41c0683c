// Shows the May 8 scenario's fixed run in stretches of the event loop is the same run as one uninterrupted run, as run-in-turns.test.ts shows of its buggy run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWorld, runWorldInTurns } from "../../src/explore/run.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";

const MAY8 = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");

function may8(variant: string) {
  const parsed = parseScenario(readFileSync(MAY8, "utf8"), MAY8);
  if (!parsed.ok) throw new Error("the May 8 scenario does not parse");
  return applyVariant(compileScenario(parsed.scenario), variant)!;
}

/** A wall clock that moves 100 ms at every reading: a stretch ends every few thousand events. */
function fastClock(): () => number {
  let readings = 0;
  return () => 100 * readings++;
}

describe("a run in turns of the event loop", () => {
  it("fixed: the same trace hash and a byte-identical report as one uninterrupted run", async () => {
    const input = may8("fixed");
    const whole = runWorld(may8("fixed"), { wallClock: fastClock() });
    let turns = 0;
    const inTurns = runWorldInTurns(input, { wallClock: fastClock() });
    // The event loop turns between stretches: count the turns that happen during the run.
    let running = true;
    const count = (): void => {
      if (!running) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const sliced = await inTurns;
    running = false;
    expect(whole.outcome.reason).toBe("horizon");
    expect(sliced.outcome).toEqual(whole.outcome);
    expect(sliced.report.traceHash).toBe(whole.report.traceHash);
    expect(JSON.stringify(sliced.report)).toBe(JSON.stringify(whole.report));
    // It did give way, many times: not one stretch that ran to the end.
    expect(turns).toBeGreaterThan(20);
  }, 60_000);
});
