// Shows `aftershock compare --scheduler MODULE`: a scheduler author's module as one more run beside the variants, where it first behaves differently from them, in every output, and each bad input refused with exit 2.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";
import { BUILT, cliBuilt, ROOT } from "../gate/helpers.js";
import {
  BOTH,
  behaviour,
  compareFolder,
  compareJsonOf,
  type JsonComparison,
  type JsonReport,
  shared,
} from "./compare-scheduler-folder.js";
import { once } from "./once.js";

let dir: string;
let scenario: string;
let fixedV2: string;
let planted: string;

beforeAll(() => {
  ({ dir, scenario, fixedV2, planted } = compareFolder());
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `compare SCENARIO <argv> --json`, run once for the tests that ask for it. */
const compareJson = (...argv: string[]): Promise<JsonComparison> => compareJsonOf(scenario, ...argv);

/**
 * `compare --scheduler PLANTED --fix BOTH` writing its HTML, Markdown and Perfetto files, run once
 * for the tests that read them (no test writes to them) or its text, which the files leave as it
 * is: the files and what the command said.
 */
const plantedFiles = once(async () => {
  const html = join(dir, "c.html");
  const md = join(dir, "c.md");
  const perfetto = join(dir, "c.json");
  const files = ["--html", html, "--markdown", md, "--perfetto", perfetto];
  const r = await cli("compare", scenario, "--scheduler", planted, "--fix", BOTH, ...files);
  return { html, md, perfetto, r };
});

/** The planted-bug module with both fixes, after buggy and fixed. */
function plantedBesideBoth(): string[] {
  return ["--scheduler", planted, "--fix", BOTH, "--variants", "buggy,fixed"];
}

describe.skipIf(!BUILT)("compare --scheduler MODULE (needs dist/ for the re-exported v2)", () => {
  it("runs the module as one more column after the fixed variant, named as run names it", async () => {
    const c = await compareJson("--scheduler", fixedV2, "--fix", BOTH);
    expect(c.variants.map((r) => r.variant)).toEqual([
      { name: "fixed", scheduler: "v2", fixes: ["early-return", "panic-recovery"] },
      { name: null, scheduler: "module:./fixed-v2.mjs", fixes: ["early-return", "panic-recovery"] },
    ]);
    const r = await shared("compare", scenario, "--scheduler", fixedV2, "--fix", BOTH);
    expect(r.code).toBe(0);
    expect(r.out).toContain("\nmodule:./fixed-v2.mjs, early-return + panic-recovery\n");
    expect(r.out).toMatch(/\n {34}fixed +module:\.\/fixed-v2\.mjs\n/);
    expect(r.out).toContain(`--variants fixed --scheduler ${fixedV2} --fix early-return,panic-recovery`);
  });

  it("the module's report is run --scheduler's, field for field, and judged as run judges it", async () => {
    const c = await compareJson("--scheduler", planted, "--fix", BOTH);
    const run = await cli("run", scenario, "--scheduler", planted, "--fix", BOTH, "--json");
    expect(JSON.stringify(c.variants[1], null, 2)).toBe(run.out.trimEnd());
    // With both fixes the gate judges the module's run as `fixed`: the scenario's expectation of
    // it (no-panic-death holds) is met, though deleted-schedules-cleaned fails. run and compare
    // judge it so too.
    expect(c.variants[1].verdicts.find((v) => v.property === "deleted-schedules-cleaned")?.ok).toBe(false);
    expect(run.code).toBe(0);
    const { r: both } = await plantedFiles();
    expect(both.code).toBe(0);
    expect(both.out).toContain(
      "Expectations (module:./planted.mjs, those of fixed: the variant the gate judges its run as)",
    );
    const { md } = await plantedFiles();
    const lines = readFileSync(md, "utf8").split("\n");
    const moduleRows = lines.filter((l) => /^- [✓✗○] module:\.\/planted\.mjs/.test(l));
    expect(moduleRows.length).toBeGreaterThan(0);
    for (const row of moduleRows) expect(row).toContain(", judged as fixed: ");
    expect(lines.some((l) => /^- [✓✗○] fixed: /.test(l))).toBe(true);
    // With early-return alone, a variant the scenario has no expectations of: by its properties.
    const one = ["--scheduler", planted, "--fix", "early-return"];
    expect((await cli("run", scenario, ...one, "--quiet")).code).toBe(1);
    expect((await cli("compare", scenario, ...one)).code).toBe(1);
  });

  it("the fixed v2 re-exported shows no divergence from fixed: the comparison is of behaviour", async () => {
    const c = await compareJson("--scheduler", fixedV2, "--fix", BOTH);
    expect(c.divergence).toBeNull();
    expect(c.divergences).toEqual([]);
    const [fixed, mine] = c.variants;
    expect(mine.metrics).toEqual(fixed.metrics);
    expect(mine.verdicts).toEqual(fixed.verdicts);
    const r = await shared("compare", scenario, "--scheduler", fixedV2, "--fix", BOTH);
    expect(r.out).toContain("Divergence\n  none: the runs behaved identically");
  });

  it("respects --fix: the re-exported v2 without fixes parts from fixed where buggy does", async () => {
    const c = await compareJson("--scheduler", fixedV2);
    const buggy = (await compareJson("--variants", "fixed,buggy")).divergence;
    expect(buggy).not.toBeNull();
    expect(c.variants[1].variant.fixes).toEqual([]);
    expect(c.variants[1].metrics).toEqual(
      (await compareJson("--variants", "fixed,buggy")).variants[1].metrics,
    );
    expect(c.divergence?.variants).toEqual(["fixed", "module:./fixed-v2.mjs"]);
    expect(c.divergence?.index).toBe(buggy?.index);
    expect(behaviour(c.divergence!.a)).toEqual(behaviour(buggy!.a));
    expect(behaviour(c.divergence!.b)).toEqual(behaviour(buggy!.b));
  });

  it("a module with a planted bug diverges from fixed, and the divergence names it", async () => {
    const c = await compareJson("--scheduler", planted, "--fix", BOTH);
    expect(c.divergence).not.toBeNull();
    expect(c.divergence?.variants).toEqual(["fixed", "module:./planted.mjs + early-return, panic-recovery"]);
    expect(c.divergences).toEqual([c.divergence]);
    const cleaned = (r: JsonReport) => r.verdicts.find((v) => v.property === "deleted-schedules-cleaned")?.ok;
    expect(c.variants.map(cleaned)).toEqual([true, false]);
    const { r } = await plantedFiles();
    expect(r.out).toMatch(
      new RegExp(
        `First divergence at trace event #${c.divergence?.index}\\n  fixed +\\S+  \\S+.*\\n  module:\\./planted\\.mjs \\+ early-return, panic-recovery +\\S+`,
      ),
    );
  });

  it("with --variants, each run's divergence is from the first variant's, the module's last", async () => {
    const c = await compareJson(...plantedBesideBoth());
    expect(c.variants.map((r) => r.variant.name ?? r.variant.scheduler)).toEqual([
      "buggy",
      "fixed",
      "module:./planted.mjs",
    ]);
    expect(c.divergences.map((d) => d.variants)).toEqual([
      ["buggy", "fixed"],
      ["buggy", "module:./planted.mjs + early-return, panic-recovery"],
    ]);
    expect(c.divergence).toEqual(c.divergences[0]);
    const r = await shared("compare", scenario, ...plantedBesideBoth());
    expect(r.out).toContain("First divergences from buggy");
    expect(r.out).toMatch(
      /\n {2}module:\.\/planted\.mjs \+ early-return, panic-recovery +at trace event #\d+\n/,
    );
  });

  it("a bundled --scheduler is the variant it matches, and one --variants runs already is refused", async () => {
    const c = await compareJson("--scheduler", "v2", "--fix", "early-return");
    expect(c.variants.map((r) => r.variant.name)).toEqual(["fixed", "early-return"]);
    const r = await cli("compare", scenario, "--scheduler", "v2", "--fix", `${BOTH}`);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "aftershock: --scheduler v2 --fix early-return,panic-recovery is the variant fixed, which --variants runs already\n",
    );
  });

  it("runs the module on a worker thread of its own, beside the variant on this one", async () => {
    const noting = join(dir, "noting.mjs");
    const v2 = pathToFileURL(join(ROOT, "dist", "src", "schedulers", "v2.js")).href;
    const log = join(dir, "noting.threads");
    writeFileSync(
      noting,
      `import { appendFileSync } from "node:fs";\nimport { threadId } from "node:worker_threads";\nappendFileSync(${JSON.stringify(log)}, \`\${threadId}\\n\`);\nexport { v2 as scheduler } from ${JSON.stringify(v2)};\n`,
    );
    const c = await compareJson("--scheduler", noting, "--fix", BOTH);
    expect(c.divergence).toBeNull();
    const threads = readFileSync(log, "utf8").trim().split("\n").map(Number);
    expect(threads.filter((id) => id !== threadId)).toHaveLength(1);
  });

  it("report rebuilds the compare command of a saved comparison with --scheduler and its --fix", async () => {
    const saved = join(dir, "saved.json");
    writeFileSync(saved, (await shared("compare", scenario, ...plantedBesideBoth(), "--json")).out);
    const md = join(dir, "saved.md");
    const r = await cli("report", saved, "-o", md);
    expect(r.code).toBe(0);
    expect(readFileSync(md, "utf8")).toContain(
      "Reproduce: `aftershock compare <file of the scenario tiny-may8> --seed 5 --variants buggy,fixed --scheduler <module ./planted.mjs, from the folder of the scenario tiny-may8> --fix early-return,panic-recovery`",
    );
  });

  it("HTML, Markdown and Perfetto include the module's run as they include a variant's", async () => {
    const { html, md, perfetto, r } = await plantedFiles();
    // Judged as fixed, whose expectation holds: exit 0, the files name the module's run.
    expect(r.code).toBe(0);
    for (const file of [html, md, perfetto])
      expect(readFileSync(file, "utf8"), file).toContain("module:./planted.mjs");
    const c = await compareJson("--scheduler", planted, "--fix", BOTH);
    expect(readFileSync(md, "utf8")).toContain(`#${c.divergence?.index}`);
  });
});

describe("compare --scheduler: bad input is exit 2 with run's message, no stack trace", () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      "a module that is not there",
      () => ["--scheduler", join(dir, "none.mjs")],
      /none\.mjs: scheduler module not found \(looked at /,
    ],
    [
      "a module that exports no scheduler",
      () => {
        const path = join(dir, "empty.mjs");
        writeFileSync(path, "export const answer = 42;\n");
        return ["--scheduler", path];
      },
      /empty\.mjs: no scheduler exported \(export a SchedulerFactory as `scheduler` or default, or in CommonJS as `module\.exports\.scheduler` or `module\.exports`; it exports `answer`\)/,
    ],
    [
      "a fix the module does not list",
      () => ["--scheduler", planted, "--fix", "early-retrun"],
      /--fix: .*planted\.mjs has no fix "early-retrun"/,
    ],
    [
      "an unknown bundled scheduler",
      () => ["--scheduler", "v9"],
      /--scheduler: unknown scheduler "v9" \(bundled: v1, v2; or a path to a module\)/,
    ],
    ["--fix without --scheduler", () => ["--fix", "early-return"], /--fix goes with --scheduler/],
    [
      "an unknown variant beside it",
      () => ["--scheduler", planted, "--variants", "fixd"],
      /--variants: unknown variant "fixd"/,
    ],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await cli("compare", scenario, ...argv());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe("");
    });
  }
});

describe.skipIf(!BUILT)("compare --scheduler as a process (needs dist/)", () => {
  it("gives byte-identical --json twice, the process as this one, with the module's run in it", async () => {
    const argv = ["compare", scenario, ...plantedBesideBoth(), "--json"];
    const first = cliBuilt(argv);
    expect(first.code).toBe(0); // judged as fixed, whose expectation of the scenario holds
    expect(first.out).toContain('"scheduler": "module:./planted.mjs"');
    // The second time in this process, whose modules and module cache are not the process's.
    expect((await shared(...argv)).out).toBe(first.out);
  }, 60_000);

  it("a module that keeps state between creates runs on its thread as run runs it", () => {
    // Its thread imports a fresh copy of the module: it makes the calls the check made on the
    // main thread before any run, so the run starts from the same state, and gives run's trace.
    const stateful = join(ROOT, "test", "gate", "fixtures", "modules", "stateful-create.mjs");
    const compared = cliBuilt(["compare", scenario, "--scheduler", stateful, "--json"]);
    const mine = (JSON.parse(compared.out) as JsonComparison).variants[1];
    const run = cliBuilt(["run", scenario, "--scheduler", stateful, "--json"]);
    expect(mine.variant.scheduler).toMatch(/stateful-create\.mjs$/);
    expect(mine.traceHash).toBe((JSON.parse(run.out) as JsonReport).traceHash);
  }, 60_000);
});
