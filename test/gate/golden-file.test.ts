// Golden hash files: a broken one is refused without --update-golden and rewritten with it; runs stopped early are never recorded.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_REACH, formatMayExplain, type GateRunResult } from "../../src/explore/gate.js";
import { parseGolden } from "../../src/explore/gate-golden.js";
import { TRACE_FORMAT } from "../../src/world/events.js";
import { expectRefusedThenRewritten, PASS, withGolden } from "./golden-refusal.js";
import { cli, type JsonCase } from "./helpers.js";

describe("a golden file the gate cannot read", () => {
  // An empty file (not JSON, as a truncated one) and a negative seed (not a whole number, as one in
  // text) are in the long tier (golden-file.long.test.ts).
  it.each([
    [
      "truncated JSON",
      '{ "scenario": "small-cascade", \n',
      [2, 1],
      "not JSON (Expected double-quoted property name)",
    ],
    ["a JSON array", "[1,2]\n", [1, 1], "expected a JSON object"],
    [
      "a seed that is text, whole",
      '{\n  "scenario": "small-cascade",\n  "seed": "7"\n}\n',
      [3, 3],
      "`seed` must be a whole number, 0 or more (a scenario's seed)",
    ],
    [
      "a trace hash in capitals",
      '{\n  "scenario": "small-cascade",\n  "seed": 7,\n  "variants": { "buggy": { "traceHash": "A093AEFBF06DC89B", "events": 1 } }\n}\n',
      [4, 28],
      "variants.buggy.traceHash must be 16 lowercase hex digits, as the gate writes it",
    ],
    [
      "a variant given twice (a merge kept both sides), whose later hash JSON.parse would keep",
      '{\n  "scenario": "small-cascade",\n  "seed": 7,\n  "variants": {\n    "buggy": { "traceHash": "0000000000000000", "events": 1 },\n    "buggy": { "traceHash": "a093aefbf06dc89b", "events": 2 }\n  }\n}\n',
      [6, 5],
      "`buggy` is given twice (first at line 5, column 5)",
    ],
  ] as const)(
    "(%s) is exit 2 at its line and column without --update-golden, and rewritten with it",
    async (_what, text, at, reason) => {
      await expectRefusedThenRewritten(text, at, reason);
    },
  );
});

describe("a file where the golden folder should be", () => {
  it("is exit 2, not a golden file taken as missing (its cases skipped, the gate passed)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-"));
    const file = join(dir, "small-cascade.yaml");
    copyFileSync(PASS, file);
    writeFileSync(join(dir, "golden"), "x\n");
    const r = await cli(["gate", file, "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${join(dir, "golden")}: is a file, not the folder of golden hashes that small-cascade.json is read from`,
    );
    expect(readFileSync(join(dir, "golden"), "utf8")).toBe("x\n");
  });
});

describe("--update-golden with runs the scenario's limits stop", () => {
  it("records nothing and says so: an error for the stopped variant, not a passed 'recorded'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-"));
    const file = join(dir, "limited.yaml");
    // At this limit the fixed variant reaches its horizon and v1 does not.
    writeFileSync(
      file,
      "name: limited\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 30m\nworkload: { accounts: 20 }\nlimits: { maxEvents: 30000 }\nexpect:\n  - { variant: fixed, property: no-cascade, holds: true }\n  - { variant: v1, property: no-cascade, holds: true }\n",
    );
    const r = await cli(["gate", file, "--update-golden", "--json", "--jobs", "1"]);
    expect(r.code).toBe(2);
    const golden = join(dir, "golden", "limited.json");
    expect(existsSync(golden)).toBe(false);
    expect(r.err).toContain(`${golden}: not written`);
    const cases = (JSON.parse(r.out) as { suites: { cases: JsonCase[] }[] }).suites[0].cases;
    const goldenCases = cases.filter((k) => k.kind === "golden");
    expect(goldenCases).toMatchObject([
      { name: "limited [fixed] golden trace hash", status: "skipped" },
      { name: "limited [v1] golden trace hash", status: "error", exitCode: 2 },
    ]);
    expect(goldenCases[0].message).toBe(
      `not recorded: ${golden} is not written, as the runs of [v1] disagree or stopped early`,
    );
    expect(goldenCases[1].message).toBe(
      `not recorded in ${golden}: the run stopped early (hit the event limit (30000 events)); raise limits.maxEvents (30000, at ${file}:6:22) to let it finish, or make the scenario smaller, then update again`,
    );
    expect(goldenCases.some((k) => k.message.startsWith("recorded"))).toBe(false);
  });
});

describe("a golden file that is not the scenario's own", () => {
  it("refuses x.yaml and x.json of one folder, which would share golden/x.json, naming both and the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-"));
    copyFileSync(PASS, join(dir, "q.yaml"));
    const json = {
      name: "small-json",
      description: "d",
      seed: 7,
      start: "2026-05-08T10:00:00Z",
      duration: "5m",
      fleet: { workers: 2, partitions: 8 },
      workload: { accounts: 10 },
      expect: [{ variant: "fixed", property: "no-cascade", holds: true }],
    };
    writeFileSync(join(dir, "q.json"), JSON.stringify(json));
    for (const extra of [[], ["--update-golden"]]) {
      const r = await cli(["gate", dir, "--jobs", "1", ...extra]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toContain(
        `${join(dir, "q.yaml")}: its golden hashes would go to ${join(dir, "golden", "q.json")}, which holds those of ${join(dir, "q.json")}`,
      );
      expect(existsSync(join(dir, "golden"))).toBe(false);
    }
  });

  it("refuses a golden file recorded for another scenario, and --update-golden replaces it", async () => {
    const { file, golden } = withGolden("");
    expect((await cli(["gate", file, "--jobs", "1", "--update-golden"])).code).toBe(0);
    const other = readFileSync(golden, "utf8").replace('"scenario": "small-cascade"', '"scenario": "other"');
    writeFileSync(golden, other);
    const refused = await cli(["gate", file, "--jobs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `${golden}:3:3: error: recorded for scenario "other", not for "small-cascade" of ${file} (rewrite it with aftershock gate ${file} --update-golden)`,
    );
    const updated = await cli(["gate", file, "--jobs", "1", "--update-golden"]);
    expect(updated.code).toBe(0);
    expect(updated.err).toContain(`aftershock: replaced ${golden} (it was recorded for scenario "other"`);
    expect(JSON.parse(readFileSync(golden, "utf8")).scenario).toBe("small-cascade");
  });
});

describe("a golden hash compared with its run", () => {
  /** A recorded golden file for a copy of the small scenario, edited by `edit`. */
  interface GoldenDoc {
    seed: number;
    traceFormat?: number;
    variants: Record<string, { traceHash: string; events: number }>;
  }

  async function edited(
    edit: (doc: GoldenDoc) => void,
    moreExpect = "",
  ): Promise<{ file: string; golden: string }> {
    const { file, golden } = withGolden("");
    if (moreExpect !== "") writeFileSync(file, `${readFileSync(file, "utf8")}${moreExpect}\n`);
    expect((await cli(["gate", file, "--jobs", "1", "--update-golden"])).code).toBe(0);
    const doc = JSON.parse(readFileSync(golden, "utf8")) as GoldenDoc;
    edit(doc);
    writeFileSync(golden, JSON.stringify(doc));
    return { file, golden };
  }

  async function goldenCase(
    file: string,
    variant: string,
    more: readonly string[] = [],
  ): Promise<JsonCase & { code: number }> {
    const r = await cli(["gate", file, "--jobs", "1", "--json", ...more]);
    const cases = (JSON.parse(r.out) as { suites: { cases: JsonCase[] }[] }).suites[0].cases;
    const k = cases.find((c) => c.name === `small-cascade [${variant}] golden trace hash`);
    return { ...k!, code: r.code };
  }

  it("fails when only the event count differs: one trace cannot have two", async () => {
    const { file, golden } = await edited((doc) => {
      doc.variants.fixed.events += 1;
    });
    const k = await goldenCase(file, "fixed");
    expect(k).toMatchObject({ status: "failed", exitCode: 1, code: 1 });
    expect(k.message).toMatch(
      new RegExp(
        `^${golden} disagrees with the run, whose trace hash [0-9a-f]{16} it matches: events (\\d+) → \\d+: one trace cannot have two event counts`,
      ),
    );
    expect(k.details).not.toContain("changed what this scenario does");
  });

  it("says the seed differs, not that the hash changed, when the hash is the same", async () => {
    const { file } = await edited((doc) => {
      doc.seed = 43;
    });
    const k = await goldenCase(file, "buggy");
    expect(k).toMatchObject({ status: "failed", exitCode: 1 });
    expect(k.message).toContain(": seed 43 → 42:");
    expect(k.message).not.toContain("trace hash changed");
    expect(k.details).toContain("differs: seed 43 → 42\n");
    expect(k.details).not.toContain("changed what this scenario does");
  });

  it("says the seed changed when it did, and the hash with it", async () => {
    const { file } = await edited((doc) => {
      doc.seed = 43;
      doc.variants.buggy.traceHash = "0123456789abcdef";
    });
    const k = await goldenCase(file, "buggy");
    expect(k.message).toMatch(/^trace hash changed: the scenario's seed changed \(golden 43, now 42\)/);
    expect(k.details).toMatch(/differs: seed 43 → 42, trace hash 0123456789abcdef → [0-9a-f]{16}\n/);
  });

  it("pins the trace format it hashed under, and says so when an older format's hash differs", async () => {
    const current = await edited((doc) => {
      expect(doc.traceFormat).toBe(TRACE_FORMAT);
      doc.variants.buggy.traceHash = "0123456789abcdef";
    });
    const changed = await goldenCase(current.file, "buggy");
    expect(changed.message).toContain(`the simulated behaviour of small-cascade [buggy] changed`);
    expect(changed.details).not.toContain("trace format");

    // Pinned before the format was recorded: format 1, whose panic.recovered had no token.
    const old = await edited((doc) => {
      delete doc.traceFormat;
      doc.variants.buggy.traceHash = "0123456789abcdef";
      doc.variants["panic-recovery"].traceHash = "0123456789abcdef";
    }, "  - { variant: panic-recovery, property: no-panic-death, holds: true }");
    const recovered = await goldenCase(old.file, "panic-recovery");
    expect(recovered).toMatchObject({ status: "failed", code: 1 });
    expect(recovered.message).toMatch(
      /: the golden was pinned under trace format 1 and this aftershock writes format 4: this run recovered \d+ panics? with the golden's event count, so its behaviour is likely unchanged; to pin it in format 4, run `aftershock gate .* --update-golden` and commit it$/,
    );
    // Not "if that is intended": nothing the user did is to be intended.
    expect(recovered.message).not.toContain("if that is intended");
    // The format's change is said once, in the details, which stand alone in --json (no "above").
    expect(recovered.message).not.toContain("names its lease token");
    expect(recovered.details).toContain(
      "the trace format changed since the golden was pinned (2: `panic.recovered` names its lease token, so a run that recovers a panic hashes differently; 3: a `store-latency` fault's",
    );
    expect(recovered.details).not.toContain("see above");
    expect(recovered.details).toContain(
      `\nto pin it in format 4: aftershock gate ${old.file} --update-golden, then commit`,
    );

    // A run that recovered no panic hashes alike under both formats: only its behaviour can explain it.
    const none = await goldenCase(old.file, "buggy");
    expect(none.message).toContain(
      "the simulated behaviour of small-cascade [buggy] changed; if that is intended, run",
    );
    expect(none.details).toContain(
      "the golden's trace format 1 differs from format 4 only in runs that recover a panic and runs with a store-latency fault and runs of a scheduler module that panic, and this run recovered none, and this run had none, and this run had no panic of a module: an edit of",
    );
    expect(none.message).not.toContain("names its lease token");
    expect(none.details).not.toContain("trace format changed");
    expect(none.details).toContain("changed what this scenario does.");

    // Panics recovered, but another event count: the format alone cannot explain it.
    const counted = await edited((doc) => {
      delete doc.traceFormat;
      doc.variants["panic-recovery"].traceHash = "0123456789abcdef";
      doc.variants["panic-recovery"].events += 1;
    }, "  - { variant: panic-recovery, property: no-panic-death, holds: true }");
    const both = await goldenCase(counted.file, "panic-recovery");
    expect(both.message).toMatch(
      /: the golden was pinned under trace format 1 and this aftershock writes format 4, and the event count differs, so the behaviour changed too; if that is intended, run/,
    );
  });

  it("says a golden of a newer trace format was pinned by a newer aftershock, and never to pin it again here", async () => {
    const newer = TRACE_FORMAT + 1;
    const { file } = await edited((doc) => {
      doc.traceFormat = newer;
      doc.variants.buggy.traceHash = "0123456789abcdef";
    });
    const k = await goldenCase(file, "buggy");
    expect(k).toMatchObject({ status: "failed", exitCode: 1, code: 1 });
    expect(k.message).toContain(
      `the golden is of trace format ${newer}, newer than the format ${TRACE_FORMAT} this aftershock writes, so an older aftershock than the one that pinned it runs this gate; gate with that version or a later one`,
    );
    expect(k.message).not.toContain("behaviour of small-cascade [buggy] changed");
    // --update-golden would write it back in the older format: not suggested.
    expect(k.message).not.toContain("--update-golden");
    expect(k.details).not.toContain("--update-golden");
    expect(k.details).not.toContain("if that is intended");
  });

  it("does not rewrite a golden of a newer trace format with --update-golden (exit 2, the file kept)", async () => {
    const { file, golden } = await edited((doc) => {
      doc.traceFormat = TRACE_FORMAT + 1;
      doc.variants.buggy.traceHash = "0123456789abcdef";
    });
    const before = readFileSync(golden, "utf8");
    const r = await cli(["gate", file, "--jobs", "1", "--update-golden"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${golden}: not rewritten: pinned under trace format ${TRACE_FORMAT + 1}, newer than the format ${TRACE_FORMAT} this aftershock writes (update the golden with that aftershock or a later one, or delete the file to pin it with this one)`,
    );
    expect(readFileSync(golden, "utf8")).toBe(before);
  });

  it("keeps the golden verdict and its command whole in the Markdown summary, and lists the run to trace under it", async () => {
    const counted = await edited((doc) => {
      delete doc.traceFormat;
      doc.variants["panic-recovery"].traceHash = "0123456789abcdef";
      doc.variants["panic-recovery"].events += 1;
      doc.variants.fixed.traceHash = "0123456789abcdef";
    }, "  - { variant: panic-recovery, property: no-panic-death, holds: true }");
    const markdown = join(counted.file, "..", "summary.md");
    expect((await cli(["gate", counted.file, "--jobs", "1", "--markdown", markdown])).code).toBe(1);
    const summary = readFileSync(markdown, "utf8");
    const row = (variant: string) =>
      summary.split("\n").find((l) => l.includes(`| ${variant} | golden trace hash |`))!;
    const update = `\`aftershock gate ${counted.file} --update-golden\` and commit it |`;
    expect(row("panic-recovery")).toContain(
      `and this aftershock writes format 4, and the event count differs, so the behaviour changed too; if that is intended, run ${update}`,
    );
    expect(row("fixed")).toContain(
      `the simulated behaviour of small-cascade \\[fixed\\] changed; if that is intended, run ${update}`,
    );
    // As docs/ci.md promises of failed runs: the command under the table, once per run.
    expect(summary).toContain("To replay a failed run:");
    for (const variant of ["panic-recovery", "fixed"])
      expect(summary).toContain(
        `- \`aftershock run ${counted.file} --variant ${variant} --trace new.jsonl\` (small-cascade \\[${variant}\\] golden trace hash)`,
      );
  });

  it("refuses a trace format that is not a whole number from 1", () => {
    for (const format of ['"2"', "0", "1.5"]) {
      const parsed = parseGolden(
        `{\n  "scenario": "s",\n  "seed": 1,\n  "traceFormat": ${format},\n  "variants": {}\n}\n`,
      );
      expect(parsed).toMatchObject({ ok: false, line: 4, column: 3 });
      if (!parsed.ok) expect(parsed.message).toContain("`traceFormat` must be a whole number, 1 or more");
    }
    expect(parseGolden('{ "scenario": "s", "seed": 1, "variants": {} }')).toMatchObject({ ok: true });
  });

  it("says a golden file is missing, rather than that it lacks the variant's hash", async () => {
    const { file, golden } = await edited((doc) => {
      delete doc.variants.fixed;
    });
    const update = `aftershock gate ${file} --update-golden`;
    expect((await goldenCase(file, "fixed")).message).toBe(
      `no golden hash recorded for this variant in ${golden}: run \`${update}\` to pin it`,
    );
    rmSync(golden);
    const deleted = await goldenCase(file, "fixed");
    expect(deleted).toMatchObject({ status: "skipped", code: 0 });
    expect(deleted.message).toBe(
      `no golden file ${golden} (none recorded yet, or deleted): run \`${update}\` to pin it`,
    );
  });

  it("fails a missing golden hash or file with --require-golden, in every report, saying how to record it", async () => {
    const { file, golden } = await edited((doc) => {
      delete doc.variants.fixed;
    });
    const update = `aftershock gate ${file} --update-golden`;
    const missing = await goldenCase(file, "fixed", ["--require-golden"]);
    expect(missing).toMatchObject({ status: "failed", exitCode: 1, code: 1 });
    expect(missing.message).toBe(
      `no golden hash recorded for this variant in ${golden}, and --require-golden requires one: run \`${update}\` to record it, then commit it`,
    );
    // The variants it pins still pass.
    expect(await goldenCase(file, "buggy", ["--require-golden"])).toMatchObject({ status: "passed" });
    rmSync(golden);
    const dir = join(file, "..");
    const [junit, markdown] = [join(dir, "gate.xml"), join(dir, "summary.md")];
    const r = await cli([
      "gate",
      file,
      "--jobs",
      "1",
      "--require-golden",
      "--junit",
      junit,
      "--markdown",
      markdown,
    ]);
    expect(r.code).toBe(1);
    const said = `no golden file ${golden} (none recorded yet, or deleted), and --require-golden requires one`;
    expect(r.out).toMatch(new RegExp(`✗ \\[fixed\\] golden trace hash +${said.replace(/[.()]/g, "\\$&")}`));
    expect(readFileSync(junit, "utf8").match(/<failure message="no golden file/g)).toHaveLength(3);
    expect(readFileSync(markdown, "utf8")).toContain(said);
  });

  it("compares a renamed scenario file's runs with the golden file of its old name, and says to move it", async () => {
    // The old file also holds a variant the scenario no longer gates (a stale hash).
    const { file, golden } = await edited((doc) => {
      doc.variants.v1 = { ...doc.variants.fixed };
    });
    const renamed = file.replace(/small-cascade\.yaml$/, "renamed.yaml");
    const moved = golden.replace(/small-cascade\.json$/, "renamed.json");
    renameSync(file, renamed);
    const move = `git mv ${golden} ${moved}`;
    const r = await cli(["gate", renamed, "--jobs", "1"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `aftershock: ${golden} holds the golden hashes of scenario small-cascade, but no scenario file of its name is beside it: compared with the runs of ${renamed}, renamed from it? (${move})\n`,
    );
    // Its stale hash is dropped by --update-golden only once the file is moved to the new name.
    expect(r.err).toContain(
      `aftershock: ${golden}: holds hashes of [v1], which ${renamed} does not gate (no expectation names it): not compared; ${move}, then aftershock gate ${renamed} --update-golden drops it\n`,
    );
    const passed = await goldenCase(renamed, "fixed");
    expect(passed).toMatchObject({ status: "passed" });
    expect(passed.message).toMatch(new RegExp(`^matches ${golden}: [0-9a-f]{16}$`));
    // A rename that changed what the scenario does fails, as it would have under its old name.
    writeFileSync(renamed, readFileSync(renamed, "utf8").replace("accounts: 20", "accounts: 21"));
    const changed = await goldenCase(renamed, "fixed");
    expect(changed).toMatchObject({ status: "failed", exitCode: 1, code: 1 });
    expect(changed.details).toContain(`golden: `);
    expect(changed.details).toContain(` in ${golden}\n`);
    // --update-golden writes the file of the new name, and leaves the old one to delete.
    const updated = await cli(["gate", renamed, "--jobs", "1", "--update-golden"]);
    expect(updated.code).toBe(0);
    expect(existsSync(moved)).toBe(true);
    expect(updated.err).toContain(`aftershock: ${golden} holds the golden hashes of scenario small-cascade`);
    expect((await goldenCase(renamed, "fixed")).message).toContain(`matches ${moved}`);
  });

  it("names an edit of the scenario itself among the causes of a changed hash", async () => {
    const { file } = await edited(() => {});
    writeFileSync(file, readFileSync(file, "utf8").replace("accounts: 20", "accounts: 21"));
    const k = await goldenCase(file, "fixed");
    expect(k).toMatchObject({ status: "failed", exitCode: 1 });
    expect(k.message).toContain("the simulated behaviour of small-cascade [fixed] changed");
    expect(k.details).toContain(
      `\nan edit of ${file}, or a change to the world, the checks or a scheduler, changed what this scenario does.\n`,
    );
  });

  it("refuses a variant name that does not exist (exit 2), and warns of a variant the scenario does not gate", async () => {
    const bogus = await edited((doc) => {
      doc.variants.bogus = doc.variants.fixed;
    });
    const refused = await cli(["gate", bogus.file, "--jobs", "1"]);
    expect(refused.code).toBe(2);
    // At the variant's key: the file is one line, as this test writes it.
    const column = readFileSync(bogus.golden, "utf8").indexOf('"bogus"') + 1;
    expect(refused.err).toContain(
      `${bogus.golden}:1:${column}: error: not a golden hash file: variants.bogus: not a variant (expected buggy, fixed, early-return, panic-recovery, v1)`,
    );

    const stale = await edited((doc) => {
      doc.variants.v1 = doc.variants.fixed;
    });
    const warned = await cli(["gate", stale.file, "--jobs", "1"]);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain(
      `aftershock: ${stale.golden}: holds hashes of [v1], which ${stale.file} does not gate (no expectation names it): not compared; aftershock gate ${stale.file} --update-golden drops it\n`,
    );
    const updated = await cli(["gate", stale.file, "--jobs", "1", "--update-golden"]);
    expect(updated.err).not.toContain("holds hashes of");
    expect(Object.keys(JSON.parse(readFileSync(stale.golden, "utf8")).variants)).not.toContain("v1");
  });
});

describe("a format 3 golden of a scheduler module's runs", () => {
  it("is judged by the panics of the module: those that panic may differ by the format alone, the others by behaviour", async () => {
    // The tiny world, where the example's nil dereference panics on the deleted account, and
    // the same world with no account deleted, where it never panics.
    const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-module-"));
    const tiny = readFileSync("test/cli/fixtures/tiny.yaml", "utf8").replace(
      "fleet:",
      "scheduler: { module: ./bug.mjs }\nfleet:",
    );
    writeFileSync(join(dir, "tiny.yaml"), tiny);
    const calm = tiny.replace("name: tiny-may8", "name: calm").replace(/timeline:[\s\S]*/, "");
    writeFileSync(
      join(dir, "calm.yaml"),
      `${calm}expect:\n  - { variant: buggy, property: no-panic-death, holds: true }\n`,
    );
    copyFileSync("examples/reintroduced-bug1.mjs", join(dir, "bug.mjs"));
    expect((await cli(["gate", dir, "--jobs", "1", "--update-golden"])).code).toBe(0);
    for (const name of ["tiny", "calm"]) {
      const golden = join(dir, "golden", `${name}.json`);
      const doc = JSON.parse(readFileSync(golden, "utf8")) as {
        traceFormat: number;
        variants: Record<string, { traceHash: string }>;
      };
      doc.traceFormat = 3;
      for (const v of Object.values(doc.variants)) v.traceHash = "0123456789abcdef";
      writeFileSync(golden, JSON.stringify(doc));
    }
    const r = await cli(["gate", dir, "--jobs", "1", "--json"]);
    const cases = (JSON.parse(r.out) as { suites: { cases: JsonCase[] }[] }).suites.flatMap((s) => s.cases);
    const hash = (name: string) => cases.find((c) => c.name === `${name} golden trace hash`)!;
    const likely =
      /writes format 4: this run (has|recovered \d+ panics? with) the golden's event count, so its behaviour is likely unchanged/;
    expect(hash("tiny-may8 [buggy]").message).toMatch(likely);
    // Fixed, it recovers its panics, which are placed in the module too.
    expect(hash("tiny-may8 [fixed]").message).toMatch(likely);
    // With no panic, its trace is the same under both formats: only its behaviour can explain it.
    expect(hash("calm [buggy]").message).toContain("the simulated behaviour of calm [buggy] changed");
    expect(hash("calm [buggy]").details).toContain(
      "only in runs of a scheduler module that panic, and this run had no panic of a module",
    );
  });
});

describe("an older trace format and a run's new hash", () => {
  const run = (panicsRecovered: number, storeLatencies = 0, scheduler = "v2", panicDeaths = 0) =>
    ({
      report: {
        variant: { scheduler },
        metrics: { panicsRecovered, panicDeaths },
        faults: { fired: storeLatencies > 0 ? { "store-latency": storeLatencies } : {} },
        timeline: [],
      },
    }) as unknown as GateRunResult;

  it("may explain it when a format since changed runs such as this one, or does not say which it changed", () => {
    // Format 2 changed the runs that recover a panic, and no others.
    expect(formatMayExplain(1, run(2), 2)).toBe(true);
    expect(formatMayExplain(1, run(0), 2)).toBe(false);
    // Format 3 changed the runs with a store-latency fault, and no others.
    expect(formatMayExplain(2, run(2), 3)).toBe(false);
    expect(formatMayExplain(2, run(0, 1), 3)).toBe(true);
    expect(formatMayExplain(1, run(0, 2), 3)).toBe(true);
    expect(formatMayExplain(1, run(2), 3)).toBe(true);
    expect(formatMayExplain(1, run(0), 3)).toBe(false);
    expect(formatMayExplain(3, run(2, 1), 3)).toBe(false);
    // Format 4 changed the runs of a scheduler module that panic, and no others.
    expect(formatMayExplain(3, run(0, 0, "module:./mine.mjs", 2), 4)).toBe(true);
    expect(formatMayExplain(3, run(1, 0, "module:./mine.mjs"), 4)).toBe(true);
    expect(formatMayExplain(3, run(0, 0, "module:./mine.mjs"), 4)).toBe(false);
    expect(formatMayExplain(3, run(2, 0, "v2", 3), 4)).toBe(false);
    // A format raised without its reach may have changed any run: the event count decides.
    expect(formatMayExplain(1, run(0), 5, FORMAT_REACH)).toBe(true);
    expect(formatMayExplain(4, run(0), 5, FORMAT_REACH)).toBe(true);
    const never = { affects: () => false, only: "runs of nothing", none: "this is none" };
    expect(formatMayExplain(1, run(0), 5, { ...FORMAT_REACH, 5: never })).toBe(false);
  });
});
