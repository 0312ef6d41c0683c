// Shows that a generated timeline never acts on a schedule it does not create: when the creation
// of a schedule is dropped (its account is deleted), the actions on that schedule go with it.
import { expect, it } from "vitest";
import { type TimelineGene, timelineDocument, type WorldContext } from "../../src/explore/generate/index.js";

const ctx: WorldContext = {
  durationS: 1800,
  workers: 2,
  workersMax: 4,
  namedAccounts: ["acct-a"],
  namedSchedules: [],
  accounts: 0,
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
  // With creations kept for deleted accounts, the actions on the schedule stay too.
  const kept = timelineDocument(
    { constraints: { createForDeletedAccounts: true }, genes, mustDeleteAtS: null },
    ctx,
  );
  expect(kept.map((e) => e.action)).toEqual([
    "create-schedule",
    "delete-account",
    "pause-schedule",
    "delete-schedule",
  ]);
});
