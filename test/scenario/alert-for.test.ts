// Shows that an alert rule's `for` is read from a scenario and holds the alert back until the rule has held that long, in a real run: a killed worker counts in crashesLastMinute for 60 s, so a rule with `for: 30s` fires 30 s after one without, and one with `for: 2m` never does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { formatIssues, parseScenario } from "../../src/scenario/index.js";
import { captureContext } from "../train/helpers.js";

const TEXT = `name: alert-for
description: one worker killed; three crash rules that differ only in their for
start: 2026-05-08T09:30:00Z
duration: 5m
fleet: { workers: 2 }
workload: { accounts: 4 }
timeline:
  - { at: "+1m", action: kill-worker, worker: w1 }
alerts:
  - { name: at-once, metric: crashesLastMinute, op: ">=", threshold: 1 }
  - { name: held-30s, metric: crashesLastMinute, op: ">=", threshold: 1, for: 30s }
  - { name: held-2m, metric: crashesLastMinute, op: ">=", threshold: 1, for: 2m }
`;

describe("an alert rule's for", () => {
  it("is read in milliseconds, and absent is 0", () => {
    const parsed = parseScenario(TEXT, "alert-for.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(parsed.scenario.alerts.map((a) => [a.name, a.forMs])).toEqual([
      ["at-once", 0],
      ["held-30s", 30_000],
      ["held-2m", 120_000],
    ]);
  });

  it("is a duration with a unit", () => {
    const parsed = parseScenario(TEXT.replace("for: 30s", "for: 30"), "alert-for.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]).toMatchObject({ line: 11, path: ["alerts", 1, "for"], suggestion: "30s" });
  });

  it("holds the alert back in a run until the rule has held that long", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-alert-for-")), "alert-for.yaml");
    writeFileSync(file, TEXT);
    const ctx = captureContext();
    await main(["run", file, "--variant", "fixed", "--json"], ctx);
    const timeline = (JSON.parse(ctx.stdout()) as { timeline: { t: string; text: string }[] }).timeline;
    const fired = timeline.filter((e) => / fired: /.test(e.text));
    expect(fired.map((e) => e.text)).toEqual([
      "alert at-once fired: crashesLastMinute = 1 (threshold 1)",
      "alert held-30s fired: crashesLastMinute = 1 (threshold 1, held 30s)",
    ]);
    expect(Date.parse(fired[1].t) - Date.parse(fired[0].t)).toBe(30_000);
  });
});
