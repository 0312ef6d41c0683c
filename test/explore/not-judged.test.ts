// Shows that explore judges no run a scenario limit stopped: such runs are neither passes nor failures, the report says so and the exit is 2, naming the limit to raise.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cli, tmp } from "./cli-helpers.js";

/** A scenario whose module polls every millisecond: it hits `limits.maxEvents` long before its horizon. */
function busyScenario(): string {
  const dir = tmp();
  const module = readFileSync("examples/reintroduced-bug1.mjs", "utf8").replace(
    "const TICK_MS = 1000;",
    "const TICK_MS = 1;",
  );
  writeFileSync(join(dir, "busy.mjs"), module);
  const file = join(dir, "busy.yaml");
  writeFileSync(
    file,
    [
      "name: busy",
      "description: a polling module that runs out of events",
      "seed: 5",
      "start: 2026-05-08T09:40:00Z",
      "duration: 15m",
      "fleet: { workers: 3, partitions: 3, startupTime: 10s }",
      "scheduler: { module: ./busy.mjs, fixes: [early-return] }",
      "workload:",
      "  accounts: 5",
      '  cron: [{ expr: "* * * * *", weight: 1 }]',
      "limits: { maxEvents: 20000 }",
      "",
    ].join("\n"),
  );
  return file;
}

describe("aftershock explore over runs stopped by limits.maxEvents", () => {
  it("judges none of them and exits 2 naming the limit to raise", async () => {
    const file = busyScenario();
    const r = await cli("explore", file, "--runs", "2", "--jobs", "1", "--out", tmp());
    expect(r.code, r.err).toBe(2);
    expect(r.out).not.toContain("No failure found.");
    expect(r.out).toContain("Nothing judged: every run stopped early.");
    expect(r.out).toContain(
      "2 of 2 runs stopped early and are not judged: run 0 (seed 5) hit the event limit",
    );
    expect(r.out).toMatch(/no-cascade\s+0 failed of 0 · never exercised/);
    expect(r.err).toContain(`Raise limits.maxEvents (20000, at ${file}:11:22) to let them finish`);
  });

  it("names each run it judges none of, the first few in run order, and how many more", async () => {
    const file = busyScenario();
    const stopped = (run: number) => String.raw`run ${run} \(seed \d+\) hit the event limit \(20000 events\)`;
    const line = new RegExp(
      `5 of 5 runs stopped early and are not judged: ${[0, 1, 2].map(stopped).join("; ")}; and 2 more\\b`,
    );
    const r = await cli("explore", file, "--runs", "5", "--jobs", "1", "--out", tmp());
    expect(r.code, r.err).toBe(2);
    expect(r.out).toMatch(line);
    expect(r.err).toMatch(line);
    // Merged shards name the earliest runs of them all, whichever shard ran them.
    const shards = await Promise.all(
      ["1/2", "2/2"].map(async (shard) => {
        const part = await cli(
          "explore",
          file,
          "--runs",
          "5",
          "--jobs",
          "1",
          "--shard",
          shard,
          "--out",
          tmp(),
          "--json",
        );
        const saved = join(tmp(), "shard.json");
        writeFileSync(saved, part.out);
        return saved;
      }),
    );
    const merged = await cli("merge", ...shards);
    expect(merged.code, merged.err).toBe(2);
    expect(merged.out).toMatch(line);
    // Exit 2 says why on stderr, as explore does: which runs, and the limit to raise.
    expect(merged.err).toMatch(line);
    expect(merged.err).toContain(`Raise limits.maxEvents (20000, at ${file}:11:22) to let them finish`);
    const json = JSON.parse((await cli("merge", ...shards, "--json")).out) as ExploreReport;
    expect(json.notJudged?.earliest?.map((s) => s.run)).toEqual([0, 1, 2]);
  });

  it("says so in the JSON report, and merge keeps it: exit 2, or 4 for generated worlds", async () => {
    const file = busyScenario();
    const r = await cli("explore", file, "--runs", "2", "--jobs", "1", "--out", tmp(), "--json");
    expect(r.code, r.err).toBe(2);
    const report = JSON.parse(r.out) as ExploreReport;
    const first = { run: 0, seed: 5, limit: "maxEvents", detail: expect.stringContaining("event limit") };
    expect(report.notJudged).toEqual({
      runs: 2,
      first,
      earliest: [first, { run: 1, seed: expect.any(Number), limit: "maxEvents", detail: first.detail }],
    });
    expect(report.failures).toEqual([]);
    expect(report.properties["no-cascade"].checked).toBe(0);
    const saved = join(tmp(), "r.json");
    writeFileSync(saved, r.out);
    const merged = await cli("merge", saved, "--json");
    expect(merged.code, merged.err).toBe(2);
    expect((JSON.parse(merged.out) as ExploreReport).notJudged?.runs).toBe(2);
    expect(merged.err).toContain(`Raise limits.maxEvents (20000, at ${file}:11:22) to let them finish`);
    // Merged where the scenario is not (a CI job given the reports only): the file is named still.
    const elsewhere = join(tmp(), "elsewhere.json");
    writeFileSync(
      elsewhere,
      JSON.stringify({ ...report, target: { ...report.target, source: "gone/busy.yaml" } }),
    );
    const far = await cli("merge", elsewhere, "--json");
    expect(far.code, far.err).toBe(2);
    expect(far.err).toContain(
      "2 of 2 runs stopped early and are not judged: run 0 (seed 5) hit the event limit (20000 events); run 1",
    );
    expect(far.err).toContain(
      "Raise limits.maxEvents in gone/busy.yaml to let them finish, or make the scenario smaller",
    );
    // Generated worlds' limits are the generator's, not the user's: a run they stop is an internal error.
    const generated = join(tmp(), "generated.json");
    writeFileSync(
      generated,
      JSON.stringify({ ...report, target: { ...report.target, mode: "generated", source: null } }),
    );
    const mergedGenerated = await cli("merge", generated, "--json");
    expect((JSON.parse(mergedGenerated.out) as ExploreReport).notJudged?.runs).toBe(2);
    expect(mergedGenerated.code, mergedGenerated.err).toBe(4);
    expect(mergedGenerated.err).toContain(
      "internal error (please report it): 2 of 2 runs stopped early and are not judged: run 0 (seed 5) hit the event limit",
    );
    // But with the user's module in v2's place (`--generated --scheduler`), the module did it: exit 2.
    const scheduler = { module: "mods/busy.mjs", name: "module:../mods/busy.mjs", fixes: [] };
    const own = join(tmp(), "own.json");
    writeFileSync(
      own,
      JSON.stringify({ ...report, target: { ...report.target, mode: "generated", source: null, scheduler } }),
    );
    const mergedOwn = await cli("merge", own, "--json");
    expect(mergedOwn.code, mergedOwn.err).toBe(2);
    expect(mergedOwn.err).not.toContain("internal error");
    expect(mergedOwn.err).toContain(
      "hit the event limit (20000 events): the scheduler module mods/busy.mjs took more than a generated world's limits allow. The bundled v2 runs these worlds well within them",
    );
    // A goroutine that never yields is told what to change, not to raise a limit.
    const stuck = {
      ...report.notJudged!.first,
      limit: "wallBudget",
      detail:
        "hit the wall-clock budget (600000 ms): goroutine scheduler on w3#2 ran 600.0 s without yielding",
    };
    const spin = join(tmp(), "spin.json");
    writeFileSync(
      spin,
      JSON.stringify({
        ...report,
        notJudged: { runs: 1, first: stuck, earliest: [stuck] },
        target: { ...report.target, mode: "generated", source: null, scheduler },
      }),
    );
    const mergedSpin = await cli("merge", spin, "--json");
    expect(mergedSpin.code, mergedSpin.err).toBe(2);
    expect(mergedSpin.err).toContain(
      "A bigger budget will not help: a scheduler goroutine loops without yielding",
    );
  });
});
