// Shows that a module author can find the whole Runtime port without the sources: docs/ci.md names every member, and the package exports every type of it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const RUNTIME = read("src/world/runtime.ts");
const GUIDE = read("docs/ci.md");

/** The member names of `interface name { ... }` in runtime.ts (one level of braces). */
function membersOf(name: string): string[] {
  const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(RUNTIME)?.[1];
  expect(body, name).toBeDefined();
  return [...body!.matchAll(/^ {2}(?:readonly )?(\w+)[(:?]/gm)].map((m) => m[1]);
}

describe("the module authors' guide", () => {
  it.each(["Runtime", "TaskTx", "StorePort", "HttpPort", "Logger", "ErrorReporter"])(
    "names every member of %s",
    (name) => {
      const members = membersOf(name);
      expect(members.length).toBeGreaterThan(0);
      expect(members.filter((m) => !GUIDE.includes(`\`${m}`) && !GUIDE.includes(`.${m}`))).toEqual([]);
    },
  );

  it("says rt.log.info is not traced, and that AccountPlan.maxRetries is gone", () => {
    expect(GUIDE).toMatch(/info is not traced/);
    expect(GUIDE).toMatch(/`AccountPlan\.maxRetries` is gone/);
  });

  it("points at types the installed package ships, not at sources it does not", () => {
    for (const file of ["docs/ci.md", "examples/reintroduced-bug1.mjs"])
      expect(read(file), file).not.toMatch(/src\/world\/runtime\.ts/);
    expect(GUIDE).toContain('import type { SchedulerFactory, Runtime, TaskTx } from "aftershock"');
    const exported = read("src/index.ts");
    for (const [, type] of RUNTIME.matchAll(/^export (?:interface|type) (\w+)/gm))
      expect(exported, `${type} is exported from the package`).toMatch(new RegExp(`\\b${type},`));
  });
});
