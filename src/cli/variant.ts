import { applyVariant, type CompiledScenario, moduleSchedulerName } from "../scenario/compile.js";
import { isVariantName, resolveVariant, SCHEDULER_FIXES, VARIANT_NAMES } from "../scenario/index.js";
import { CliError } from "./errors.js";

/** Options that choose what scheduler a run starts with. */
export interface VariantOptions {
  readonly variant?: string;
  readonly scheduler?: string;
  readonly fix?: string;
}

/** Parses a comma-separated fix list, refusing unknown fixes. */
export function parseFixList(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "" || text === "none") return [];
  const fixes = text.split(",").map((f) => f.trim());
  for (const f of fixes) {
    if (!(SCHEDULER_FIXES as readonly string[]).includes(f)) {
      throw new CliError(`--fix: unknown fix "${f}" (known: ${SCHEDULER_FIXES.join(", ")})`);
    }
  }
  return fixes;
}

/** Checks a variant name, with the list of names on error. */
export function checkVariant(name: string, flag = "--variant"): string {
  if (!isVariantName(name))
    throw new CliError(`${flag}: unknown variant "${name}" (known: ${VARIANT_NAMES.join(", ")})`);
  return name;
}

/** Scheduler names a --scheduler value may take besides module paths. */
const BUILTIN = ["v1", "v2"];

/** Extra scheduler modules named with --scheduler (paths), to load before running. */
export function schedulerModulesFromOptions(o: VariantOptions): string[] {
  return o.scheduler !== undefined && !BUILTIN.includes(o.scheduler) ? [o.scheduler] : [];
}

/** The compiled scenario with the scheduler the options ask for. */
export function chooseVariant(compiled: CompiledScenario, o: VariantOptions): CompiledScenario {
  if (o.variant !== undefined && o.scheduler !== undefined)
    throw new CliError("--variant and --scheduler are exclusive: pick one");
  if (o.variant !== undefined) return applyVariant(compiled, checkVariant(o.variant))!;
  if (o.scheduler !== undefined) {
    const name = BUILTIN.includes(o.scheduler) ? o.scheduler : moduleSchedulerName(o.scheduler);
    const fixes = parseFixList(o.fix);
    const variantName = BUILTIN.includes(o.scheduler) ? namedVariant(o.scheduler, fixes) : null;
    return { ...compiled, config: { ...compiled.config, scheduler: { name, fixes } }, variantName };
  }
  if (o.fix !== undefined) throw new CliError("--fix goes with --scheduler (or use --variant)");
  const own = compiled.config.scheduler;
  return { ...compiled, variantName: namedVariant(own.name, own.fixes) };
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
