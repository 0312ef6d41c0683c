// Shows that validate warns of faults the file alone shows can never act (code no-effect): a panic of probability 0 or aimed at a schedule of another account, a hang or account-scoped HTTP fault after that account's deletion, a hang of a schedule removed or paused for good before it, a pause of a worker still paused; and of a clock skew of more than a year (out-of-range).
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";

const HEAD = `name: x
description: d
start: 2026-05-08T09:00:00Z
duration: 30m
workload:
  accounts: 2
  named: [{ id: acct-x, schedules: [{ id: sx1, cron: "* * * * *" }] }]
`;

/** The warnings of the document with these faults (and timeline), as [code, path, found]. */
function warned(faults: string, timeline = "[]") {
  const result = parseScenario(`${HEAD}faults: ${faults}\ntimeline: ${timeline}\n`, "s.yaml");
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings.map((w) => [w.code, w.path.join("."), w.found]);
}

describe("faults that can never act", () => {
  it("warns of an inject-panic of probability 0, or of a schedule and an account that do not match", () => {
    expect(
      warned(`
  - { at: "09:05", fault: inject-panic, point: before-delivery, schedule: sx1, account: acct-00001 }
  - { at: "09:06", fault: inject-panic, point: before-delivery, schedule: sx1, probability: 0 }
  - { at: "09:07", fault: inject-panic, point: before-delivery, schedule: sx1, account: acct-x, probability: 0.5 }`),
    ).toEqual([
      ["no-effect", "faults.0.account", "acct-00001"],
      ["no-effect", "faults.1.probability", "0"],
    ]);
  });

  it("warns of a hang or an account's HTTP fault after that account's deletion, unless it was created again", () => {
    const deleted = '[{ at: "09:04", action: delete-account, account: acct-x }]';
    const faults = `
  - { at: "09:05", fault: hang, schedule: sx1 }
  - { at: "09:05", fault: http-errors, account: acct-x, rate: 1, duration: 1m }
  - { at: "09:03", fault: http-timeouts, account: acct-x, rate: 1, duration: 1m }`;
    expect(warned(faults, deleted)).toEqual([
      ["no-effect", "faults.0.at", "09:05"],
      ["no-effect", "faults.1.at", "09:05"],
    ]);
    const created =
      '[{ at: "09:04", action: delete-account, account: acct-x }, { at: "09:04:30", action: create-account, account: acct-x }]';
    expect(warned(faults, created)).toEqual([]);
    // Created again after the fault, before its cleanup: a later task of the schedule comes, and a
    // send in the HTTP fault's window; not after that window.
    const later = (at: string) =>
      `[{ at: "09:04", action: delete-account, account: acct-x }, { at: "${at}", action: create-account, account: acct-x }]`;
    expect(warned(faults, later("09:05:30"))).toEqual([]);
    expect(warned(faults, later("09:20"))).toEqual([["no-effect", "faults.1.at", "09:05"]]);
  });

  it("warns of a hang of a schedule removed or paused before it for good, not of one created again or resumed after", () => {
    const hang = '[{ at: "09:05", fault: hang, schedule: sx1, duration: 1m }]';
    const removed = '{ at: "09:04", action: delete-schedule, schedule: sx1 }';
    const paused = '{ at: "09:04", action: pause-schedule, schedule: sx1, paused: true }';
    expect(warned(hang, `[${removed}]`)).toEqual([["no-effect", "faults.0.at", "09:05"]]);
    expect(warned(hang, `[${paused}]`)).toEqual([["no-effect", "faults.0.at", "09:05"]]);
    // `paused` is true by default: a pause-schedule that leaves it out pauses.
    expect(warned(hang, '[{ at: "09:04", action: pause-schedule, schedule: sx1 }]')).toEqual([
      ["no-effect", "faults.0.at", "09:05"],
    ]);
    // Resumed, or created again, before or after it: a task of it comes, and the hang blocks it.
    for (const back of [
      '{ at: "09:04:30", action: pause-schedule, schedule: sx1, paused: false }',
      '{ at: "09:20", action: pause-schedule, schedule: sx1, paused: false }',
    ])
      expect(warned(hang, `[${paused}, ${back}]`)).toEqual([]);
    expect(
      warned(
        hang,
        `[${removed}, { at: "09:20", action: create-schedule, schedule: sx1, account: acct-x, cron: "* * * * *" }]`,
      ),
    ).toEqual([]);
    // A pause after the hang is not before it: it may come after the task the hang blocks.
    expect(warned(hang, '[{ at: "09:06", action: pause-schedule, schedule: sx1, paused: true }]')).toEqual(
      [],
    );
    const message = parseScenario(`${HEAD}faults: ${hang}\ntimeline: [${paused}]\n`, "s.yaml");
    expect(message.ok && message.warnings[0].message).toBe(
      "faults[0].at: schedule sx1 is paused before it (timeline[0]), and not resumed after, so no task of it comes for this hang to block: it never fires",
    );
  });

  it("warns of a pause of a worker an earlier pause still holds, unless a kill, restart or deploy came between, or a kill just before the earlier one", () => {
    const faults = `
  - { at: "09:05", fault: pause-worker, worker: w2, duration: 10m }
  - { at: "09:06", fault: pause-worker, worker: w2, duration: 1m }
  - { at: "09:06", fault: pause-worker, worker: w1, duration: 1m }
  - { at: "09:20", fault: pause-worker, worker: w2, duration: 1m }`;
    expect(warned(faults)).toEqual([["no-effect", "faults.1.at", "09:06"]]);
    expect(warned(faults, '[{ at: "09:05:30", action: restart-worker, worker: w2 }]')).toEqual([]);
    expect(warned(faults, '[{ at: "09:05:30", action: kill-worker, worker: random }]')).toEqual([]);
    expect(
      warned(
        "[]",
        '[{ at: "09:05", action: pause-worker, worker: w2, duration: 2m }, { at: "09:06", action: pause-worker, worker: w2, duration: 2m }]',
      ),
    ).toEqual([["no-effect", "timeline.1.at", "09:06"]]);
    // A deploy replaces every worker, a rolling one a while after it starts: even one begun before.
    expect(warned(faults, '[{ at: "09:04", action: deploy, scheduler: v2, fixes: [early-return] }]')).toEqual(
      [],
    );
    // A kill just before the first pause leaves w2 in back-off then: that pause is skipped, the next acts.
    // Not one longer before it than the supervisor's backoffMax (5m by default).
    const killFirst = (at: string) =>
      warned(`
  - { at: "${at}", fault: kill-worker, worker: w2 }
  - { at: "09:10", fault: pause-worker, worker: w2, duration: 10m }
  - { at: "09:12", fault: pause-worker, worker: w2, duration: 1m }`);
    expect(killFirst("09:09:59")).toEqual([]);
    expect(killFirst("09:01")).toEqual([["no-effect", "faults.2.at", "09:12"]]);
    // At one instant the run pauses for the faults before the timeline: the timeline's is skipped.
    expect(
      warned(
        '[{ at: "09:05", fault: pause-worker, worker: w2, duration: 10m }]',
        '[{ at: "09:05", action: pause-worker, worker: w2, duration: 1m }]',
      ),
    ).toEqual([["no-effect", "timeline.0.at", "09:05"]]);
    // A pause at the very instant an earlier one ends finds the worker still paused: the run, which
    // readied every fault and action at the start, takes it before the resume, and skips it.
    expect(
      warned(`
  - { at: "09:05", fault: pause-worker, worker: w2, duration: 1m }
  - { at: "09:06", fault: pause-worker, worker: w2, duration: 10s }`),
    ).toEqual([["no-effect", "faults.1.at", "09:06"]]);
    // A pause that is skipped holds nothing: one after the pause before it ends acts, though the
    // skipped one's duration would have covered it.
    expect(
      warned(
        `
  - { at: "09:05", fault: pause-worker, worker: w2, duration: 1m }
  - { at: "09:07", fault: pause-worker, worker: w2, duration: 10s }`,
        '[{ at: "09:05:30", action: pause-worker, worker: w2, duration: 5m }]',
      ),
    ).toEqual([["no-effect", "timeline.0.at", "09:05:30"]]);
  });

  it("warns of a clock skew of more than a year either way", () => {
    expect(
      warned(`
  - { at: "09:05", fault: clock-skew, worker: w1, skew: 100000h }
  - { at: "09:05", fault: clock-skew, worker: w2, skew: -9000h }
  - { at: "09:06", fault: clock-skew, worker: w2, skew: 8000h }`),
    ).toEqual([
      ["out-of-range", "faults.0.skew", "100000h"],
      ["out-of-range", "faults.1.skew", "-9000h"],
    ]);
  });
});
