// Shows that a scenario whose size estimate is past its own limits.maxEvents is warned of, not refused (validate says ok, and a run that needs fewer events than the limit runs and is judged), and that one past twice the limit is refused naming that bound.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureContext } from "../train/helpers.js";

/** Estimated at about 20,520 events; a run processes about 18,000, under the limit of 19,000 (line 6). */
const TEXT = [
  "name: near-limit",
  "description: a limit set between a run's real need and the estimate",
  "start: 2026-05-08T09:30:00Z",
  "duration: 30m",
  "workload: { accounts: 20 }",
  "limits: { maxEvents: 19000 }",
  "",
].join("\n");

function scenarioFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-limit-")), "near.yaml");
  writeFileSync(file, TEXT);
  return file;
}

describe("a size estimate past limits.maxEvents", () => {
  it("is a warning in validate, which says ok and exits 0", async () => {
    const file = scenarioFile();
    const ctx = captureContext();
    expect(await main(["validate", file], ctx), ctx.stderr()).toBe(0);
    expect(ctx.stdout()).toContain(`ok   ${file} (near-limit)`);
    expect(ctx.stderr()).toMatch(
      /: warning: a run would process about 20,520 events \(.*a rough estimate, meant to be on the high side\), more than limits\.maxEvents \(19,000\): a run that reaches the limit stops early and is not judged/,
    );
  });

  it("does not stop a run that fits under the limit: it is judged and exits 0, the warning said once", async () => {
    const file = scenarioFile();
    const ctx = captureContext();
    const code = await main(["run", file, "--variant", "fixed", "--json"], ctx);
    expect(code, ctx.stderr()).toBe(0);
    const report = JSON.parse(ctx.stdout()) as { run: { judged: boolean; kernelEvents: number } };
    expect(report.run.judged).toBe(true);
    expect(report.run.kernelEvents).toBeLessThan(19_000);
    expect(ctx.stderr().match(/warning: a run would process about/g)).toHaveLength(1);
  });
});

describe("a size estimate past twice limits.maxEvents", () => {
  it("is refused naming the bound it applies, twice the limit, not the limit", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-limit-")), "far.yaml");
    // Estimated at about 20,520 events: more than twice 9,000.
    writeFileSync(file, TEXT.replace("maxEvents: 19000", "maxEvents: 9000"));
    const ctx = captureContext();
    expect(await main(["validate", file], ctx)).toBe(2);
    expect(ctx.stderr()).toMatch(
      /more than 2 times limits\.maxEvents \(9,000\), so every run would stop at the limit: .* \(expected at most 18,000 events, found about 20,520\)/,
    );
  });

  it("keeps the limit itself as the bound of the warning below twice it", async () => {
    const ctx = captureContext();
    await main(["validate", scenarioFile()], ctx);
    expect(ctx.stderr()).toContain("(expected at most 19,000 events, found about 20,520)");
  });
});
