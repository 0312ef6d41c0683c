// Shows that a generated timeline never acts on what is not there when the action runs: a schedule
// it does not create (or creates later), an account already deleted, a worker scaled away.
import { expect, it } from "vitest";
import {
  type FaultGene,
  faultDocument,
  type TimelineGene,
  timelineDocument,
  type WorldContext,
} from "../../src/explore/generate/index.js";

const ctx: WorldContext = {
  durationS: 1800,
  workers: 2,
  workersMax: 4,
  namedAccounts: ["acct-a"],
  namedSchedules: [],
  namedScheduleAccounts: new Map(),
  accounts: 0,
};

/** Two named accounts of one schedule each. */
const named: WorldContext = {
  ...ctx,
  namedAccounts: ["acct-a", "acct-b"],
  namedSchedules: ["s-a", "s-b"],
  namedScheduleAccounts: new Map([
    ["s-a", "acct-a"],
    ["s-b", "acct-b"],
  ]),
};

it("drops the pause and the deletion of a schedule whose creation was dropped", () => {
  const genes: TimelineGene[] = [
    { kind: "create-schedule", at: 100, target: 0, cron: 0 },
    { kind: "delete-account", at: 200, target: 0 },
    { kind: "pause-schedule", at: 300, target: 0, paused: true },
    { kind: "delete-schedule", at: 400, target: 0 },
  ];
  const entries = timelineDocument({ constraints: {}, genes, mustDeleteAtS: null }, ctx);
  expect(entries.map((e) => e.action)).toEqual(["delete-account"]);
  // With creations kept for deleted accounts, the creation stays; neither the pause nor the
  // deletion of the schedule does, as the deleted account's cleanup is what removes it (before
  // then, with the early-return fix, a pause would apply; after, do nothing).
  const kept = timelineDocument(
    { constraints: { createForDeletedAccounts: true }, genes, mustDeleteAtS: null },
    ctx,
  );
  expect(kept.map((e) => e.action)).toEqual(["create-schedule", "delete-account"]);
});

it("pauses only a schedule not paused, and resumes only one paused, of an account not deleted", () => {
  const genes: TimelineGene[] = [
    { kind: "pause-schedule", at: 100, target: 1, paused: false },
    { kind: "pause-schedule", at: 200, target: 0, paused: true },
    { kind: "pause-schedule", at: 300, target: 0, paused: true },
    { kind: "pause-schedule", at: 400, target: 1, paused: false },
  ];
  const entries = timelineDocument({ constraints: {}, genes, mustDeleteAtS: 60 }, named);
  // acct-a is deleted first: its schedule is neither paused nor resumed. The first resume has
  // nothing paused to resume: it pauses s-b, to resume it later (at +9m54s); the pauses then
  // find only s-b, paused already, and are dropped; the last resume resumes s-b, and the paired
  // resume, finding it resumed, is dropped.
  expect(entries).toEqual([
    { at: "+1m", action: "delete-account", account: "acct-a" },
    { at: "+1m48s", action: "pause-schedule", schedule: "s-b", paused: true },
    { at: "+7m12s", action: "pause-schedule", schedule: "s-b", paused: false },
  ]);
});

it("makes a resume gene with nothing paused a pause, resumed half-way to the end of the active part, unless it is gone by then", () => {
  const pause: TimelineGene = { kind: "pause-schedule", at: 100, target: 0, paused: false };
  // Active part: 60% of 30 minutes, 1080 s; the resume at 550 thousandths, +9m54s. It is written
  // right after its pause, and performed in time order with the rest.
  expect(timelineDocument({ constraints: {}, genes: [pause], mustDeleteAtS: null }, named)).toEqual([
    { at: "+1m48s", action: "pause-schedule", schedule: "s-a", paused: true },
    { at: "+9m54s", action: "pause-schedule", schedule: "s-a", paused: false },
  ]);
  // Deleted before its resume, or its account deleted: no resume of it.
  const deleted = timelineDocument(
    { constraints: {}, genes: [pause, { kind: "delete-schedule", at: 300, target: 0 }], mustDeleteAtS: null },
    named,
  );
  expect(deleted.map((e) => [e.at, e.action])).toEqual([
    ["+1m48s", "pause-schedule"],
    ["+5m24s", "delete-schedule"],
  ]);
  const accountGone = timelineDocument({ constraints: {}, genes: [pause], mustDeleteAtS: 300 }, named);
  expect(accountGone.map((e) => [e.at, e.action])).toEqual([
    ["+5m", "delete-account"],
    ["+1m48s", "pause-schedule"],
  ]);
  // A pause gene after the resume is due finds the schedule unpaused again.
  const again = timelineDocument(
    {
      constraints: {},
      genes: [pause, { kind: "pause-schedule", at: 600, target: 0, paused: true }],
      mustDeleteAtS: null,
    },
    named,
  );
  expect(
    again.map((e) => [e.at, "schedule" in e ? e.schedule : null, "paused" in e ? e.paused : null]),
  ).toEqual([
    ["+1m48s", "s-a", true],
    ["+9m54s", "s-a", false],
    ["+10m48s", "s-a", true],
  ]);
  // At the end of the active part, no later second is left: the gene does nothing, as before.
  expect(
    timelineDocument({ constraints: {}, genes: [{ ...pause, at: 1000 }], mustDeleteAtS: null }, named),
  ).toEqual([]);
});

it("deletes no schedule of an account deleted earlier: the account's cleanup removes it, or not, by variant", () => {
  const genes: TimelineGene[] = [
    { kind: "delete-schedule", at: 300, target: 0 },
    { kind: "delete-schedule", at: 400, target: 0 },
  ];
  // The incident's deletion of acct-a comes first: each gene picks among acct-b's schedules only.
  const entries = timelineDocument({ constraints: {}, genes, mustDeleteAtS: 60 }, named);
  expect(entries).toEqual([
    { at: "+1m", action: "delete-account", account: "acct-a" },
    { at: "+5m24s", action: "delete-schedule", schedule: "s-b" },
  ]);
  // Before the deletion, acct-a's schedule is there to delete.
  const before = timelineDocument({ constraints: {}, genes, mustDeleteAtS: 1000 }, named);
  expect(before.filter((e) => e.action === "delete-schedule").map((e) => e.schedule)).toEqual(["s-a", "s-b"]);
});

it("resolves genes in run order: nothing is acted on before it is created or after it is deleted", () => {
  const genes: TimelineGene[] = [
    { kind: "create-account", at: 500 },
    // Earlier than the creation above: only acct-a exists then.
    { kind: "create-schedule", at: 100, target: 1, cron: 0 },
    // Earlier than any creation: no schedule exists, so the gene is dropped.
    { kind: "delete-schedule", at: 50, target: 0 },
    { kind: "delete-account", at: 600, target: 0 },
    { kind: "delete-account", at: 700, target: 0 },
  ];
  // Times: thousandths of the active 60% of the 30-minute run.
  const entries = timelineDocument(
    { constraints: { createForDeletedAccounts: true }, genes, mustDeleteAtS: null },
    ctx,
  );
  expect(entries).toEqual([
    { at: "+9m", action: "create-account", account: "new-acct-1" },
    {
      at: "+1m48s",
      action: "create-schedule",
      schedule: "new-sched-2",
      account: "acct-a",
      cron: expect.any(String),
    },
    { at: "+10m48s", action: "delete-account", account: "acct-a" },
    { at: "+12m36s", action: "delete-account", account: "new-acct-1" },
  ]);
});

it("names only workers in the fleet at the time, in the timeline and in the faults", () => {
  const genes: TimelineGene[] = [
    // Scale to 1 (scaleMin 1 + 0): w2 leaves.
    { kind: "scale", at: 100, workers: 0 },
    { kind: "kill-worker", at: 200, worker: 1, random: false },
    { kind: "scale", at: 300, workers: 1 },
    { kind: "restart-worker", at: 400, worker: 1, random: false },
  ];
  const timeline = timelineDocument({ constraints: {}, genes, mustDeleteAtS: null }, ctx);
  expect(timeline.map((e) => ("worker" in e ? e.worker : e.action))).toEqual(["scale", "w1", "scale", "w3"]);
  const faults: FaultGene[] = [
    { kind: "kill-worker", at: 50, worker: 1, random: false },
    { kind: "clock-skew", at: 250, worker: 1, random: false, skewS: 5, durationS: 30 },
  ];
  const entries = faultDocument({ constraints: {}, genes: faults }, ctx, timeline);
  expect(entries.map((e) => ("worker" in e ? e.worker : null))).toEqual(["w2", "w1"]);
});

it("aims a persistent panic of one schedule at a kept account whose schedule the timeline creates, and never at one without", () => {
  // acct-a has no named schedule: with one the timeline creates, the poison task targets the
  // account; with none, a panic aimed at it would never fire, and so would one at a deleted
  // account: the transient one is made instead.
  const gene: FaultGene = {
    kind: "inject-panic",
    at: 100,
    point: 0,
    scope: 1,
    target: 0,
    percent: 40,
    count: 11,
    persistent: true,
  };
  const created = [
    { at: "+1s", action: "create-schedule" as const, schedule: "late", account: "acct-a", cron: "* * * * *" },
  ];
  const [kept] = faultDocument({ constraints: {}, genes: [gene] }, ctx, created);
  expect(kept).toMatchObject({ fault: "inject-panic", account: "acct-a", probability: 1, count: 11 });
  const transients = [
    faultDocument({ constraints: {}, genes: [gene] }, ctx)[0],
    faultDocument({ constraints: {}, genes: [gene] }, ctx, [
      ...created,
      { at: "+2s", action: "delete-account" as const, account: "acct-a" },
    ])[0],
  ];
  for (const transient of transients) {
    expect(transient).toMatchObject({ fault: "inject-panic", probability: 0.4, count: 2 });
    expect(transient).not.toHaveProperty("account");
    expect(transient).not.toHaveProperty("schedule");
  }
});
