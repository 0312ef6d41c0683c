// `aftershock gate` end to end: passing and failing scenarios, nondeterminism, user schedulers, bad input.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/report/markdown-text.js";
import { cli, cliBuilt, type JsonCase, schemaErrors, XMLLINT } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";
const FALSE = "test/gate/fixtures/fail/small-false.yaml";
const MODULES = "test/gate/fixtures/modules";

interface JsonReport {
  exitCode: number;
  counts: { tests: number; passed: number; failed: number; errors: number; skipped: number };
  suites: { name: string; file: string; cases: JsonCase[] }[];
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-gate-"));
}

async function gateJson(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await cli(["gate", ...args, "--json", "--jobs", "1"], env);
  return { ...r, report: r.out.trim().startsWith("{") ? (JSON.parse(r.out) as JsonReport) : null };
}

describe("aftershock gate", () => {
  it("passes a scenario whose expectations hold, each variant run twice with the same trace", async () => {
    const { code, report } = await gateJson([PASS]);
    expect(code).toBe(0);
    const cases = report!.suites[0].cases;
    expect(cases.filter((k) => k.status === "failed" || k.status === "error")).toEqual([]);
    expect(cases.map((k) => k.name)).toContain("small-cascade [fixed] no-cascade");
    expect(cases.filter((k) => k.kind === "determinism").map((k) => k.status)).toEqual([
      "passed",
      "passed",
      "passed",
    ]);
  });

  it("refuses a fix a scenario's scheduler module does not declare, at its line, as run does", async () => {
    const dir = tempDir();
    const scenario = join(dir, "module-fix.yaml");
    const module = join(dir, "idle.mjs");
    writeFileSync(
      module,
      `function* main(rt) { for (;;) yield rt.sleep(1000); }
export default { name: "idle", fixes: [], create: (fixes) => ({ name: "idle", fixes: [...fixes], main }) };
`,
    );
    writeFileSync(
      scenario,
      `name: module-fix\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nscheduler: { module: ${module}, fixes: [early-return] }\nexpect:\n  - { variant: fixed, property: no-cascade, holds: true }\n`,
    );
    for (const command of [
      ["gate", scenario, "--jobs", "1"],
      ["run", scenario],
    ]) {
      const r = await cli(command);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /module-fix\.yaml:5:\d+: error: scheduler\.fixes\[0\]: .*has no fix "early-return"/,
      );
    }
  });

  it("calls a run its scenario's limits stopped an error, not judged, with exit 2 (the limit is input)", async () => {
    const dir = tempDir();
    const limited = join(dir, "limited.yaml");
    writeFileSync(
      limited,
      // The store outage takes the run past the size estimate, which does not model it.
      'name: limited\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 30m\nworkload: { accounts: 20 }\nlimits: { maxEvents: 21500 }\nfaults: [{ at: "+1m", fault: store-outage, duration: 20m }]\nexpect:\n  - { variant: fixed, property: no-cascade, holds: true }\n',
    );
    const { code, report } = await gateJson([limited]);
    expect(code).toBe(2);
    const judged = report!.suites[0].cases.find((k) => k.name === "limited [fixed] no-cascade");
    expect(judged?.status).toBe("error");
    expect(judged?.exitCode).toBe(2);
    expect(judged?.message).toContain(
      "the run stopped early (hit the event limit (21500 events)): not judged",
    );
    // Which limit to raise, and where the file sets it, as run says it.
    expect(judged?.message).toContain(
      `; raise limits.maxEvents (21500, at ${limited}:6:22) to let it finish`,
    );
  });

  it("fails a false expectation with exit 1, the measured value beside the bound, and a valid JUnit failure", async () => {
    const dir = tempDir();
    const junit = join(dir, "gate.xml");
    const markdown = join(dir, "summary.md");
    const r = await cli(["gate", FALSE, "--jobs", "1", "--junit", junit, "--markdown", markdown], {
      GITHUB_ACTIONS: "true",
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain("expected cascadeDepth <= 1, measured 4");
    expect(r.out).toMatch(/^gate: \d+ passed, 1 failed, \d+ skipped$/m);
    // The annotation points at the scenario file and the line of the false expectation.
    expect(r.out).toContain(
      "::error file=test/gate/fixtures/fail/small-false.yaml,line=34,col=5,title=small-false [buggy] cascadeDepth <= 1::expected cascadeDepth <= 1, measured 4",
    );
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(
      /<testcase name="small-false \[buggy\] cascadeDepth &lt;= 1" classname="small-false\.buggy" time="[\d.]+" file="test\/gate\/fixtures\/fail\/small-false\.yaml" line="34">\n\s*<failure message="expected cascadeDepth &lt;= 1, measured 4 \(cascade: schedule sched-deleted-a killed 4 workers in turn: [^"]*" type="expectation">/,
    );
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(readFileSync(markdown, "utf8")).toContain(
      "| ❌ | small-false | buggy | cascadeDepth &lt;= 1 (`test/gate/fixtures/fail/small-false.yaml:34`) |",
    );
    if (XMLLINT) expect(schemaErrors(junit)).toBe("");
  });

  it("catches a scheduler that reads Math.random: exit 3, naming the first event where the runs diverge", async () => {
    const { code, report } = await gateJson([PASS, "--scheduler", `${MODULES}/random-startup.mjs`]);
    expect(code).toBe(3);
    const bad = report!.suites[0].cases.filter((k) => k.kind === "determinism" && k.status === "failed");
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].exitCode).toBe(3);
    expect(bad[0].message).toMatch(/^nondeterminism: two runs of the same inputs produced different traces/);
    expect(bad[0].message).toMatch(/first divergence at seq \d+: \{"t":\d+/);
    expect(bad[0].details).toMatch(
      /they first differ at event #\d+ \(t = 2026-05-08T09:4\d:[\d.]+Z\):\n {2}one: {3}\{"t":/,
    );
  });

  it("catches the example module that reintroduces bug 1, with the cascade named in the message", async () => {
    const { code, report } = await gateJson([PASS, "--scheduler", "examples/reintroduced-bug1.mjs"]);
    expect(code).toBe(1);
    const failed = report!.suites[0].cases.filter((k) => k.status === "failed");
    const early = failed.find((k) => k.name === "small-cascade [early-return] no-panic-death");
    expect(early?.message).toMatch(/cascade: schedule sched-deleted-a killed \d+ workers in turn/);
    const fixed = failed.find((k) => k.name === "small-cascade [fixed] deleted-schedules-cleaned");
    expect(fixed?.message).toContain("sched-deleted-a");
    // Golden hashes pin the bundled schedulers: not compared for a user's module.
    expect(report!.suites[0].cases.some((k) => k.kind === "golden")).toBe(false);
  });

  it("pins golden trace hashes only on purpose, and names the scenario whose behaviour changed", async () => {
    const dir = tempDir();
    const file = join(dir, "small-cascade.yaml");
    copyFileSync(PASS, file);
    const first = await gateJson([dir]);
    expect(first.code).toBe(0);
    expect(first.report!.suites[0].cases.filter((k) => k.kind === "golden").map((k) => k.status)).toEqual([
      "skipped",
      "skipped",
      "skipped",
    ]);
    const updated = await cli(["gate", dir, "--update-golden", "--jobs", "1"]);
    expect(updated.code).toBe(0);
    expect(updated.err).toContain(`wrote ${join(dir, "golden", "small-cascade.json")}`);
    const goldenPath = join(dir, "golden", "small-cascade.json");
    const golden = JSON.parse(readFileSync(goldenPath, "utf8"));
    expect(Object.keys(golden.variants)).toEqual(["buggy", "fixed", "early-return"]);
    expect((await gateJson([dir])).code).toBe(0);

    golden.variants.fixed.traceHash = "0123456789abcdef";
    writeFileSync(goldenPath, JSON.stringify(golden));
    const changed = await gateJson([dir]);
    expect(changed.code).toBe(1);
    const bad = changed.report!.suites[0].cases.find((k) => k.status === "failed")!;
    expect(bad.name).toBe("small-cascade [fixed] golden trace hash");
    expect(bad.message).toContain(
      "trace hash changed: the simulated behaviour of small-cascade [fixed] changed",
    );
    expect(bad.details).toMatch(/^golden: 0123456789abcdef \(\d+ events, seed \d+\) in /);
    expect(bad.message).toContain(`aftershock gate ${file} --update-golden`);
  });

  it("keeps a backtick of a path in the commands of its Markdown summary, in longer code spans", async () => {
    const dir = join(tempDir(), "x`y");
    mkdirSync(dir);
    const file = join(dir, "small-cascade.yaml");
    copyFileSync(PASS, file);
    const markdown = join(dir, "summary.md");
    const r = await cli(["gate", file, "--jobs", "1", "--markdown", markdown]);
    expect(r.code).toBe(0);
    const command = `aftershock gate '${file}' --update-golden`;
    // The message says it as text does, the summary as Markdown: the path as text, the command as code.
    expect(r.out).toContain(`run \`\`${command}\`\` to pin it`);
    const rows = readFileSync(markdown, "utf8")
      .split("\n")
      .filter((l) => l.includes("golden trace hash"));
    expect(rows).toHaveLength(3);
    const golden = escapeMarkdown(join(dir, "golden", "small-cascade.json"));
    for (const row of rows)
      expect(row).toContain(
        `| no golden file ${golden} (none recorded yet, or deleted): run \`\`${command}\`\` to pin it |`,
      );
    expect(golden).toContain("x\\`y");
  });

  it("annotates each problem of refused input in GitHub Actions, at its file and line where it has one", async () => {
    const file = join(tempDir(), "bad,one.yaml");
    writeFileSync(file, readFileSync(PASS, "utf8").replace("workers: 4", "workers: four"));
    const missing = "test/gate/fixtures/nope";
    const r = await cli(["gate", file, missing, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:8:12: error: fleet.workers: wrong type`);
    const annotations = r.out.split("\n").filter((l) => l.startsWith("::"));
    expect(annotations).toEqual([
      // A missing path is annotated on the path, at no line of it.
      "::error file=test/gate/fixtures/nope,title=aftershock gate refused its input::test/gate/fixtures/nope: no such file or folder",
      `::error file=${file.replace(",", "%2C")},line=8,col=12,title=aftershock gate refused its input::fleet.workers: wrong type (expected a whole number, found "four")`,
    ]);
    // With --json, stdout holds the one object, the refusal's: the annotations go to stderr.
    const json = await cli(["gate", missing, "--json"], { GITHUB_ACTIONS: "true" });
    expect(JSON.parse(json.out)).toEqual({
      exitCode: 2,
      counts: { tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0 },
      suites: [],
      warnings: [],
      unwritten: [],
      problems: [
        {
          file: "test/gate/fixtures/nope",
          line: null,
          column: null,
          severity: "error",
          message: "no such file or folder",
        },
      ],
    });
    const placed = JSON.parse((await cli(["gate", file, "--json"], {})).out) as { problems: unknown[] };
    expect(placed.problems).toEqual([
      {
        file,
        line: 8,
        column: 12,
        severity: "error",
        message: 'fleet.workers: wrong type (expected a whole number, found "four")',
      },
    ]);
    expect(json.err).toContain(
      "::error file=test/gate/fixtures/nope,title=aftershock gate refused its input::test/gate/fixtures/nope: no such",
    );
    const elsewhere = await cli(["gate", missing], {});
    expect(elsewhere.out + elsewhere.err).not.toContain("::error");
  });

  it("refuses bad paths, empty folders and scenarios without expectations with exit 2 and a clear message", async () => {
    const missing = await cli(["gate", "test/gate/fixtures/nope/"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("test/gate/fixtures/nope: no such file or folder");

    const empty = tempDir();
    const none = await cli(["gate", empty]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("no scenario files (.yaml, .yml, .json) in this folder");

    const noExpect = await cli(["gate", "test/gate/fixtures/no-expect.yaml"]);
    expect(noExpect.code).toBe(2);
    expect(noExpect.err).toContain("nothing to gate: test/gate/fixtures/no-expect.yaml has no `expect` list");

    const broken = join(tempDir(), "broken.yaml");
    writeFileSync(broken, "name: broken\nfleet:\n  workers: lots\n");
    const parse = await cli(["gate", broken]);
    expect(parse.code).toBe(2);
    expect(parse.err).toMatch(/broken\.yaml:3:\d+/);
    expect(parse.err).not.toMatch(/\n\s+at /);
  });

  it("annotates an expectation that passed on a property its run never exercised as a ::warning, at its line", async () => {
    const dir = tempDir();
    const file = join(dir, "vacuous.yaml");
    writeFileSync(
      file,
      `${readFileSync(PASS, "utf8")}  - { variant: fixed, property: quarantine-after-retries }\n`,
    );
    const line = readFileSync(file, "utf8").trimEnd().split("\n").length;
    const r = await cli(["gate", file, "--jobs", "1"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `::warning file=${file},line=${line},col=5,title=small-cascade [fixed] quarantine-after-retries::quarantine-after-retries holds as expected, but was not exercised in this run: `,
    );
    // An exercised property that holds is not annotated.
    expect(r.out).not.toContain("title=small-cascade [fixed] no-cascade::");
  });

  it("gates a folder's scenario files whatever the case of their extension, as validate and run read them", async () => {
    const dir = tempDir();
    copyFileSync(PASS, join(dir, "a.yaml"));
    copyFileSync(FALSE, join(dir, "b.YAML"));
    const { code, report } = await gateJson([dir]);
    expect(report!.suites.map((s) => s.file)).toEqual([join(dir, "a.yaml"), join(dir, "b.YAML")]);
    expect(code).toBe(1);
    const sub = join(dir, "sub");
    mkdirSync(sub);
    copyFileSync(PASS, join(sub, "c.Yml"));
    const warned = await gateJson([dir]);
    expect(warned.err).toContain(`not gated: ${sub} (subfolders are not searched`);
  });

  it("names the scenarios of subfolders deeper down, and of linked ones, as not gated", async () => {
    // scenarios/teams/payments/p.yaml: `teams/` holds no scenario itself, and a link to a shared
    // folder is a link, not a folder entry; neither may pass for gated.
    const dir = tempDir();
    copyFileSync(PASS, join(dir, "a.yaml"));
    const deep = join(dir, "teams", "payments");
    mkdirSync(deep, { recursive: true });
    copyFileSync(PASS, join(deep, "p.yaml"));
    const shared = tempDir();
    copyFileSync(PASS, join(shared, "s.yaml"));
    symlinkSync(shared, join(dir, "shared"));
    // A link back up is not followed round.
    symlinkSync(dir, join(deep, "up"));
    const { code, err } = await gateJson([dir]);
    expect(code).toBe(0);
    expect(err).toContain(`not gated: ${join(dir, "shared")}, ${deep} (subfolders are not searched`);
    // A folder with no scenario of its own says where its subfolders' are, rather than only that
    // it holds none.
    const empty = tempDir();
    mkdirSync(join(empty, "teams"));
    copyFileSync(PASS, join(empty, "teams", "t.yaml"));
    const refused = await cli(["gate", empty]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `${empty}: no scenario files (.yaml, .yml, .json) in this folder; subfolders are not searched, and this holds some: ${join(empty, "teams")}`,
    );
  });

  it("gates the other scenarios of a folder and reports one without expectations as skipped", async () => {
    const dir = tempDir();
    copyFileSync(PASS, join(dir, "a.yaml"));
    copyFileSync("test/gate/fixtures/no-expect.yaml", join(dir, "b.yaml"));
    const { code, err, report } = await gateJson([dir]);
    expect(code).toBe(0);
    expect(err).toContain("b.yaml: no `expect` list, nothing to gate there");
    expect(report!.suites[1].cases).toMatchObject([{ name: "no-expect no expectations", status: "skipped" }]);
  });

  it.each([
    ["missing.mjs", "scheduler module not found"],
    [
      "no-export.mjs",
      "no scheduler exported (export a SchedulerFactory as `scheduler` or default, or in CommonJS as `module.exports.scheduler` or `module.exports`; it exports `schedular`)",
    ],
    ["wrong-shape.mjs", "not a scheduler: `name` must be a string; `create(fixes)` must be a function"],
    [
      "main-not-function.mjs",
      "main-not-function.mjs: not a scheduler: create([]) returned a scheduler whose `main` is null, expected a function main(rt)",
    ],
    [
      "main-async.mjs",
      "main-async.mjs: not a scheduler: create([]) returned a scheduler whose `main` is an async function, expected a generator function main(rt) (function*: a blocking call is `yield*`, not `await`)",
    ],
    [
      "imports-missing-package.mjs",
      'imports-missing-package.mjs:2:20: the scheduler module imports "p-retry-not-installed", a package that is not installed (npm install p-retry-not-installed)',
    ],
    [
      "create-null-with-fix.mjs",
      'create-null-with-fix.mjs: not a scheduler: create(["panic-recovery"]) returned null, expected a scheduler { name, fixes, main(rt) }',
    ],
    [
      "throws.mjs",
      "throws.mjs:2:7: the scheduler module threw while loading: scheduler config missing: SCHEDULER_MODE is not set",
    ],
  ])("refuses a scheduler module %s with exit 2, in gate and run: %s", async (file, message) => {
    for (const command of ["gate", "run"]) {
      const jobs = command === "gate" ? ["--jobs", "1"] : [];
      const r = await cli([command, PASS, "--scheduler", `${MODULES}/${file}`, ...jobs]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it("refuses a scheduler module that imports a local file that is not there, at its import", () => {
    // The built command: the test runner resolves a module's imports its own way, not as Node does.
    const r = cliBuilt(["run", PASS, "--scheduler", `${MODULES}/imports-missing-file.mjs`]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `aftershock: ${MODULES}/imports-missing-file.mjs:2:23: the scheduler module imports "./lib/retry-gone.mjs", which is not there\n`,
    );
  });

  it("refuses --update-golden with --scheduler, and bad counts", async () => {
    const both = await cli([
      "gate",
      PASS,
      "--update-golden",
      "--scheduler",
      "examples/reintroduced-bug1.mjs",
    ]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--update-golden pins the traces of the schedulers the scenarios name");
    const jobs = await cli(["gate", PASS, "--jobs", "0"]);
    expect(jobs.code).toBe(2);
    expect(jobs.err).toContain("--jobs: expected a whole number ≥ 1");
  });

  it("refuses to overwrite a JUnit file it did not write", async () => {
    const file = join(tempDir(), "report.xml");
    writeFileSync(file, "<important/>");
    const r = await cli(["gate", PASS, "--junit", file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("exists and was not written by aftershock; pass --force");
    expect(readFileSync(file, "utf8")).toBe("<important/>");
  });

  it("checks --junit and --markdown before any run: a missing folder is exit 2 at once", async () => {
    const dir = tempDir();
    const r = await cli(["gate", FALSE, "--jobs", "1", "--junit", join(dir, "nodir", "x.xml")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--junit \S+nodir\/x\.xml: no such folder/);
    expect(r.out).toBe(""); // not even the header: nothing ran
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a file that cannot be written at the end is said after the gate's report, which is printed whole",
    async () => {
      const r = await cli(["gate", FALSE, "--jobs", "1", "--markdown", "/dev/full"]);
      expect(r.out).toMatch(/^gate: \d+ passed, 1 failed, \d+ skipped$/m);
      expect(r.err).toMatch(/\/dev\/full: cannot write \(ENOSPC/);
      expect(r.code).toBe(2);
    },
  );

  it.skipIf(!existsSync("/dev/full"))(
    "a file that cannot be written at the end does not hide a worse outcome: nondeterminism stays exit 3",
    async () => {
      const args = [
        PASS,
        "--jobs",
        "1",
        "--scheduler",
        `${MODULES}/random-startup.mjs`,
        "--markdown",
        "/dev/full",
      ];
      const r = await cli(["gate", ...args]);
      expect(r.err).toMatch(/\/dev\/full: cannot write \(ENOSPC/);
      expect(r.code).toBe(3);
    },
  );

  it("explores more seeds of the fixed variant, reproducibly", async () => {
    const { code, report } = await gateJson([PASS, "--explore", "2"]);
    expect(code).toBe(0);
    const explored = report!.suites[0].cases.filter((k) => k.kind === "explore");
    expect(explored).toHaveLength(2);
    expect(
      explored.every(
        (k) => k.status === "passed" && /^small-cascade \[fixed\] explore seed \d+$/.test(k.name),
      ),
    ).toBe(true);
    const again = await gateJson([PASS, "--explore", "2"]);
    expect(again.report!.suites[0].cases.filter((k) => k.kind === "explore").map((k) => k.name)).toEqual(
      explored.map((k) => k.name),
    );
  });

  it("says in the terminal report how many passing explored seeds it does not list, and --verbose lists them", async () => {
    const quiet = await cli(["gate", PASS, "--explore", "2", "--jobs", "1"]);
    expect(quiet.code, quiet.err).toBe(0);
    expect(quiet.out).not.toMatch(/explore seed \d+/);
    expect(quiet.out).toContain("  2 explored seeds passed, not listed (--verbose lists them)\n");
    const verbose = await cli(["gate", PASS, "--explore", "2", "--jobs", "1", "--verbose"]);
    expect(verbose.out.match(/✓ \[fixed\] explore seed \d+/g)).toHaveLength(2);
    expect(verbose.out).not.toContain("not listed");
  });
});
