// Shows retry-after-backoff on hand-written traces of a task that sends its fire again under a new message id after a send of it failed (the failure traced as the task commits, after both sends): at once it fails and names both ids, after QStash's first back-off it holds, and after a crash, a lease change or a refused commit between, or on another worker, it is not judged so.
import { describe, expect, it } from "vitest";
import { computeReport, type Verdict } from "../../src/checks/index.js";
import { at, everyFiveMinutes, SEC, type TraceBuilder, task } from "./trace-builder.js";

const FIRE = task("w1", "s1", "a", at(5));
const FIRST = `${FIRE.task}/m1`;
const AGAIN = `${FIRST}/again`;

/** A send of s1's 09:05 fire under `message`, by `worker`. */
function sent(
  b: TraceBuilder,
  message: string,
  worker = "w1",
  destination = "https://example.com/s1",
): number {
  return b.emit("delivery.sent", { ...FIRE, worker, message, attempt: 0, destination });
}

/** The failure of `message`'s first send, traced as its task commits the retry it asked for. */
function failed(b: TraceBuilder, message: string, worker = "w1"): number {
  return b.emit("delivery.failed", {
    ...FIRE,
    worker,
    message,
    attempt: 0,
    status: 503,
    retryAt: b.now + 12_182,
  });
}

/** s1's 09:05 fire sent, then sent again under a new id `afterMs` later (`between` in between), then its commit. */
function resent(afterMs: number, between: (b: TraceBuilder) => void = () => {}, worker = "w1"): Verdict {
  const b = everyFiveMinutes();
  b.at(at(5));
  sent(b, FIRST);
  b.at(at(5) + afterMs / 2);
  between(b);
  b.at(at(5) + afterMs);
  sent(b, AGAIN, worker);
  b.at(at(5) + afterMs + 60);
  failed(b, FIRST);
  return computeReport(b.events).verdicts.find((v) => v.property === "retry-after-backoff")!;
}

describe("retry-after-backoff against a fire sent again under a new message id in its task", () => {
  it("fails on the fire sent again at once after its send failed, and names both ids", () => {
    const b = everyFiveMinutes();
    b.at(at(5));
    sent(b, FIRST);
    b.at(at(5) + 75);
    const again = sent(b, AGAIN);
    b.at(at(5) + 140);
    failed(b, FIRST);
    failed(b, AGAIN);
    const v = computeReport(b.events).verdicts.find((x) => x.property === "retry-after-backoff")!;
    expect(v.ok).toBe(false);
    expect(v.exercised).toBe(true);
    expect(v.detail).toBe(
      `1 retry was sent before its back-off: ${AGAIN} (schedule s1) sent at 09:05:00.075 under a new message id, 0.075 s after ${FIRST} was sent in the same task and failed: its fire sent again at once, with nothing between that could make its worker run the task again (no crash, lease change or injected panic on its worker, no refused or fenced commit of its task), where even QStash's first back-off waits 12.182 s; a destination that failed is retried while it may still be down`,
    );
    expect(v.events).toEqual([again]);
  });

  it("holds for the fire sent again under a new id after QStash's first back-off", () => {
    expect(resent(13 * SEC)).toMatchObject({
      ok: true,
      exercised: true,
      detail: "1 retry was sent, after its back-off (0.818 s beyond it at the least)",
    });
  });

  it("does not judge it so after a crash, a lease change or a refused commit between, nor from another worker", () => {
    const lettings: ((b: TraceBuilder) => void)[] = [
      (b) => b.killed("w1"),
      (b) => b.emit("lease.lost", { worker: "w1", partition: 0, token: 1 }),
      (b) => b.emit("lease.acquired", { worker: "w1", partition: 0, token: 2, previous: "w2" }),
      (b) => b.emit("store.refused", { ...FIRE, call: "commit" }),
      (b) => b.emit("task.fenced", { ...FIRE, token: 1 }),
    ];
    // With nothing between, the same trace fails.
    expect(resent(75)).toMatchObject({ ok: false, exercised: true });
    for (const between of lettings) expect(resent(75, between)).toMatchObject({ ok: true, exercised: false });
    expect(resent(75, () => {}, "w2")).toMatchObject({ ok: true, exercised: false });
  });
});
