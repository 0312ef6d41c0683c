// Shows that a scenario whose scheduler is its own module has that module stand for v2 in its timeline's deploys in every command: run, gate (judged run and reproduce line), explore and train give one trace hash.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

// Lists one fix of v2's two, so that the deploy's other fix is dropped (and said), and never
// cleans a deleted account up, so that the gate's expectation fails and prints its reproduce line.
const MODULE = `function* main(rt) { for (;;) yield rt.sleep(1000); }
export default { name: "idle", fixes: ["panic-recovery"], create: (fixes) => ({ name: "idle", fixes: [...fixes], main }) };
`;

const SCENARIO = `name: own
description: a scenario whose own module is deployed as v2
seed: 3
start: 2026-05-08T09:30:00Z
duration: 6m
fleet: { workers: 2, partitions: 4 }
scheduler: { module: ../mods/idle.mjs, fixes: [panic-recovery] }
workload:
  accounts: 3
  cron: [{ expr: "* * * * *", weight: 1 }]
  named: [{ id: acct-gone, schedules: [{ id: sched-gone, cron: "* * * * *" }] }]
timeline:
  - { at: "09:31", action: delete-account, account: acct-gone }
  - { at: "09:33", action: deploy, scheduler: v2, fixes: [early-return, panic-recovery], stepDelay: 5s }
expect:
  - { variant: fixed, property: deleted-schedules-cleaned, holds: true }
`;

function scenario(text = SCENARIO): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-own-deploy-"));
  mkdirSync(join(dir, "mods"));
  mkdirSync(join(dir, "scen"));
  writeFileSync(join(dir, "mods", "idle.mjs"), MODULE);
  writeFileSync(join(dir, "scen", "own.yaml"), text);
  return { dir, path: join(dir, "scen", "own.yaml") };
}

async function runHash(argv: readonly string[]): Promise<string> {
  const r = await cli([...argv, "--json"]);
  expect(r.err).not.toContain("Error");
  return (JSON.parse(r.out) as { traceHash: string }).traceHash;
}

describe("a scenario's own module deployed in v2's place", () => {
  it("gives one trace hash in run, gate, the gate's reproduce line, explore and train", async () => {
    const { dir, path } = scenario();
    const run = await cli(["run", path, "--json"]);
    const hash = (JSON.parse(run.out) as { traceHash: string }).traceHash;
    // The deploy of v2 deploys the module, without the fix it does not list, which is said.
    expect(run.err).toContain(
      "warning: the deploy of v2 at 09:33:00 (timeline[1]) asks for early-return, which",
    );
    expect(run.err).toContain(
      "idle.mjs in its place does not list (it lists panic-recovery): deployed without it",
    );
    const bundled = await runHash(["run", path, "--variant", "fixed"]);
    expect(bundled).not.toBe(hash);

    const gate = await cli(["gate", path, "--jobs", "1"]);
    expect(gate.code).toBe(1);
    expect(gate.out).toContain(`trace ${hash}`);
    const reproduce = /reproduce: aftershock (run .*)/.exec(gate.out)?.[1];
    expect(reproduce).toBeDefined();
    expect(await runHash(reproduce!.split(" "))).toBe(hash);

    const out = join(dir, "explored");
    const explore = await cli([
      "explore",
      path,
      "--runs",
      "1",
      "--seed",
      "3",
      "--jobs",
      "1",
      "--out",
      out,
      "--json",
    ]);
    expect(explore.out).toContain(`"traceHash": "${hash}"`);

    const script = join(dir, "script.txt");
    writeFileSync(script, "score\nquit\n");
    const saved = join(dir, "session.json");
    await cli(["train", path, "--script", script, "--save", saved]);
    expect(readFileSync(saved, "utf8")).toContain(`"traceHash": "${hash}"`);
  }, 60_000);

  it("says on stderr that --scheduler naming the scenario's own module without --fix runs it with no fixes", async () => {
    const { dir, path } = scenario();
    const r = await cli(["run", path, "--scheduler", join(dir, "mods", "idle.mjs"), "--json"]);
    expect(r.err).toContain(
      "--scheduler runs its own module ../mods/idle.mjs with no fixes, not the scenario's (panic-recovery): give --fix panic-recovery for them",
    );
    const fixed = await cli([
      "run",
      path,
      "--scheduler",
      join(dir, "mods", "idle.mjs"),
      "--fix",
      "panic-recovery",
    ]);
    expect(fixed.err).not.toContain("with no fixes");
  });

  it("judges run's expectations as the gate judges the run: those of the variant that gives the module its fixes", async () => {
    // With no fixes, the module's run is the gate's `buggy` run, which the scenario expects to
    // leave the deleted account's schedule: run exits 0 as the gate does, though the property fails.
    const { path } = scenario(
      SCENARIO.replace("fixes: [panic-recovery] }", "fixes: [] }").replace(
        "{ variant: fixed, property: deleted-schedules-cleaned, holds: true }",
        "{ variant: buggy, property: deleted-schedules-cleaned, holds: false }",
      ),
    );
    const run = await cli(["run", path]);
    expect(run.out).toMatch(/✗ deleted-schedules-cleaned/);
    expect(run.out).toContain(
      "Expectations (of buggy: the variant the gate judges this run of the module as)",
    );
    expect(run.code).toBe(0);
    expect((await cli(["run", path, "--quiet"])).out).toContain("expectations: all 1 met");
    expect((await cli(["gate", path, "--jobs", "1"])).code).toBe(0);
  }, 60_000);

  it("says in run's Markdown and HTML whose expectations judge a module's run", async () => {
    const { dir, path } = scenario(
      SCENARIO.replace("fixes: [panic-recovery] }", "fixes: [] }").replace(
        "{ variant: fixed, property: deleted-schedules-cleaned, holds: true }",
        "{ variant: buggy, property: deleted-schedules-cleaned, holds: false }",
      ),
    );
    const md = join(dir, "r.md");
    const html = join(dir, "r.html");
    expect((await cli(["run", path, "--markdown", md, "--html", html])).code).toBe(0);
    expect(readFileSync(md, "utf8")).toMatch(
      /- ✓ module:[^\n]*, judged as buggy: deleted-schedules-cleaned fails/,
    );
    expect(readFileSync(html, "utf8")).toMatch(/<tr><td>[^<]*, judged as buggy<\/td><td class="good">✓/);
    // A run of a bundled variant is its own: nothing is added.
    const own = join(dir, "v.md");
    await cli(["run", path, "--variant", "buggy", "--markdown", own]);
    expect(readFileSync(own, "utf8")).toMatch(/- [✓✗] buggy: deleted-schedules-cleaned fails/);
  }, 60_000);
});
