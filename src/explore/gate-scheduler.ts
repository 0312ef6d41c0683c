/**
 * How a user's scheduler module takes part in the gate (`aftershock gate --scheduler MODULE`).
 *
 * The module stands in for the bundled `v2` everywhere a run would use it: the scheduler the
 * world starts with and every `deploy` of v2 in the timeline (so the May 8 fix rollout deploys
 * the module too). Which variants are gated depends on the fixes the module lists:
 *
 * - A module that lists no fixes is one scheduler, the one you mean to ship: only the `fixed`
 *   variant's expectations apply (the others describe the historical bugs).
 * - A module that lists fixes (as v2 does, or of its own) claims to reproduce the bugs when they
 *   are off: every v2 variant whose fixes it lists is gated (`buggy` always, with none; `fixed`
 *   always, with every fix it lists), each passing its fixes to `create(fixes)` (`moduleFixesOf`).
 * - The `v1` variant runs the bundled legacy scheduler, not the module: it is not gated.
 */
import type { CompiledScenario } from "../scenario/compile.js";
import { inDeclaredOrder } from "../scenario/scheduler-fixes.js";
import {
  namedVariant,
  resolveVariant,
  VARIANT_NAMES,
  type VariantName,
  variantFixes,
} from "../scenario/variants.js";
import type { WorldConfig } from "../world/config.js";
import type { SchedulerRegistry } from "../world/world.js";

/** A user scheduler module replacing v2 in the gate's runs. */
export interface SchedulerSubstitution {
  /** The path as given on the command line. */
  readonly path: string;
  /** The fixes the module lists. */
  readonly fixes: readonly string[];
}

/**
 * The module as the runs of one scenario know it: the name it is registered under there (its
 * path from the scenario's folder, `module:./x.mjs`, so that the trace does not depend on where
 * the gate runs), and the fixes it lists.
 */
export interface ModuleStandIn {
  readonly name: string;
  readonly fixes: readonly string[];
}

/** The bundled scheduler a module replaces. */
export const REPLACED_SCHEDULER = "v2";

/** Whether a scheduler name is a user module's (`module:./x.mjs`), not a bundled scheduler's. */
export function isModuleScheduler(name: string): boolean {
  return name.startsWith("module:");
}

/** Null when the variant is gated with this module, else why it is skipped. */
export function variantSkipReason(sub: SchedulerSubstitution, variant: string): string | null {
  const spec = resolveVariant(variant);
  if (spec === null) return `unknown variant ${variant}`;
  if (spec.scheduler !== REPLACED_SCHEDULER) {
    return `the ${variant} variant runs the bundled ${spec.scheduler} scheduler, not ${sub.path}`;
  }
  if (variant === "fixed") return null;
  if (sub.fixes.length === 0) {
    return `${sub.path} lists no fixes: only the fixed variant applies to it`;
  }
  const missing = fixesNotListed(spec.fixes, sub);
  if (missing.length > 0) return `${sub.path} does not list the fix ${missing.join(", ")}`;
  return null;
}

/**
 * The variant the gate judges a run of the module created with `fixes` as (a world that starts
 * with it, as a scenario's own `scheduler: { module, fixes }` writes it): a variant the gate runs
 * the module as (`variantSkipReason`) that gives it these fixes (`moduleFixesOf`). The variant
 * whose own fixes are these comes first, so a module that lists v2's fixes maps as v2 does
 * (`buggy` for none); a module that lists no fixes is gated only as `fixed`, which gives it none.
 * Null when no variant the gate runs gives the module these fixes (a fix of its own): the gate
 * judges no such run. Explore's reproducers name this variant in their expectations, so that
 * `gate` judges the run that `run <reproducer>` replays.
 */
export function judgedVariantOf(sub: SchedulerSubstitution, fixes: readonly string[]): VariantName | null {
  // As sets: the order a scenario writes its fixes in, or one written twice, names the same run.
  const wanted = new Set(fixes);
  const same = (a: readonly string[]) => new Set(a).size === wanted.size && a.every((f) => wanted.has(f));
  const judged = VARIANT_NAMES.filter(
    (name) => variantSkipReason(sub, name) === null && same(moduleFixesOf(sub, name)),
  );
  return judged.find((name) => same(variantFixes[name].fixes)) ?? judged[0] ?? null;
}

/**
 * The fixes a variant gives the module, in the module's order (as `run --scheduler MODULE --fix`
 * orders them, so both give one trace): for `fixed`, the scheduler with its fixes, every fix the
 * module lists (v2's two, for a module that lists them as v2 does, and any of its own); for any
 * other variant, the variant's, less those the module does not list (`buggy`: none).
 */
export function moduleFixesOf(sub: Pick<ModuleStandIn, "fixes">, variant: string): string[] {
  return moduleFixesFor(resolveVariant(variant)?.fixes ?? [], sub.fixes);
}

/**
 * The fixes the module gets where v2 would get `fixes` (the world's start, a deploy of v2): v2's
 * fixed pair gives it every fix it lists (`fixed`, its own fixes too), any other set those of it
 * the module lists. One rule for the world's start and each deploy, so a fix rollout of v2 rolls
 * the module out with its fixes, as the `fixed` variant starts it.
 */
export function moduleFixesFor(fixes: readonly string[], listed: readonly string[]): string[] {
  return namedVariant(REPLACED_SCHEDULER, fixes) === "fixed" ? [...listed] : inDeclaredOrder(fixes, listed);
}

/** The fixes of `fixes` the module does not list: those `substituteScheduler` leaves out. */
export function fixesNotListed(fixes: readonly string[], sub: Pick<ModuleStandIn, "fixes">): string[] {
  return fixes.filter((f) => !sub.fixes.includes(f));
}

/**
 * The compiled scenario with the module in place of v2: the scheduler it starts with, if v2, and
 * every deploy of v2 in the timeline, each with its fixes less those the module does not list.
 * The gate runs each variant this way, and `run --scheduler MODULE` runs the same.
 */
export function substituteScheduler(compiled: CompiledScenario, sub: ModuleStandIn): CompiledScenario {
  const c = compiled.config;
  const scheduler =
    c.scheduler.name === REPLACED_SCHEDULER
      ? { name: sub.name, fixes: moduleFixesFor(c.scheduler.fixes, sub.fixes) }
      : c.scheduler;
  return { ...compiled, config: { ...c, scheduler, timeline: inV2sPlace(c.timeline, sub.name, sub.fixes) } };
}

/**
 * The timeline with every deploy of v2 deploying `name`, with the fixes it gets for v2's
 * (`moduleFixesFor`), but one marked `bundled`, which deploys the bundled v2 as written.
 */
function inV2sPlace(
  timeline: WorldConfig["timeline"],
  name: string,
  listed: readonly string[],
): WorldConfig["timeline"] {
  return timeline.map((a) =>
    a.action === "deploy" && a.scheduler === REPLACED_SCHEDULER && a.bundled !== true
      ? { ...a, scheduler: name, fixes: moduleFixesFor(a.fixes, listed) }
      : a,
  );
}

/**
 * The one rule for a run whose world starts with a scheduler module (a scenario's own, or one a
 * command put in v2's place): the module stands for v2 in that run, so every deploy of v2 in its
 * timeline deploys the module, with the deploy's fixes less those the module does not list. `run`,
 * `why`, `train`, `explore`, `gate` and the programmatic API all build their worlds through this,
 * so one scenario gives one trace whichever of them runs it. A run that starts with a bundled
 * scheduler (`--variant`, compare's variants) deploys the bundled v2.
 */
export function moduleStandsForV2(config: WorldConfig, schedulers: SchedulerRegistry): WorldConfig {
  const name = config.scheduler.name;
  const factory = isModuleScheduler(name) ? schedulers.get(name) : undefined;
  if (factory === undefined) return config;
  return { ...config, timeline: inV2sPlace(config.timeline, name, factory.fixes) };
}

/**
 * The variant whose expectations a run is judged by: its own (`variantName`), or, for a run of a
 * scheduler module (a scenario's own, or `--scheduler`'s), the variant the gate judges that run
 * as (`judgedVariantOf`: the one that gives the module these fixes; `fixed` for a module that
 * lists none). Null when there is none: the run is judged by its properties.
 */
export function judgedVariant(compiled: CompiledScenario, schedulers: SchedulerRegistry): string | null {
  if (compiled.variantName !== null) return compiled.variantName;
  const choice = compiled.config.scheduler;
  const factory = isModuleScheduler(choice.name) ? schedulers.get(choice.name) : undefined;
  if (factory === undefined) return null;
  return judgedVariantOf({ path: choice.name, fixes: factory.fixes }, choice.fixes);
}
