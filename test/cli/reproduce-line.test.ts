// Shows the Reproduce line of run and compare (terminal, Markdown, HTML) names a scenario so that the command runs on another machine: a bundled scenario by its name (through a symbolic link too), a file by its path from the working directory.
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledScenarioDir } from "../../src/cli/bundled-scenarios.js";
import { scenarioArgument } from "../../src/cli/load.js";
import { cli, tmp } from "../explore/cli-helpers.js";
import { shellArguments } from "../report/shell-arguments.js";
import {
  A_SINGLE_QUOTE,
  exploreReadBack,
  gateReadBack,
  lineAfter,
  runAndCompareReadBack,
} from "./pasted-commands.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const CWD = process.cwd();

let dir: string;
beforeAll(() => {
  dir = tmp();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("scenarioArgument", () => {
  it("names a bundled scenario by its name, however it was reached", () => {
    const file = join(bundledScenarioDir(), "quiet-day.yaml");
    expect(scenarioArgument(file, CWD)).toBe("quiet-day");
    expect(scenarioArgument(relative(CWD, file), CWD)).toBe("quiet-day");
  });

  it("names a bundled scenario by its name when it is reached through a symbolic link", () => {
    // As in a pnpm or `npm link` install, where node_modules/aftershock is a link to the package.
    const link = join(dir, "linked-scenarios");
    symlinkSync(bundledScenarioDir(), link);
    expect(scenarioArgument(join(link, "quiet-day.yaml"), CWD)).toBe("quiet-day");
    expect(scenarioArgument("linked-scenarios/quiet-day.yaml", dir)).toBe("quiet-day");
  });

  it("names a file inside the working directory by its path from there", () => {
    expect(scenarioArgument(TINY, CWD)).toBe(join("test", "cli", "fixtures", "tiny.yaml"));
    expect(scenarioArgument("./x.yaml", "/home/me/project")).toBe("x.yaml");
    expect(scenarioArgument("/home/me/project/s/x.yaml", "/home/me/project")).toBe("s/x.yaml");
  });

  it("keeps the absolute path of a file outside the working directory", () => {
    expect(scenarioArgument("/srv/scenarios/x.yaml", "/home/me/project")).toBe("/srv/scenarios/x.yaml");
    expect(scenarioArgument("../x.yaml", "/home/me/project")).toBe("/home/me/x.yaml");
  });

  it("writes a path that starts with a dash as ./-…, so a command does not take it for an option", () => {
    expect(scenarioArgument("-dash.yaml", "/home/me/project")).toBe("./-dash.yaml");
    expect(scenarioArgument("/home/me/project/-out/x.yaml", "/home/me/project")).toBe("./-out/x.yaml");
    expect(scenarioArgument("/home/me/-x.yaml", "/home/me/project")).toBe("/home/me/-x.yaml");
  });

  it("gives the path as it is, for the command line to quote", () => {
    expect(scenarioArgument("/p/my scenarios/it's.yaml", "/p")).toBe("my scenarios/it's.yaml");
  });
});

describe("the Reproduce line of a report", () => {
  it("run: a bundled scenario typed by name is named so in the terminal, Markdown and HTML", async () => {
    const md = join(dir, "run.md");
    const html = join(dir, "run.html");
    const r = await cli("run", "single-worker-crash-loop", "--markdown", md, "--html", html);
    const line = "aftershock run single-worker-crash-loop --seed ";
    expect(r.out).toContain(`Reproduce: ${line}`);
    expect(readFileSync(md, "utf8")).toContain(`Reproduce: \`${line}`);
    expect(readFileSync(html, "utf8")).toContain(`Reproduce: <code>${line}`);
    for (const text of [r.out, readFileSync(md, "utf8"), readFileSync(html, "utf8")])
      expect(text).not.toContain(bundledScenarioDir());
  });

  it("compare: a scenario file is named by its path from the working directory, or absolute outside it", async () => {
    const md = join(dir, "compare.md");
    // Typed as an absolute path inside the working directory: shared as the path from there.
    const r = await cli("compare", TINY, "--markdown", md);
    const line = `aftershock compare ${join("test", "cli", "fixtures", "tiny.yaml")} --seed `;
    expect(readFileSync(md, "utf8")).toContain(`Reproduce: \`${line}`);
    expect(r.out).toContain(`\nReproduce: ${line}`); // the terminal says it too
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    copyFileSync(TINY, join(elsewhere, "tiny.yaml"));
    await cli("compare", join(elsewhere, "tiny.yaml"), "--markdown", md, "--force");
    expect(readFileSync(md, "utf8")).toContain(
      `Reproduce: \`aftershock compare ${join(elsewhere, "tiny.yaml")} --seed `,
    );
  });
});

describe("a printed command pasted into a shell gives back its arguments", () => {
  // The quote's folder takes every step of the quoting a space's does (a word in single quotes),
  // and its own: the space's folder in reproduce-line.long.test.ts.
  it.each([A_SINGLE_QUOTE])(
    "run, compare and the Markdown report: a path with %s",
    (_, folder, name, module) => runAndCompareReadBack(dir, folder, name, module),
  );

  it.each([A_SINGLE_QUOTE])(
    "gate: a failed case, with and without --scheduler, and the golden update: %s",
    (_, folder, name, module) => gateReadBack(dir, folder, name, module),
  );

  it.each([A_SINGLE_QUOTE])("explore: the replay of a reproducer in a folder with %s", (_, folder) =>
    exploreReadBack(dir, folder),
  );
});

describe("every printed run command names the scenario as run and compare do", () => {
  it("gate: a bundled scenario by its name", async () => {
    const module = join(dir, "norecover.mjs");
    const example = readFileSync(
      join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs"),
      "utf8",
    );
    writeFileSync(module, example.replace('fixes.includes("panic-recovery")', "false"));
    const file = join(bundledScenarioDir(), "single-worker-crash-loop.yaml");
    const r = await cli("gate", relative(CWD, file), "--scheduler", module, "--jobs", "1");
    expect(r.code, r.err).toBe(1);
    expect(lineAfter(r.out, "reproduce:")).toBe(
      `aftershock run single-worker-crash-loop --scheduler ${module} --fix early-return,panic-recovery --seed 11`,
    );
  });

  it("gate: a file by its path from the working directory, however it was typed", async () => {
    const at = join(dir, "typed");
    mkdirSync(at);
    const failing = readFileSync(TINY, "utf8").replace(
      "property: no-panic-death, holds: true",
      "property: no-panic-death, holds: false",
    );
    writeFileSync(join(at, "g.yaml"), failing);
    process.chdir(at);
    try {
      const gate = await cli("gate", "./g.yaml", "--jobs", "1");
      expect(lineAfter(gate.out, "reproduce:")).toBe("aftershock run g.yaml --variant fixed");
      // A gate command names the file as the gate was given it: gate takes files, not bundled names.
      expect(gate.out).toContain("run `aftershock gate ./g.yaml --update-golden` to pin it");
    } finally {
      process.chdir(CWD);
    }
  });

  it("explore: a reproducer by its path from the working directory, however --out was typed", async () => {
    const at = join(dir, "explored");
    mkdirSync(at);
    copyFileSync(TINY, join(at, "tiny.yaml"));
    process.chdir(at);
    try {
      const out = join(at, "repro");
      const r = await cli(
        "explore",
        "tiny.yaml",
        "--variant",
        "buggy",
        "--runs",
        "1",
        "--jobs",
        "1",
        "--out",
        out,
      );
      expect(r.code, r.err).toBe(1);
      expect(lineAfter(r.out, "replay:")).toMatch(/^aftershock run repro\/tiny-may8-buggy-[\w-]+\.yaml$/);
    } finally {
      process.chdir(CWD);
    }
  });
});

describe("the Reproduce line report rebuilds from a saved run is the one run wrote", () => {
  const MODULE = relative(CWD, join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs"));

  /** The Reproduce lines of `run <argv>`'s Markdown, and of `report` from its --json and its trace. */
  async function lines(name: string, argv: readonly string[]): Promise<string[]> {
    const at = (f: string) => join(dir, `${name}.${f}`);
    const r = await cli("run", ...argv, "--json", "--trace", at("jsonl"), "--markdown", at("md"));
    writeFileSync(at("json"), r.out);
    await cli("report", at("json"), "-o", at("j.md"));
    await cli("report", at("jsonl"), "-o", at("t.md"));
    return ["md", "j.md", "t.md"].map((f) => lineAfter(readFileSync(at(f), "utf8"), "Reproduce:"));
  }

  it("keeps --until when the run was to end before its scenario, however it was typed", async () => {
    const got = await lines("until", ["single-worker-crash-loop", "--variant", "buggy", "--until", "+10m"]);
    const line = "`aftershock run single-worker-crash-loop --seed 11 --variant buggy --until 09:50`";
    expect(got).toEqual([line, line, line]);
  });

  it("keeps --scheduler MODULE, by its path from the working folder for a bundled scenario", async () => {
    const got = await lines("module", ["single-worker-crash-loop", "--scheduler", MODULE]);
    const line = `\`aftershock run single-worker-crash-loop --seed 11 --scheduler ${MODULE}\``;
    expect(got).toEqual([line, line, line]);
  });

  it("says what to fill in for a scenario file and a module it cannot know", async () => {
    const got = await lines("file", [TINY, "--scheduler", MODULE, "--until", "09:45:30"]);
    expect(got[0]).toBe(
      `\`aftershock run ${relative(CWD, TINY)} --seed 5 --scheduler ${MODULE} --until 09:45:30\``,
    );
    const rebuilt =
      "`aftershock run <file of the scenario tiny-may8> --seed 5 --scheduler <module ../../../examples/reintroduced-bug1.mjs, from the folder of the scenario tiny-may8> --until 09:45:30`";
    expect(got.slice(1)).toEqual([rebuilt, rebuilt]);
  });
});

describe("the Reproduce line's --until", () => {
  // `--until` reads a time of day with milliseconds: the line writes one so, on the start's day,
  // and the run it gives is the same run.
  it("writes a time with milliseconds on the start's day as a time of day, and reruns the same run", async () => {
    const first = await cli("run", "quiet-day", "--until", "09:35:00.250");
    expect(first.code, first.err).toBe(0);
    const line = /Reproduce: (.*)\n/.exec(first.out)?.[1] ?? "";
    expect(line).toMatch(/ --until 09:35:00\.250$/);
    const [args] = shellArguments([line]);
    const again = await cli(...args, "--quiet");
    const hash = /trace ([0-9a-f]{16})/;
    expect(hash.exec(again.out)?.[1]).toBe(hash.exec(first.out)?.[1]);
  });
});
