// Shows that a deploy a newer one superseded in its last wait (every worker replaced, `rolledOut`) is told as rolled out, not as stopped part-way, in the key events, the event words and the on-call logs alike.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { describeEvent } from "../../src/report/event-words.js";
import { OnCallObserver } from "../../src/train/observer.js";
import { at, TraceBuilder } from "../checks/trace-builder.js";

/** Two deploys, the older superseded by the newer; `rolledOut` on its `deploy.finished` if given. */
function supersededTrace(rolledOut: boolean) {
  const b = new TraceBuilder();
  b.start({ workers: 1, horizonMin: 30 });
  b.at(at(1)).emit("deploy.started", {
    scheduler: "v2",
    fixes: ["early-return"],
    workers: 1,
    stepDelayMs: 10_000,
  });
  b.emit("deploy.progressed", { worker: "w1", index: 0 });
  const newer = b
    .at(at(2))
    .emit("deploy.started", { scheduler: "v2", fixes: ["panic-recovery"], workers: 1, stepDelayMs: 10_000 });
  b.emit(
    "deploy.finished",
    { scheduler: "v2", fixes: ["early-return"], supersededBy: newer, ...(rolledOut ? { rolledOut } : {}) },
    { cause: newer },
  );
  return { events: b.events, finished: b.events[b.events.length - 1] };
}

function wordsOf(rolledOut: boolean) {
  const { events, finished } = supersededTrace(rolledOut);
  const timeline = computeReport(events).timeline.find((e) => e.seq === finished.seq);
  const observer = new OnCallObserver();
  for (const e of events) observer.onEvent(e);
  return {
    timeline: timeline?.text,
    words: describeEvent(finished),
    logs: observer.logs.at(-1)?.text,
  };
}

describe("a superseded deploy", () => {
  it("that had replaced every worker is told as rolled out, superseded before its last wait was over", () => {
    const told = wordsOf(true);
    for (const text of Object.values(told)) {
      expect(text).not.toContain("part-way");
      // True too when a scale-down removed the workers or a new process died starting.
      expect(text).toContain("(every worker it had to replace was replaced or removed)");
      expect(text).toContain("last step's wait");
    }
    expect(told.timeline).toContain("a newer deploy (#3) supersedes it");
    expect(told.words).toContain("superseded by a newer deploy (#3)");
  });

  it("that had not is told as stopped part-way", () => {
    const told = wordsOf(false);
    for (const text of Object.values(told)) {
      expect(text).toContain("stopped part-way");
      expect(text).not.toContain("every worker");
    }
  });
});
