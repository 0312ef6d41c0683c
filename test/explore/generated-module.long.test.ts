// Shows, in the long tier, the repetitions of generated-module.test.ts's cases: a reproducer found not exact when the module keeps state between runs, on one thread and on two (cli.test.ts finds one not exact of a scenario's module), the reproducers of a module whose file name is no scenario name named as their files (a plain name there, and each stem in module-stem.test.ts), and a module's shards merged and refused beside the bundled variant's (merged there, refused in the target's own test).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { exampleModules, statefulModule } from "./example-modules.js";

const dir = tmp();
const { bug, good } = exampleModules(dir);
const oneJob = ["--jobs", "1"];

describe("aftershock explore --generated --scheduler MODULE", { timeout: 180_000 }, () => {
  it.each([1, 2])(
    "with --jobs %i, says a reproducer is not exact when the module's state left by earlier runs made the failure (exit 3)",
    async (jobs) => {
      // Unshrunk: the failing run's own world (run 9, the fifth or more of its thread) is replayed.
      const stateful = statefulModule(dir, `stateful-${jobs}.mjs`, bug);
      const out = join(dir, `repro-stateful-${jobs}`);
      const r = await cli(
        ...["explore", "--generated", "--scheduler", stateful, "--runs", "60", "--jobs", String(jobs)],
        ...["--shrink-runs", "0", "--out", out],
      );
      expect(r.code, r.err).toBe(3);
      expect(r.err).toMatch(/is not an exact reproducer: replayed, it (gives trace|does not fail)/);
      expect(r.err).toContain("keeps state between `create` calls");
    },
  );

  it("names each reproducer as its file even when the module's file name is no scenario name (capitals, spaces, _)", async () => {
    const odd = join(dir, "My Bug_v2.mjs");
    copyFileSync(bug, odd);
    const out = join(dir, "repro-odd");
    const r = await cli(
      // Thirteen runs find two failures (runs 9 and 12): each one's reproducer is written, and
      // replayed on a thread.
      ...["explore", "--generated", "--scheduler", odd, "--runs", "13", ...oneJob],
      ...["--keep-going", "--shrink-runs", "5", "--shrink-max", "1", "--out", out, "--json"],
    );
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as ExploreReport;
    expect(report.failures.length).toBeGreaterThan(1);
    for (const failure of report.failures) {
      const file = failure.reproducer!;
      expect(file).toMatch(/\/generated-module-my-bug-v2-fixed-[a-z-]+-seed1-run\d+\.yaml$/);
      const name = file.replace(/^.*\//, "").replace(/\.yaml$/, "");
      expect(readFileSync(file, "utf8")).toContain(`\nname: ${name}\n`);
    }
  });

  it("merges shards of one module's exploration, and refuses to merge them with the bundled variant's", async () => {
    const files: string[] = [];
    for (const shard of ["1/2", "2/2"]) {
      const args = ["--generated", "--runs", "4", ...oneJob, "--keep-going", "--shard", shard, "--json"];
      const r = await cli("explore", ...args, "--scheduler", good, "--out", join(dir, "repro-good"));
      expect(r.code, r.err).toBe(0);
      files.push(join(dir, `good-${shard.replace("/", "-")}.json`));
      writeFileSync(files.at(-1)!, r.out);
    }
    const merged = await cli("merge", ...files, "--json");
    expect(merged.code, merged.err).toBe(0);
    const report = JSON.parse(merged.out) as ExploreReport;
    expect(report.completed).toBe(4);
    expect(report.target.scheduler?.name).toBe("module:../good.mjs");
    const bundled = await cli(
      ...["explore", "--generated", "--runs", "4", ...oneJob, "--keep-going", "--shard", "2/2", "--json"],
    );
    const other = join(dir, "fixed-2-2.json");
    writeFileSync(other, bundled.out);
    const refused = await cli("merge", files[0], other);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("explores something else than");
  });
});
