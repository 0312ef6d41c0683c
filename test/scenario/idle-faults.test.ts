// Shows that validate warns of a fault of no size (an HTTP fault of rate 0, a store-latency of 0 ms, a clock-skew of 0 on a clock nothing sets off), which a run skips, and accepts the scenario.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";

const HEAD =
  "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nworkload: { accounts: 2 }\n";

function parsed(faults: string[]) {
  const result = parseScenario(`${HEAD}faults:\n${faults.map((f) => `  - ${f}\n`).join("")}`, "s.yaml");
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings;
}

describe("faults of no size", () => {
  it("are warned of where their size is written, and the scenario still runs", () => {
    const warnings = parsed([
      '{ at: "+1m", fault: http-errors, rate: 0, duration: 1m }',
      '{ at: "+1m", fault: http-timeouts, rate: 0, duration: 1m, account: acct-00001 }',
      '{ at: "+1m", fault: store-latency, latency: 0ms, duration: 1m }',
      '{ at: "+1m", fault: clock-skew, worker: w2, skew: 0s }',
    ]);
    expect(warnings.map((w) => [w.severity, w.code, w.path.join("."), w.line])).toEqual([
      ["warning", "no-effect", "faults.0.rate", 7],
      ["warning", "no-effect", "faults.1.rate", 8],
      ["warning", "no-effect", "faults.2.latency", 9],
      ["warning", "no-effect", "faults.3.skew", 10],
    ]);
    expect(warnings[0].message).toBe(
      "faults[0].rate: a rate of 0 fails no delivery, so this http-errors changes nothing: the run traces it as skipped, not fired",
    );
    expect(warnings[3].message).toContain(
      "no clock-skew of this scenario has set the clock of w2 off by then",
    );
  });

  it("read the skews' times: a 0 before any skew of its worker, or after one is over, changes nothing", () => {
    const warned = (faults: string[]) => parsed(faults).map((w) => w.path.join("."));
    // Before the skew, or listed before it at the same time: the clock is still right.
    expect(
      warned([
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 5s }',
        '{ at: "+1m", fault: clock-skew, worker: w2, skew: 0s }',
      ]),
    ).toEqual(["faults.1.skew"]);
    expect(
      warned([
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 0s }',
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 5s }',
      ]),
    ).toEqual(["faults.0.skew"]);
    // After a skew whose duration is over: set right already.
    expect(
      warned([
        '{ at: "+1m", fault: clock-skew, worker: w2, skew: 5s, duration: 30s }',
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 0s }',
      ]),
    ).toEqual(["faults.1.skew"]);
    // A later skew replaces the one on: once it is over, or set the clock right, the clock is right,
    // though the first skew's duration is not over.
    expect(
      warned([
        '{ at: "+1m", fault: clock-skew, worker: w2, skew: 5s, duration: 8m }',
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 3s, duration: 1m }',
        '{ at: "+5m", fault: clock-skew, worker: w2, skew: 0s }',
        '{ at: "+1m", fault: clock-skew, worker: w3, skew: 5s }',
        '{ at: "+2m", fault: clock-skew, worker: w3, skew: 0s }',
        '{ at: "+3m", fault: clock-skew, worker: w3, skew: 0s }',
      ]),
    ).toEqual(["faults.2.skew", "faults.5.skew"]);
    // Unless a random skew after the worker's last may have set it off again.
    expect(
      warned([
        '{ at: "+1m", fault: clock-skew, worker: w3, skew: 5s }',
        '{ at: "+2m", fault: clock-skew, worker: w3, skew: 0s }',
        '{ at: "+2m30s", fault: clock-skew, worker: random, skew: 5s }',
        '{ at: "+3m", fault: clock-skew, worker: w3, skew: 0s }',
      ]),
    ).toEqual([]);
    // While it is on (to the run's end without a duration, or within it): the 0 sets it right.
    expect(
      warned([
        '{ at: "+1m", fault: clock-skew, worker: w2, skew: 5s }',
        '{ at: "+5m", fault: clock-skew, worker: w2, skew: 0s }',
        '{ at: "+1m", fault: clock-skew, worker: w3, skew: 5s, duration: 2m }',
        '{ at: "+2m", fault: clock-skew, worker: w3, skew: 0s }',
      ]),
    ).toEqual([]);
  });

  it("leave a skew of 0 that sets right a clock another skew set off, and faults of some size, alone", () => {
    expect(
      parsed([
        '{ at: "+1m", fault: clock-skew, worker: w2, skew: 5s }',
        '{ at: "+2m", fault: clock-skew, worker: w2, skew: 0s }',
        '{ at: "+2m", fault: clock-skew, worker: random, skew: 0s }',
        '{ at: "+1m", fault: http-errors, rate: 0.01, duration: 1m }',
        '{ at: "+1m", fault: store-latency, latency: 1ms, duration: 1m }',
      ]),
    ).toEqual([]);
    // A random skew may set any clock off: a skew of 0 on any worker may set it right.
    expect(
      parsed([
        '{ at: "+1m", fault: clock-skew, worker: random, skew: 5s }',
        '{ at: "+2m", fault: clock-skew, worker: w3, skew: 0s }',
      ]),
    ).toEqual([]);
  });
});
