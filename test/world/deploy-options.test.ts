// Shows a deploy's `options`: the workers it starts get them laid over the fleet's (`rt.options`),
// a later deploy without options keeps them, and restarts and scaled-up workers run with them.
import { describe, expect, it } from "vitest";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { v2 } from "../../src/schedulers/index.js";
import type { TimedAction } from "../../src/world/config.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

/** v2, saying the options it was started with as a warning (traced) before it serves. */
const optionsSaying: SchedulerFactory = {
  ...v2,
  name: "options-saying",
  create(fixes) {
    const inner = v2.create(fixes);
    return {
      ...inner,
      main: function* (rt) {
        rt.log.warn(`options ${JSON.stringify(rt.options)}`);
        yield* inner.main(rt);
      },
    };
  },
};

function deploy(atMin: number, options?: Record<string, number>): TimedAction {
  return {
    action: "deploy",
    scheduler: "options-saying",
    fixes: FIXED,
    stepDelayMs: 0,
    atMs: START + atMin * MIN,
    ...(options === undefined ? {} : { options }),
  };
}

/** The options each worker start said, in order, as `worker: options`. */
function saidOptions(timeline: TimedAction[]): string[] {
  const config = smallWorldConfig({
    scheduler: "options-saying",
    fixes: FIXED,
    deleteAtMs: null,
    durationMs: 12 * MIN,
    workers: 2,
    schedulerOptions: { tickMs: 1000, refreshMs: 10_000 },
    timeline,
  });
  const { events } = runWorld(config, undefined, [optionsSaying]);
  return eventsOf(events, "log")
    .filter((e) => e.message.startsWith("options "))
    .map(
      (e) =>
        `${e.t >= START + 2 * MIN ? "deployed" : "initial"} ${e.worker}: ${e.message.slice("options ".length)}`,
    );
}

describe("a deploy's options", () => {
  it("are laid over the fleet's for the workers it starts; a later deploy without options keeps them", () => {
    const said = saidOptions([
      deploy(2, { tickMs: 500 }),
      deploy(6),
      { action: "scale", workers: 3, atMs: START + 9 * MIN },
      { action: "restart-worker", worker: "w1", atMs: START + 10 * MIN },
    ]);
    const initial = '{"tickMs":1000,"refreshMs":10000}';
    const laid = '{"tickMs":500,"refreshMs":10000}';
    const before = said.filter((x) => x.startsWith("initial"));
    const after = said.filter((x) => x.startsWith("deployed"));
    expect(before.length).toBeGreaterThan(0);
    for (const x of before) expect(x.endsWith(initial), x).toBe(true);
    // Every start from the first deploy on (its workers, the second deploy's, the scale-up's w3,
    // the restarted w1) runs with the first deploy's options.
    expect(after.length).toBeGreaterThanOrEqual(6);
    for (const x of after) expect(x.endsWith(laid), x).toBe(true);
    expect(after.some((x) => x.startsWith("deployed w3:"))).toBe(true);
  });

  it("leave the fleet's options as they are when the deploy names none", () => {
    const said = saidOptions([deploy(2)]);
    expect(said.length).toBeGreaterThanOrEqual(2);
    for (const s of said) expect(s.endsWith('{"tickMs":1000,"refreshMs":10000}'), s).toBe(true);
  });

  it("come from a scenario's deploy, and a deploy without them carries none (its trace as before)", () => {
    const parsed = parseScenario(
      `name: tiny
description: A deploy with options and one without.
start: 2026-05-08T09:30:00Z
duration: 10m
scheduler: { version: v2, options: { tickMs: 1000 } }
timeline:
  - { at: "+2m", action: deploy, scheduler: v2, fixes: [early-return], options: { panicAttemptsMax: 5 } }
  - { at: "+4m", action: deploy, scheduler: v2, fixes: [early-return, panic-recovery] }
`,
      "tiny.yaml",
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    const deploys = compileScenario(parsed.scenario).config.timeline.filter((a) => a.action === "deploy");
    expect(deploys.map((a) => ("options" in a ? a.options : "none"))).toEqual([
      { panicAttemptsMax: 5 },
      "none",
    ]);
  });
});
