// Shows how `what-if` words become operator actions, and that a fork is exact: the scenario plus its
// action at its moment, with the trace `run` gives that scenario, however it is stepped.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type RunInput, runWorld } from "../../src/explore/run.js";
import { parseScenario } from "../../src/scenario/index.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import {
  type Line,
  LiveWorld,
  ORIGINAL,
  parseWhatIf,
  projectLine,
  whatIfStepMs,
} from "../../src/train/index.js";
import { loadFixture, newSession, play, SMALL } from "./helpers.js";

describe("what-if actions", () => {
  it("paces a deploy or rollback without a step as a timeline deploy without stepDelay", () => {
    const text = readFileSync(SMALL, "utf8").replace(/, stepDelay: \w+ \}/, " }");
    const parsed = parseScenario(text, SMALL);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const deploy = parsed.scenario.timeline.find((a) => a.action === "deploy");
    const stepDelayMs = deploy?.action === "deploy" ? deploy.stepDelayMs : undefined;
    expect(stepDelayMs).toBeTypeOf("number");
    for (const words of ["deploy fixed", "deploy v2 early-return", "rollback"]) {
      const whatIf = parseWhatIf(words);
      expect(whatIf.ok && whatIf.action, words).toMatchObject({ stepDelayMs });
    }
  });

  it("asks for the bundled v2 with `bundled`, as a scenario's deploy does with bundled: true", () => {
    expect(parseWhatIf("deploy fixed bundled step 0s")).toMatchObject({
      ok: true,
      action: { scheduler: "v2", fixes: ["early-return", "panic-recovery"], stepDelayMs: 0, bundled: true },
      text: "deploy fixed bundled step 0s",
    });
    expect(parseWhatIf("deploy v2 bundled early-return")).toMatchObject({
      ok: true,
      action: { scheduler: "v2", fixes: ["early-return"], bundled: true },
    });
    const plain = parseWhatIf("deploy fixed");
    expect(plain.ok && "bundled" in plain.action).toBe(false);
    // As a scenario refuses bundled: true with scheduler: v1, no module stands for it.
    for (const words of ["deploy v1 bundled", "deploy bundled v1"])
      expect(parseWhatIf(words)).toEqual({
        ok: false,
        message: "bundled goes with v2 (as bundled: true does in a scenario): no module stands for v1",
      });
  });

  it("answers `bundled` after a name the session does not know with the schedulers it knows, and after its module's name with why", () => {
    const { input } = loadFixture();
    const schedulers = new Map(bundledSchedulers());
    schedulers.set("module:mine.mjs", schedulers.get("v2")!);
    const scheduler = { name: "module:mine.mjs", fixes: [] };
    const session = newSession({ input: { ...input, config: { ...input.config, scheduler } }, schedulers });
    const [typo, typoPlain, mine] = play(session, [
      "what-if deploy Fixed bundled",
      "what-if deploy Fixed",
      "what-if deploy module:mine.mjs bundled",
    ]);
    // A typo: the same hint with `bundled` as without, naming the schedulers there are.
    expect(typo.ok).toBe(false);
    expect(typo.text).toContain('what-if: no scheduler "Fixed" (known: ');
    expect(typo.text).toContain("module:mine.mjs");
    expect(typo.text).toBe(typoPlain.text);
    // The module itself: `bundled` deploys the bundled v2 in its place, under v2's name.
    expect(mine.ok).toBe(false);
    expect(mine.text).toContain(
      "what-if: bundled goes with v2 (as bundled: true does in a scenario): module:mine.mjs is a scheduler module; deploy v2 (or a variant of it) bundled for the bundled v2 in its place",
    );
    expect(session.lineName).toBe("original");
  });

  it("parses the mitigations of the runbook", () => {
    expect(parseWhatIf("deploy fixed")).toMatchObject({
      ok: true,
      action: {
        action: "deploy",
        scheduler: "v2",
        fixes: ["early-return", "panic-recovery"],
      },
    });
    expect(parseWhatIf("deploy v2 early-return step 0s")).toMatchObject({
      ok: true,
      action: { action: "deploy", scheduler: "v2", fixes: ["early-return"], stepDelayMs: 0 },
    });
    expect(parseWhatIf("rollback")).toMatchObject({
      ok: true,
      action: { action: "deploy", scheduler: "v1", fixes: [] },
    });
    expect(parseWhatIf("quarantine sched-1")).toMatchObject({
      ok: true,
      action: { action: "quarantine-schedule", schedule: "sched-1" },
    });
    expect(parseWhatIf("scale 12")).toMatchObject({ ok: true, action: { action: "scale", workers: 12 } });
    expect(parseWhatIf("restart w3")).toMatchObject({
      ok: true,
      action: { action: "restart-worker", worker: "w3" },
    });
    expect(parseWhatIf("kill w3")).toMatchObject({
      ok: true,
      action: { action: "kill-worker", worker: "w3" },
    });
  });

  it("refuses what it cannot do, saying why", () => {
    expect(parseWhatIf("")).toMatchObject({ ok: false, message: expect.stringContaining("needs an action") });
    expect(parseWhatIf("scale 0")).toMatchObject({ ok: false });
    expect(parseWhatIf("deploy fixed panic-recovery")).toMatchObject({ ok: false });
    expect(parseWhatIf("deploy v2 nope")).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown fix "nope"'),
    });
    expect(parseWhatIf("deploy fixed step 10s extra")).toMatchObject({ ok: false });
    expect(parseWhatIf("rollback v2")).toMatchObject({ ok: false });
  });
});

describe("what-ifs that change nothing at that moment", () => {
  it("refuses a scale to the fleet's size and a kill of a worker already down, forking nothing", () => {
    const s = newSession();
    // 09:45:05 on the small May 8: 4 workers, w1 and w3 in back-off.
    play(s, ["next", "next"]);
    expect(s.execute("workers").text).toMatch(/w1 +back-off/);
    const same = s.execute("what-if scale 4");
    expect(same.ok).toBe(false);
    expect(same.text).toBe("what-if: the fleet already has 4 workers: scaling to 4 changes nothing");
    const down = s.execute("what-if kill w1");
    expect(down.ok).toBe(false);
    expect(down.text).toBe("what-if: w1 is already down (in back-off): killing it changes nothing");
    // Understood but not possible now: refused, not a hint (a script does not count them).
    expect([same.refused, down.refused]).toEqual([true, true]);
    expect(s.execute("what-if kill w9").refused).toBeUndefined();
    expect(s.record().forks).toEqual([]);
    expect(s.prompt()).toBe("09:45:05 original> ");
    // What does change the world still forks: another size, a restart of the worker in back-off.
    expect(s.execute("what-if scale 5").ok).toBe(true);
    expect(s.execute("what-if scale 5").ok).toBe(false); // the fork has 5 now
    expect(s.execute("switch original").ok).toBe(true);
    expect(s.execute("what-if restart w1").ok).toBe(true);
    expect(s.record().forks.map((f) => f.whatIf)).toEqual(["scale 5", "restart w1"]);
  });
});

describe("forks", () => {
  /** The scenario a line is, built as a scenario file would be: its actions added to the timeline. */
  function asScenario(input: RunInput, added: readonly { at: string; whatIf: string }[]): RunInput {
    const actions = added.map(({ at, whatIf }) => {
      const parsed = parseWhatIf(whatIf, whatIfStepMs(input.config.timeline));
      if (!parsed.ok) throw new Error(parsed.message);
      return { ...parsed.action, atMs: Date.parse(at) };
    });
    const timeline = [...input.config.timeline, ...actions].sort((a, b) => a.atMs - b.atMs);
    return { ...input, config: { ...input.config, timeline } };
  }

  it("are the scenario plus the action at its moment: the trace `run` gives, hash for hash", () => {
    const { input } = loadFixture();
    // 09:46:00 is a chapter on a sample's second: the sample of that instant was taken before the
    // pause, and the fork's action must still come before it, as a timeline action does.
    const session = newSession();
    const steps = play(session, [
      "next",
      "next",
      "next",
      "what-if deploy fixed",
      "switch original",
      "reveal",
      "what-if quarantine sched-deleted-a",
      "what-if quarantine sched-deleted-b",
      "score",
    ]);
    for (const step of steps) expect(step.ok, `${step.command}: ${step.text}`).toBe(true);
    expect(steps[3].prompt).toBe("09:46:00 original> ");
    const forks = session.record().forks;
    const at = "2026-05-08T09:46:00.000Z";
    const cases = [
      { fork: "fork-1", added: [{ at, whatIf: "deploy fixed" }] },
      {
        fork: "fork-3",
        added: [
          { at, whatIf: "quarantine sched-deleted-a" },
          { at, whatIf: "quarantine sched-deleted-b" },
        ],
      },
    ];
    for (const { fork, added } of cases) {
      const outcome = forks.find((f) => f.name === fork)?.outcome;
      const report = runWorld(asScenario(input, added)).report;
      expect(outcome?.traceHash, fork).toBe(report.traceHash);
      expect(outcome?.recoveredAt, fork).toBe(report.metrics.recoveredAt);
      expect(outcome?.lateDeliveries, fork).toBe(report.metrics.deliveries.late);
      expect(outcome?.panicDeaths, fork).toBe(report.metrics.panicDeaths);
    }
  });

  it("are exact however the world is stepped, and the action really acts", () => {
    const { input } = loadFixture();
    const options = { schedulers: bundledSchedulers() };
    const original: Line = { name: ORIGINAL, parent: null, interventions: [] };
    const forkAt = input.config.startMs + 15 * 60_000 + 3_000;
    const parsed = parseWhatIf("deploy fixed", whatIfStepMs(input.config.timeline));
    if (!parsed.ok) throw new Error(parsed.message);
    const fork: Line = {
      name: "fork-1",
      parent: ORIGINAL,
      interventions: [{ atMs: forkAt, action: parsed.action, text: parsed.text }],
    };
    // Live: stepped in uneven strides through the moment of the action, continued to the end.
    const live = new LiveWorld(input, fork, options);
    for (const t of [forkAt - 600_000, forkAt - 1, forkAt, live.horizonMs]) live.advanceTo(t);
    live.world.finish(live.stopped!);
    const rebuilt = projectLine(input, fork, options);
    const run = runWorld(asScenario(input, [{ at: new Date(forkAt).toISOString(), whatIf: "deploy fixed" }]));
    expect(live.world.sim.trace.hash).toBe(rebuilt.traceHash);
    expect(live.world.sim.trace.length).toBe(rebuilt.events);
    expect(rebuilt.traceHash).toBe(run.report.traceHash);
    // And the fork really acted: the fixed scheduler took over and cut the cascade short (a
    // worker not yet replaced may still take a poison partition over while the deploy rolls).
    const unforked = projectLine(input, original, options);
    expect(rebuilt.metrics.panicDeaths).toBeLessThan(unforked.metrics.panicDeaths / 4);
    expect(rebuilt.metrics.cascadeDepth).toBeLessThan(unforked.metrics.cascadeDepth);
  });
});
