// Shows that an exploration says, by kind of fault, how many were planned, fired (faults, not acts), skipped and not fired, and in how many runs each acted: an injected panic that threw many times is one fault, and a hang that never struck is counted.
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { FaultKindTallies, faultKindText } from "../../src/explore/fault-tally.js";
import { cli } from "./cli-helpers.js";

describe("FaultKindTallies", () => {
  it("counts faults fired apart from their acts, and the planned ones that never fired", () => {
    const t = new FaultKindTallies();
    // Run 1: one panic armed that threw 3 times, one hang that never struck, a kill that found its worker down.
    t.add({
      faultsPlanned: { "inject-panic": 1, hang: 1, "kill-worker": 1 },
      faultsFired: { "inject-panic": 3 },
      faultsFiredFaults: { "inject-panic": 1 },
      faultsSkipped: { "kill-worker": 1 },
    });
    // Run 2: two panics, one of which threw twice; the hang struck.
    t.add({
      faultsPlanned: { "inject-panic": 2, hang: 1 },
      faultsFired: { "inject-panic": 2, hang: 1 },
      faultsFiredFaults: { "inject-panic": 1, hang: 1 },
      faultsSkipped: {},
    });
    const sorted = t.sorted();
    expect(Object.keys(sorted)).toEqual(["hang", "inject-panic", "kill-worker"]);
    expect(sorted["inject-panic"]).toEqual({
      planned: 3,
      fired: 2,
      acts: 5,
      skipped: 0,
      notFired: 1,
      runs: 2,
    });
    expect(sorted.hang).toEqual({ planned: 2, fired: 1, acts: 1, skipped: 0, notFired: 1, runs: 1 });
    expect(sorted["kill-worker"]).toEqual({
      planned: 1,
      fired: 0,
      acts: 0,
      skipped: 1,
      notFired: 0,
      runs: 0,
    });
    expect(faultKindText(sorted["inject-panic"])).toBe(
      "planned 3 · fired 2 (5 acts) · not fired 1 · acted in 2 runs",
    );
    expect(faultKindText(sorted["kill-worker"])).toBe("planned 1 · fired 0 · skipped 1 · acted in 0 runs");
  });
});

describe("explore's faults by kind", () => {
  it("tallies each run's faults that fired, not its acts, in the JSON and the summary", async () => {
    const args = "explore --generated --runs 24 --seed 2 --jobs 1 --keep-going --shrink-runs 0".split(" ");
    const r = await cli(...args, "--json");
    const report = JSON.parse(r.out) as ExploreReport;
    const byKind = report.faultsByKind!;
    expect(Object.keys(byKind).length).toBeGreaterThan(3);
    for (const [kind, t] of Object.entries(byKind)) {
      // `faultsFired` keeps its meaning: the acts.
      expect(t.acts, kind).toBe(report.faultsFired[kind] ?? 0);
      expect(t.planned, kind).toBe(report.faultsPlanned?.[kind] ?? 0);
      expect(t.fired + t.skipped + t.notFired, kind).toBe(t.planned);
      expect(t.fired, kind).toBeLessThanOrEqual(t.acts);
      expect(t.runs, kind).toBeLessThanOrEqual(Math.min(t.fired, report.completed));
    }
    // An armed panic throws at every fault point it is reached at: more acts than faults.
    expect(byKind["inject-panic"].acts).toBeGreaterThan(byKind["inject-panic"].fired);
    const text = (await cli(...args)).out;
    expect(text).toContain(`\n  inject-panic   ${faultKindText(byKind["inject-panic"])}\n`);
  });
});
