/**
 * A compiled scenario, and what is done to one without the compiler: another variant's
 * scheduler, another seed, an earlier end. A worker thread that runs compiled worlds loads this
 * alone, not the scenario schema (zod) that compile.ts checks a scenario's values with; compile.ts
 * gives these names too.
 */
import type { TimedFault } from "../faults/schedule.js";
import type { WorldConfig } from "../world/config.js";
import { givenValueText, jsValueText } from "./issue.js";
import { namedVariant, resolveVariant } from "./variants.js";

/** A scenario ready to run: the world's configuration, its faults, and the words of the report. */
export interface CompiledScenario {
  readonly config: WorldConfig;
  readonly faults: readonly TimedFault[];
  readonly description: string;
  readonly sources: readonly string[];
  readonly assumptions: readonly string[];
  readonly variantName: string | null;
}

/**
 * The compiled scenario named as the variant its own scheduler is (`buggy` for v2 with no fixes;
 * null for a module's), as `run` and `runScenario` run it without a variant: the variant whose
 * expectations they judge.
 */
export function asOwnVariant(compiled: CompiledScenario): CompiledScenario {
  const own = compiled.config.scheduler;
  return { ...compiled, variantName: namedVariant(own.name, own.fixes) };
}

/**
 * Throws a TypeError naming `field` unless `value` is a compiled scenario (what `compileScenario`
 * gives): from JavaScript, a parsed Scenario, `applyVariant`'s null for a name that is no variant,
 * or `compileDocument`'s result whole, would otherwise fail later, deep in the world, as a
 * property read of undefined.
 */
export function checkCompiledScenario(value: unknown, field: string): asserts value is CompiledScenario {
  if (isCompiledScenario(value)) return;
  throw new TypeError(
    `${field}: expected a compiled scenario (compileScenario's result), found ${notCompiledText(value)}`,
  );
}

/** Whether `value` has the `config` object a compiled scenario runs from (what the checks above ask). */
export function isCompiledScenario(value: unknown): value is CompiledScenario {
  const config = (value as { config?: unknown } | null | undefined)?.config;
  return config !== null && typeof config === "object";
}

/** What `value`, which is no compiled scenario, is, and what to do with it. */
function notCompiledText(value: unknown): string {
  if (value === null || value === undefined)
    return `${String(value)} (applyVariant gives null for a name that is no variant)`;
  if (typeof value === "string")
    return `text (${jsValueText(value)}): parse and compile it (compileScenario), or run it with runScenario`;
  if (typeof value !== "object") return jsValueText(value);
  if ("ok" in value && "compiled" in value)
    return "compileDocument's result: pass its `compiled` (when `ok`)";
  if ("source" in value)
    return "a parsed Scenario: compile it first (compileScenario), or run it with runScenario";
  return "an object without `config`";
}

/**
 * The same compiled scenario started with a named variant's scheduler; null for an unknown name.
 * A TypeError for what is no compiled scenario (`checkCompiledScenario`).
 */
export function applyVariant(compiled: CompiledScenario, variantName: string): CompiledScenario | null {
  checkCompiledScenario(compiled, "compiled");
  const variant = resolveVariant(variantName);
  if (!variant) return null;
  return {
    ...compiled,
    config: { ...compiled.config, scheduler: { name: variant.scheduler, fixes: variant.fixes } },
    variantName,
  };
}

/**
 * Throws a RangeError unless `seed` is one a scenario takes, as the CLI checks `--seed`: a
 * report of any other (NaN, -1, 1.5) would not read back, nor could `--seed` replay it.
 */
export function checkSeed(seed: number, field = "seed"): void {
  if (!(Number.isSafeInteger(seed) && seed >= 0))
    throw new RangeError(
      `${field}: expected a whole number from 0 to 2^53 - 1, found ${givenValueText(seed)}`,
    );
}

/** The same compiled scenario with another master seed (see `checkSeed`, and `checkCompiledScenario`). */
export function withSeed(compiled: CompiledScenario, seed: number): CompiledScenario {
  checkCompiledScenario(compiled, "compiled");
  checkSeed(seed);
  return { ...compiled, config: { ...compiled.config, seed } };
}

/**
 * The same compiled scenario cut short at `untilMs`: a time in whole ms after its start, up to
 * its end (a RangeError otherwise, as the CLI refuses such an `--until`); a TypeError for what is
 * no compiled scenario (`checkCompiledScenario`).
 */
export function withEnd(compiled: CompiledScenario, untilMs: number): CompiledScenario {
  checkCompiledScenario(compiled, "compiled");
  const { startMs, durationMs } = compiled.config;
  if (!(Number.isSafeInteger(untilMs) && untilMs > startMs && untilMs <= startMs + durationMs)) {
    const within = `${new Date(startMs).toISOString()} .. ${new Date(startMs + durationMs).toISOString()}`;
    throw new RangeError(
      `untilMs: expected a time in whole ms after the run's start, up to its end (${within}), found ${givenValueText(untilMs)}`,
    );
  }
  return { ...compiled, config: { ...compiled.config, durationMs: untilMs - startMs } };
}
