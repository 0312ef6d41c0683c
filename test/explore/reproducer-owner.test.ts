// Shows that a rerun replaces only its own earlier reproducers: one of another exploration under the same name (another module or scenario of the same file name) is kept, and the new one goes beside it, said on stderr.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { sealReproducer } from "../../src/cli/commands/explore-out.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cli, tmp } from "./cli-helpers.js";

const example = join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs");
const tiny = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");

/** Two folders of one project, each with a file named `name`: a copy of `from`, the second edited. */
function twoTeams(name: string, from: string): { dir: string; a: string; b: string } {
  const dir = tmp();
  const [a, b] = ["teamA", "teamB"].map((team) => {
    mkdirSync(join(dir, team));
    const file = join(dir, team, name);
    copyFileSync(from, file);
    return file;
  });
  const comment = name.endsWith(".yaml") ? "#" : "//";
  writeFileSync(b, `${readFileSync(b, "utf8")}\n${comment} teamB's variant\n`);
  return { dir, a, b };
}

async function explored(...argv: string[]) {
  const r = await cli(...argv, "--json");
  expect(r.code, r.err).toBe(1);
  const report = JSON.parse(r.out) as ExploreReport;
  return { err: r.err, file: report.failures[0].reproducer!, report };
}

/**
 * Two modules named `sched.mjs`, and a run exploring one of them into one `--out`: seed 3, whose
 * first generated world already fails the example's planted bug (deleted-schedules-cleaned), so
 * one run finds the failure each exploration needs.
 */
function twoModules() {
  const { dir, a, b } = twoTeams("sched.mjs", example);
  const out = join(dir, "repro");
  const args = ["--seed", "3", "--runs", "1", "--jobs", "1", "--shrink-runs", "0", "--out", out];
  const run = (module: string) => explored("explore", "--generated", "--scheduler", module, ...args);
  return { a, b, run };
}

// The modules' case runs six explorations, each with a worker thread, a run and a gate: seconds on
// an idle machine, minutes on one running several test runs at once.
describe("a reproducer of another exploration under the same name", { timeout: 180_000 }, () => {
  it("of another module with the same file name is kept, the new one beside it named as its file so that `gate` takes the folder; each module's rerun replaces its own, also when written before reproducers recorded their exploration (its module says whose it is)", async () => {
    const { a, b, run } = twoModules();
    const first = await run(a);
    const textA = readFileSync(first.file, "utf8");
    expect(textA).toContain("module: ../teamA/sched.mjs");
    const second = await run(b);
    expect(readFileSync(first.file, "utf8")).toBe(textA);
    expect(second.file).toBe(first.file.replace(/\.yaml$/, "-2.yaml"));
    expect(readFileSync(second.file, "utf8")).toContain("module: ../teamB/sched.mjs");
    expect(second.err).toContain(
      `${first.file} is the reproducer of another exploration (generated worlds, module ../teamA/sched.mjs as variant fixed): wrote ${second.file} instead`,
    );
    expect(second.err).not.toContain(`replaced ${first.file}`);
    // Named as its file beside the other, it replays as written: the name is in the trace, and
    // the world was run under it; the gate takes the folder of both.
    expect(readFileSync(second.file, "utf8")).toContain(`\nname: ${basename(second.file, ".yaml")}\n`);
    const replayed = await cli("run", second.file, "--json");
    expect(JSON.parse(replayed.out).traceHash).toBe(second.report.failures[0].reproducerTraceHash);
    const gate = await cli("gate", dirname(first.file), "--jobs", "1");
    expect(gate.err).not.toContain("is also the name of");
    expect(gate.code, gate.err).toBe(1);
    // Each rerun finds its own: A's under the name, B's beside it.
    const againA = await run(a);
    expect(againA.file).toBe(first.file);
    expect(againA.err).toContain(`replaced ${first.file}, a reproducer of an earlier exploration`);
    const againB = await run(b);
    expect(againB.file).toBe(second.file);
    expect(againB.err).toContain(`replaced ${second.file}, a reproducer of an earlier exploration`);
    expect(readFileSync(first.file, "utf8")).toBe(textA);
    // A's written before reproducers recorded their exploration (sealed, with no line naming it):
    // its module says whose it is, so B's rerun still keeps it, and A's replaces it, as before.
    const unsealed = textA.replace(/^# digest .*\n/m, "");
    const earlier = sealReproducer(unsealed.replace(/^# explored: .*\n/m, ""));
    expect(earlier).not.toContain("# explored:");
    writeFileSync(first.file, earlier);
    const beside = await run(b);
    expect(readFileSync(first.file, "utf8")).toBe(earlier);
    expect(beside.file).toBe(first.file.replace(/\.yaml$/, "-2.yaml"));
    expect(beside.err).toContain(
      `${first.file} is the reproducer of another exploration (module ../teamA/sched.mjs)`,
    );
    expect((await run(a)).err).toContain(`replaced ${first.file}, a reproducer of an earlier exploration`);
  });

  it("of another scenario with the same name is kept", async () => {
    const { dir, a, b } = twoTeams("tiny.yaml", tiny);
    const out = join(dir, "repro");
    const sweep = ["--variant", "buggy", "--runs", "1", "--shrink-runs", "0", "--out", out];
    const first = await explored("explore", a, ...sweep);
    const textA = readFileSync(first.file, "utf8");
    expect(textA).toContain("# explored: ../teamA/tiny.yaml, variant buggy\n");
    const second = await explored("explore", b, ...sweep);
    expect(readFileSync(first.file, "utf8")).toBe(textA);
    expect(basename(second.file)).toBe(basename(first.file).replace(/\.yaml$/, "-2.yaml"));
    expect(second.err).toContain(
      `${first.file} is the reproducer of another exploration (../teamA/tiny.yaml, variant buggy)`,
    );
    const againA = await explored("explore", a, ...sweep);
    expect(againA.file).toBe(first.file);
    expect(againA.err).toContain(`replaced ${first.file}`);
  });

  it("is replaced with --force, as every reproducer is", async () => {
    const { dir, a, b } = twoTeams("tiny.yaml", tiny);
    const out = join(dir, "repro");
    const sweep = ["--variant", "buggy", "--runs", "1", "--shrink-runs", "0", "--out", out];
    const first = await explored("explore", a, ...sweep);
    const forced = await explored("explore", b, ...sweep, "--force");
    expect(forced.file).toBe(first.file);
    expect(forced.err).toContain(`replaced ${first.file}`);
  });
});
