// Shows that validate warns of, and does not refuse, a quarantine or resume of a deleted account's schedule after its cleanup, and that the run shows it as not applied where the schedule is gone.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureContext } from "../train/helpers.js";

/** A quarantine of a deleted account's schedule after its cleanup (line 13). */
const TEXT = readFileSync("test/cli/fixtures/late-quarantine.yaml", "utf8");

describe("validate and run, for an action on a schedule that may be gone", () => {
  it("warns at its line and column, exits 0, and the fixed run lists it as not applied", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-warn-")), "late.yaml");
    writeFileSync(file, TEXT);
    const validate = captureContext();
    expect(await main(["validate", file], validate)).toBe(0);
    expect(validate.stdout()).toContain(`ok   ${file} (late-quarantine)`);
    expect(validate.stderr()).toContain(
      `${file}:13:62: warning: timeline[1].schedule: the schedule "s-gone"`,
    );
    expect(validate.stderr()).toContain("the run traces the action as not applied");

    const fixed = captureContext();
    await main(["run", file, "--variant", "fixed", "--json"], fixed);
    const timeline = JSON.parse(fixed.stdout()).timeline as { text: string }[];
    expect(timeline.map((e) => e.text)).toContain(
      "operator: quarantine-schedule s-gone — not applied: schedule s-gone not found (404): deleted, or cleaned up after its account was deleted",
    );
  });
});

describe("every command that runs a scenario", () => {
  const WARNING = 'late.yaml:13:62: warning: timeline[1].schedule: the schedule "s-gone"';

  it.each([
    ["run", ["--quiet"]],
    ["compare", []],
    ["why", ["w1"]],
    ["explore", ["--runs", "2", "--jobs", "1", "--out", "OUT"]],
    ["train", ["--script", "SCRIPT"]],
    ["gate", ["--json"]],
    ["gate", ["--explore", "2", "--json"]],
  ])("%s %s says the scenario's warnings on stderr, once, before it runs", async (command, args) => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-warn-"));
    const file = join(dir, "late.yaml");
    writeFileSync(file, `${TEXT}expect:\n  - { variant: fixed, property: no-cascade }\n`);
    writeFileSync(join(dir, "script.txt"), "quit\n");
    const argv = [command, file, ...args].map((a) =>
      a === "OUT" ? join(dir, "out") : a === "SCRIPT" ? join(dir, "script.txt") : a,
    );
    const ctx = captureContext();
    await main(argv, ctx);
    const lines = ctx.stderr().split("\n");
    expect(
      lines.filter((l) => l.includes(WARNING)),
      ctx.stderr(),
    ).toEqual([expect.stringMatching(/^aftershock: \/.*late\.yaml:13:62: warning: /)]);
    if (command === "gate") {
      const warnings = JSON.parse(ctx.stdout()).warnings as string[];
      expect(warnings.filter((w) => w.includes(WARNING))).toEqual([
        expect.stringMatching(/^\/.*late\.yaml:13:62: warning: .*traces the action as not applied/),
      ]);
    }
  });
});
