import type { UnplacedIssue } from "./issue.js";
import { where } from "./issue.js";
import { field, items } from "./raw-fields.js";

/**
 * In a scenario whose `scheduler` is a module, the module stands for v2 in every run that starts
 * with it (so that `--variant fixed` and the gate's variants mean the module's own fixes): a
 * `deploy` of `scheduler: v2` deploys the module again, not the bundled v2, which an operator's
 * "rollback to v2" did not mean. Each such deploy is warned of, whatever fixes it names, with the
 * two ways to say which is meant: the bundled v2 (`bundled: true`), or the module by its path
 * (`module:`, most often what a module's author means). The warning is the scenario's, said
 * whatever run reads it, so it says which runs it speaks of: a run that starts with a bundled
 * variant (`--variant`) deploys the bundled v2 already.
 */
export function checkModuleDeploys(data: unknown): UnplacedIssue[] {
  const module = field(field(data, "scheduler"), "module");
  if (typeof module !== "string" || module === "") return [];
  const issues: UnplacedIssue[] = [];
  items(field(data, "timeline")).forEach((entry, i) => {
    if (field(entry, "action") !== "deploy" || field(entry, "scheduler") !== "v2") return;
    if (field(entry, "bundled") === true) return;
    const path = ["timeline", i, "scheduler"];
    issues.push({
      severity: "warning",
      path,
      code: "module-stands-in",
      message: `${where(path)}this deploys ${module} in a run that starts with it, where it stands for v2, not the bundled v2 (a run that starts with a bundled variant, \`--variant\`, deploys the bundled v2): give \`bundled: true\` to deploy the bundled v2 in every run, or write \`module: ${module}\` in place of \`scheduler: v2\` to deploy the module in every run`,
    });
  });
  return issues;
}
