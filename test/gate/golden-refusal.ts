// A copy of the small cascade with a golden file of the test's, and the gate's refusal and rewrite of one it cannot read.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { parseGolden } from "../../src/explore/gate-golden.js";
import { cli } from "./helpers.js";

export const PASS = "test/gate/fixtures/pass/small-cascade.yaml";

/** A copy of the small scenario with `golden/small-cascade.json` holding `text`. */
export function withGolden(text: string): { file: string; golden: string } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-"));
  const file = join(dir, "small-cascade.yaml");
  copyFileSync(PASS, file);
  mkdirSync(join(dir, "golden"));
  const golden = join(dir, "golden", "small-cascade.json");
  writeFileSync(golden, text);
  return { file, golden };
}

/**
 * A golden file holding `text` is exit 2 at its `[line, column]` for `reason` without
 * --update-golden (annotated there in a pull request, the file kept), and rewritten with it.
 */
export async function expectRefusedThenRewritten(
  text: string,
  [line, column]: readonly [number, number],
  reason: string,
): Promise<void> {
  const { file, golden } = withGolden(text);
  const refused = await cli(["gate", file, "--jobs", "1"]);
  expect(refused.code).toBe(2);
  expect(refused.err).toContain(`${golden}:${line}:${column}: error: not a golden hash file: ${reason}`);
  expect(refused.err).toContain(`(rewrite it with aftershock gate ${file} --update-golden)`);
  expect(readFileSync(golden, "utf8")).toBe(text);
  // Annotated at that place in a pull request.
  const annotated = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
  expect(annotated.out).toContain(`::error file=${golden},line=${line},col=${column},`);

  const updated = await cli(["gate", file, "--jobs", "1", "--update-golden"]);
  expect(updated.code).toBe(0);
  expect(updated.err).toContain(`aftershock: replaced ${golden} (it was not a golden hash file: ${reason}`);
  expect(updated.err).toContain(`, at line ${line}, column ${column})`);
  const parsed = parseGolden(readFileSync(golden, "utf8"));
  expect(parsed.ok && Object.keys(parsed.golden.variants)).toEqual(["buggy", "fixed", "early-return"]);
  expect((await cli(["gate", file, "--jobs", "1"])).code).toBe(0);
}
