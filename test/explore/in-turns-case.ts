// The case run-in-turns.test.ts and its long tier share: a May 8 variant's run in stretches of the event loop against one uninterrupted run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { runWorld, runWorldInTurns } from "../../src/explore/run.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";

const MAY8 = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");

/** A scenario file compiled for one variant. */
export function compiled(file: string, variant: string) {
  const parsed = parseScenario(readFileSync(file, "utf8"), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return applyVariant(compileScenario(parsed.scenario), variant)!;
}

/** The May 8 scenario compiled for one variant. */
export const may8 = (variant: string) => compiled(MAY8, variant);

/**
 * A wall clock that moves 100 ms at every reading: the kernel reads it every 1024 events, so a
 * stretch (`STRETCH_MS`, 250 ms) ends every few thousand events, in the middle of everything the
 * run does. The budget (10 minutes) is 6,000 readings away, far past the run's end.
 */
export function fastClock(): () => number {
  let readings = 0;
  return () => 100 * readings++;
}

/**
 * Runs May 8's `variant` whole and in turns of the event loop, and expects the same outcome,
 * trace hash and report, with the loop turning many times during the run.
 */
export async function expectSameRunInTurns(variant: string): Promise<void> {
  const input = may8(variant);
  const whole = runWorld(may8(variant), { wallClock: fastClock() });
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
}
