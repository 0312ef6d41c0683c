// Shows report reading saved output piped in for `-` into a file output, as standard-dash.test.ts shows it read into stdout (`report - -o -`) in the default run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKDOWN_SIGNATURE } from "../../src/report/markdown.js";
import { cli as inProcess } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(ROOT, "test", "report", "fixtures", "tiny.yaml");

let dir: string;
const at = (name: string) => join(dir, name);

/** The built CLI run in the temporary folder, with `input` on its stdin. */
function cli(args: string[], input = "") {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let saved: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-dash-"));
  // The saved output piped in: main's, in this process (its stdout is the same there).
  const r = await inProcess(["run", TINY, "--variant", "buggy", "--json"]);
  expect(r.code).toBe(0);
  saved = r.out;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("- as report's input", () => {
  it("reads saved output piped in", () => {
    expect(existsSync(at("-"))).toBe(false);
    const r = cli(["report", "-", "-o", "x.md"], saved);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain("(Markdown summary of the run report");
    expect(readFileSync(at("x.md"), "utf8")).toMatch(MARKDOWN_SIGNATURE);
  });
});
