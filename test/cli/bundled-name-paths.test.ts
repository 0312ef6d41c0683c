// Shows the commands that take files and folders (gate, validate) say where a bundled scenario is
// when given its name, as run and compare take it, rather than only that no such file exists; and
// that a missing path whose file name is a bundled scenario's is said to be that scenario's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../gate/helpers.js";

describe("a bundled scenario's name where a path is wanted", () => {
  it.each(["gate", "validate"])("%s says where the bundled file is (exit 2)", async (command) => {
    const r = await cli([command, "quiet-day"]);
    const shown = relative(process.cwd(), join(ROOT, "scenarios", "quiet-day.yaml"));
    expect(r.err).toContain(
      `quiet-day: no such file or folder (this command takes files and folders, not a bundled scenario's name; quiet-day is ${shown})`,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });

  it("says nothing more for a name no bundled scenario has", async () => {
    const r = await cli(["gate", "no-such-scenario"]);
    expect(r.err).toContain("no-such-scenario: no such file or folder");
    expect(r.err).not.toContain("bundled");
    expect(r.code).toBe(2);
  });
});

describe("a missing path whose file name is a bundled scenario's", () => {
  // As the docs write it, typed in a project with no scenarios/ folder of its own.
  const typed = join("no-such-folder", "qstash-2026-05-08.yaml");
  const shown = () => relative(process.cwd(), join(ROOT, "scenarios", "qstash-2026-05-08.yaml"));

  it.each(["gate", "validate"])("%s names the bundled file to give instead (exit 2)", async (command) => {
    const r = await cli([command, typed]);
    expect(r.err).toContain(
      `${typed}: no such file or folder; the bundled scenario qstash-2026-05-08 has that name: give its file, ${shown()}`,
    );
    expect(r.code).toBe(2);
  });

  it.each([["run"], ["compare"], ["explore"], ["train"], ["why", "w3"]])(
    "%s says to give the bundled scenario's name alone (exit 2)",
    async (command, ...rest) => {
      for (const path of [typed, "qstash-2026-05-08.json"]) {
        const r = await cli([command, path, ...rest]);
        expect(r.err, path).toContain(
          `${path}: no such file; the bundled scenario qstash-2026-05-08 has that name: give the name alone, qstash-2026-05-08`,
        );
        expect(r.code, path).toBe(2);
      }
    },
  );

  it("is no bundled scenario's when its file name is none's", async () => {
    const other = join("no-such-folder", "other.yaml");
    expect((await cli(["gate", other])).err).not.toContain("bundled scenario");
    expect((await cli(["run", other])).err).toContain(`${other}: no such file (bundled scenarios: `);
  });
});

describe("gate with no paths where there is no scenarios/ folder", () => {
  it("names the bundled scenarios' folder to gate them by (exit 2)", async () => {
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), "aftershock-no-scenarios-")));
    try {
      const r = await cli(["gate"]);
      expect(r.err).toContain(
        `no paths given and there is no scenarios/ folder here: name scenario files or folders; the bundled scenarios are gated by their folder, ${join(ROOT, "scenarios")}, or a file in it (aftershock list names them)`,
      );
      expect(r.code).toBe(2);
    } finally {
      process.chdir(cwd);
    }
  });
});
