// Shows the README's Programmatic API examples hold: the property of generated worlds runs as written
// with fast-check in a project that installs aftershock, and the first example parses and imports
// only what the package exports (its run, in an installed project, is readme-api-example.long.test.ts's).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { example, ROOT } from "./readme-example.js";

describe("the README's Programmatic API example", () => {
  // The run of it, about 10 CPU-s of explorations, is the long tier's; what it calls is test/api's.
  it("parses as a module and imports only what the package exports", () => {
    const code = example(0);
    const imports = [...code.matchAll(/^import \{([^}]*)\} from "aftershock";$/gm)].flatMap((m) =>
      m[1].split(",").map((name) => name.trim()),
    );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((name) => !(name in api))).toEqual([]);
    const project = mkdtempSync(join(tmpdir(), "aftershock-api-check-"));
    writeFileSync(join(project, "example.mjs"), code);
    // Throws, with node's message of the line, if it does not parse.
    execFileSync(process.execPath, ["--check", join(project, "example.mjs")], { encoding: "utf8" });
  });

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
