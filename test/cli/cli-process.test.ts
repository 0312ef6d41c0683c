// Shows the aftershock binary end to end: exit codes, clean errors, deterministic output files.
// A process stays where the claim is the process's: its stdout gone (EPIPE), a file size limit,
// its streams redirected by a shell, colour from its environment, a bad scenario's error and exit
// code as the binary says it (no stack), its --json stdout and an exit 1 as a process gives them.
// The words, exit codes and files of the other commands are main's, run in-process. A stdout on a
// full device, the other forms of a redirect to an output file, the trace written into a
// redirected stdout instead, and plain text under NO_COLOR, are in cli-process.long.test.ts.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli as inProcess } from "../gate/helpers.js";
import { once } from "./once.js";
import { expectRedirectsRefused, type RedirectCase, redirectFolder } from "./redirect-cases.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** The built CLI run as a process, from the checkout. */
function spawned(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CLI run in this process (`main`), from the checkout: what it says, writes and returns. */
const cli = (args: string[]) => inProcess(args);

/** The lines of stderr that say an issue, without the code frames validate puts under them. */
function issueLines(err: string): string[] {
  return err
    .trimEnd()
    .split("\n")
    .filter((line) => !/^ +\d* \| /.test(line) && !/^ +\d* \|$/.test(line));
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "aftershock-")), name);
  writeFileSync(path, text);
  return path;
}

describe("aftershock as a process", () => {
  it("stops writing, quietly and with its own exit code, when the reader of its output goes away", () => {
    // `true` exits without reading, long before the CLI has started: its write fails (EPIPE).
    const r = spawnSync("bash", ["-c", `set -o pipefail; '${process.execPath}' '${BIN}' schema | true`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a trace that cannot be written while the run goes is said as such, exit 2, not a broken invariant",
    async () => {
      const r = await cli(["run", "quiet-day", "--trace", "/dev/full", "--quiet"]);
      expect(r.err).toBe("aftershock: /dev/full: cannot write (ENOSPC: no space left on device, write)\n");
      expect(r.code).toBe(2);
    },
  );

  // A file size limit (`ulimit -f`, with SIGXFSZ ignored so the write fails with EFBIG) makes a
  // write take part of its bytes and say so only in its count, as a nearly full disk does.
  function limited(blocks: number, command: string, cwd: string) {
    return spawnSync(
      "bash",
      ["-c", `trap "" XFSZ; ulimit -f ${blocks}; exec '${process.execPath}' '${BIN}' ${command}`],
      {
        cwd,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
  }

  it("an output file cut short by a write that took part of its text is not put in place, and not said written", () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
    // The HTML report is about 105 kB; 64 KiB of it fit.
    const r = limited(64, `run '${TINY}' --html report.html --quiet`, dir);
    expect(r.stderr).toContain("aftershock: report.html: cannot write (EFBIG: file too large, write)");
    expect(r.stderr).not.toContain("wrote report.html");
    expect(r.status).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("stdout redirected to a file that a write cut short is said not written, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
    const r = limited(8, `run '${TINY}' --json > out.json`, dir);
    expect(r.stderr).toBe("aftershock: could not write the output: EFBIG: file too large, write\n");
    expect(r.status).toBe(2);
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a --perfetto file that cannot be written does not stop the run: the report and the other files come, then the failure, exit 2",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
      const md = join(dir, "pm.md");
      const r = await cli(["run", TINY, "--variant", "buggy", "--perfetto", "/dev/full", "--markdown", md]);
      expect(r.out).toContain("Properties");
      expect(r.err).toContain(`aftershock: wrote ${md} (Markdown summary)`);
      // The run alone exits 0 (its scenario expects the cascade); the failed write makes it 2, said last.
      expect(r.err).toMatch(
        /aftershock: \/dev\/full: cannot write \(ENOSPC[^\n]*\naftershock: exit 2 rather than 0: an output was not written as asked\n$/,
      );
      expect(readFileSync(md, "utf8")).toMatch(/^<!-- aftershock report: tiny-may8 -->/);
      expect(r.code).toBe(2);
    },
  );

  it("a --trace file written is said with its number of events and its size, as the report files are", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
    const file = join(dir, "t.jsonl");
    const r = await cli(["run", TINY, "--trace", file, "--quiet"]);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").length;
    const kB = Math.round(statSync(file).size / 1024);
    expect(kB).toBeGreaterThan(0);
    expect(r.err).toBe(`aftershock: wrote ${file} (trace, ${lines} events, ${kB} kB)\n`);
  });

  /** `run TINY --variant buggy --json`, run once for the tests that read it. */
  const buggyReport = once(() => cli(["run", TINY, "--variant", "buggy", "--json"]));

  it("run --json prints exactly one RunReport, byte-identical across runs", async () => {
    const a = await buggyReport();
    const b = spawned(["run", TINY, "--variant", "buggy", "--json"]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const report = JSON.parse(a.out);
    for (const key of [
      "scenario",
      "seed",
      "variant",
      "traceHash",
      "events",
      "metrics",
      "verdicts",
      "timeline",
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report.variant).toMatchObject({ name: "buggy", scheduler: "v2", fixes: [] });
    expect(report.metrics.cascade).toBe(true);
    expect(report.metrics.deliveries).toHaveProperty("afterDeletion");
  });

  it("a different seed or variant gives a different trace hash", async () => {
    const base = JSON.parse((await buggyReport()).out).traceHash;
    const seeded = JSON.parse(
      (await cli(["run", TINY, "--variant", "buggy", "--seed", "6", "--json"])).out,
    ).traceHash;
    const fixed = JSON.parse((await cli(["run", TINY, "--variant", "fixed", "--json"])).out).traceHash;
    expect(new Set([base, seeded, fixed]).size).toBe(3);
  });

  it("writes equal trace files for equal runs, and never replaces a file it did not write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    expect((await cli(["run", TINY, "--variant", "fixed", "--trace", a, "--quiet"])).code).toBe(0);
    expect((await cli(["run", TINY, "--variant", "fixed", "--trace", b, "--quiet"])).code).toBe(0);
    const text = readFileSync(a, "utf8");
    expect(text).toBe(readFileSync(b, "utf8"));
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ seq: 0, type: "run.started", cause: null });
    for (const e of lines.slice(0, 50))
      expect(Object.keys(e).slice(0, 4)).toEqual(["t", "seq", "type", "cause"]);
    // Rewriting our own trace is fine; a user's file is protected.
    expect((await cli(["run", TINY, "--variant", "fixed", "--trace", a, "--quiet"])).code).toBe(0);
    const mine = join(dir, "notes.jsonl");
    writeFileSync(mine, "my precious notes\n");
    const refused = await cli(["run", TINY, "--trace", mine, "--quiet"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("--force");
    expect(readFileSync(mine, "utf8")).toBe("my precious notes\n");
  });

  it("writes into /dev/null without --force, and leaves it a character device", async () => {
    const r = await cli(["run", TINY, "--quiet", "--trace", "/dev/null", "--html", "/dev/null"]);
    expect(r.err).not.toContain("--force");
    expect(r.code).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("exits 0 when a buggy run cascades as the scenario expects, and 1 when an expectation fails", async () => {
    expect((await cli(["run", TINY, "--variant", "buggy", "--quiet"])).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "aftershock-"));
    const wrong = join(dir, "wrong.yaml");
    writeFileSync(wrong, readFileSync(TINY, "utf8").replace("holds: false", "holds: true"));
    const r = spawned(["run", wrong, "--variant", "buggy"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("expected no-cascade to hold");
  });

  it("reports every problem of a bad scenario with file, line and column, exit 2, no stack", () => {
    const r = spawned(["validate", join(import.meta.dirname, "fixtures", "broken.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.yaml:6:\d+: error: fleet\.workers/);
    expect(r.err).toMatch(/did you mean .?leaseTtl/);
    expect(r.err).toMatch(/broken\.yaml:9:\d+: error: .*cron/);
    expect(r.err).toMatch(/broken\.yaml:11:\d+: error: timeline\[0\]\.at: .*after the run ends/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("validates every file named, a missing one among them, and says each problem", async () => {
    const fixtures = join(import.meta.dirname, "fixtures");
    const missing = join(fixtures, "no-such.yaml");
    const r = await cli(["validate", missing, join(fixtures, "broken.yaml"), join(fixtures, "tiny.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${missing}: no such file or folder`);
    expect(r.err).toMatch(/broken\.yaml:6:\d+: error: fleet\.workers/);
    expect(r.out).toMatch(/^ok +\S*tiny\.yaml/m);
  });

  it("says a scheduler module given as a scenario is one, in one line, not YAML errors about JavaScript", async () => {
    const module = join(ROOT, "examples", "reintroduced-bug1.mjs");
    for (const command of ["validate", "run"]) {
      const r = await cli([command, module]);
      expect(r.code).toBe(2);
      // One issue: its line, and the source it points at (a code frame) under it.
      expect(issueLines(r.err)).toHaveLength(1);
      expect(r.err).toContain("reintroduced-bug1.mjs:1:1: error: this is a JavaScript or TypeScript module");
      expect(r.err).toContain("with --scheduler");
    }
  });

  it("refuses a misspelt account id in the timeline before running, rather than losing the incident", async () => {
    const bundled = readFileSync(join(ROOT, "scenarios", "single-worker-crash-loop.yaml"), "utf8");
    const typo = tempFile("typo.yaml", bundled.replace("account: acct-deleted", "account: acct-delted"));
    for (const command of ["validate", "run"]) {
      const r = await cli([command, typo, "--quiet"].slice(0, command === "run" ? 3 : 2));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /typo\.yaml:\d+:\d+: error: timeline\[0\]\.account: no account has the id "acct-delted"/,
      );
      expect(r.err).toContain("did you mean acct-deleted?");
    }
  });

  it("refuses a YAML merge key at the `<<`, exit 2, not with the keys it meant to merge missing", async () => {
    const merged = tempFile(
      "merge.yaml",
      `${readFileSync(TINY, "utf8").replace(/\ntimeline:\n.*\n/, "\n")}timeline:\n  - &k { at: "+5m", action: kill-worker, worker: w2 }\n  - { <<: *k, at: "+6m" }\n`,
    );
    const line = readFileSync(merged, "utf8").split("\n").indexOf('  - { <<: *k, at: "+6m" }') + 1;
    for (const command of ["validate", "run"]) {
      const r = await cli([command, merged]);
      expect(r.code).toBe(2);
      // One issue: its line, and the source it points at (a code frame) under it.
      expect(issueLines(r.err)).toHaveLength(1);
      expect(r.err).toContain(`merge.yaml:${line}:7: error: merge key \`<<\`: YAML merge keys`);
      expect(r.err).toContain("write the keys out");
      expect(r.err).not.toContain("missing required key");
    }
  });

  it("says a run stopped by a limit stopped early and which limit to raise, exit 2, not a failed property", async () => {
    // The caps estimate about 20,500 events and allow the run; the store outage, which the
    // estimate does not model, makes it need about 22,400. The outage ends at 09:51: from the
    // quiet point's bound, 09:56, to the stop, every due was on time.
    const limited = tempFile(
      "limited.yaml",
      'name: limited\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 30m\nworkload: { accounts: 20 }\nlimits: { maxEvents: 21500 }\nfaults: [{ at: "+1m", fault: store-outage, duration: 20m }]\n',
    );
    const r = await cli(["run", limited, "--quiet", "--variant", "fixed"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /stopped early at \d\d:\d\d:\d\d: hit the event limit \(21500 events\); all properties held up to then/,
    );
    expect(r.err).toContain("Raise limits.maxEvents (21500, at");
    expect(r.err).toContain("limited.yaml:6:22)");
    const narrated = await cli(["run", limited, "--variant", "fixed"]);
    expect(narrated.code).toBe(2);
    expect(narrated.out).toMatch(
      /\n {2}stopped early at \d\d:\d\d:\d\d: hit the event limit \(21500 events\)/,
    );
    expect(narrated.out).toMatch(/✓ no-cascade +\(not judged\)/);
    const compared = await cli(["compare", limited]);
    expect(compared.code).toBe(2);
    expect(compared.err).toContain("[fixed] stopped early at");
    expect(compared.out).toMatch(/no-cascade +✓ holds \(not judged\)/);
  });

  it("reports a scheduler module that is not there at its line and column, in validate and before a run", async () => {
    const scenario = tempFile(
      "module.yaml",
      "name: m\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nscheduler: { module: ./nonexist.js }\n",
    );
    for (const command of ["validate", "run"]) {
      const r = await cli([command, scenario]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        `module.yaml:5:22: error: scheduler.module: no scheduler module at ${join(dirname(scenario), "nonexist.js")}`,
      );
    }
  });

  it("reports a missing scheduler module with the other problems of the file, unless its entry has one", async () => {
    const scenario = tempFile(
      "modules.yaml",
      [
        "name: m",
        "description: d",
        "start: 2026-05-08T09:30:00Z",
        "duration: 10q",
        "scheduler: { module: ./gone.mjs }",
        "timeline:",
        '  - { at: "+1m", action: deploy, module: ./nope.mjs }',
        '  - { at: "+2m", action: deploy, module: ./also-gone.mjs, stepDelay: 5q }',
        '  - { at: "+3m", action: scale, workers: many }',
        "",
      ].join("\n"),
    );
    const dir = dirname(scenario);
    for (const command of ["validate", "run"]) {
      const r = await cli([command, scenario]);
      expect(r.code).toBe(2);
      const lines = issueLines(r.err)
        // `run` says it is aftershock speaking; validate's lines are only the file's problems.
        .map((line) => line.replace(/^aftershock: /, ""))
        .map((line) => (line.startsWith(scenario) ? `modules.yaml${line.slice(scenario.length)}` : line));
      // In the order of the file: the schema's problems and the missing modules in one pass.
      expect(lines[0]).toMatch(/^modules\.yaml:4:11: error: duration: /);
      expect(lines[1]).toBe(
        `modules.yaml:5:22: error: scheduler.module: no scheduler module at ${join(dir, "gone.mjs")} (a relative path is from the scenario's folder) (found "./gone.mjs")`,
      );
      expect(lines[2]).toBe(
        `modules.yaml:7:42: error: timeline[0].module: no scheduler module at ${join(dir, "nope.mjs")} (a relative path is from the scenario's folder) (found "./nope.mjs")`,
      );
      // A deploy with a problem of its own is reported for that problem alone.
      expect(lines[3]).toMatch(/^modules\.yaml:8:\d+: error: timeline\[1\]\.stepDelay: /);
      // Not said (its source line may be quoted in a code frame under its own problem).
      expect(lines.join("\n")).not.toContain("also-gone.mjs");
      expect(lines[4]).toMatch(/^modules\.yaml:9:\d+: error: timeline\[2\]\.workers/);
      expect(lines).toHaveLength(5);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it("reports a scheduler module that is not a scheduler at its line and column, in validate and every loading command", async () => {
    const head = "name: m\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\n";
    const scenario = tempFile("module.yaml", `${head}scheduler: { module: ./bad.mjs }\n`);
    const dir = dirname(scenario);
    writeFileSync(
      join(dir, "bad.mjs"),
      'export const scheduler = { name: "x", fixes: [], create() { return { name: "x", fixes: [], main: 5 }; } };\n',
    );
    const message =
      "module.yaml:5:22: error: scheduler.module: ./bad.mjs: not a scheduler: create([]) returned a scheduler whose `main` is 5";
    for (const args of [
      ["validate"],
      ["run"],
      ["compare"],
      ["gate", "--jobs", "1"],
      ["explore", "--runs", "1"],
    ]) {
      const r = await cli([...args, scenario]);
      expect(r.code, args[0]).toBe(2);
      expect(r.err, args[0]).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    // A deploy's module is placed at the deploy.
    const deploy = join(dir, "deploy.yaml");
    writeFileSync(deploy, `${head}timeline:\n  - { at: "+1m", action: deploy, module: ./bad.mjs }\n`);
    expect((await cli(["validate", deploy])).err).toContain(
      "deploy.yaml:6:42: error: timeline[0].module: ./bad.mjs: not a scheduler",
    );
    // A module that is a scheduler validates, as it runs.
    copyFileSync(join(ROOT, "examples", "reintroduced-bug1.mjs"), join(dir, "good.mjs"));
    const good = join(dir, "good.yaml");
    writeFileSync(good, `${head}scheduler: { module: ./good.mjs }\n`);
    expect(await cli(["validate", good])).toMatchObject({ code: 0, out: `ok   ${good} (m)\n`, err: "" });
  });

  it("reports an alias used before its anchor at the alias, exit 2, no stack", async () => {
    const scenario = tempFile(
      "alias.yaml",
      'name: a\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\ntimeline:\n  - *later\n  - &later { at: "+1m", action: delete-account, account: a }\n',
    );
    const r = await cli(["validate", scenario]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "alias.yaml:6:5: error: alias *later is used before its anchor &later (line 7, column 5)",
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("escapes control characters of the input it quotes in an error, so a terminal does not obey them", async () => {
    const r = await cli(["run", "no-such\u001b[31m-file"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no-such\\u001b[31m-file: no such file");
    expect(r.err).not.toContain("\u001b");
  });

  it("turns malformed YAML, a missing file and a bad flag value into exit 2", async () => {
    const malformed = await cli(["run", join(import.meta.dirname, "fixtures", "malformed.yaml")]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/malformed\.yaml:\d+:\d+: error/);
    const missing = await cli(["run", "no/such/file.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such file");
    for (const args of [
      ["run", TINY, "--variant", "sideways"],
      ["run", TINY, "--seed", "-1"],
      ["run", TINY, "--until", "23:00"],
      ["run", TINY, "--scheduler", "v9.js"],
      ["compare", TINY, "--variants", "buggy"],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toMatch(/^aftershock: /);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it("colours when asked: ANSI with FORCE_COLOR", () => {
    // The process's environment is the claim, not the run's length: its first minute is reported
    // in the same paints as the whole. Plain with NO_COLOR, as every other process here runs, in
    // cli-process.long.test.ts.
    const argv = ["run", TINY, "--variant", "fixed", "--until", "+1m"];
    const ESC = String.fromCharCode(27);
    const coloured = spawned(argv, { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(coloured.code, coloured.err).toBe(0);
    expect(coloured.out.includes(`${ESC}[`)).toBe(true);
  });

  it("compare shows both variants and where they diverge; why explains a crash", async () => {
    const c = await cli(["compare", TINY]);
    expect(c.code).toBe(0);
    expect(c.out).toContain("First divergence");
    expect(c.out).toMatch(/buggy[\s\S]*fixed/);
    const w = await cli(["why", TINY, "--variant", "buggy", "w1"]);
    const anyCrash = w.code === 0 ? w : await cli(["why", TINY, "--variant", "buggy", "w2"]);
    expect(anyCrash.code).toBe(0);
    expect(anyCrash.out).toMatch(/account acct-deleted deleted/);
    expect(anyCrash.out).toMatch(/died: TypeError/);
  });

  // Three processes, one after another: the time given is a loaded machine's, which starts each slowly.
  it("refuses an output file that its stdout or stderr is redirected to, even with --force, and loses nothing", () => {
    const { dir, sh } = redirectFolder();
    const run = `'${process.execPath}' '${BIN}' run '${TINY}' --quiet --force`;
    const gate = `'${process.execPath}' '${BIN}' gate '${join(ROOT, "test/gate/fixtures/pass/small-cascade.yaml")}' --jobs 1`;
    // The long tier (cli-process.long.test.ts) has `>` alone, and a hard link, which the same
    // check of the file's device and inode finds.
    const cases: RedirectCase[] = [
      { line: `${run} --html ./log.html >> log.html`, file: "log.html", stream: "stdout", before: "kept\n" },
      // A symbolic link to it is the same file: named as the output was written, never as the redirect's.
      {
        line: `${run} --trace xlink > x.txt`,
        file: "x.txt",
        stream: "stdout",
        before: "",
        link: "xlink",
      },
      // The gate accepts an empty --junit file without --force: the shell's `2>` made one.
      { line: `${gate} --junit err.xml 2> err.xml`, file: "err.xml", stream: "stderr", before: "" },
    ];
    expectRedirectsRefused(dir, sh, cases);
    expect(readdirSync(dir).sort()).toEqual(["err.xml", "log.html", "x.txt", "xlink"]);
  }, 120_000);

  it("lists bundled scenarios, prints the schema, and validates the bundled folder", async () => {
    const list = await cli(["list"]);
    expect(list.code).toBe(0);
    expect(list.out).toContain("qstash-2026-05-08");
    const schema = await cli(["schema"]);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.out)).toHaveProperty("properties");
    expect((await cli(["validate", "scenarios/"])).code).toBe(0);
  });
});
