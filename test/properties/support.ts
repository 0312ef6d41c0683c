// Shared by the property tests: sizes and run counts (raised by SOAK=1), and counters of the interesting path.
import { relative } from "node:path";
import { expect } from "vitest";
import { compileDocument, type ScenarioDocument } from "../../src/explore/generate/document.js";
import {
  PROPERTY_SIZED,
  type ScenarioConstraints,
  sized,
  TEST_SIZED,
} from "../../src/explore/generate/index.js";
import { type RunOptions, runWorld } from "../../src/explore/run.js";
import type { TraceSink } from "../../src/kernel/index.js";
import type { RunReport } from "../../src/report/run-report.js";
import { applyVariant } from "../../src/scenario/compile.js";
import type { VariantName } from "../../src/scenario/variants.js";

/** `npm run soak` sets SOAK=1: property-sized worlds and many more runs. */
export const SOAK = process.env.SOAK === "1";

/** Runs of a property: `quick` for `npm test`, `soak` under SOAK=1. */
export function runsOf(quick: number, soak: number): number {
  return SOAK ? soak : quick;
}

/** A profile at the size of this test run. */
export function atSize(profile: ScenarioConstraints): ScenarioConstraints {
  return sized(SOAK ? PROPERTY_SIZED : TEST_SIZED, profile);
}

/**
 * The fast-check seed of a property: fixed for the quick runs (reproducible CI); under SOAK,
 * `SOAK_SEED` if set, else a random one, picked here rather than by fast-check so it is known
 * before the run. Under SOAK it is logged with how to replay it, and `seedNote()` puts it in
 * assertion messages: a red soak replays with `SOAK=1 SOAK_SEED=<seed>`.
 */
export function seedOf(quick: number): { seed: number } {
  if (!SOAK) return { seed: quick };
  const seed = soakSeed();
  const test = expect.getState().currentTestName ?? "";
  seedsByTest.set(test, seed);
  console.info(`[soak] ${test}: fast-check seed ${seed} (replay: ${replayCommand(seed)})`);
  return { seed };
}

/** The seed each test under SOAK drew, by test name, for `seedNote`. */
const seedsByTest = new Map<string, number>();

/** ` (fast-check seed 123, replay: SOAK=1 SOAK_SEED=123 ...)` for the current test under SOAK, else "". */
export function seedNote(): string {
  const seed = seedsByTest.get(expect.getState().currentTestName ?? "");
  return seed === undefined ? "" : ` (fast-check seed ${seed}, replay: ${replayCommand(seed)})`;
}

function soakSeed(): number {
  const given = process.env.SOAK_SEED;
  if (given === undefined || given === "") return Math.floor(Math.random() * 0x7fffffff);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`SOAK_SEED: an integer, not "${given}"`);
  return seed;
}

/** The file's tests at that seed (each property of the file draws from it alike). */
function replayCommand(seed: number): string {
  const { testPath } = expect.getState();
  const file = testPath === undefined ? "test/properties" : relative(process.cwd(), testPath);
  return `SOAK=1 SOAK_SEED=${seed} npx vitest run ${file}`;
}

/** Runs a generated document as a variant. */
export function runDoc(
  doc: ScenarioDocument,
  variant: VariantName,
  sinks: readonly TraceSink[] = [],
): RunReport {
  return runDocWith(doc, variant, { sinks });
}

/**
 * Runs a generated document as a variant, measuring only what judges it (`judgeOnly`, as an
 * exploration's runs do): metrics, verdicts, faults and trace hash as `runDoc`'s, the report's
 * `lanes` empty and its `series` absent. For a property that reads no lane nor series.
 */
export function judgeDoc(
  doc: ScenarioDocument,
  variant: VariantName,
  sinks: readonly TraceSink[] = [],
): RunReport {
  return runDocWith(doc, variant, { sinks, judgeOnly: true });
}

function runDocWith(doc: ScenarioDocument, variant: VariantName, options: RunOptions): RunReport {
  const compiled = compileDocument(doc);
  if (!compiled.ok)
    throw new Error(`the generator made an invalid scenario: ${compiled.problems.join("; ")}`);
  return runWorld(applyVariant(compiled.compiled, variant)!, options).report;
}

/**
 * Counts generated cases that reached the path a property is about (a deletion with a due
 * schedule, an injected panic that fired): a property that never got there proves nothing.
 */
export class Reached {
  private readonly counts = new Map<string, number>();
  /** The case each path was last counted in: a path counts once per case. */
  private readonly countedIn = new Map<string, number>();
  private cases = 0;

  constructor(private readonly property: string) {}

  case(): void {
    this.cases++;
  }

  hit(path: string, reached = true): void {
    if (!this.counts.has(path)) this.counts.set(path, 0);
    if (!reached || this.countedIn.get(path) === this.cases) return;
    this.countedIn.set(path, this.cases);
    this.counts.set(path, this.counts.get(path)! + 1);
  }

  /** Logs the counts and fails if any path was never reached. */
  expectAll(): void {
    const parts = [...this.counts].map(([path, n]) => `${path} ${n}/${this.cases}`);
    console.info(`[${this.property}] reached: ${parts.join(", ")}${seedNote()}`);
    for (const [path, n] of this.counts)
      expect(n, `${this.property}: no generated case reached "${path}"${seedNote()}`).toBeGreaterThan(0);
  }
}
