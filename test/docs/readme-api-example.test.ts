// Shows the README's Programmatic API property of generated worlds runs as written with fast-check
// in a project that installs aftershock (its first example, a run, a comparison and explorations
// of its own module, in readme-api-example.long.test.ts).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { example, ROOT } from "./readme-example.js";

describe("the README's Programmatic API example", () => {
  it("and its property of generated worlds runs with fast-check, each document compiled and judged", () => {
    const project = mkdtempSync(join(tmpdir(), "aftershock-api-property-"));
    mkdirSync(join(project, "node_modules"));
    symlinkSync(ROOT, join(project, "node_modules", "aftershock"), "dir");
    symlinkSync(join(ROOT, "node_modules", "fast-check"), join(project, "node_modules", "fast-check"), "dir");
    writeFileSync(join(project, "package.json"), '{ "type": "module" }\n');
    const code = example(1);
    expect(code).toContain("fc.property(");
    writeFileSync(join(project, "property.mjs"), `${code}\nconsole.log("held");\n`);
    const out = execFileSync(process.execPath, ["property.mjs"], { cwd: project, encoding: "utf8" });
    expect(out.trim()).toBe("held");
  });
});
