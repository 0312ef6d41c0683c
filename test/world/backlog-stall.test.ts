// Shows what the README says the due backlog is in a stall: each schedule counted once at its next
// fire, however many fires behind, so the gauge stops at the schedules due while the lag keeps
// growing; and the lag alert the README suggests for a stall fires.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { minutelyWorld } from "../support/minutely-world.js";

const MINUTELY = 120;
const STALL = minutelyWorld({
  name: "backlog-stall",
  seed: 7,
  start: "2026-06-02T14:00:00Z",
  accounts: MINUTELY / 2,
  schedulesPerAccount: { min: 2, max: 2 },
  rest: `faults:
  - { at: "14:05", fault: store-outage, duration: 5m }
alerts:
  - { name: stall, metric: lagP99Ms, op: ">", threshold: 120000 }
`,
});

describe("the due backlog in a stall", () => {
  it("counts each schedule once while its fires pile up, and the lag grows until the lag alert fires", () => {
    const events: TraceEvent[] = [];
    runScenario(STALL, { sinks: [{ onEvent: (e) => void events.push(e) }] }, "stall.yaml");
    const at = (e: TraceEvent) => new Date(e.t).toISOString().slice(11, 19);
    const samples = events.filter((e) => e.type === "metrics.sampled");
    // Inside the outage, a minute after it began: every schedule is behind, by one to four fires.
    const stalled = samples.filter((e) => at(e) >= "14:06:10" && at(e) <= "14:09:50");
    expect(stalled.length).toBe(23);
    for (const e of stalled) expect(e.dueBacklog, at(e)).toBe(MINUTELY);
    const lags = stalled.map((e) => e.lagP99Ms as number);
    for (let i = 1; i < lags.length; i++) expect(lags[i], at(stalled[i])).toBeGreaterThan(lags[i - 1]);
    // Before the outage, between minutes, nothing is due.
    const before = samples.filter((e) => at(e) >= "14:02:10" && at(e) <= "14:02:50");
    expect(before.map((e) => e.dueBacklog)).toEqual([0, 0, 0, 0, 0]);
    const fired = events.filter((e) => e.type === "alert.fired" && e.rule === "stall");
    expect(fired.map(at)).toEqual([expect.stringMatching(/^14:0[78]:/)]);
  });
});
