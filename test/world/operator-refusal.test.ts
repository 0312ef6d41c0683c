// Shows that an operator action whose target is not there (a schedule cleaned up after its account's deletion, an account or worker gone, an id taken) is traced as not applied, with the reason, while one whose target is there applies.
import { describe, expect, it } from "vitest";
import type { TimedAction } from "../../src/world/config.js";
import { eventsOf, FIXED, MIN, reportOf, runWorld, START, smallWorldConfig } from "./helpers.js";

/** The account `acct-deleted` goes at :05:30; at :08 an operator pauses, resumes and quarantines its schedule. */
const LATE_ACTIONS: TimedAction[] = [
  { atMs: START + 8 * MIN, action: "pause-schedule", schedule: "sched-poison-1", paused: true },
  { atMs: START + 8 * MIN, action: "pause-schedule", schedule: "sched-poison-1", paused: false },
  { atMs: START + 8 * MIN, action: "quarantine-schedule", schedule: "sched-poison-2" },
];

function run(fixes: readonly string[]) {
  const config = smallWorldConfig({
    accounts: 4,
    durationMs: 10 * MIN,
    workers: 2,
    fixes: [...fixes],
    timeline: LATE_ACTIONS,
  });
  return runWorld(config).events;
}

describe("an operator action on a schedule", () => {
  it("is traced as not applied, with the reason, once the cleanup of its deleted account removed it", () => {
    const events = run(FIXED);
    // The fixed scheduler cleans the account's schedules up at their first fire after :05:30.
    const cleaned = eventsOf(events, "schedule.deleted").filter((e) => e.account === "acct-deleted");
    expect(cleaned.map((e) => e.schedule).sort()).toEqual(["sched-poison-1", "sched-poison-2"]);
    expect(cleaned.every((e) => e.t < START + 8 * MIN)).toBe(true);
    const actions = eventsOf(events, "operator.action").filter((e) => e.t === START + 8 * MIN);
    expect(actions.map((e) => [e.detail, e.applied, e.reason])).toEqual([
      [
        "pause schedule sched-poison-1",
        false,
        "schedule sched-poison-1 not found (404): deleted, or cleaned up after its account was deleted",
      ],
      [
        "resume schedule sched-poison-1",
        false,
        "schedule sched-poison-1 not found (404): deleted, or cleaned up after its account was deleted",
      ],
      [
        "quarantine-schedule sched-poison-2",
        false,
        "schedule sched-poison-2 not found (404): deleted, or cleaned up after its account was deleted",
      ],
    ]);
    expect(eventsOf(events, "schedule.paused")).toEqual([]);
    expect(eventsOf(events, "schedule.quarantined")).toEqual([]);
  });

  it("applies, with no applied or reason field, while the schedule is still in the store", () => {
    // Without the early-return fix the cleanup throws and rolls back: the schedules stay.
    const events = run([]);
    const actions = eventsOf(events, "operator.action").filter((e) => e.t === START + 8 * MIN);
    expect(actions).toHaveLength(3);
    for (const a of actions) {
      expect(a).not.toHaveProperty("applied");
      expect(a).not.toHaveProperty("reason");
    }
    expect(eventsOf(events, "schedule.paused").map((e) => e.paused)).toEqual([true, false]);
    expect(eventsOf(events, "schedule.quarantined").map((e) => e.schedule)).toEqual(["sched-poison-2"]);
  });
});

describe("an operator action whose target is gone", () => {
  const at = (minutes: number) => START + minutes * MIN;
  /** Each refused action at `at(8)`, after the fixed scheduler cleaned acct-deleted up, and a scale to 2 at `at(7)`. */
  const GONE: TimedAction[] = [
    { atMs: at(7), action: "scale", workers: 2 },
    {
      atMs: at(8),
      action: "create-schedule",
      schedule: "s-new",
      account: "acct-deleted",
      cron: "* * * * *",
    },
    { atMs: at(8), action: "delete-schedule", schedule: "sched-poison-1" },
    { atMs: at(8), action: "delete-account", account: "acct-deleted" },
    { atMs: at(8), action: "create-account", account: "acct-00001" },
    { atMs: at(8), action: "kill-worker", worker: "w3" },
    { atMs: at(8), action: "pause-worker", worker: "w3", durationMs: MIN },
    { atMs: at(8), action: "restart-worker", worker: "w3" },
    { atMs: at(8), action: "kill-worker", worker: "w9" },
  ];

  it("is traced as not applied, with the reason, and changes nothing", () => {
    const config = smallWorldConfig({
      accounts: 4,
      durationMs: 10 * MIN,
      workers: 3,
      fixes: FIXED,
      timeline: GONE,
    });
    const { events } = runWorld(config);
    const actions = eventsOf(events, "operator.action").filter((e) => e.t === at(8));
    expect(actions.map((e) => [e.action, e.applied, e.reason])).toEqual([
      [
        "create-schedule",
        false,
        "account acct-deleted not found (404): deleted, or never created; a schedule needs an account that exists",
      ],
      [
        "delete-schedule",
        false,
        "schedule sched-poison-1 not found (404): deleted, or cleaned up after its account was deleted",
      ],
      ["delete-account", false, "account acct-deleted not found (404): deleted, or never created"],
      ["create-account", false, "account acct-00001 already exists (409)"],
      ["kill-worker", false, "w3 was removed by a scale-down"],
      ["pause-worker", false, "w3 was removed by a scale-down"],
      ["restart-worker", false, "w3 was removed by a scale-down"],
      ["kill-worker", false, "no worker w9 in the fleet"],
    ]);
    const after = events.filter((e) => e.t >= at(8) && e.type !== "operator.action");
    const changes = ["schedule.created", "schedule.deleted", "account.created", "account.deleted"];
    expect(after.filter((e) => changes.includes(e.type))).toEqual([]);
    expect(after.filter((e) => e.worker === "w3")).toEqual([]);
    // The key events say so.
    const text = reportOf(events).timeline.map((e) => e.text);
    expect(text).toContain("operator: kill-worker w3 — not applied: w3 was removed by a scale-down");
  });

  it("refuses a create-schedule of an id a deleted account's schedule keeps, and a kill or pause with no process to signal", () => {
    const timeline: TimedAction[] = [
      // Without the early-return fix the cleanup rolls back: sched-poison-1 stays in the store.
      {
        atMs: at(8),
        action: "create-schedule",
        schedule: "sched-poison-1",
        account: "acct-00001",
        cron: "* * * * *",
      },
      { atMs: at(2), action: "pause-worker", worker: "w1", durationMs: MIN },
      { atMs: at(2), action: "pause-worker", worker: "w1", durationMs: MIN },
      { atMs: at(3) + 1_000, action: "kill-worker", worker: "w2" },
      { atMs: at(3) + 1_000, action: "kill-worker", worker: "w2" },
      { atMs: at(3) + 1_000, action: "restart-worker", worker: "w2" },
    ];
    const config = smallWorldConfig({ accounts: 4, durationMs: 10 * MIN, workers: 3, fixes: [], timeline });
    const { events } = runWorld(config);
    const actions = eventsOf(events, "operator.action").filter((e) => e.action !== "delete-account");
    expect(actions.map((e) => [e.action, e.applied ?? true, e.reason ?? ""])).toEqual([
      ["pause-worker", true, ""],
      ["pause-worker", false, "w1 is already paused"],
      ["kill-worker", true, ""],
      ["kill-worker", false, "w2 has no process (waiting in back-off to be restarted)"],
      // A restart of a worker in back-off starts it now.
      ["restart-worker", true, ""],
      [
        "create-schedule",
        false,
        "schedule sched-poison-1 already exists (409): a schedule of the deleted account acct-deleted, kept until its cleanup",
      ],
    ]);
    expect(eventsOf(events, "worker.paused").filter((e) => e.t === at(2))).toHaveLength(1);
    expect(
      eventsOf(events, "worker.crashed").filter((e) => e.t === at(3) + 1_000 && e.worker === "w2"),
    ).toHaveLength(1);
  });

  it("restarts a worker drawn at random, as kill and pause do", () => {
    const timeline: TimedAction[] = [{ atMs: at(2), action: "restart-worker", worker: "random" }];
    const config = smallWorldConfig({ accounts: 4, durationMs: 4 * MIN, workers: 3, fixes: FIXED, timeline });
    const { events } = runWorld(config);
    const [action] = eventsOf(events, "operator.action").filter((e) => e.action === "restart-worker");
    expect(action).not.toHaveProperty("applied");
    const started = eventsOf(events, "worker.started").filter((e) => e.t === at(2));
    expect(started).toHaveLength(1);
    // The worker drawn is named in the trace and in the key events.
    expect(action.worker).toBe(started[0].worker);
    const entry = reportOf(events).timeline.find((e) => e.type === "operator.action");
    expect(entry?.text).toBe(`operator: restart-worker random (drew ${started[0].worker})`);
  });

  it("writes a scale to one worker in the singular, in the trace and the key events", () => {
    const timeline: TimedAction[] = [
      { atMs: at(1), action: "scale", workers: 2 },
      { atMs: at(2), action: "scale", workers: 1 },
    ];
    const config = smallWorldConfig({ accounts: 4, durationMs: 3 * MIN, workers: 3, fixes: FIXED, timeline });
    const { events } = runWorld(config);
    const details = eventsOf(events, "operator.action").map((e) => e.detail);
    expect(details).toEqual(["scale the fleet to 2 workers", "scale the fleet to 1 worker"]);
    const texts = reportOf(events).timeline.map((e) => e.text);
    expect(texts).toContain("operator: scale the fleet to 1 worker");
  });

  it("names no worker on an action that names its own, so such traces stay as they were", () => {
    const timeline: TimedAction[] = [{ atMs: at(2), action: "restart-worker", worker: "w2" }];
    const config = smallWorldConfig({ accounts: 4, durationMs: 4 * MIN, workers: 3, fixes: FIXED, timeline });
    const [action] = eventsOf(runWorld(config).events, "operator.action");
    expect(action).not.toHaveProperty("worker");
  });
});

describe("a pause, resume or quarantine that would change nothing", () => {
  it("is traced as not applied, saying the schedule's state; a quarantine is not lifted by a resume", () => {
    const at = (min: number) => START + min * MIN;
    const timeline: TimedAction[] = [
      { atMs: at(2), action: "quarantine-schedule", schedule: "sched-poison-1" },
      { atMs: at(3), action: "quarantine-schedule", schedule: "sched-poison-1" },
      { atMs: at(4), action: "pause-schedule", schedule: "sched-poison-1", paused: false },
      { atMs: at(5), action: "pause-schedule", schedule: "sched-000002", paused: false },
      { atMs: at(6), action: "pause-schedule", schedule: "sched-000002", paused: true },
      { atMs: at(7), action: "pause-schedule", schedule: "sched-000002", paused: true },
      { atMs: at(8), action: "pause-schedule", schedule: "sched-000002", paused: false },
    ];
    const config = smallWorldConfig({
      accounts: 4,
      durationMs: 10 * MIN,
      workers: 2,
      fixes: FIXED,
      deleteAtMs: null,
      timeline,
    });
    const { events } = runWorld(config);
    const actions = eventsOf(events, "operator.action").map((e) => [
      (e.t - START) / MIN,
      e.applied ?? true,
      e.reason,
    ]);
    expect(actions).toEqual([
      [2, true, undefined],
      [3, false, "schedule sched-poison-1 is quarantined already"],
      [
        4,
        false,
        "schedule sched-poison-1 is quarantined: a quarantine is for good, and resuming the schedule does not lift it",
      ],
      [5, false, "schedule sched-000002 is not paused already"],
      [6, true, undefined],
      [7, false, "schedule sched-000002 is paused already"],
      [8, true, undefined],
    ]);
    expect(eventsOf(events, "schedule.quarantined").map((e) => e.schedule)).toEqual(["sched-poison-1"]);
    expect(eventsOf(events, "schedule.paused").map((e) => [(e.t - START) / MIN, e.paused])).toEqual([
      [6, true],
      [8, false],
    ]);
    // The quarantined schedule fires no more, resume or not.
    const fired = eventsOf(events, "schedule.fired").filter((e) => e.schedule === "sched-poison-1");
    expect(fired.length).toBeGreaterThan(0);
    expect(fired.every((e) => e.t < at(2))).toBe(true);
  });
});
