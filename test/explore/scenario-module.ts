// A small scenario whose scheduler is the shipped example module as a file beside it, for cli.test.ts and its long tier.
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import { tmp } from "./cli-helpers.js";
import { smallDocument } from "./helpers.js";

/**
 * A fresh folder holding `bug.mjs` (the shipped example, bug 1 planted) and `s.yaml`, a small
 * world with a deleted account that names it: run without its fixes, its poison task kills worker
 * after worker. `doc` is the world without its `scheduler:`, for other files to name another.
 */
export function scenarioWithModule() {
  const dir = tmp();
  copyFileSync(join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs"), join(dir, "bug.mjs"));
  const scenario = join(dir, "s.yaml");
  const doc = smallDocument({ timeline: [{ at: "+2m", action: "delete-account", account: "acct-a" }] });
  writeFileSync(scenario, documentYaml({ ...doc, scheduler: { module: "./bug.mjs" } } as typeof doc));
  return { dir, scenario, doc };
}
