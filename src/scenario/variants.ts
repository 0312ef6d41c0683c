import { closest } from "./suggest.js";
import type { SchedulerFix, SchedulerVersion } from "./vocabulary.js";

/**
 * The named variants a scenario is run as: the same world with a different scheduler. `buggy`
 * is the Apr 24 scheduler as deployed, `fixed` has both fixes of the write-up, the two single-fix
 * variants show that either fix alone stops the cascade, and `v1` is the legacy scheduler.
 */
export const VARIANT_NAMES = ["buggy", "fixed", "early-return", "panic-recovery", "v1"] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** The scheduler a variant runs. */
export interface VariantSpec {
  readonly scheduler: SchedulerVersion;
  readonly fixes: readonly SchedulerFix[];
}

/** Each named variant's scheduler and fixes. */
export const variantFixes: Readonly<Record<VariantName, VariantSpec>> = {
  buggy: { scheduler: "v2", fixes: [] },
  fixed: { scheduler: "v2", fixes: ["early-return", "panic-recovery"] },
  "early-return": { scheduler: "v2", fixes: ["early-return"] },
  "panic-recovery": { scheduler: "v2", fixes: ["panic-recovery"] },
  v1: { scheduler: "v1", fixes: [] },
};

export function isVariantName(name: string): name is VariantName {
  return (VARIANT_NAMES as readonly string[]).includes(name);
}

/**
 * ` — did you mean fixed?` for a name near one variant (`fixd`), or "" when none is near (or
 * `name` is no text): the CLI's `--variant` and the API's `variant` options suggest alike.
 */
export function variantSuggestion(name: unknown): string {
  const near = typeof name === "string" ? closest(name, VARIANT_NAMES) : undefined;
  return near === undefined ? "" : ` — did you mean ${near}?`;
}

/** The scheduler of a named variant, or null if `name` is not one (see `VARIANT_NAMES`). */
export function resolveVariant(name: string): { scheduler: SchedulerVersion; fixes: SchedulerFix[] } | null {
  if (!isVariantName(name)) return null;
  const spec = variantFixes[name];
  return { scheduler: spec.scheduler, fixes: [...spec.fixes] };
}

/** The named variant a scheduler choice matches, if any. */
export function namedVariant(scheduler: string, fixes: readonly string[]): string | null {
  for (const name of VARIANT_NAMES) {
    const v = resolveVariant(name)!;
    if (
      v.scheduler === scheduler &&
      v.fixes.length === fixes.length &&
      v.fixes.every((f) => fixes.includes(f))
    )
      return name;
  }
  return null;
}
