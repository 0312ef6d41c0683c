// Shows the README's Programmatic API example runs as written in a project that installs
// aftershock: its bundled scenario found through the package's exports, the user's module and
// scenario beside the script, from another folder than the clone (readme-api-example.test.ts runs
// the section's property of generated worlds in such a project).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { example, ROOT } from "./readme-example.js";

describe("the README's Programmatic API example", () => {
  it("runs in a project that installs aftershock", () => {
    const project = mkdtempSync(join(tmpdir(), "aftershock-api-example-"));
    mkdirSync(join(project, "node_modules"));
    symlinkSync(ROOT, join(project, "node_modules", "aftershock"), "dir");
    writeFileSync(join(project, "package.json"), '{ "type": "module" }\n');
    copyFileSync(join(ROOT, "examples", "reintroduced-bug1.mjs"), join(project, "mine.mjs"));
    const tiny = readFileSync(join(ROOT, "test", "cli", "fixtures", "tiny.yaml"), "utf8");
    writeFileSync(join(project, "own.yaml"), `${tiny}\nscheduler: { module: ./mine.mjs }\n`);
    // What the example leaves in its constants, printed so the test reads them.
    const probe =
      "\nconsole.log(JSON.stringify({ variant: report.variant, expectations: expectations.length, " +
      "reports: reports.length, divergence: divergence !== null, failures: failures.length, " +
      "shrunk: failures[0]?.shrink !== null, document: failures[0]?.document !== null, " +
      "mine: { completed: mine.completed, module: mine.failures[0]?.document?.scheduler } }));\n";
    writeFileSync(join(project, "example.mjs"), example() + probe);
    const out = execFileSync(process.execPath, ["example.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({
      variant: { name: "fixed", scheduler: "v2", fixes: ["early-return", "panic-recovery"] },
      expectations: expect.any(Number),
      reports: 2,
      divergence: true,
      failures: 1,
      shrunk: true,
      document: true,
      // The example's module lists its fixes but is given none: v2's bugs, found in the module's worlds.
      mine: { completed: expect.any(Number), module: { module: "./mine.mjs", fixes: [] } },
    });
    expect((JSON.parse(out) as { expectations: number }).expectations).toBeGreaterThan(0);
  });
});
