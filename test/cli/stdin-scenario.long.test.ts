// Shows compare reading the scenario from stdin (-) and comparing it as the file, as stdin-scenario.test.ts shows run doing in the default run (where compare reads - too, for a scenario naming a module), and run and compare --scheduler running that module named <stdin> as the default run's run and compare of the bundled variants name it.
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";
import { moduleFolder, piped, shortened, TEXT, TINY } from "./stdin-piped.js";

describe("a scenario read from stdin (-)", () => {
  it("compares as the file does", async () => {
    const fromFile = await cli(["compare", TINY, "--json"]);
    const r = piped(["compare", "-", "--json"], TEXT);
    expect(r.code, r.err).toBe(fromFile.code);
    expect(r.out).toBe(fromFile.out);
    expect((JSON.parse(r.out) as { variants: unknown[] }).variants).toHaveLength(2);
  });
});

describe("a scenario read from stdin that names a scheduler module", () => {
  it("is named <stdin>, never -, when run --scheduler runs that module without the scenario's fixes", () => {
    const { folder, text } = moduleFolder();
    // What is said of the module comes before the run: its first minute says it as the whole run would.
    const argv = ["run", "-", "--scheduler", "./mine.mjs", "--quiet", "--until", "+1m"];
    const own = piped(argv, text, folder);
    expect(own.err).toContain(
      "aftershock: <stdin>: --scheduler runs its own module ./mine.mjs with no fixes",
    );
    expect(own.err).not.toContain("aftershock: - ");
  });

  it("is named <stdin>, never -, when compare --scheduler runs that module beside the bundled variant", () => {
    const { folder, text } = moduleFolder();
    const own = piped(["compare", "-", "--scheduler", "./mine.mjs", "--json"], shortened(text), folder);
    expect(own.err).toContain(
      "aftershock: <stdin> names the scheduler module ./mine.mjs; comparing it, as --scheduler asks, beside the bundled variant fixed\n",
    );
    expect(own.err).not.toContain("aftershock: - ");
  });
});
