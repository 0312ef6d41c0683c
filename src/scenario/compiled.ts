/**
 * A compiled scenario, and what is done to one without the compiler: another variant's
 * scheduler, another seed, an earlier end. A worker thread that runs compiled worlds loads this
 * alone, not the scenario schema (zod) that compile.ts checks a scenario's values with; compile.ts
 * gives these names too.
 */
import type { TimedFault } from "../faults/schedule.js";
import type { WorldConfig } from "../world/config.js";
import { givenValueText } from "./issue.js";
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

/** The same compiled scenario started with a named variant's scheduler; null for an unknown name. */
export function applyVariant(compiled: CompiledScenario, variantName: string): CompiledScenario | null {
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

/** The same compiled scenario with another master seed (see `checkSeed`). */
export function withSeed(compiled: CompiledScenario, seed: number): CompiledScenario {
  checkSeed(seed);
  return { ...compiled, config: { ...compiled.config, seed } };
}

/**
 * The same compiled scenario cut short at `untilMs`: a time in whole ms after its start, up to
 * its end (a RangeError otherwise, as the CLI refuses such an `--until`).
 */
export function withEnd(compiled: CompiledScenario, untilMs: number): CompiledScenario {
  const { startMs, durationMs } = compiled.config;
  if (!(Number.isSafeInteger(untilMs) && untilMs > startMs && untilMs <= startMs + durationMs)) {
    const within = `${new Date(startMs).toISOString()} .. ${new Date(startMs + durationMs).toISOString()}`;
    throw new RangeError(
      `untilMs: expected a time in whole ms after the run's start, up to its end (${within}), found ${String(untilMs)}`,
    );
  }
  return { ...compiled, config: { ...compiled.config, durationMs: untilMs - startMs } };
}
