// Shows that merge joins shards of one scenario by its content, not its path: a file checked out at two paths is one exploration; a file, or a file its scheduler module imports, edited between shards is refused (the module itself edited: merge.long.test.ts); a module the runs do not load is not compared.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/cli/load.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { type Captured, cli, tmp } from "./cli-helpers.js";
import { smallDocument } from "./helpers.js";
import { expectContentDiffers, shard, writeScenario } from "./merge-shards.js";

describe("merge compares the scenario's content", () => {
  const dir = tmp();
  const doc = smallDocument();
  const a = writeScenario(join(dir, "runner-a"), doc);
  const b = writeScenario(join(dir, "runner-b"), doc);
  const moduleDoc = {
    ...doc,
    scheduler: { module: "./bug1.mjs", fixes: ["early-return", "panic-recovery"] },
  } as unknown as ScenarioDocument;

  it("joins shards of identical files at two paths, and records the digest in the report", async () => {
    const one = await shard(a, "1/2", join(dir, "a1.json"));
    const two = await shard(b, "2/2", join(dir, "b2.json"));
    const merged = await cli("merge", one, two, "--json");
    expect(merged.code, merged.err).toBe(0);
    const report = JSON.parse(merged.out) as ExploreReport;
    expect(report.target.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.completed).toBe(2);
  });

  it("refuses a shard of the same path whose file was edited in between, naming the digest", async () => {
    const file = writeScenario(join(dir, "edited"), doc);
    const one = await shard(file, "1/2", join(dir, "e1.json"));
    writeScenario(join(dir, "edited"), { ...doc, duration: "15m" });
    const two = await shard(file, "2/2", join(dir, "e2.json"));
    const merged = await cli("merge", one, two);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain("digest");
  });

  it("keeps the digest of a scenario without scheduler modules: the compiled scenario's", async () => {
    const report = JSON.parse(
      readFileSync(await shard(a, "1/2", join(dir, "d1.json")), "utf8"),
    ) as ExploreReport;
    const compiled = JSON.stringify(loadScenario(a).compiled);
    expect(report.target.digest).toBe(`sha256:${createHash("sha256").update(compiled).digest("hex")}`);
  });

  describe("covers what the runs load, and no more", () => {
    const original = readFileSync("examples/reintroduced-bug1.mjs", "utf8");
    // The module takes its tick from a helper two imports away; a built-in is no local file.
    const importing = original.replace(
      "const TICK_MS = 1000;",
      'import { TICK_MS } from "./lib/tick.mjs";\nimport { sep as _sep } from "node:path";',
    );
    const place = (folder: string, tick: number, code = importing): string => {
      const file = writeScenario(join(dir, folder), moduleDoc);
      mkdirSync(join(dir, folder, "lib"), { recursive: true });
      writeFileSync(join(dir, folder, "bug1.mjs"), code);
      writeFileSync(join(dir, folder, "lib", "tick.mjs"), 'export { TICK_MS } from "./ms.mjs";\n');
      writeFileSync(join(dir, folder, "lib", "ms.mjs"), `export const TICK_MS = ${tick};\n`);
      return file;
    };
    const explored = (file: string, which: string, report: string, ...extra: string[]) =>
      shard(file, which, report, [0, 1], extra);
    const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as ExploreReport;

    it("refuses shards run with a file the module imports edited in between, and lists the files covered", async () => {
      const file = place("imports", 1000);
      const one = await explored(file, "1/2", join(dir, "imp1.json"));
      expect(read(one).target.digestFiles).toEqual(["./bug1.mjs", "./lib/ms.mjs", "./lib/tick.mjs"]);
      const same = await explored(place("imports-elsewhere", 1000), "2/2", join(dir, "imp2.json"));
      expect((await cli("merge", one, same)).code).toBe(0);
      place("imports", 2000);
      const two = await explored(file, "2/2", join(dir, "imp2-edited.json"));
      await expectContentDiffers(one, two);
    });

    it("with --variant, leaves out the scenario's own module, which the runs do not load", async () => {
      const file = place("variant", 1000);
      const one = await explored(file, "1/2", join(dir, "var1.json"), "--variant", "fixed");
      expect(read(one).target.digestFiles).toEqual([]);
      place("variant", 2000, `${importing}\n// edited between the shards\n`);
      const two = await explored(file, "2/2", join(dir, "var2.json"), "--variant", "fixed");
      const merged = await cli("merge", one, two, "--json");
      expect(merged.code, merged.err).toBe(0);
      expect(JSON.parse(merged.out).completed).toBe(2);
    });

    it("merges a shard of an earlier version when the digest covers the same files, and says a differing one is older", async () => {
      // Earlier versions: the compiled scenario, then each module the scenario names; no imports.
      const earlier = (file: string, to: string, module: string) => {
        const report = read(file);
        const { digestFiles: _files, ...target } = report.target;
        const compiled = JSON.stringify(loadScenario(join(dirname(file), "s.yaml")).compiled);
        const digest = createHash("sha256").update(compiled).update("\0module\0").update(module);
        const old = { ...target, digest: `sha256:${digest.digest("hex")}` };
        writeFileSync(to, JSON.stringify({ ...report, target: old }));
        return to;
      };
      const plain = place("earlier-plain", 1000, original);
      const old = earlier(
        await explored(plain, "1/2", join(dir, "earlier-plain", "p1.json")),
        join(dir, "earlier-plain", "old1.json"),
        original,
      );
      const joined = await cli("merge", old, await explored(plain, "2/2", join(dir, "p2.json")));
      expect(joined.code, joined.err).toBe(0);
      const file = place("earlier", 1000);
      const older = earlier(
        await explored(file, "1/2", join(dir, "earlier", "i1.json")),
        join(dir, "earlier", "old1.json"),
        importing,
      );
      const two = await explored(file, "2/2", join(dir, "i2.json"));
      const refused = await cli("merge", two, older);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain(`${older} was written by an older aftershock`);
      expect(refused.err).toContain(`cannot be compared with ${two}'s: explore that shard again`);
      expect(refused.err).not.toContain("explores something else");
    });
  });

  it("compares reports without a digest (earlier versions) by path, as before", async () => {
    const strip = (file: string, to: string) => {
      const report = JSON.parse(readFileSync(file, "utf8")) as ExploreReport;
      const { digest: _digest, ...target } = report.target;
      writeFileSync(to, JSON.stringify({ ...report, target }));
      return to;
    };
    const one = strip(await shard(a, "1/2", join(dir, "o1.json")), join(dir, "old-a1.json"));
    const two = strip(await shard(b, "2/2", join(dir, "o2.json")), join(dir, "old-b2.json"));
    expect((await cli("merge", one, two)).code).toBe(2);
    const same = strip(await shard(a, "2/2", join(dir, "o3.json")), join(dir, "old-a2.json"));
    expect((await cli("merge", one, same)).code).toBe(0);
  });
});

/** The report's property tallies as if it had stopped after `completed` runs: none checked more often. */
function cut(report: ExploreReport, completed: number): ExploreReport["properties"] {
  return Object.fromEntries(
    Object.entries(report.properties).map(([p, t]) => {
      const checked = Math.min(t.checked, completed);
      return [p, { checked, failed: Math.min(t.failed, checked), exercised: Math.min(t.exercised, checked) }];
    }),
  );
}

describe("merge says what is wrong or missing", () => {
  const dir = tmp();
  const explored = async (name: string, ...extra: string[]) => {
    const argv = ["explore", "--generated", "--runs", "6", "--jobs", "1", "--out", dir, "--json", ...extra];
    const r = await cli(...argv);
    expect(r.code, r.err).toBe(0);
    const file = join(dir, name);
    writeFileSync(file, r.out);
    return file;
  };

  it("names the field two explorations differ in", async () => {
    const one = await explored("p1.json", "--shard", "1/2");
    const two = await explored("p2.json", "--shard", "2/2", "--properties", "no-cascade");
    const r = await cli("merge", one, two);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${two} explores something else than ${one}: properties no-cascade vs no-cascade,no-panic-death`,
    );
  });

  it("names the files of reports that split the runs differently, or hold one shard twice", async () => {
    const one = await explored("n1.json", "--shard", "1/2");
    const other = await explored("n3.json", "--shard", "1/3");
    const split = await cli("merge", one, other, "--allow-missing");
    expect(split.code).toBe(2);
    expect(split.err).toContain(
      `${other} splits the runs into 3 shards, ${one} splits the runs into 2 shards`,
    );
    // A whole exploration beside shards: one "shard" is said as none.
    const whole = await explored("n0.json");
    const mixed = await cli("merge", one, whole, "--allow-missing");
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain(
      `${whole} explores every run (no --shard), ${one} splits the runs into 2 shards`,
    );
    const copy = join(dir, "n1-copy.json");
    writeFileSync(copy, readFileSync(one));
    const twice = await cli("merge", one, copy);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain(`shard 1/2 appears twice: in ${one} and in ${copy}`);
  });

  it("says the line and column where a report is not JSON", async () => {
    const one = await explored("j1.json", "--shard", "1/2");
    const broken = join(dir, "j2.json");
    writeFileSync(broken, '{\n  "kind": "aftershock.explore",\n  "version": 1,,\n}\n');
    const r = await cli("merge", one, broken);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${broken}:3:16: not JSON`);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a report whose fields have the wrong type, naming the file, line, column and field", async () => {
    const one = await explored("t1.json", "--shard", "1/2");
    const two = await explored("t2.json", "--shard", "2/2");
    const report = JSON.parse(readFileSync(one, "utf8")) as ExploreReport;
    const property = Object.keys(report.properties)[0];
    const broken: [string, unknown, string][] = [
      [
        "faults",
        { ...report, faultsFired: { "clock-skew": "many" } },
        "faultsFired.clock-skew: expected a safe integer",
      ],
      [
        "tally",
        {
          ...report,
          properties: { ...report.properties, [property]: { checked: null, failed: 0, exercised: 0 } },
        },
        `properties.${property}.checked: expected a safe integer`,
      ],
      ["failure", { ...report, failures: [{ run: "x" }] }, "failures[0].run: expected a safe integer"],
      [
        "stop",
        { ...report, shardStops: [{ ...report.shardStops![0], stoppedBy: "bored" }] },
        "shardStops[0].stoppedBy",
      ],
    ];
    for (const [name, value, field] of broken) {
      const file = join(dir, `t1-${name}.json`);
      writeFileSync(file, JSON.stringify(value, null, 2));
      const r = await cli("merge", file, two);
      expect(r.code, name).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(new RegExp(`${file}:\\d+:\\d+: malformed explore report: `));
      expect(r.err).toContain(field);
      expect(r.err).not.toContain("    at ");
    }
  });

  it("refuses a report whose counts its other fields rule out, naming the file, line, column and field", async () => {
    const one = await explored("c1.json", "--shard", "1/2");
    const two = await explored("c2.json", "--shard", "2/2");
    const report = JSON.parse(readFileSync(two, "utf8")) as ExploreReport;
    const property = Object.keys(report.properties)[0];
    const tally = report.properties[property];
    const failure = {
      run: 0,
      kind: "no-cascade",
      failed: ["no-cascade"],
      seed: 1,
      generationSeed: 1,
      detail: "",
      traceHash: "0",
      reproducerSeed: null,
      reproducerTraceHash: null,
      shrink: null,
      reproducer: null,
      replay: null,
    };
    const contradicted: [string, unknown, string][] = [
      [
        "completed",
        { ...report, completed: 99 },
        "completed: expected at most 3, the runs of shard 2/2 of 6 runs, found 99",
      ],
      // Run 0 is shard 1/2's, and run 6 is past the exploration's 6 runs.
      [
        "other-shard",
        { ...report, failures: [failure] },
        "failures[0].run: expected a run of shard 2/2 of 6 runs, found 0",
      ],
      [
        "past-runs",
        { ...report, failures: [{ ...failure, run: 7 }] },
        "failures[0].run: expected a run of shard 2/2 of 6 runs, found 7",
      ],
      [
        "failed",
        {
          ...report,
          properties: { ...report.properties, [property]: { ...tally, failed: tally.checked + 1 } },
        },
        `properties.${property}.failed: expected at most ${tally.checked}, its runs checked, found ${tally.checked + 1}`,
      ],
      [
        "checked",
        { ...report, properties: { ...report.properties, [property]: { ...tally, checked: 4 } } },
        `properties.${property}.checked: expected at most 3, the runs completed, found 4`,
      ],
      [
        "stop",
        { ...report, shardStops: [{ ...report.shardStops![0], completed: 5 }] },
        "shardStops[0].completed: expected at most 3, the runs it planned, found 5",
      ],
    ];
    for (const [name, value, field] of contradicted) {
      const file = join(dir, `c2-${name}.json`);
      writeFileSync(file, JSON.stringify(value, null, 2));
      const r = await cli("merge", one, file);
      expect(r.code, name).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(new RegExp(`${file}:\\d+:\\d+: malformed explore report: `));
      expect(r.err).toContain(field);
      expect(r.err).not.toContain("    at ");
    }
    // The reports as explore wrote them merge.
    expect((await cli("merge", one, two)).code).toBe(0);
  });

  it("refuses shards another version of aftershock wrote, or one that did not say which", async () => {
    const one = await explored("v1.json", "--shard", "1/2");
    const two = await explored("v2.json", "--shard", "2/2");
    const report = JSON.parse(readFileSync(two, "utf8")) as ExploreReport;
    const version = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")).version;
    expect(report.target.aftershock).toBe(version);
    const later = join(dir, "v2-later.json");
    writeFileSync(later, JSON.stringify({ ...report, target: { ...report.target, aftershock: "99.0.0" } }));
    const r = await cli("merge", one, later);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(
      `${later} was written by aftershock 99.0.0 and ${one} was written by aftershock ${version}: other code ran their runs, so they are not shards of one exploration`,
    );
    const { aftershock: _version, ...target } = report.target;
    const earlier = join(dir, "v2-earlier.json");
    writeFileSync(earlier, JSON.stringify({ ...report, target }));
    const old = await cli("merge", one, earlier);
    expect(old.code).toBe(2);
    expect(old.err).toContain(
      `${earlier} does not say which aftershock wrote it (a report of a version from before reports said so, or one made through the API without target.aftershock)`,
    );
  });

  it("refuses a report claiming a shard that does not exist", async () => {
    const one = await explored("s1.json", "--shard", "1/3");
    const report = JSON.parse(readFileSync(one, "utf8")) as ExploreReport;
    const bogus = join(dir, "s5.json");
    writeFileSync(bogus, JSON.stringify({ ...report, shards: { ...report.shards, present: [5] } }));
    const r = await cli("merge", one, bogus, "--allow-missing");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bogus} claims shard 5 of 3, which does not exist`);
  });

  it("with --allow-missing, says which shards and how many runs are missing; threads in the plural", async () => {
    const one = await explored("m1.json", "--shard", "1/3");
    const three = await explored("m3.json", "--shard", "3/3");
    const human = await cli("merge", one, three, "--allow-missing");
    expect(human.out).toContain("shard 2/3 missing: 2 of 6 runs not explored");
    expect(human.out).toContain("2 threads");
    expect(human.out).toContain("4 of 6 runs in");
    const json = await cli("merge", one, three, "--allow-missing", "--json");
    expect(json.err).toContain("shard 2/3 missing: 2 of 6 runs not explored");
    const report = JSON.parse(json.out) as ExploreReport;
    expect([report.planned, report.completed]).toEqual([6, 4]);
    expect(report.shards).toEqual({ count: 3, present: [1, 3], missing: [2] });
  });

  it("counts no thread for a shard that had no run to make (more shards than runs)", async () => {
    const shards = [];
    for (let i = 1; i <= 4; i++)
      shards.push(await explored(`z${i}.json`, "--runs", "3", "--shard", `${i}/4`));
    const idle = JSON.parse(readFileSync(shards[3], "utf8")) as ExploreReport;
    expect([idle.planned, idle.completed]).toEqual([0, 0]);
    const human = await cli("merge", ...shards);
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain("3 of 3 runs in");
    expect(human.out).toContain(" · 3 threads");
    const json = await cli("merge", ...shards, "--json");
    expect((JSON.parse(json.out) as ExploreReport).pool.threads).toBe(3);
  });

  it("has a shard with no run to make say so itself: no thread, not one", async () => {
    const argv = ["explore", "--generated", "--runs", "3", "--jobs", "4", "--shard", "4/4", "--out", dir];
    const json = await cli(...argv, "--json");
    expect(json.code, json.err).toBe(0);
    expect((JSON.parse(json.out) as ExploreReport).pool.threads).toBe(0);
    expect(json.err).toContain("shard 4/4, no run in this shard (3 runs over 4 shards)");
    const human = await cli(...argv);
    // The time is the machine's: a loaded one may take a tenth of a second or more.
    expect(human.out).toMatch(/0 of 0 runs in \d+\.\d s · 0 threads/);
  });

  it("rates the merged runs by the longest shard's search, as shards run side by side, and says the sum", async () => {
    // Two shards of one exploration, one three times as slow as the other: their runs took as
    // long as the slower one, on the threads of both.
    const one = JSON.parse(
      readFileSync(await explored("r1.json", "--shard", "1/2"), "utf8"),
    ) as ExploreReport;
    const two = JSON.parse(
      readFileSync(await explored("r2.json", "--shard", "2/2"), "utf8"),
    ) as ExploreReport;
    const fast = join(dir, "fast.json");
    const slow = join(dir, "slow.json");
    writeFileSync(fast, JSON.stringify({ ...one, searchMs: 1000, searchMsMax: 1000 }));
    // One written before `searchMsMax` existed: its own search is its `searchMs`.
    writeFileSync(slow, JSON.stringify({ ...two, searchMs: 3000, searchMsMax: undefined }));
    const human = await cli("merge", fast, slow);
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain(
      "6 of 6 runs in 3.0 s (the longest of 2 shards; 4.0 s summed) · 2.0 runs/s · 2 threads",
    );
    const json = JSON.parse((await cli("merge", fast, slow, "--json")).out) as ExploreReport;
    expect([json.searchMs, json.searchMsMax]).toEqual([4000, 3000]);
    // A merged report merged again keeps the longest shard's search.
    const merged = join(dir, "merged.json");
    writeFileSync(merged, JSON.stringify(json));
    const again = await cli("merge", merged);
    expect(again.out).toContain("6 of 6 runs in 3.0 s (the longest of 2 shards; 4.0 s summed) · 2.0 runs/s");
  });

  it("times the merged shrinking by the longest shard's too, and says the sum", async () => {
    // Two shards that each found a failure and shrank it, one shrinking four times as long.
    const tiny = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");
    const failing = async (name: string, which: string, timing: Partial<ExploreReport>) => {
      const argv = ["explore", tiny, "--variant", "buggy", "--runs", "2", "--jobs", "1", "--shard", which];
      const r = await cli(...argv, "--shrink-runs", "2", "--out", dir, "--json");
      expect(r.code, r.err).toBe(1);
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify({ ...(JSON.parse(r.out) as ExploreReport), ...timing }));
      return file;
    };
    const one = await failing("t1.json", "1/2", {
      ...{ poolStartMs: 40, poolStartMsMax: 40, searchMs: 1000, searchMsMax: 1000 },
      ...{ shrinkMs: 2000, shrinkMsMax: 2000 },
    });
    // One written before the longest shard's times existed: its own are its sums.
    const two = await failing("t2.json", "2/2", {
      ...{ poolStartMs: 60, poolStartMsMax: undefined, searchMs: 3000, searchMsMax: 3000 },
      ...{ shrinkMs: 500, shrinkMsMax: undefined },
    });
    // The sums keep their meaning; the longest shard's of each is beside it.
    const { poolStartMs, poolStartMsMax, shrinkMs, shrinkMsMax } = JSON.parse(
      (await cli("merge", one, two, "--json")).out,
    ) as ExploreReport;
    expect({ poolStartMs, poolStartMsMax, shrinkMs, shrinkMsMax }).toEqual({
      ...{ poolStartMs: 100, poolStartMsMax: 60, shrinkMs: 2500, shrinkMsMax: 2000 },
    });
    const { code, out } = await cli("merge", one, two);
    expect([code, out]).toEqual([
      1,
      expect.stringContaining(
        "2 of 2 runs in 3.0 s (the longest of 2 shards; 4.0 s summed) · 0.7 runs/s (+ 2.0 s shrinking and replaying the failures, the longest of 2 shards; 2.5 s summed)",
      ),
    ]);
  });

  it("takes an empty report file for a shard that wrote nothing: refused as missing, or left out with --allow-missing", async () => {
    // `explore --json > explore-2.json` in a job killed before it printed: the file is there, empty.
    const one = await explored("e1.json", "--shard", "1/3");
    const three = await explored("e3.json", "--shard", "3/3");
    const empty = join(dir, "e2.json");
    writeFileSync(empty, "");
    const refused = await cli("merge", one, empty, three);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe("");
    expect(refused.err).toBe(
      `aftershock: ${empty}: empty, so its shard wrote no report (stopped before it could?); shard 2/3 is missing (pass --allow-missing to merge what there is)\n`,
    );
    const json = await cli("merge", one, empty, three, "--allow-missing", "--json");
    expect(json.code).toBe(0);
    expect(json.err).toContain(
      `aftershock: ${empty}: empty, so its shard wrote no report (stopped before it could?): left out\n`,
    );
    expect(json.err).toContain("shard 2/3 missing: 2 of 6 runs not explored");
    expect((JSON.parse(json.out) as ExploreReport).shards).toEqual({
      count: 3,
      present: [1, 3],
      missing: [2],
    });
    const absent = join(dir, "never-uploaded.json");
    const gone = await cli("merge", one, absent, three, "--allow-missing");
    expect(gone.code).toBe(0);
    expect(gone.err).toContain(
      `aftershock: ${absent}: no such file, so its shard wrote no report (stopped before it could?): left out\n`,
    );
    expect((await cli("merge", one, absent, three)).err).toContain(`${absent}: no such file, so its shard`);
    // Every shard there, and one name more that is not: refused unless --allow-missing, not left out.
    const two = await explored("e2-done.json", "--shard", "2/3");
    const typo = await cli("merge", one, two, three, absent);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      `aftershock: ${absent}: no such file, so its shard wrote no report (stopped before it could?) (pass --allow-missing to merge what there is)\n`,
    );
    const only = await cli("merge", empty, "--allow-missing");
    expect(only.code).toBe(2);
    expect(only.err).toContain(`${empty}: empty, so its shard wrote no report`);
  });

  it("never takes a report given on the command line for the one a missing name was meant to be", async () => {
    // With ten shards or more, `s-11.json` not uploaded sits beside `s-1.json`, one key apart:
    // shard 1 is merged already, so the missing name is shard 11's, left out with --allow-missing.
    const one = await explored("s-1.json", "--shard", "1/2");
    const eleven = join(dir, "s-11.json");
    const merged = await cli("merge", one, eleven, "--allow-missing");
    expect(merged.code, merged.err).toBe(0);
    expect(merged.err).toContain(
      `${eleven}: no such file, so its shard wrote no report (stopped before it could?): left out`,
    );
    expect(merged.err).not.toContain("did you mean");
  });

  it("says per report file why a shard stopped early, and refuses an interrupted one unless --allow-missing", async () => {
    const stopped = (file: string, to: string, stoppedBy: string, completed: number) => {
      const report = JSON.parse(readFileSync(file, "utf8")) as ExploreReport;
      const { shardStops: _stops, ...rest } = report;
      writeFileSync(
        to,
        JSON.stringify({ ...rest, stoppedBy, completed, properties: cut(report, completed) }),
      );
      return to;
    };
    const one = stopped(
      await explored("i1.json", "--shard", "1/2"),
      join(dir, "si-1.json"),
      "interrupted",
      1,
    );
    const two = stopped(
      await explored("i2.json", "--shard", "2/2"),
      join(dir, "si-2.json"),
      "time-budget",
      2,
    );
    const refused = await cli("merge", one, two);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe("");
    expect(refused.err).toContain(`${one}: shard 1/2 interrupted after 1 of 3 runs`);
    expect(refused.err).toContain("--allow-missing");
    const human = await cli("merge", one, two, "--allow-missing");
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain("3 of 6 runs in");
    expect(human.out).toContain("shard 1/2 interrupted: 2 of 6 runs not explored");
    expect(human.out).toContain(`${one}: shard 1/2 interrupted after 1 of 3 runs`);
    expect(human.out).toContain(`${two}: shard 2/2 stopped by its time budget after 2 of 3 runs`);
    const json = await cli("merge", one, two, "--allow-missing", "--json");
    expect(json.err).toContain(`${two}: shard 2/2 stopped by its time budget after 2 of 3 runs`);
    const report = JSON.parse(json.out) as ExploreReport;
    expect(report.stoppedBy).toBe("mixed");
    // Treated as a missing shard, the interrupted one is listed as such; the runs it did count.
    expect(report.shards).toEqual({ count: 2, present: [1, 2], missing: [1] });
    expect([report.planned, report.completed]).toEqual([6, 3]);
    expect(report.shardStops).toEqual([
      { shard: 1, report: one, stoppedBy: "interrupted", planned: 3, completed: 1 },
      { shard: 2, report: two, stoppedBy: "time-budget", planned: 3, completed: 2 },
    ]);
    // One report merged alone (the other shard missing) is still a merged report: it names its file.
    const alone = await cli("merge", two, "--allow-missing");
    expect(alone.code, alone.err).toBe(0);
    expect(alone.out).toContain(`${two}: shard 2/2 stopped by its time budget after 2 of 3 runs`);
    expect(alone.out).toContain("shard 1/2 missing");
  });

  it("says that shards stopped at their first failure, so the totals cover fewer runs", async () => {
    const stopAtFailure = (file: string) => {
      const report = JSON.parse(readFileSync(file, "utf8")) as ExploreReport;
      const stops = report.shardStops!.map((s) => ({ ...s, stoppedBy: "failure", completed: 1 }));
      writeFileSync(
        file,
        JSON.stringify({
          ...report,
          stoppedBy: "failure",
          completed: 1,
          shardStops: stops,
          properties: cut(report, 1),
        }),
      );
      return file;
    };
    const one = stopAtFailure(await explored("f1.json", "--shard", "1/2"));
    const two = await explored("f2.json", "--shard", "2/2");
    const human = await cli("merge", one, two);
    expect(human.out).toContain(`${one}: shard 1/2 stopped at its first failure after 1 of 3 runs`);
    expect(human.out).toContain("a shard stopped at its first failure, so these totals cover 4 of 6 runs");
    expect(human.out).toContain("--keep-going");
    expect(human.out).not.toContain(`${two}: shard`);
    const json = await cli("merge", one, two, "--json");
    expect(json.err).toContain("these totals cover 4 of 6 runs");
  });

  it("records each shard's stop in its own report, and a merged one keeps the file names through a second merge", async () => {
    const one = await explored("k1.json", "--shard", "1/3");
    const own = JSON.parse(readFileSync(one, "utf8")) as ExploreReport;
    expect(own.shardStops).toEqual([{ shard: 1, report: null, stoppedBy: "done", planned: 2, completed: 2 }]);
    const two = await explored("k2.json", "--shard", "2/3");
    const three = await explored("k3.json", "--shard", "3/3");
    const partial = join(dir, "k12.json");
    writeFileSync(partial, (await cli("merge", one, two, "--allow-missing", "--json")).out);
    const all = JSON.parse((await cli("merge", partial, three, "--json")).out) as ExploreReport;
    expect(all.shardStops?.map((s) => s.report)).toEqual([one, two, three]);
    expect([all.planned, all.completed, all.shards.missing]).toEqual([6, 6, []]);
  });
});

/** `aftershock <argv>` in this process, run from the folder `cwd`, as a CI job's step runs it. */
async function cliIn(cwd: string, argv: readonly string[]): Promise<Captured> {
  const home = process.cwd();
  process.chdir(cwd);
  try {
    return await cli(...argv);
  } finally {
    process.chdir(home);
  }
}

describe("merge run from another folder than the shards'", () => {
  it("names the reproducers from where it runs, when they lie beside the reports", async () => {
    const dir = tmp();
    const job = join(dir, "job");
    mkdirSync(job);
    // Two shards run in `job/`, writing `repro/…` and their reports there, as a CI job does: of
    // 8 runs, shard 2/2's run 3 fails (unshrunk: where its file goes is the point, not its size).
    for (const shard of ["1/2", "2/2"]) {
      const argv = ["explore", "--generated", "--variant", "early-return", "--runs", "8", "--shard", shard];
      const r = await cliIn(job, [...argv, "--jobs", "1", "--shrink-runs", "0", "--out", "repro", "--json"]);
      expect([0, 1], r.err).toContain(r.code);
      writeFileSync(join(job, `explore-${shard[0]}.json`), r.out);
    }
    const here = await cliIn(dir, ["merge", "job/explore-1.json", "job/explore-2.json", "--json"]);
    const merged = JSON.parse(here.out) as ExploreReport;
    expect(merged.failures.length).toBeGreaterThan(0);
    for (const f of merged.failures) {
      expect(f.reproducer).toMatch(/^job\/repro\/.+\.yaml$/);
      expect(existsSync(join(dir, f.reproducer!))).toBe(true);
      expect(f.replay).toBe(`aftershock run ${f.reproducer}`);
    }
    // From the shards' own folder, the paths are as they wrote them.
    const there = JSON.parse(
      (await cliIn(job, ["merge", "explore-1.json", "explore-2.json", "--json"])).out,
    ) as ExploreReport;
    for (const f of there.failures) expect(f.reproducer).toMatch(/^repro\/.+\.yaml$/);
    // Files of the same names where merge runs, of another exploration (another trace hash),
    // are not taken for the shards' own: the file beside the report records the report's hash.
    mkdirSync(join(dir, "repro"));
    for (const f of there.failures) {
      const text = readFileSync(join(job, f.reproducer!), "utf8");
      writeFileSync(
        join(dir, f.reproducer!),
        text.replace(/^# trace hash \S+$/m, "# trace hash 0123456789abcdef"),
      );
    }
    const beside = await cliIn(dir, ["merge", "job/explore-1.json", "job/explore-2.json", "--json"]);
    expect(beside.err).not.toContain("records trace hash");
    for (const f of (JSON.parse(beside.out) as ExploreReport).failures)
      expect(f.reproducer).toMatch(/^job\/repro\/.+\.yaml$/);
    // From the shards' own folder the file is the shards', written over since: said, as it may
    // not replay the failure; the merge's outcome is as before.
    const first = there.failures[0];
    const own = join(job, first.reproducer!);
    writeFileSync(own, readFileSync(join(dir, first.reproducer!)));
    const stale = await cliIn(job, ["merge", "explore-1.json", "explore-2.json", "--json"]);
    expect(stale.code).toBe(here.code);
    expect(stale.err).toContain(
      `aftershock: run ${first.run}: ${first.reproducer} records trace hash 0123456789abcdef, not the report's ${first.reproducerTraceHash}: written over or edited since its shard wrote it, it may not replay this failure`,
    );
  });

  it("finds reproducers a shard wrote outside its folder by their trailing parts, and says which it cannot find", async () => {
    // A CI job with `working-directory: sub` and `--out ../repro`: its report gives `../repro/…`
    // and a replay by the runner's absolute path; the reports and `repro/` are downloaded into
    // another folder and merged there.
    const runner = tmp();
    const sub = join(runner, "sub");
    mkdirSync(sub);
    for (const shard of ["1/2", "2/2"]) {
      // Seed 2: runs 2 and 3 fail, one in each shard.
      const argv = [
        "explore",
        "--generated",
        "--variant",
        "buggy",
        "--seed",
        "2",
        "--runs",
        "4",
        "--keep-going",
      ];
      const r = await cliIn(sub, [
        ...argv,
        "--shrink-runs",
        "0",
        "--jobs",
        "1",
        "--shard",
        shard,
        "--out",
        "../repro",
        "--json",
      ]);
      expect([1], r.err).toContain(r.code);
      writeFileSync(join(runner, `explore-${shard[0]}.json`), r.out);
    }
    const written = (JSON.parse(readFileSync(join(runner, "explore-1.json"), "utf8")) as ExploreReport)
      .failures;
    expect(written.length).toBeGreaterThan(0);
    expect(written[0].reproducer).toMatch(/^\.\.\/repro\//);
    expect(written[0].replay).toContain(join(runner, "repro"));
    const dir = tmp();
    const reports = ["explore-1.json", "explore-2.json"];
    for (const r of reports) writeFileSync(join(dir, r), readFileSync(join(runner, r)));
    cpSync(join(runner, "repro"), join(dir, "repro"), { recursive: true });
    rmSync(runner, { recursive: true });
    const merged = await cliIn(dir, ["merge", ...reports, "--json"]);
    expect(merged.err).not.toContain("is not there");
    const failures = (JSON.parse(merged.out) as ExploreReport).failures;
    for (const f of failures) {
      expect(f.reproducer).toMatch(/^repro\/.+\.yaml$/);
      expect(existsSync(join(dir, f.reproducer!))).toBe(true);
      expect(f.replay).toBe(`aftershock run ${f.reproducer}`);
    }
    // A reproducer that did not come down (its upload failed) is said, by its shard's report and
    // the path that report gives, which is kept.
    const lost = failures[0];
    rmSync(join(dir, lost.reproducer!));
    const shardOf = (lost.run % 2) + 1;
    const given = `../${lost.reproducer}`;
    const without = await cliIn(dir, ["merge", ...reports, "--json"]);
    expect(without.code).toBe(merged.code);
    const missingLines = without.err.split("\n").filter((l) => l.includes("is not there"));
    expect(missingLines).toEqual([
      `aftershock: explore-${shardOf}.json: run ${lost.run}: its reproducer ${given} is not there, nor beside the report: put the shard's --out folder beside its report to replay it`,
    ]);
    const kept = (JSON.parse(without.out) as ExploreReport).failures.find((f) => f.run === lost.run);
    expect(kept?.reproducer).toBe(given);
  });
});
