// Shows that a scheduler module given with --scheduler has one name, and so one trace hash, however its path is typed (through a symbolic link too) and wherever the command runs, and that the gate's reproduce line replays its run.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commandLineModuleName, scenarioModuleName } from "../../src/cli/load.js";
import { moduleSchedulerName } from "../../src/scenario/compile.js";
import { cli } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const EXAMPLE = join(ROOT, "examples", "reintroduced-bug1.mjs");
const home = process.cwd();

afterEach(() => process.chdir(home));

/** A checkout-like folder: `scenarios/tiny.yaml` and `mods/bug.mjs`. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-module-"));
  mkdirSync(join(dir, "scenarios"));
  mkdirSync(join(dir, "mods"));
  copyFileSync(TINY, join(dir, "scenarios", "tiny.yaml"));
  copyFileSync(EXAMPLE, join(dir, "mods", "bug.mjs"));
  return dir;
}

interface Report {
  traceHash: string;
  variant: { scheduler: string };
  timeline: { text: string }[];
}

async function runFrom(cwd: string, args: string[]): Promise<Report> {
  process.chdir(cwd);
  const r = await cli(["run", ...args, "--json"]);
  expect(r.err).toBe("");
  return JSON.parse(r.out) as Report;
}

describe("a --scheduler module's name", () => {
  it("is its path from the scenario's folder, normalised as a scenario would write it", () => {
    for (const path of ["x.mjs", "./x.mjs", "lib/../x.mjs", ".//x.mjs"])
      expect(moduleSchedulerName(path)).toBe("module:./x.mjs");
    expect(moduleSchedulerName("../mods/./x.mjs")).toBe("module:../mods/x.mjs");
    expect(moduleSchedulerName("/abs/./lib/../x.mjs")).toBe("module:/abs/x.mjs");
    expect(commandLineModuleName("mods/x.mjs", "scenarios/a.yaml", "/repo")).toBe("module:../mods/x.mjs");
    expect(commandLineModuleName("/repo/mods/x.mjs", "a.yaml", "/repo/scenarios")).toBe(
      "module:../mods/x.mjs",
    );
    expect(commandLineModuleName("x.mjs", "/elsewhere/a.yaml", "/elsewhere")).toBe("module:./x.mjs");
  });

  it("is the same for a module a scenario names, however the file spells its path", () => {
    for (const written of ["/repo/scenarios/x.mjs", "./x.mjs", "../scenarios/x.mjs"])
      expect(scenarioModuleName(written, "scenarios/a.yaml", "/repo")).toBe("module:./x.mjs");
    expect(scenarioModuleName("/repo/mods/x.mjs", "/repo/scenarios/a.yaml", "/elsewhere")).toBe(
      "module:../mods/x.mjs",
    );
    expect(scenarioModuleName("../mods/x.mjs", "scenarios/a.yaml", "/repo")).toBe("module:../mods/x.mjs");
  });

  it("gives one trace hash however the path is typed, from any folder, as the scenario naming it does", async () => {
    const dir = project();
    const scenario = join(dir, "scenarios", "tiny.yaml");
    const runs = [
      await runFrom(dir, ["scenarios/tiny.yaml", "--scheduler", "mods/bug.mjs"]),
      await runFrom(dir, ["./scenarios/tiny.yaml", "--scheduler", "./mods/bug.mjs"]),
      await runFrom(dir, [scenario, "--scheduler", join(dir, "mods", "bug.mjs")]),
      await runFrom(join(dir, "scenarios"), ["tiny.yaml", "--scheduler", "../mods/bug.mjs"]),
      await runFrom(join(dir, "mods"), ["../scenarios/tiny.yaml", "--scheduler", "bug.mjs"]),
      await runFrom(tmpdir(), [scenario, "--scheduler", join(dir, "mods", "bug.mjs")]),
    ];
    for (const r of runs) {
      expect(r.variant.scheduler).toBe("module:../mods/bug.mjs");
      expect(r.traceHash).toBe(runs[0].traceHash);
    }
    // The same file named inside the scenario.
    const named = join(dir, "scenarios", "named.yaml");
    writeFileSync(named, `${readFileSync(scenario, "utf8")}scheduler: { module: ../mods/bug.mjs }\n`);
    expect((await runFrom(tmpdir(), [named])).traceHash).toBe(runs[0].traceHash);
  });

  it("says where in the module a panic came from, as the trace names the module, from any project folder", async () => {
    // The example's nil dereference: `account.id` of a deleted account, read at its `id`.
    const lines = readFileSync(EXAMPLE, "utf8").split("\n");
    const line = lines.findIndex((l) => l.includes("account: account.id")) + 1;
    const column = lines[line - 1].indexOf("account.id") + "account.".length + 1;
    const [here, there] = [project(), project()];
    const runs = [
      await runFrom(here, ["scenarios/tiny.yaml", "--scheduler", "mods/bug.mjs"]),
      await runFrom(tmpdir(), [
        join(there, "scenarios", "tiny.yaml"),
        "--scheduler",
        join(there, "mods", "bug.mjs"),
      ]),
    ];
    for (const r of runs) {
      expect(r.timeline.map((e) => e.text)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^first panic: w\\d died: panic in task sched-poison@\\S+ at \\.\\./mods/bug\\.mjs:${line}:${column} \\(TypeError: Cannot read properties of undefined \\(reading 'id'\\)\\)$`,
          ),
        ),
      );
      expect(r.traceHash).toBe(runs[0].traceHash);
    }
  });

  it("places a panic in the module's own file, not in a file it imports whose path ends alike", async () => {
    // `./bug.mjs` calls a helper `./lib/bug.mjs`, which dereferences the deleted account: the
    // place is the module's call into it, not the helper's line under the module's name.
    const dir = project();
    const source = readFileSync(EXAMPLE, "utf8").replace("account: account.id,", "account: idOf(account),");
    writeFileSync(join(dir, "mods", "bug.mjs"), `import { idOf } from "./lib/bug.mjs";\n${source}`);
    mkdirSync(join(dir, "mods", "lib"));
    writeFileSync(
      join(dir, "mods", "lib", "bug.mjs"),
      "export function idOf(account) {\n  return account.id;\n}\n",
    );
    copyFileSync(TINY, join(dir, "mods", "tiny.yaml"));
    const lines = source.split("\n");
    const line = lines.findIndex((l) => l.includes("account: idOf(account)")) + 2;
    const column = lines[line - 2].indexOf("idOf(") + 1;
    const r = await runFrom(dir, ["mods/tiny.yaml", "--scheduler", "mods/bug.mjs"]);
    const panics = r.timeline.map((e) => e.text).filter((t) => t.includes(" died: panic in "));
    expect(panics.length).toBeGreaterThan(0);
    for (const text of panics) expect(text).toContain(` at ./bug.mjs:${line}:${column} (TypeError`);
    // compare runs each variant on a worker thread, which imports the module anew: placed alike.
    const c = await cli([
      "compare",
      "mods/tiny.yaml",
      "--scheduler",
      "mods/bug.mjs",
      "--variants",
      "fixed",
      "--json",
    ]);
    expect(c.err).toBe("");
    const variants = (
      JSON.parse(c.out) as { variants: { variant: { scheduler: string }; traceHash: string }[] }
    ).variants;
    expect(variants.find((v) => v.variant.scheduler === "module:./bug.mjs")?.traceHash).toBe(r.traceHash);
  });

  it("gives one trace hash for an absolute path through a link to the project, as $PWD writes it there", async () => {
    // A shell in a folder reached through a link has the link in $PWD, while the process's working
    // folder is the real one: `--scheduler "$PWD/mods/bug.mjs"` is the same file as `mods/bug.mjs`.
    const dir = project();
    const link = join(mkdtempSync(join(tmpdir(), "aftershock-link-")), "checkout");
    symlinkSync(dir, link);
    const typed = await runFrom(dir, ["scenarios/tiny.yaml", "--scheduler", "mods/bug.mjs"]);
    const throughLink = await runFrom(dir, [
      "scenarios/tiny.yaml",
      "--scheduler",
      join(link, "mods", "bug.mjs"),
    ]);
    expect(throughLink.variant.scheduler).toBe("module:../mods/bug.mjs");
    expect(throughLink.traceHash).toBe(typed.traceHash);
    const named = join(dir, "scenarios", "named.yaml");
    writeFileSync(
      named,
      `${readFileSync(join(dir, "scenarios", "tiny.yaml"), "utf8")}scheduler: { module: ${join(link, "mods", "bug.mjs")} }\n`,
    );
    expect((await runFrom(tmpdir(), [named])).traceHash).toBe(typed.traceHash);
  });

  it("keeps the name a scenario writes for a module in a linked folder that lives elsewhere", () => {
    // scenarios/../shared is a link to a folder outside the project: its modules keep their name
    // in the project, wherever the folder it points to is.
    const dir = project();
    const elsewhere = mkdtempSync(join(tmpdir(), "aftershock-shared-"));
    copyFileSync(EXAMPLE, join(elsewhere, "x.mjs"));
    symlinkSync(elsewhere, join(dir, "shared"));
    expect(scenarioModuleName("../shared/x.mjs", "scenarios/tiny.yaml", dir)).toBe("module:../shared/x.mjs");
    expect(commandLineModuleName(join(elsewhere, "x.mjs"), "scenarios/tiny.yaml", dir)).toBe(
      `module:${relative(join(dir, "scenarios"), join(elsewhere, "x.mjs"))}`,
    );
  });

  it("gives the gate the same traces from another working folder", async () => {
    const dir = project();
    const gate = async (cwd: string, args: string[]) => {
      process.chdir(cwd);
      const r = await cli(["gate", ...args, "--json", "--jobs", "1"]);
      const report = JSON.parse(r.out) as { suites: { cases: { message: string; details: string }[] }[] };
      return report.suites[0].cases.map((k) => `${k.message}\n${k.details}`.replace(/\S*tiny\.yaml/g, "…"));
    };
    const one = await gate(dir, ["scenarios/tiny.yaml", "--scheduler", "mods/bug.mjs"]);
    const other = await gate(join(dir, "mods"), [
      join(dir, "scenarios", "tiny.yaml"),
      "--scheduler",
      "bug.mjs",
    ]);
    expect(other.map((t) => t.replace(/--scheduler \S+/g, ""))).toEqual(
      one.map((t) => t.replace(/--scheduler \S+/g, "")),
    );
    expect(one.join("\n")).toMatch(/gave the same trace \([0-9a-f]{16}, \d+ events\)/);
  });
});

/** The tiny world with a rollout of v2 with both fixes after the deletion, and expectations that fail. */
function rolloutScenario(dir: string): string {
  const file = join(dir, "scenarios", "rollout.yaml");
  const tiny = readFileSync(TINY, "utf8")
    .replace("name: tiny-may8", "name: rollout")
    .replace(/^expect:[\s\S]*$/m, "");
  writeFileSync(
    file,
    `${tiny.replace(
      /^timeline:\n.*\n/m,
      (t) =>
        `${t}  - { at: "09:46:00", action: deploy, scheduler: v2, fixes: [early-return, panic-recovery] }\n`,
    )}expect:
  - { variant: buggy, property: no-cascade, holds: true }
  - { variant: early-return, metric: panicDeaths, op: "==", value: 0 }
  - { variant: fixed, property: deleted-schedules-cleaned, holds: true }
`,
  );
  return file;
}

interface GateCaseJson {
  name: string;
  status: string;
  details: string;
}

/** The trace hash each failed case's run had, and the command its `reproduce:` line gives. */
async function reproductions(args: string[]): Promise<{ name: string; hash: string; command: string[] }[]> {
  const r = await cli(["gate", ...args, "--json", "--jobs", "1"]);
  const report = JSON.parse(r.out) as { suites: { cases: GateCaseJson[] }[] };
  const failed = report.suites[0].cases.filter((k) => k.status === "failed");
  expect(failed.length).toBeGreaterThan(0);
  return failed.map((k) => {
    const hash = /^run: .*, trace ([0-9a-f]{16}), \d+ events$/m.exec(k.details)?.[1] ?? "";
    const line = /^reproduce: aftershock (.*)$/m.exec(k.details)?.[1] ?? "";
    return { name: k.name, hash, command: line.split(" ") };
  });
}

describe("a --scheduler module's name for a bundled scenario", () => {
  /**
   * A project that installs aftershock at `install` (a path in node_modules, linked to this
   * checkout as npm link or pnpm do), with `mods/bug.mjs`; `packageJson` false for a folder that
   * is no project.
   */
  function installed(install: string, packageJson = true): { dir: string; bundled: string } {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-install-"));
    mkdirSync(join(dir, "mods"));
    copyFileSync(EXAMPLE, join(dir, "mods", "bug.mjs"));
    if (packageJson) writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    mkdirSync(join(dir, install, ".."), { recursive: true });
    symlinkSync(ROOT, join(dir, install), "dir");
    return { dir, bundled: join(install, "scenarios", "single-worker-crash-loop.yaml") };
  }

  it("is its path from its project's folder, however deep aftershock is installed and wherever the command runs", () => {
    const npm = installed("node_modules/aftershock");
    const pnpm = installed("node_modules/.pnpm/aftershock@0.1.0/node_modules/aftershock");
    for (const { dir, bundled } of [npm, pnpm]) {
      expect(commandLineModuleName("mods/bug.mjs", bundled, dir)).toBe("module:./mods/bug.mjs");
      expect(commandLineModuleName("bug.mjs", join("..", bundled), join(dir, "mods"))).toBe(
        "module:./mods/bug.mjs",
      );
    }
    // The bundled file itself, as `run single-worker-crash-loop` finds it by name.
    const byName = join(ROOT, "scenarios", "single-worker-crash-loop.yaml");
    expect(commandLineModuleName(join(npm.dir, "mods", "bug.mjs"), byName, tmpdir())).toBe(
      "module:./mods/bug.mjs",
    );
    // With no package.json above the module, from its repository's root (a `.git` folder, or the
    // file a worktree or submodule has), whatever the working folder.
    const repo = installed("node_modules/aftershock", false);
    mkdirSync(join(repo.dir, ".git"));
    expect(commandLineModuleName("mods/bug.mjs", repo.bundled, repo.dir)).toBe("module:./mods/bug.mjs");
    expect(commandLineModuleName("bug.mjs", join("..", repo.bundled), join(repo.dir, "mods"))).toBe(
      "module:./mods/bug.mjs",
    );
    const worktree = installed("node_modules/aftershock", false);
    writeFileSync(join(worktree.dir, ".git"), "gitdir: /elsewhere/.git/worktrees/w\n");
    expect(commandLineModuleName("mods/bug.mjs", worktree.bundled, worktree.dir)).toBe(
      "module:./mods/bug.mjs",
    );
    // The nearest of the two: a repository below a folder with a package.json of its own.
    const outer = mkdtempSync(join(tmpdir(), "aftershock-outer-"));
    writeFileSync(join(outer, "package.json"), "{}\n");
    mkdirSync(join(outer, "repo", "mods"), { recursive: true });
    mkdirSync(join(outer, "repo", ".git"));
    copyFileSync(EXAMPLE, join(outer, "repo", "mods", "bug.mjs"));
    expect(commandLineModuleName(join(outer, "repo", "mods", "bug.mjs"), byName, outer)).toBe(
      "module:./mods/bug.mjs",
    );
    // With neither, from the module's own folder: not from the working folder, which would give
    // `module:./mods/bug.mjs` from one folder and `module:./bug.mjs` from another.
    const bare = installed("node_modules/aftershock", false);
    expect(commandLineModuleName("mods/bug.mjs", bare.bundled, bare.dir)).toBe("module:./bug.mjs");
    expect(commandLineModuleName("bug.mjs", join("..", bare.bundled), join(bare.dir, "mods"))).toBe(
      "module:./bug.mjs",
    );
    // A scenario of the user's keeps the rule of its own folder.
    expect(commandLineModuleName("mods/bug.mjs", "scenarios/a.yaml", npm.dir)).toBe("module:../mods/bug.mjs");
  });

  it("gives one trace hash from two installs of different depth", async () => {
    const hashes: string[] = [];
    for (const install of ["node_modules/aftershock", "node_modules/.pnpm/a@1/node_modules/aftershock"]) {
      const { dir, bundled } = installed(install);
      const r = await runFrom(dir, [bundled, "--scheduler", "mods/bug.mjs"]);
      expect(r.variant.scheduler).toBe("module:./mods/bug.mjs");
      hashes.push(r.traceHash);
      expect(
        (await runFrom(dir, ["single-worker-crash-loop", "--scheduler", "mods/bug.mjs"])).traceHash,
      ).toBe(r.traceHash);
    }
    expect(hashes[1]).toBe(hashes[0]);
  });

  it("is found again by report from the working folder's project, and only where the file is", async () => {
    const { dir } = installed("node_modules/aftershock", false);
    mkdirSync(join(dir, ".git"));
    process.chdir(dir);
    const run = await cli(["run", "single-worker-crash-loop", "--scheduler", "mods/bug.mjs", "--json"]);
    expect(run.err).toBe("");
    const saved = join(dir, "saved.json");
    writeFileSync(saved, run.out);
    const reproduce = async (cwd: string): Promise<string> => {
      process.chdir(cwd);
      const md = join(mkdtempSync(join(tmpdir(), "aftershock-md-")), "r.md");
      const r = await cli(["report", saved, "-o", md]);
      expect(r.code, r.err).toBe(0);
      return /^Reproduce: `(.*)`$/m.exec(readFileSync(md, "utf8"))?.[1] ?? "";
    };
    const line = "aftershock run single-worker-crash-loop --seed 11 --scheduler";
    expect(await reproduce(dir)).toBe(`${line} mods/bug.mjs`);
    expect(await reproduce(join(dir, "mods"))).toBe(`${line} bug.mjs`);
    // Another project, where no such file is: not a path that names nothing.
    const other = mkdtempSync(join(tmpdir(), "aftershock-other-"));
    writeFileSync(join(other, "package.json"), "{}\n");
    expect(await reproduce(other)).toBe(`${line} <module ./mods/bug.mjs, from the folder of its project>`);
  });
});

describe("the gate's reproduce line for a --scheduler module", () => {
  it("is a run command that gives the judged run's trace hash, the rollout deploying the module too", async () => {
    const dir = project();
    writeFileSync(
      join(dir, "mods", "norecover.mjs"),
      readFileSync(EXAMPLE, "utf8")
        .replace('fixes: ["early-return", "panic-recovery"],', "fixes: [],")
        .replace('const panicRecovery = fixes.includes("panic-recovery");', "const panicRecovery = false;"),
    );
    process.chdir(dir);
    rolloutScenario(dir);
    const found = [
      ...(await reproductions(["scenarios/rollout.yaml", "--scheduler", "mods/bug.mjs"])),
      ...(await reproductions([
        "scenarios/tiny.yaml",
        "--scheduler",
        "./mods/norecover.mjs",
        "--explore",
        "1",
      ])),
    ];
    expect(found.map((f) => f.name)).toEqual([
      "rollout [buggy] no-cascade",
      "rollout [early-return] panicDeaths == 0",
      "rollout [fixed] deleted-schedules-cleaned",
      "tiny-may8 [fixed] no-panic-death",
      "tiny-may8 [fixed] explore seed 6",
    ]);
    expect(found[1].command).toEqual(
      "run scenarios/rollout.yaml --scheduler mods/bug.mjs --fix early-return --seed 5".split(" "),
    );
    for (const { hash, command } of found) {
      expect(command[0]).toBe("run");
      const r = await cli([...command, "--json"]);
      expect((JSON.parse(r.out) as Report).traceHash).toBe(hash);
    }
  });
});

describe("run's own Reproduce line with a --scheduler module", () => {
  it("names the module, its fixes and --until, and gives the same trace hash", async () => {
    const dir = project();
    process.chdir(dir);
    const args = ["scenarios/tiny.yaml", "--scheduler", "mods/bug.mjs", "--fix", "panic-recovery"];
    const first = await cli(["run", ...args, "--until", "09:48"]);
    const line = /^Reproduce: aftershock (.*)$/m.exec(first.out)?.[1] ?? "";
    expect(line).toBe(
      "run scenarios/tiny.yaml --seed 5 --scheduler mods/bug.mjs --fix panic-recovery --until 09:48",
    );
    const again = await cli([...line.split(" "), "--quiet"]);
    const hash = (out: string) => /trace ([0-9a-f]{16})/.exec(out)?.[1];
    expect(hash(again.out)).toBe(hash(first.out));
  });
});

describe("a deploy of v2 asking for fixes the --scheduler module does not list", () => {
  /** `mods/bug.mjs` listing only `fixes`. */
  function listing(dir: string, name: string, fixes: string): void {
    const text = readFileSync(EXAMPLE, "utf8").replace(
      'fixes: ["early-return", "panic-recovery"],',
      `fixes: [${fixes}],`,
    );
    writeFileSync(join(dir, "mods", name), text);
  }

  it("deploys the module without them, and says so on stderr at the deploy's line: the run goes on", async () => {
    const dir = project();
    listing(dir, "recover-only.mjs", '"panic-recovery"');
    listing(dir, "single.mjs", "");
    process.chdir(dir);
    const file = rolloutScenario(dir);
    const line =
      readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("action: deploy")) + 1;
    const at = `aftershock: scenarios/rollout.yaml:${line}:5: warning: the deploy of v2 at 09:46:00 (timeline[1])`;
    const one = await cli([
      "run",
      "scenarios/rollout.yaml",
      "--scheduler",
      "mods/recover-only.mjs",
      "--quiet",
    ]);
    expect(one.err).toBe(
      `${at} asks for early-return, which mods/recover-only.mjs in its place does not list (it lists panic-recovery): deployed without it\n`,
    );
    // Not a usage error: the run is judged as before (it cascades before the deploy).
    expect(one.code).toBe(1);
    expect(one.out).toMatch(/trace [0-9a-f]{16}, cascade depth \d+, failed: no-cascade/);
    const none = await cli(["run", "scenarios/rollout.yaml", "--scheduler", "mods/single.mjs", "--json"]);
    expect(none.err).toBe(
      `${at} asks for early-return, panic-recovery, which mods/single.mjs in its place does not list (it lists no fixes): deployed without them\n`,
    );
    expect(JSON.parse(none.out)).toHaveProperty("traceHash");
  });

  it("is not said of a module that lists the fixes, nor of a deploy after the run's end", async () => {
    const dir = project();
    listing(dir, "single.mjs", "");
    process.chdir(dir);
    rolloutScenario(dir);
    const all = await cli(["run", "scenarios/rollout.yaml", "--scheduler", "mods/bug.mjs", "--quiet"]);
    expect(all.err).toBe("");
    const before = [
      "run",
      "scenarios/rollout.yaml",
      "--scheduler",
      "mods/single.mjs",
      "--until",
      "09:45",
      "--quiet",
    ];
    expect((await cli(before)).err).toBe("");
    // A run that ends at the deploy's time reaches it (the world applies it at that instant).
    const at = await cli([
      "run",
      "scenarios/rollout.yaml",
      "--scheduler",
      "mods/single.mjs",
      "--until",
      "09:46",
      "--quiet",
    ]);
    expect(at.err).toMatch(
      /warning: the deploy of v2 at 09:46:00 \(timeline\[1\]\) asks for early-return, panic-recovery/,
    );
  });

  it("is said by the gate too, once per deploy, with or without --json", async () => {
    const dir = project();
    listing(dir, "recover-only.mjs", '"panic-recovery"');
    process.chdir(dir);
    rolloutScenario(dir);
    const warning =
      /^aftershock: scenarios\/rollout\.yaml:\d+:5: warning: the deploy of v2 at 09:46:00 \(timeline\[1\]\) asks for early-return, which mods\/recover-only\.mjs in its place does not list \(it lists panic-recovery\): deployed without it$/m;
    const args = ["gate", "scenarios/rollout.yaml", "--scheduler", "mods/recover-only.mjs", "--jobs", "1"];
    const human = await cli(args);
    expect(human.err).toMatch(warning);
    expect(human.err.match(/warning: the deploy/g)).toHaveLength(1); // not once per variant or run
    // The warning is the one `run` gives for the same module and scenario.
    const run = await cli([
      "run",
      "scenarios/rollout.yaml",
      "--scheduler",
      "mods/recover-only.mjs",
      "--quiet",
    ]);
    expect(human.err).toContain(run.err);
    const json = await cli([...args, "--json", "--markdown", "summary.md"]);
    expect(json.err).toMatch(warning);
    const report = JSON.parse(json.out);
    expect(report).toHaveProperty("exitCode", human.code);
    // The JSON and the Markdown summary keep it too (a CI log's stderr is easily missed).
    const said = warning.exec(json.err)![0].replace(/^aftershock: /, "");
    expect(report.warnings).toEqual([said]);
    expect(readFileSync("summary.md", "utf8")).toContain(`Warning:\n\n- ${said.replace(/[[\]]/g, "\\$&")}`);
    // A module that lists the fixes deploys them: nothing to say.
    const listed = await cli([
      "gate",
      "scenarios/rollout.yaml",
      "--scheduler",
      "mods/bug.mjs",
      "--jobs",
      "1",
      "--json",
    ]);
    expect(listed.err).not.toMatch(/warning: the deploy/);
    expect(JSON.parse(listed.out).warnings).toEqual([]);
  });
});
