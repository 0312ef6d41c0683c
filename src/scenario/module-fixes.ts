/**
 * The fixes a scenario gives a user's scheduler module that the module does not list: known only
 * once the module is loaded (or registered, by a library caller), as the bundled schedulers' are
 * checked with the rest of the file (`checkSchedulerFixes`). The CLI and `runScenario` both ask,
 * so that `create` is never given a fix it does not know, which most modules would ignore.
 */
import type { SchedulerRegistry } from "../world/world.js";
import type { ModuleNaming } from "./compile.js";
import { describeValue, type PathKey, pathText, type ScenarioIssue } from "./issue.js";
import { expectedFixText } from "./scheduler-fixes.js";
import type { Scenario, SchedulerSpec } from "./types.js";

export type ModuleSpec = Extract<SchedulerSpec, { readonly kind: "module" }>;

/** The places a scenario names a scheduler module: its scheduler and its deploys, by the path of each. */
export function moduleSpecs(scenario: Scenario): { readonly spec: ModuleSpec; readonly at: PathKey[] }[] {
  const out: { spec: ModuleSpec; at: PathKey[] }[] = [];
  if (scenario.scheduler.kind === "module") out.push({ spec: scenario.scheduler, at: ["scheduler"] });
  scenario.timeline.forEach((a, i) => {
    if (a.action === "deploy" && a.scheduler.kind === "module")
      out.push({ spec: a.scheduler, at: ["timeline", i] });
  });
  return out;
}

/**
 * The fixes a scenario gives a module in `registry` (by the name `moduleName` gives it) that the
 * module does not list, as issues at their line and column. A module not in `registry` is left
 * to whatever loads or runs it.
 */
export function moduleFixIssues(
  scenario: Scenario,
  registry: SchedulerRegistry,
  moduleName: ModuleNaming,
): ScenarioIssue[] {
  // A copy of a parsed Scenario (structuredClone, JSON) has no `locate`: it is placed nowhere.
  const locate = (path: readonly PathKey[]) => scenario.source.locate?.(path) ?? null;
  return moduleSpecs(scenario).flatMap(({ spec, at }) => {
    const factory = registry.get(moduleName(spec.module));
    if (factory === undefined) return [];
    const list = [...at, "fixes"];
    // The fix itself is placed when the list was written without repeats (`spec.fixes` has none).
    const exact = locate([...list, spec.fixes.length]) === null;
    return spec.fixes.flatMap((fix, k): ScenarioIssue[] => {
      if (factory.fixes.includes(fix)) return [];
      const path = exact ? [...list, k] : list;
      return [
        {
          file: scenario.source.file,
          ...(locate(path) ?? { line: 1, column: 1 }),
          path,
          code: "unknown-value",
          message: `${pathText(path)}: ${spec.module} has no fix ${describeValue(fix)}`,
          expected: expectedFixText(spec.module, factory.fixes),
          found: describeValue(fix),
        },
      ];
    });
  });
}
