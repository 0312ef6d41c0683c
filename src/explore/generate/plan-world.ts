/**
 * The worlds a generated plan draws, for an exploration's runs and for a library caller who
 * rebuilds one from a failure's `generationSeed` (`worldOf`), drawn the same way in both.
 */
import fc from "fast-check";
import { jsValueText } from "../../scenario/issue.js";
import type { RunPlan } from "../run-one.js";
import type { ScenarioDocument } from "./document.js";
import { withoutGlobalConfig } from "./fc-isolation.js";
import { scenarioArbitrary } from "./scenario-arbitrary.js";

/** What a generated plan's worlds are drawn from: its variant, constraints and module. */
export type GeneratedPlanWorlds = Pick<
  Extract<RunPlan, { mode: "generated" }>,
  "variant" | "constraints" | "module"
>;

/**
 * The arbitrary a generated plan draws from (its constraints, with the plan's variant). With a
 * module, each document is the variant's, its scheduler the module: the same draws give the same
 * world, so run r with a module is run r of the variant with the module in v2's place.
 */
export function planArbitrary(plan: GeneratedPlanWorlds): fc.Arbitrary<ScenarioDocument> {
  const documents = scenarioArbitrary({ ...plan.constraints, variant: plan.variant });
  const module = plan.module;
  if (module === undefined) return documents;
  return documents.map((doc) => ({
    ...doc,
    description: `A generated world (aftershock explore, the module ${module.path} as variant ${plan.variant}).`,
    scheduler: { module: module.path, fixes: [...module.fixes] },
  }));
}

/**
 * Throws a TypeError unless a generated plan's `module` is absent or `{ path, fixes }`: by
 * `worldOf`, and by `explore` before any run (drawn in its run 0, it would be that run's Error).
 */
export function checkPlanModule(module: unknown): void {
  if (
    module !== undefined &&
    (module === null ||
      typeof module !== "object" ||
      typeof (module as { path?: unknown }).path !== "string" ||
      !Array.isArray((module as { fixes?: unknown }).fixes))
  )
    throw new TypeError(
      `plan.module: expected { path, fixes } (the module's path and the fixes create is given), found ${jsValueText(module)}`,
    );
}

/**
 * The world a generated plan draws from a fast-check seed: with an `ExploreFailure`'s
 * `generationSeed`, the failing world before any shrink, as `explore` drew it (a `module` plan's
 * with the module as its scheduler). Drawn as explore draws, whatever `fc.configureGlobal` the
 * caller's tests set, and with this package's fast-check, so a second copy of fast-check beside
 * it changes nothing. Throws a TypeError for a plan that is no object, a `module` that is not
 * `{ path, fixes }` or a seed that is no whole number from 0 to 2^31 − 1 (as `generationSeed`
 * is), and as `scenarioArbitrary` does for its constraints and variant.
 */
export function worldOf(plan: GeneratedPlanWorlds, generationSeed: number): ScenarioDocument {
  if (plan === null || typeof plan !== "object" || Array.isArray(plan))
    throw new TypeError(
      `plan: expected a generated plan ({ mode: "generated", variant, constraints, … }, as explore takes), found ${jsValueText(plan)}`,
    );
  const mode = (plan as { mode?: unknown }).mode;
  if (mode !== undefined && mode !== "generated")
    throw new TypeError(
      `plan.mode: expected "generated" (a scenario plan's runs are its own scenario at seeds, not drawn worlds), found ${jsValueText(mode)}`,
    );
  checkPlanModule(plan.module);
  if (!Number.isInteger(generationSeed) || generationSeed < 0 || generationSeed > 0x7fffffff)
    throw new TypeError(
      `generationSeed: expected a whole number from 0 to 2^31 - 1 (an ExploreFailure's generationSeed), found ${jsValueText(generationSeed)}`,
    );
  return withoutGlobalConfig(() => fc.sample(planArbitrary(plan), { seed: generationSeed, numRuns: 1 })[0]);
}
