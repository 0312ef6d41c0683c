// Shows the commands that take files and folders (gate, validate) say where a bundled scenario is
// when given its name, as run and compare take it, rather than only that no such file exists.
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
