// Shows compare's Markdown summary named /dev/stdout written through the command's own stdout when that is a file, its table on stderr, as standard-streams.test.ts shows run's trace and HTML report in the default run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { redirected } from "./redirected.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

const dir = mkdtempSync(join(tmpdir(), "aftershock-std-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an output on the command's own stdout or stderr", () => {
  it("compare --markdown /dev/stdout into a file holds the Markdown; the table goes to stderr", () => {
    const r = redirected(dir, ["compare", TINY, "--markdown", "/dev/stdout"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^<!-- aftershock report: tiny-may8 -->\n<!-- digest sha256:[0-9a-f]{64} .* -->\n## aftershock/,
    );
    expect(r.out).not.toContain("Reproduce: aftershock compare");
    expect(r.err).toContain("aftershock: wrote /dev/stdout (Markdown summary)");
    expect(r.err).toContain("Reproduce: aftershock compare");
  });
});
