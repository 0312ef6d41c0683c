// Golden hash files: a broken one is refused without --update-golden and rewritten with it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGolden } from "../../src/explore/gate-golden.js";
import { cli } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";

/** A copy of the small scenario with `golden/small-cascade.json` holding `text`. */
function withGolden(text: string): { file: string; golden: string } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-"));
  const file = join(dir, "small-cascade.yaml");
  copyFileSync(PASS, file);
  mkdirSync(join(dir, "golden"));
  const golden = join(dir, "golden", "small-cascade.json");
  writeFileSync(golden, text);
  return { file, golden };
}

describe("a golden file the gate cannot read", () => {
  it.each([
    ["truncated JSON", '{ "scenario": "small-cascade", \n', "not JSON"],
    ["an empty file", "", "not JSON"],
    ["a JSON array", "[1,2]\n", "expected a JSON object"],
  ])("(%s) is exit 2 without --update-golden and rewritten with it", async (_what, text, reason) => {
    const { file, golden } = withGolden(text);
    const refused = await cli(["gate", file, "--jobs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${golden}: not a golden hash file: ${reason}`);
    expect(refused.err).toContain("(rewrite it with --update-golden)");
    expect(readFileSync(golden, "utf8")).toBe(text);

    const updated = await cli(["gate", file, "--jobs", "1", "--update-golden"]);
    expect(updated.code).toBe(0);
    expect(updated.err).toContain(`aftershock: replaced ${golden} (it was not a golden hash file: ${reason}`);
    const parsed = parseGolden(readFileSync(golden, "utf8"));
    expect(parsed.ok && Object.keys(parsed.golden.variants)).toEqual(["buggy", "fixed", "early-return"]);
    expect((await cli(["gate", file, "--jobs", "1"])).code).toBe(0);
  });
});
