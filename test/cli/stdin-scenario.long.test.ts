// Shows compare reading the scenario from stdin (-) and comparing it as the file, as stdin-scenario.test.ts shows run doing in the default run (where compare reads - too, for a scenario naming a module).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(ROOT, "test", "report", "fixtures", "tiny.yaml");
const TEXT = readFileSync(TINY, "utf8");

/** The built CLI with `input` piped into its stdin, in a folder of its own. */
function piped(argv: readonly string[], input: string) {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: mkdtempSync(join(tmpdir(), "aftershock-stdin-scenario-")),
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
    input,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("a scenario read from stdin (-)", () => {
  it("compares as the file does", async () => {
    const fromFile = await cli(["compare", TINY, "--json"]);
    const r = piped(["compare", "-", "--json"], TEXT);
    expect(r.code, r.err).toBe(fromFile.code);
    expect(r.out).toBe(fromFile.out);
    expect((JSON.parse(r.out) as { variants: unknown[] }).variants).toHaveLength(2);
  });
});
