/**
 * What keeps the worlds a seed generates the same in every process: fast-check's global
 * configuration (`fc.configureGlobal`, which a user's test setup often sets) changes sizes,
 * the random generator, time limits and hooks of every arbitrary and check that does not say
 * its own, and its global plugins (`fc.installGlobalPlugin`) wrap every check that does not
 * refuse them (`noGlobalPlugins`). aftershock's seeds name worlds that the CLI, the API, a reproducer and a worker thread
 * (which has no such configuration) must agree on.
 */
import fc from "fast-check";

/**
 * The size of every sized arbitrary of the generators: fast-check's default base size, said, so
 * that a `baseSize` or `defaultSizeToMaxWhenMaxSpecified` set globally changes nothing. Fixed:
 * a change makes other worlds of every seed.
 */
export const GENERATED_SIZE = "small" as const;

/**
 * `f`'s result, with fast-check's global configuration cleared while it runs and put back after
 * (when it throws too). Only for what fast-check reads synchronously: building a property (its
 * hooks), `fc.sample`, the start of `fc.check` (its parameters), arbitraries built on the spot.
 */
export function withoutGlobalConfig<T>(f: () => T): T {
  const saved = fc.readConfigureGlobal();
  fc.resetConfigureGlobal();
  try {
    return f();
  } finally {
    fc.configureGlobal(saved);
  }
}
