// Shows that an operator action the control plane refused is worded by one function, alike in the
// run's key events (checks/timeline) and in the words of `why` and the reports (report/event-words).
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { notAppliedText } from "../../src/kernel/time.js";
import { describeEvent } from "../../src/report/event-words.js";
import { at, TraceBuilder } from "../checks/trace-builder.js";

describe("a refused operator action", () => {
  it("says `not applied` and why, and nothing for an action that applied", () => {
    expect(notAppliedText(false, "w3 has no process")).toBe(" — not applied: w3 has no process");
    expect(notAppliedText(undefined, undefined)).toBe("");
  });

  it("is worded the same in the key events and in the event words", () => {
    const b = new TraceBuilder();
    b.start({ workers: 3, horizonMin: 30 });
    const reason = "w3 has no process (removed by a scale-down)";
    b.at(at(1)).emit("operator.action", {
      action: "kill-worker",
      detail: "kill-worker w3",
      applied: false,
      reason,
    });
    b.at(at(2)).emit("operator.action", { action: "kill-worker", detail: "kill-worker w2" });
    const actions = b.events.filter((e) => e.type === "operator.action");
    const timeline = computeReport(b.events).timeline.filter((e) => e.type === "operator.action");
    expect(timeline.map((e) => e.text)).toEqual(actions.map((e) => describeEvent(e)));
    expect(timeline.map((e) => e.text)).toEqual([
      `operator: kill-worker w3${notAppliedText(false, reason)}`,
      "operator: kill-worker w2",
    ]);
  });
});
