// Shows the other inputs of `aftershock compare --scheduler MODULE` that compare-scheduler.test.ts compares once each: the re-exported v2 with one fix of two, a TypeScript module, and a module exporting no scheduler refused by the process.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT, cliBuilt, ROOT } from "../gate/helpers.js";
import {
  BOTH,
  behaviour,
  compareFolder,
  compareJsonOf,
  type JsonComparison,
} from "./compare-scheduler-folder.js";

let dir: string;
let scenario: string;
let fixedV2: string;

beforeAll(() => {
  ({ dir, scenario, fixedV2 } = compareFolder());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BUILT)("compare --scheduler MODULE (needs dist/ for the re-exported v2)", () => {
  it("respects --fix with one fix: the re-exported v2 with panic-recovery parts from fixed where that variant does", async () => {
    const half = await compareJsonOf(scenario, "--scheduler", fixedV2, "--fix", "panic-recovery");
    expect(half.variants[1].variant.fixes).toEqual(["panic-recovery"]);
    expect(half.divergence?.index).toBe(
      (await compareJsonOf(scenario, "--variants", "fixed,panic-recovery")).divergence?.index,
    );
  });
});

describe.skipIf(!BUILT)("compare --scheduler as a process (needs dist/)", () => {
  it("a TypeScript module is compared as a JavaScript one is", () => {
    const typed = join(dir, "typed.ts");
    const v2 = pathToFileURL(join(ROOT, "dist", "src", "schedulers", "v2.js")).href;
    writeFileSync(
      typed,
      `import { v2 } from ${JSON.stringify(v2)};\nconst named: string = "typed";\nexport const scheduler = { ...v2, name: named };\n`,
    );
    const r = cliBuilt([
      "compare",
      scenario,
      "--scheduler",
      typed,
      "--fix",
      BOTH,
      "--variants",
      "buggy,fixed",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out) as JsonComparison;
    expect(c.variants[2].variant.scheduler).toBe("module:./typed.ts");
    // It behaves as fixed does, so it parts from buggy where fixed does.
    expect(c.divergences.map((d) => d.index)).toEqual([c.divergence?.index, c.divergence?.index]);
    expect(behaviour(c.divergences[1].b)).toEqual(behaviour(c.divergences[0].b));
  }, 30_000);

  it("a module whose export is no scheduler: exit 2, the message, no stack trace", () => {
    const path = join(dir, "nothing.mjs");
    writeFileSync(path, "export default 42;\n");
    const r = cliBuilt(["compare", scenario, "--scheduler", path]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `aftershock: ${path}: not a scheduler: the export is a number (42), expected an object { name, fixes, create(fixes) }\n`,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 30_000);
});
