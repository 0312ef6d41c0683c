// Shows compare's Markdown summary named /dev/stdout written through the command's own stdout when that is a file, its table on stderr, as standard-streams.test.ts shows run's trace and HTML report in the default run.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

const dir = mkdtempSync(join(tmpdir(), "aftershock-std-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdout and stderr redirected to files, as a shell's `> out 2> err` does. */
function redirected(args: readonly string[]): { code: number | null; out: string; err: string } {
  const outFile = join(dir, "out.txt");
  const errFile = join(dir, "err.txt");
  const out = openSync(outFile, "w");
  const err = openSync(errFile, "w");
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      stdio: ["ignore", out, err],
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 120_000,
    });
    return { code: r.status, out: readFileSync(outFile, "utf8"), err: readFileSync(errFile, "utf8") };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

describe("an output on the command's own stdout or stderr", () => {
  it("compare --markdown /dev/stdout into a file holds the Markdown; the table goes to stderr", () => {
    const r = redirected(["compare", TINY, "--markdown", "/dev/stdout"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^<!-- aftershock report: tiny-may8 -->\n<!-- digest sha256:[0-9a-f]{64} .* -->\n## aftershock/,
    );
    expect(r.out).not.toContain("Reproduce: aftershock compare");
    expect(r.err).toContain("aftershock: wrote /dev/stdout (Markdown summary)");
    expect(r.err).toContain("Reproduce: aftershock compare");
  });
});
